import type { Db } from '../../schema.ts';
import { connectToGroups, upsertPerson } from '../people.ts';

/** Small fixtures for the mailing tests: groups, purposes, people with consent, constituencies. */
export async function addGroup(db: Db, name: string): Promise<number> {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const row = await db.insertInto('groups').values({ slug, name, website: null, contact_email: null, logo_media_id: null }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function addPurpose(db: Db, props: { key: string; name: string; groupId?: number | null }): Promise<number> {
  const row = await db
    .insertInto('consent_purposes')
    .values({ key: props.key, name: props.name, group_id: props.groupId ?? null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function addConstituency(db: Db, code: string, name: string, mp?: string): Promise<void> {
  await db.insertInto('constituencies').values({ code, name }).execute();
  if (mp) await db.insertInto('mps').values({ constituency_code: code, name: mp, party: 'Independent' }).execute();
}

export interface PersonProps {
  email: string;
  givenName?: string | null;
  constituencyCode?: string | null;
  /** Purposes with a live consent. */
  consents?: number[];
  /** Purposes whose consent was withdrawn. */
  withdrawn?: number[];
  undeliverable?: boolean;
  /** Groups the person is a supporter of. */
  groups?: number[];
}

export async function addPerson(db: Db, props: PersonProps): Promise<{ id: number; publicId: string }> {
  const person = await upsertPerson(db, {
    email: props.email,
    givenName: props.givenName ?? null,
    postcode: props.constituencyCode ? 'AB1 2CD' : null,
    constituencyCode: props.constituencyCode ?? null,
    emailVerified: true,
  });
  const consents = [
    ...(props.consents ?? []).map((purpose_id) => ({ purpose_id, status: 'given' as const, given_at: new Date(), withdrawn_at: null })),
    ...(props.withdrawn ?? []).map((purpose_id) => ({ purpose_id, status: 'withdrawn' as const, given_at: new Date(), withdrawn_at: new Date() })),
  ];
  if (consents.length > 0) {
    await db
      .insertInto('consents')
      .values(consents.map((c) => ({ ...c, person_id: person.id, method: 'test', wording_id: null, source: null })))
      .execute();
  }
  await connectToGroups(db, person.id, props.groups ?? []);
  if (props.undeliverable) {
    await db.updateTable('people').set({ email_status: 'undeliverable', email_status_reason: 'bounced before' }).where('id', '=', person.id).execute();
  }
  return { id: person.id, publicId: person.publicId };
}

/** A static list and a saved segment of the people on it. */
export async function addSegmentOfList(db: Db, name: string, personIds: number[], groupId: number | null = null): Promise<number> {
  const list = await db.insertInto('lists').values({ name, group_id: groupId }).returning('id').executeTakeFirstOrThrow();
  await db
    .insertInto('list_members')
    .values(personIds.map((person_id) => ({ list_id: list.id, person_id })))
    .execute();
  const segment = await db
    .insertInto('segments')
    .values({ name, group_id: groupId, definition: JSON.stringify({ version: 1, match: 'all', conditions: [{ kind: 'lists', listIds: [list.id], not: false }] }), created_by: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return segment.id;
}
