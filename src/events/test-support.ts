/** Fixtures for the events tests. Used only by tests. */
import { createOrganiser } from '../coalition/organisers.ts';
import type { TestApp } from '../../test/support/app.ts';
import { places } from '../../test/support/public-petitions.ts';
import { createEvent } from './save-event.ts';
import { changeEventState } from './change-event-state.ts';
import { eventFormSchema } from './event-form.ts';
import { toLondonInput } from '../supporters/index.ts';

const day = 86_400_000;

/** A valid event form: a public meeting at a known postcode, a week from now, for these groups. */
export function eventFields(groupIds: number[], overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  const start = new Date(Math.floor((Date.now() + 7 * day) / 3_600_000) * 3_600_000);
  return {
    groups: groupIds.map(String),
    title: 'Save our maternity unit: public meeting',
    type: 'public_meeting',
    description: 'Come and hear **why** the unit matters.\n\n- Speakers\n- Questions',
    starts_at: toLondonInput(start),
    ends_at: toLondonInput(new Date(start.getTime() + 2 * 3_600_000)),
    venue_name: 'Northtown Town Hall',
    address: '1 High Street, Northtown',
    postcode: places.north.postcode,
    access_step_free: 'yes',
    access_hearing_loop: 'yes',
    speakers: 'Dr Jane Smith, consultant paediatrician\nCllr Sam Jones',
    contact: 'events@example.org',
    ...overrides,
  };
}

const admins = new WeakMap<TestApp, { id: number; name: string; email: string; role: 'admin' }>();

/** An admin organiser to make fixtures as (one per test app). */
export async function fixtureAdmin(t: TestApp) {
  let admin = admins.get(t);
  if (!admin) {
    const email = `fixture-admin-${Math.random().toString(36).slice(2, 8)}@example.org`;
    const id = await createOrganiser(t.ctx.db, { email, name: 'Fixture admin', role: 'admin', password: 'correct horse battery staple', actor: 'test' });
    admins.set(t, (admin = { id, name: 'Fixture admin', email, role: 'admin' }));
  }
  return admin;
}

/** An event made (and by default published) through the commands, as an admin would. */
export async function makeEvent(t: TestApp, groupIds: number[], overrides: Record<string, string | string[]> = {}, publish = true): Promise<number> {
  const actor = await fixtureAdmin(t);
  const input = eventFormSchema.parse(eventFields(groupIds, overrides));
  return t.ctx.db.transaction().execute(async (tx) => {
    const id = await createEvent(tx, actor, input);
    if (publish) await changeEventState(tx, actor, id, 'publish');
    return id;
  });
}

/** Real places around Bristol, and one in London, with their positions. */
export const positioned = {
  centre: { postcode: 'BS1 4DJ', latitude: 51.4517, longitude: -2.5967 },
  clifton: { postcode: 'BS8 1TH', latitude: 51.4584, longitude: -2.623 },
  bath: { postcode: 'BA1 1LZ', latitude: 51.3814, longitude: -2.3597 },
  london: { postcode: 'SW1A 1AA', latitude: 51.501, longitude: -0.1416 },
  nowhere: { postcode: 'BS2 0ZZ', latitude: null, longitude: null },
};

export async function seedPositionedPostcodes(db: TestApp['ctx']['db']) {
  await db
    .insertInto('postcodes')
    .values(Object.values(positioned).map((p) => ({ compact: p.postcode.replace(' ', ''), postcode: p.postcode, country_code: 'E92000001', region_code: places.west.region, constituency_code: places.west.code, latitude: p.latitude, longitude: p.longitude })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}
