import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { places, seedPlaces } from '../../../test/support/public-petitions.ts';
import { insertGroup } from '../../petitions/admin/test-support.ts';
import { toLondonInput } from '../../supporters/index.ts';
import { findEvent } from '../store.ts';
import { makeEvent } from '../test-support.ts';

let t: TestApp;
let group: number;
beforeAll(async () => {
  t = await createTestApp();
  await seedPlaces(t.ctx.db);
  group = await insertGroup(t.ctx.db, 'Northtown Save Our NHS');
});
afterAll(() => t.close());

const get = (url: string) => t.app.inject({ method: 'GET', url });
const jsonLdOf = (html: string) => JSON.parse(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html)![1]!);
const at = (date: Date) => toLondonInput(date);

describe('the public calendar', () => {
  it('lists upcoming published events by month, soonest first; drafts never, past ones on their own page', async () => {
    const now = Date.now();
    const soon = new Date(now + 3 * 86_400_000);
    const later = new Date(now + 70 * 86_400_000);
    const a = await makeEvent(t, [group], { title: 'Later rally', type: 'rally', starts_at: at(later), ends_at: at(new Date(later.getTime() + 3_600_000)) });
    const b = await makeEvent(t, [group], { title: 'Soon stall', type: 'street_stall', starts_at: at(soon), ends_at: at(new Date(soon.getTime() + 3_600_000)) });
    await makeEvent(t, [group], { title: 'Secret draft' }, false);
    const past = await makeEvent(t, [group], { title: 'Last year’s march' });
    await t.ctx.db.updateTable('events').set({ starts_at: new Date(now - 3 * 86_400_000), ends_at: new Date(now - 3 * 86_400_000 + 3_600_000) }).where('id', '=', past).execute();

    const list = await get('/events');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Soon stall');
    expect(list.body.indexOf('Soon stall')).toBeLessThan(list.body.indexOf('Later rally'));
    expect(list.body).not.toContain('Secret draft');
    expect(list.body).not.toContain('Last year’s march');
    const month = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', month: 'long', year: 'numeric' });
    expect(list.body).toContain(`>${month.format(soon)}</h2>`);
    expect(list.body).toContain(`>${month.format(later)}</h2>`);
    expect(list.body).toContain(`href="${(await findEvent(t.ctx.db, a))!.path}"`);
    expect(list.body).toContain(`href="${(await findEvent(t.ctx.db, b))!.path}"`);

    const pastPage = await get('/events/past');
    expect(pastPage.body).toContain('Last year’s march');
    expect(pastPage.body).not.toContain('Soon stall');
    expect((await get(`/events/${past}`)).statusCode).toBe(301);
    const pastEvent = await get((await findEvent(t.ctx.db, past))!.path);
    expect(pastEvent.body).toContain('This event has taken place');
    expect(pastEvent.body).not.toContain('action="/events/');
  });

  it('shows an event with access up front, the address and constituency, speakers, organisers, JSON-LD and Open Graph, and the booking form', async () => {
    const id = await makeEvent(t, [group], {
      title: 'Conference <on> care & “health”',
      type: 'conference',
      venue_name: 'Carrs Lane Conference Centre',
      online_url: 'https://meet.example.org/room',
      online_url_booked_only: 'yes',
      access_bsl: 'yes',
      access_notes: 'Lift to all floors',
      description: 'Hear from carers. <script>alert(1)</script> [Agenda](https://example.org/agenda)',
      tier_1_name: 'Waged',
      tier_1_price: '10',
      tier_2_name: 'Unwaged',
      tier_2_price: '5',
      capacity: '120',
    });
    const event = (await findEvent(t.ctx.db, id))!;
    const res = await get(event.path);
    expect(res.statusCode).toBe(200);
    const body = res.body;
    expect(body).toContain('Conference &lt;on> care &amp; “health”');
    expect(body).not.toContain('<script>alert(1)</script>');
    expect(body).toContain('<a href="https://example.org/agenda">Agenda</a>');
    // Access comes before the description and the booking form.
    expect(body.indexOf('id="access-heading"')).toBeLessThan(body.indexOf('id="about-heading"'));
    expect(body).toContain('Step-free access');
    expect(body).toContain('British Sign Language interpretation');
    expect(body).toContain('Lift to all floors');
    expect(body).toContain(`In <a href="/constituencies/${places.north.code}">${places.north.name}</a>, ${places.north.regionName}`);
    expect(body).toContain('Dr Jane Smith, consultant paediatrician');
    expect(body).toContain('Northtown Save Our NHS');
    // The online link is only for people booked.
    expect(body).not.toContain('meet.example.org');
    expect(body).toContain('Waged: £10 · Unwaged: £5');
    expect(body).toContain('120 places left');
    expect(body).toContain(`action="/events/${id}/bookings"`);
    for (const field of ['name', 'email', 'tier', 'places', 'access_needs', 'hear_more']) expect(body).toContain(`name="${field}"`);
    expect(body).toContain('Email me about this and other campaigns from Chorus and Northtown Save Our NHS');

    expect(body).toContain(`<meta property="og:title" content="Conference &lt;on> care &amp; “health”"/>`);
    expect(body).toContain(`<meta property="og:url" content="http://chorus.test${event.path}"/>`);
    expect(body).toContain('<meta property="og:description"');

    const ld = jsonLdOf(body);
    expect(ld).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'Event',
      name: 'Conference <on> care & “health”',
      startDate: event.startsAt.toISOString(),
      endDate: event.endsAt.toISOString(),
      eventStatus: 'https://schema.org/EventScheduled',
      eventAttendanceMode: 'https://schema.org/MixedEventAttendanceMode',
      organizer: [{ '@type': 'Organization', name: 'Northtown Save Our NHS' }],
    });
    expect(ld.location[0]).toMatchObject({ '@type': 'Place', name: 'Carrs Lane Conference Centre', address: { '@type': 'PostalAddress', postalCode: places.north.postcode, addressCountry: 'GB' } });
    expect(ld.location[1]).toEqual({ '@type': 'VirtualLocation', url: `http://chorus.test${event.path}` });
    expect(ld.offers).toEqual([
      expect.objectContaining({ '@type': 'Offer', name: 'Waged', price: '10.00', priceCurrency: 'GBP', availability: 'https://schema.org/InStock' }),
      expect.objectContaining({ '@type': 'Offer', name: 'Unwaged', price: '5.00', priceCurrency: 'GBP' }),
    ]);
    // The JSON-LD cannot close its script element early.
    expect(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(body)![1]).not.toContain('<');

    await t.ctx.db.updateTable('events').set({ state: 'cancelled', cancelled_at: new Date() }).where('id', '=', id).execute();
    const cancelled = await get(event.path);
    expect(cancelled.body).toContain('This event has been cancelled');
    expect(cancelled.body).not.toContain(`action="/events/${id}/bookings"`);
    expect(jsonLdOf(cancelled.body).eventStatus).toBe('https://schema.org/EventCancelled');
  });

  it('answers 404 for an event that does not exist or is not public, never a 500', async () => {
    const draft = await makeEvent(t, [group], {}, false);
    for (const url of [`/events/${draft}`, '/events/999999999', '/events/abc', '/bookings/short', '/bookings/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa']) {
      expect((await get(url)).statusCode, url).toBe(404);
    }
    expect((await get('/events/1-%00')).statusCode).toBe(422);
  });
});
