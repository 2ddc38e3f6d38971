import { sql } from 'kysely';
import { canonicalEmail } from '../petitions/canonical-email.ts';
import type { Db } from '../schema.ts';
import type { ReceivedMail } from '../../test/support/smtp.ts';

/** Small fixtures for the supporters tests, written in SQL as the owning capabilities store them. */

export async function addPostcode(db: Db, postcode: string, constituency: { code: string; name: string; regionCode: string }): Promise<void> {
  await sql`insert into constituencies (code, name, region_code, region_name) values (${constituency.code}, ${constituency.name}, ${constituency.regionCode}, 'A region')
    on conflict (code) do nothing`.execute(db);
  await sql`insert into postcodes (compact, postcode, country_code, region_code, constituency_code)
    values (${postcode.replace(/\s+/g, '').toUpperCase()}, ${postcode}, 'E92000001', ${constituency.regionCode}, ${constituency.code})`.execute(db);
}

export async function addGroup(db: Db, slug: string, name: string): Promise<number> {
  const row = await db.insertInto('groups').values({ slug, name, website: null, contact_email: null, logo_media_id: null }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function addPetition(db: Db, action: string, groupIds: number[], state: 'open' | 'closed' = 'open', closedAt: Date | null = null): Promise<number> {
  const row = await db
    .insertInto('petitions')
    .values({ slug: action.toLowerCase().replace(/[^a-z0-9]+/g, '-'), action, background: 'Because.', target: 'The government', state, closed_at: closedAt, opened_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (groupIds.length) await db.insertInto('petition_groups').values(groupIds.map((group_id) => ({ petition_id: row.id, group_id }))).execute();
  return row.id;
}

export interface SignatureFixture {
  name: string;
  email: string;
  postcode?: string | null;
  constituencyCode?: string | null;
  regionCode?: string | null;
  hearMore?: boolean;
  wording?: string;
  state?: 'pending' | 'validated';
  countryCode?: string;
}

/** A signature as the petitions capability stores it (confirmed unless said otherwise). */
export async function addSignature(db: Db, petitionId: number, s: SignatureFixture): Promise<string> {
  let consentTextId: number | null = null;
  if (s.hearMore && s.wording) {
    const text = await db
      .insertInto('signature_consent_texts')
      .values({ wording: s.wording })
      .onConflict((oc) => oc.column('wording').doUpdateSet({ wording: s.wording! }))
      .returning('id')
      .executeTakeFirstOrThrow();
    consentTextId = text.id;
  }
  const canonical = canonicalEmail(s.email);
  const existing = await sql<{ n: number }>`select count(*)::int as n from signatures where petition_id = ${petitionId} and canonical_email = ${canonical}`.execute(db);
  const state = s.state ?? 'validated';
  const row = await db
    .insertInto('signatures')
    .values({
      petition_id: petitionId,
      state,
      name: s.name,
      email: s.email,
      canonical_email: canonical,
      household_slot: (existing.rows[0]?.n ?? 0) + 1,
      postcode: s.postcode ?? null,
      country_code: s.countryCode ?? 'GB',
      constituency_code: s.constituencyCode ?? null,
      region_code: s.regionCode ?? null,
      ip: '192.0.2.10',
      hear_more: s.hearMore ?? false,
      consent_text_id: consentTextId,
      validated_at: state === 'validated' ? new Date() : null,
    })
    .returning('public_id')
    .executeTakeFirstOrThrow();
  return row.public_id;
}

/** The first web address in a mail's text starting with `prefix` (as a path on the app). */
export function pathIn(mail: ReceivedMail | { text: string }, prefix: string): string {
  const match = mail.text.match(new RegExp(`https?://[^/\\s]+(${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^\\s<>"]*)`));
  if (!match) throw new Error(`No link to ${prefix} in the mail`);
  return match[1]!;
}
