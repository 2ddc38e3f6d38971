import fc from 'fast-check';
import { PDFParse } from 'pdf-parse';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../../test/support/agent.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signedInAgent } from '../../../test/support/organisers.ts';
import { places, seedPlaces } from '../../../test/support/public-petitions.ts';
import { SmtpSink, linkIn } from '../../../test/support/smtp.ts';
import { insertGroup } from '../../petitions/admin/test-support.ts';
import { personalDataProviders } from '../../platform/index.ts';
import { letterCountsByConstituency, mpResponsiveness } from '../index.ts';
import { captureOutput, writeFixture } from '../test-support.ts';
import { importMpContacts } from './import-mp-contacts.ts';
import { applyLetterRetention } from './retention.ts';
import { contactResponse, giveMpsParliamentIds, letterText, nearCopy } from './test-support.ts';

let t: TestApp;
let smtp: SmtpSink;
let ours: number;
let theirs: number;
let ourCampaign: number;
let organiser: Agent;

const writerFields = (overrides: Record<string, string> = {}) => ({
  name: 'Jo Bloggs',
  email: `jo${Math.random().toString(36).slice(2, 8)}@example.org`,
  address: '1 Acacia Avenue\nNorthtown',
  postcode: places.north.postcode,
  delivery: 'email',
  body: letterText(Math.floor(Math.random() * 1e9)),
  ...overrides,
});
const campaignFields = (overrides: Record<string, string> = {}) => ({
  title: 'Keep Northtown maternity open',
  about: 'The trust wants to close the maternity unit.',
  talking_points: 'Why it matters to you\nHow far the next unit is',
  deadline: '2099-12-31',
  group: String(ours),
  target: 'own_mp',
  seats: '',
  ...overrides,
});
const idFrom = (location: unknown) => Number(/\/admin\/letters\/(\d+)/.exec(String(location))![1]);

/** Writes a letter as a member of the public would: the campaign page, then the form. */
async function write(campaignId: number, fields: Record<string, string>) {
  const agent = new Agent(t.app);
  const page = await agent.get(`/letters/${campaignId}`);
  const path = page.statusCode === 301 ? String(page.headers.location) : `/letters/${campaignId}`;
  await agent.get(path);
  const res = await agent.post(`${path}/letters`, fields);
  return { agent, res };
}

async function confirmFromEmail(agent: Agent, to: string) {
  await t.runJobs();
  const mail = await smtp.waitFor((m) => m.to.includes(to) && m.subject.startsWith('Confirm your letter'));
  const link = linkIn(mail, 'http://chorus.test/letters/confirm/').replace('http://chorus.test', '');
  await agent.get(link);
  const confirmed = await agent.post(link, {});
  expect(confirmed.statusCode).toBe(303);
  await t.runJobs();
  return String(confirmed.headers.location);
}

beforeAll(async () => {
  smtp = await new SmtpSink().start();
  t = await createTestApp({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'Chorus <hub@chorus.test>' } });
  await seedPlaces(t.ctx.db);
  await giveMpsParliamentIds(t.ctx.db, { [places.north.code]: '4001', [places.south.code]: '4002' });
  const file = writeFixture('mp-contacts.json', JSON.stringify({ '4001': contactResponse('4001', 'ada.north.mp@parliament.uk', { x: 'https://x.com/AdaNorthMP', bluesky: 'https://bsky.app/profile/adanorth.bsky.social', mastodon: 'https://mastodon.social/@adanorth' }), '4002': contactResponse('4002', 'ben.south.mp@parliament.uk') }));
  const imported = await importMpContacts(t.ctx.db, file, { out: captureOutput().out });
  expect(imported.loaded).toBe(2);
  ours = await insertGroup(t.ctx.db, 'Northtown Save Our NHS');
  theirs = await insertGroup(t.ctx.db, 'Southvale Keep Our NHS Public');
  ({ agent: organiser } = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [ours] }));
  await organiser.get('/admin/letters/new');
  const made = await organiser.post('/admin/letters/new', campaignFields());
  expect(made.statusCode).toBe(303);
  ourCampaign = idFrom(made.headers.location);
});
afterAll(async () => {
  await t.close();
  await smtp.stop();
});

describe('MPs’ contact details from the Members API', () => {
  it('imports a single Contact response (its id from its own link) and keyed lists, with social handles', async () => {
    const one = writeFixture('one-contact.json', JSON.stringify(contactResponse('4001', 'ada.north.mp@parliament.uk', { x: 'https://twitter.com/AdaNorthMP', bluesky: 'https://bsky.app/profile/adanorth.bsky.social', mastodon: 'https://mastodon.social/@adanorth' })));
    const result = await importMpContacts(t.ctx.db, one, { out: captureOutput().out });
    expect(result.loaded).toBe(1);
    const row = await t.ctx.db.selectFrom('mp_contacts').selectAll().where('parliament_id', '=', '4001').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ office_email: 'ada.north.mp@parliament.uk', postcode: 'SW1A 0AA', x: '@AdaNorthMP', bluesky: '@adanorth.bsky.social', mastodon: '@adanorth@mastodon.social' });
    const broken = writeFixture('no-id.json', JSON.stringify({ value: [] }));
    const out = captureOutput();
    expect((await importMpContacts(t.ctx.db, broken, { out: out.out })).failed).toBe(true);
    expect(out.text()).toContain('says not whose');
  });
});

describe('writing a letter', () => {
  it('holds a near copy of an earlier letter and not a different one; the writer is told why and rewrites it; then it goes by email from the hub in their name', async () => {
    const first = letterText(101);
    const a = await write(ourCampaign, writerFields({ body: first }));
    expect(a.res.statusCode).toBe(303);
    const aPage = await a.agent.get(String(a.res.headers.location));
    expect(aPage.body).toContain('Check your email');

    const different = await write(ourCampaign, writerFields({ body: letterText(202) }));
    const differentPage = await different.agent.get(String(different.res.headers.location));
    expect(differentPage.body).not.toContain('held it back');

    const email = 'copier@example.org';
    const copy = await write(ourCampaign, writerFields({ email, name: 'Cal Copier', body: nearCopy(first) }));
    expect(copy.res.statusCode).toBe(303);
    const mine = String(copy.res.headers.location);
    const held = await copy.agent.get(mine);
    expect(held.body).toContain('very like a letter someone else has already sent');
    expect(held.body).toContain('make it your own');
    const row = await t.ctx.db.selectFrom('letters').select(['state', 'held_reason', 'similarity']).where('writer_email', '=', email).executeTakeFirstOrThrow();
    expect(row.state).toBe('held');
    expect(row.held_reason).toBe('similar');
    expect(row.similarity!).toBeGreaterThan(0.5);

    // Confirmed while held: nothing goes to the MP yet.
    await confirmFromEmail(copy.agent, email);
    expect(smtp.messages.some((m) => m.to.includes('ada.north.mp@parliament.uk') && m.subject.includes('Cal Copier'))).toBe(false);

    // Rewritten in their own words: it passes and goes.
    const rewritten = await copy.agent.post(mine, { body: letterText(303) });
    expect(rewritten.statusCode).toBe(303);
    expect(String(rewritten.headers.location)).toContain('notice=rewritten');
    await t.runJobs();
    const toMp = await smtp.waitFor((m) => m.to.includes('ada.north.mp@parliament.uk') && m.subject === 'Letter from your constituent, Cal Copier');
    expect(toMp.headers.get('reply-to')).toMatchObject({ text: email });
    expect(toMp.headers.get('from')).toMatchObject({ text: '"Cal Copier" <hub@chorus.test>' });
    expect(toMp.from).toBe('hub@chorus.test');
    expect(toMp.text).toContain('1 Acacia Avenue');
    const sent = await copy.agent.get(mine);
    expect(sent.body).toContain('has been sent to Ada North by email');
    // "Post to your MP": the share links name the MP's handle on each network.
    expect(sent.body).toContain(encodeURIComponent('@AdaNorthMP'));
    expect(sent.body).toContain(encodeURIComponent('@adanorth.bsky.social'));
    const mastodon = await copy.agent.get(`${mine}/mastodon?server=mas.to`);
    expect(mastodon.statusCode).toBe(303);
    expect(String(mastodon.headers.location)).toContain(`https://mas.to/share?text=${encodeURIComponent('I’ve written to my MP @adanorth@mastodon.social')}`);
  });

  it('holds a very short letter, saying so', async () => {
    const { agent, res } = await write(ourCampaign, writerFields({ body: 'Dear Ada North,\n\nPlease save the unit.\n\nYours sincerely,\nJo' }));
    expect(res.statusCode).toBe(303);
    expect((await agent.get(String(res.headers.location))).body).toContain('Your letter is very short');
  });

  it('takes one letter per writer per MP per campaign', async () => {
    const email = 'once@example.org';
    expect((await write(ourCampaign, writerFields({ email }))).res.statusCode).toBe(303);
    const again = await write(ourCampaign, writerFields({ email: 'ONCE@example.org' }));
    expect(again.res.statusCode).toBe(422);
    expect(again.res.body).toContain('You have already written to Ada North in this campaign');
    const count = await t.ctx.db.selectFrom('letters').select(sql<number>`count(*)::int`.as('n')).where('writer_email', 'ilike', 'once@example.org').executeTakeFirstOrThrow();
    expect(count.n).toBe(1);
  });

  it('names the field for a bad postcode or a missing address, keeping what was typed', async () => {
    const res = (await write(ourCampaign, writerFields({ postcode: 'ZZ99 9ZZ', address: '', name: 'Kept Name' }))).res;
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('class="error-summary');
    expect(res.body).toContain('Enter your address');
    expect(res.body).toContain('value="Kept Name"');
  });

  it('makes a printable A4 PDF addressed to the MP at the House of Commons with the writer’s address', async () => {
    const email = 'poster@example.org';
    const { agent, res } = await write(ourCampaign, writerFields({ email, name: 'Pat Poster', address: '22 Letterbox Lane\nNorthtown', delivery: 'post' }));
    const mine = String(res.headers.location);
    expect((await agent.get(`${mine}/letter.pdf`)).statusCode).toBe(404);
    await confirmFromEmail(agent, email);
    const page = await agent.get(mine);
    expect(page.body).toContain('Download your letter to print (PDF)');
    const pdf = await agent.get(`${mine}/letter.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const parsed = await new PDFParse({ data: new Uint8Array(pdf.rawPayload) }).getText();
    expect(parsed.total).toBe(1);
    expect(parsed.text).toContain('Ada North MP');
    expect(parsed.text).toContain('House of Commons');
    expect(parsed.text).toContain('SW1A 0AA');
    expect(parsed.text).toContain('22 Letterbox Lane');
    expect(parsed.text).toContain(places.north.postcode);
    expect(parsed.text).toContain('Pat Poster');
  });
});

describe('after delivery', () => {
  it('asks the writer 14 days later whether the MP replied; the answers make the responsiveness table', async () => {
    const email = 'asked@example.org';
    const { agent } = await write(ourCampaign, writerFields({ email }));
    await confirmFromEmail(agent, email);
    await t.runJobs();
    await t.ctx.db.updateTable('letters').set({ delivered_at: sql`now() - interval '13 days'` }).where('writer_email', '=', email).execute();
    await sql`select graphile_worker.add_job('politics.letters.questionnaires.sweep', '{}'::json)`.execute(t.ctx.db);
    await t.runJobs();
    expect(smtp.messages.some((m) => m.to.includes(email) && m.subject.startsWith('Did Ada North reply'))).toBe(false);

    await t.ctx.db.updateTable('letters').set({ delivered_at: sql`now() - interval '15 days'` }).where('writer_email', '=', email).execute();
    await sql`select graphile_worker.add_job('politics.letters.questionnaires.sweep', '{}'::json)`.execute(t.ctx.db);
    await t.runJobs();
    const mail = await smtp.waitFor((m) => m.to.includes(email) && m.subject === 'Did Ada North reply to your letter?');
    const link = linkIn(mail, 'http://chorus.test/letters/questionnaire/').replace('http://chorus.test', '');
    const reader = new Agent(t.app);
    expect((await reader.get(link)).body).toContain('Have you had a reply from Ada North?');
    const incomplete = await reader.post(link, { got_reply: 'yes' });
    expect(incomplete.statusCode).toBe(422);
    expect(incomplete.body).toContain('Say whether the reply was a form letter');
    const answered = await reader.post(link, { got_reply: 'yes', form_letter: 'yes', reply_days: '6' });
    expect(answered.statusCode).toBe(303);
    // Sent once only.
    await sql`select graphile_worker.add_job('politics.letters.questionnaires.sweep', '{}'::json)`.execute(t.ctx.db);
    await t.runJobs();
    expect(smtp.messages.filter((m) => m.to.includes(email) && m.subject.startsWith('Did Ada North')).length).toBe(1);

    const rows = await mpResponsiveness(t.ctx.db, { campaignId: ourCampaign });
    const ada = rows.find((r) => r.seatCode === places.north.code)!;
    expect(ada.replies).toBe(1);
    expect(ada.medianDaysToReply).toBe(6);
    expect(ada.letters).toBeGreaterThanOrEqual(3);
    expect((await mpResponsiveness(t.ctx.db, { constituencyCode: places.south.code })).length).toBe(0);
    expect((await letterCountsByConstituency(t.ctx.db)).get(places.north.code)).toMatchObject({ replies: 1 });
    const page = await organiser.get(`/admin/letters/${ourCampaign}`);
    expect(page.body).toContain('Median days to reply');
    expect(page.body).toContain('<td class="numeric">6</td>');
  });

  it('deletes letters’ words after the retention period, keeping the counts and answers', async () => {
    const before = await letterCountsByConstituency(t.ctx.db);
    await t.ctx.db.updateTable('letters').set({ delivered_at: sql`now() - interval '40 days'` }).where('writer_email', '=', 'asked@example.org').execute();
    const done = await applyLetterRetention(t.ctx.db, t.ctx.config.LETTERS_RETENTION_DAYS);
    expect(done.bodies).toBe(1);
    const row = await t.ctx.db.selectFrom('letters').select(['body', 'writer_address', 'got_reply', 'body_deleted_at']).where('writer_email', '=', 'asked@example.org').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ body: null, writer_address: null, got_reply: true });
    expect(await letterCountsByConstituency(t.ctx.db)).toEqual(before);
  });

  it('exports and erases a writer’s letters as supporter data', async () => {
    const person = await t.ctx.db.selectFrom('letters').select('person_id').where('writer_email', '=', 'poster@example.org').executeTakeFirstOrThrow();
    const { public_id } = await t.ctx.db.selectFrom('people').select('public_id').where('id', '=', person.person_id!).executeTakeFirstOrThrow();
    const { agent: admin } = await signedInAgent(t.app, t.ctx, { role: 'admin' });
    const timeline = await admin.get(`/admin/people/${public_id}`);
    expect(timeline.body).toContain('Wrote to Ada North for “Keep Northtown maternity open”');
    const provider = personalDataProviders().find((p) => p.name === 'letters-to-mps')!;
    const exported = (await provider.export(t.ctx.db, person.person_id!)) as Array<{ writer_address: string }>;
    expect(exported[0]!.writer_address).toContain('22 Letterbox Lane');
    await provider.erase(t.ctx.db, person.person_id!);
    expect(await provider.export(t.ctx.db, person.person_id!)).toEqual([]);
    const left = await t.ctx.db.selectFrom('letters').select(['writer_name', 'body', 'delivered_at']).where('mp_seat_code', '=', places.north.code).where('writer_name', 'is', null).execute();
    expect(left.length).toBe(1);
    expect(left[0]!.delivered_at).not.toBeNull();
  });
});

describe('organisers and group scope', () => {
  it('an organiser of another group cannot see or act on a group’s letter writers', async () => {
    const held = await t.ctx.db.selectFrom('letters').select('id').where('campaign_id', '=', ourCampaign).where('state', '=', 'held').executeTakeFirstOrThrow();
    const { agent: other } = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [theirs] });
    const list = await other.get('/admin/letters');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain('Keep Northtown maternity open');
    expect((await other.get(`/admin/letters/${ourCampaign}`)).statusCode).toBe(404);
    expect((await other.get(`/admin/letters/${ourCampaign}/edit`)).statusCode).toBe(404);
    await other.get('/admin/letters');
    expect((await other.post(`/admin/letters/${ourCampaign}/edit`, campaignFields({ group: String(theirs) }))).statusCode).toBe(404);
    expect((await other.post(`/admin/letters/${ourCampaign}/letters/${held.id}/release`, {})).statusCode).toBe(404);
    expect((await other.post(`/admin/letters/${ourCampaign}/letters/${held.id}/reject`, {})).statusCode).toBe(404);
    await other.get('/admin/letters/new');
    const intoOurs = await other.post('/admin/letters/new', campaignFields({ group: String(ours) }));
    expect(intoOurs.statusCode).toBe(422);
    expect(intoOurs.body).toContain('Choose one of the groups you organise for');
    expect((await t.ctx.db.selectFrom('letters').select('state').where('id', '=', held.id).executeTakeFirstOrThrow()).state).toBe('held');

    // The group's own organiser sees the writers and releases the held letter.
    const page = await organiser.get(`/admin/letters/${ourCampaign}`);
    expect(page.body).toContain('Jo Bloggs');
    expect(page.body).toContain('Held: very short');
    const released = await organiser.post(`/admin/letters/${ourCampaign}/letters/${held.id}/release`, {});
    expect(released.statusCode).toBe(303);
    expect((await t.ctx.db.selectFrom('letters').select('state').where('id', '=', held.id).executeTakeFirstOrThrow()).state).toBe('ready');
  });
});

describe('the letter forms under any input', () => {
  const anyValue = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 300 }), fc.constantFrom('', ' ', '\u0000', '<script>', 'email', 'post', 'yes', 'no', places.north.postcode, 'NE1 1AA', 'x@example.org', '9999', '-1', letterText(7)));
  const fields = ['name', 'email', 'address', 'postcode', 'delivery', 'body', 'got_reply', 'form_letter', 'reply_days', '__proto__'] as const;
  const formArb = fc.dictionary(fc.constantFrom(...fields), fc.oneof(anyValue, fc.array(anyValue, { maxLength: 3 })), { maxKeys: 7 });

  it('answers every public letter POST with a redirect or a 4xx, never a 5xx', { timeout: 180_000 }, async () => {
    const { agent, res } = await write(ourCampaign, writerFields({ email: 'fuzz@example.org', body: 'Dear Ada,\n\nshort\n\nYours, F' }));
    const mine = String(res.headers.location);
    const [, pid] = /\/letters\/mine\/([^/]+)\//.exec(mine)!;
    const urls = [`/letters/${ourCampaign}-keep-northtown-maternity-open/letters`, mine, `/letters/confirm/${pid}/wrongtoken`, `/letters/questionnaire/${pid}/nope`, '/letters/999999/letters', '/letters/abc/letters'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...urls), formArb, async (url, form) => {
        await agent.get(`/letters/${ourCampaign}-keep-northtown-maternity-open`);
        const res = await agent.post(url, form as Record<string, string | string[]>);
        expect(res.statusCode, `${url} ${JSON.stringify(form)}`).toBeLessThan(500);
        expect([303, 400, 403, 404, 409, 422, 429], `${url} ${JSON.stringify(form)}`).toContain(res.statusCode);
      }),
      { numRuns: 150 },
    );
  });

  it('answers the organisers’ campaign form with a redirect or a 4xx, never a 5xx', { timeout: 120_000 }, async () => {
    const campaignValue = fc.oneof(anyValue, fc.constantFrom('2027-02-30', '2099-01-01', 'own_mp', 'chosen', 'Northtown', places.south.code, String(ours), String(theirs)));
    const form = fc.dictionary(fc.constantFrom('title', 'about', 'talking_points', 'deadline', 'group', 'target', 'seats'), fc.oneof(campaignValue, fc.array(campaignValue, { maxLength: 2 })), { maxKeys: 7 });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/admin/letters/new', `/admin/letters/${ourCampaign}/edit`), form, async (url, fields) => {
        await organiser.get('/admin/letters/new');
        const res = await organiser.post(url, fields as Record<string, string | string[]>);
        expect([303, 400, 403, 404, 422], `${url} ${JSON.stringify(fields)}`).toContain(res.statusCode);
      }),
      { numRuns: 80 },
    );
  });

  it('answers the letter pages under any query string or link with a page, a redirect or a 4xx, never a 5xx', { timeout: 120_000 }, async () => {
    const reader = new Agent(t.app);
    const value = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('', '\u0000', '-1', '99999999999', 'mas.to', '@me@mas.to', 'https://x', 'saved', 'rewritten', '__proto__'));
    const query = fc.dictionary(fc.constantFrom('page', 'notice', 'server', 'utm_source', '__proto__'), value, { maxKeys: 3 });
    const { res } = await write(ourCampaign, writerFields({ email: 'pages@example.org' }));
    const mine = String(res.headers.location);
    const [, pid] = /\/letters\/mine\/([^/]+)\//.exec(mine)!;
    const paths = ['/letters', `/letters/${ourCampaign}-keep-northtown-maternity-open`, mine, `${mine}/mastodon`, `${mine}/letter.pdf`, `/letters/confirm/${pid}/x`, `/letters/questionnaire/${pid}/x`, `/admin/letters`, `/admin/letters/${ourCampaign}`];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), query, fc.string({ maxLength: 12 }), async (path, q, junk) => {
        const search = new URLSearchParams(q as Record<string, string>).toString();
        for (const url of [`${path}?${search}`, `${path}${encodeURIComponent(junk)}`]) {
          const agent = path.startsWith('/admin') ? organiser : reader;
          const page = await agent.get(url);
          expect([200, 301, 303, 400, 404, 422], url).toContain(page.statusCode);
        }
      }),
      { numRuns: 120 },
    );
  });
});
