import { constituencyNames, onePostcodePerConstituency, type DemoTargetSeat } from '../politics/index.ts';
import type { Viewer } from '../platform/index.ts';
import { personForUnprovenAction, recordAction, splitName } from '../supporters/index.ts';
import { newManageToken, newReference } from './booking-tokens.ts';
import { checkIn } from './check-in.ts';
import { findEvent } from './store.ts';
import { toLondonInput } from '../supporters/index.ts';
import { eventFormSchema } from './event-form.ts';
import { FREE_TIER, createEvent } from './save-event.ts';
import { changeEventState } from './change-event-state.ts';
import { fillWithWaitingList } from './demo-waiting-list.ts';
import { applyDemoVenueChanges, type DemoVenueChange } from './demo-changes.ts';
import type { EventType, Tx } from './tables.ts';

interface DemoEvent {
  title: string;
  type: EventType;
  inDays: number;
  hour: number;
  hours: number;
  venue: string;
  description: string;
  groups: string[];
  tiers?: Array<{ name: string; price: string; capacity?: string }>;
  capacity?: string;
  online?: string;
  /** Every place booked, and people on the waiting list. */
  full?: boolean;
  /** Changes of venue after it was published, oldest first (shown on its page and in its history). */
  changes?: DemoVenueChange[];
  /** The MP for the venue's constituency will be there. */
  mp?: boolean;
  /** Held in this target seat (an index into politics' demo target seats), so it is an opportunity for action there. */
  target?: number;
  /** Repeats weekly this many times (the first date may be past: the series runs on). */
  weeklyTimes?: number;
  /** Bookings made for the demo, some ticked off on the door. */
  bookings?: Array<{ name: string; places: number; checkedIn: boolean }>;
}

const doorList = [
  { name: 'Ada Okafor', places: 2, checkedIn: true },
  { name: 'Ben Williams', places: 1, checkedIn: true },
  { name: 'Chloe Patel', places: 1, checkedIn: false },
  { name: 'Dev Sharma', places: 3, checkedIn: true },
  { name: 'Erin Murphy', places: 1, checkedIn: false },
];

const demoEvents: DemoEvent[] = [
  { title: 'Save our maternity unit: public meeting', type: 'public_meeting', inDays: 6, hour: 19, hours: 2, venue: 'Town Hall', groups: ['save-aberdeen-maternity'], capacity: '150', description: 'Midwives, parents and councillors on the plan to close the unit overnight, and what we do next.\n\n- Speakers from the unit\n- Questions from the floor' },
  { title: 'Scrap the contract: rally for the NHS', type: 'rally', inDays: 12, hour: 12, hours: 2, venue: 'Old Palace Yard', groups: ['keep-our-nhs-public', 'health-campaigns-together'], description: 'Bring banners, bring friends. Short speeches, then we hand in the petition.' },
  { title: 'Social care conference', type: 'conference', inDays: 24, hour: 10, hours: 6, venue: 'Digbeth Community Hall', groups: ['health-campaigns-together'], capacity: '200', tiers: [{ name: 'Waged', price: '10' }, { name: 'Unwaged or concession', price: '5' }, { name: 'Carers', price: '0', capacity: '30' }], description: 'PLEASE NOTE second change of venue, for access: we are now at Carrs Lane Conference Centre.\n\nA day on the future of social care: workshops, speakers and the campaign plan for next year.', changes: [
    { venue: 'Birmingham Council House', address: 'Victoria Square, Birmingham', note: 'the community hall was double-booked', daysAgo: 9 },
    { venue: 'Carrs Lane Conference Centre', address: '11 Carrs Lane, Birmingham', note: 'PLEASE NOTE second change of venue, for access: step-free throughout, with a hearing loop', daysAgo: 2 },
  ] },
  { title: 'Hustings: the NHS and social care', type: 'hustings', inDays: 15, hour: 19, hours: 2, venue: 'Central Library, Lecture Room', groups: ['keep-our-nhs-public'], capacity: '120', mp: true, target: 0, bookings: doorList.slice(0, 3).map((b) => ({ ...b, checkedIn: false })), description: 'Put your questions on the NHS and social care to the MP and the candidates.\n\n- Questions sent in beforehand\n- Questions from the floor' },
  { title: 'GP surgery closures: public meeting', type: 'public_meeting', inDays: -4, hour: 18, hours: 2, venue: 'Community Centre', groups: ['hendon-save-our-nhs'], bookings: doorList, description: 'What the closures mean for patients, and the plan to stop them.' },
  { title: 'Saturday street stall', type: 'street_stall', inDays: 3, hour: 10, hours: 3, venue: 'High Street, outside the library', groups: ['hendon-save-our-nhs'], description: 'Help us collect signatures and talk to shoppers about GP surgery closures.' },
  { title: 'Weekly stall: save our walk-in centre', type: 'street_stall', inDays: -5, hour: 11, hours: 2, venue: 'Market Square', groups: ['keep-our-nhs-public'], weeklyTimes: 26, description: 'Every week until the consultation closes: sign the petition, take a leaflet, tell us what the walk-in centre means to you. No booking needed.' },
  { title: 'Campaigning online: training for new organisers', type: 'online_meeting', inDays: 9, hour: 18, hours: 1.5, venue: '', groups: ['keep-our-nhs-public'], capacity: '60', online: 'https://meet.example.org/chorus-training', description: 'How to run a petition, a stall and a public meeting. The link is emailed when you book.' },
  { title: 'Health for All: Patients, Not Passports', type: 'public_meeting', inDays: 15, hour: 18, hours: 2, venue: 'Friends Meeting House', groups: ['keep-our-nhs-public'], capacity: '12', full: true, description: 'A small public meeting on charging migrants for NHS care. It is full: join the waiting list and we will offer you any place that comes free.' },
  { title: 'Meet your MP: the GP surgery closures', type: 'public_meeting', inDays: 8, hour: 18, hours: 1.5, venue: 'Community Centre, Room 2', groups: ['keep-our-nhs-public'], capacity: '60', mp: true, target: 1, description: 'The MP comes to hear what the closures mean for patients. Bring your questions and your stories.' },
];

/** A few upcoming events of several types in several regions, one conference with £10/£5 tickets whose venue changed twice, one full with a waiting list. */
export async function loadEventDemo(tx: Tx, groupIds: Record<string, number>, targetSeats: readonly DemoTargetSeat[] = []): Promise<{ eventIds: number[] }> {
  // Postcodes in different regions, from the demo's postcode data.
  const seats = await onePostcodePerConstituency(tx);
  const byRegion = [...new Map(seats.map((s) => [s.regionCode, s])).values()];
  // Made as the coalition itself (id 0: no organiser account stands behind demo content).
  const actor = { id: 0, name: 'Demo content', email: 'demo@example.org', role: 'admin' as const };
  const eventIds: number[] = [];
  for (const [i, e] of demoEvents.entries()) {
    const groups = e.groups.map((slug) => groupIds[slug]).filter((id): id is number => id !== undefined);
    if (groups.length === 0) continue;
    const day = new Date();
    day.setUTCDate(day.getUTCDate() + e.inDays);
    day.setUTCHours(e.hour, 0, 0, 0);
    const end = new Date(day.getTime() + e.hours * 3_600_000);
    const seat = e.type === 'online_meeting' ? undefined : ((e.target !== undefined ? targetSeats[e.target % Math.max(1, targetSeats.length)] : undefined) ?? byRegion[i % Math.max(1, byRegion.length)]);
    const fields: Record<string, unknown> = {
      groups: groups.map(String),
      title: e.title,
      type: e.type,
      description: e.description,
      starts_at: toLondonInput(day),
      ends_at: toLondonInput(end),
      venue_name: e.venue,
      postcode: seat?.postcode ?? '',
      online_url: e.online ?? '',
      online_url_booked_only: e.online ? 'yes' : undefined,
      access_step_free: 'yes',
      access_toilets: e.type === 'conference' || e.type === 'public_meeting' ? 'yes' : undefined,
      access_hearing_loop: e.type === 'public_meeting' ? 'yes' : undefined,
      access_bsl: e.type === 'conference' ? 'yes' : undefined,
      access_seating: e.type !== 'rally' ? 'yes' : undefined,
      speakers: e.type === 'conference' ? 'Dr Jane Smith, consultant in elderly care\nA carer from the campaign' : '',
      contact: 'events@example.org',
      capacity: e.capacity ?? '',
      ...(e.weeklyTimes ? { repeat: 'weekly', repeat_end: 'count', repeat_count: String(e.weeklyTimes) } : {}),
    };
    (e.tiers ?? [{ name: FREE_TIER, price: '0' }]).forEach((tier, n) => {
      fields[`tier_${n + 1}_name`] = tier.name;
      fields[`tier_${n + 1}_price`] = tier.price;
      fields[`tier_${n + 1}_capacity`] = tier.capacity ?? '';
    });
    if (e.mp && seat && (await constituencyNames(tx, [seat.constituencyCode])).get(seat.constituencyCode)?.mp) fields.politician = 'mp';
    const input = eventFormSchema.parse(fields);
    const id = await createEvent(tx, actor, input);
    await changeEventState(tx, actor, id, 'publish');
    if (e.full) await fillWithWaitingList(tx, id);
    if (e.changes) await applyDemoVenueChanges(tx, actor, id, input, e.changes);
    for (const [n, b] of (e.bookings ?? []).entries()) await demoBooking(tx, actor, id, { ...b, email: `${b.name.toLowerCase().replace(/\W+/g, '.')}.${id}.${n}@example.org` });
    eventIds.push(id);
  }
  return { eventIds };
}

/** A demo booking on the first ticket, through supporters for the person and timeline; ticked off on the door if so. */
async function demoBooking(tx: Tx, actor: Viewer, eventId: number, b: { name: string; email: string; places: number; checkedIn: boolean }): Promise<void> {
  const event = (await findEvent(tx, eventId))!;
  const tier = event.tiers[0]!;
  const split = splitName(b.name);
  const person = await personForUnprovenAction(tx, { email: b.email, givenName: split.givenName || null, familyName: split.familyName, source: { method: `event:${eventId}` } });
  const reference = newReference();
  await recordAction(tx, person.id, { kind: 'event.booked', subjectType: 'event', subjectId: eventId, detail: { event: event.title, reference, places: b.places, tier: tier.name } });
  await tx.updateTable('events').set((eb) => ({ places_booked: eb('places_booked', '+', b.places) })).where('id', '=', eventId).execute();
  await tx.updateTable('ticket_tiers').set((eb) => ({ places_booked: eb('places_booked', '+', b.places) })).where('id', '=', tier.id).execute();
  await tx.insertInto('bookings').values({ event_id: eventId, tier_id: tier.id, reference, person_id: person.id, name: b.name, email: b.email, places: b.places, manage_token_hash: newManageToken().hash }).execute();
  if (b.checkedIn) await checkIn(tx, actor, event, { reference }, false);
}
