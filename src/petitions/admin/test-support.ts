/**
 * Fixtures for the organiser-side tests: petitions and signatures written straight to the
 * tables, and the two views of the counts that must agree (stored tallies, and a fresh count of
 * the rows). Used only by tests.
 */
import { sql } from 'kysely';
import type { Db } from '../../schema.ts';
import { canonicalEmail } from '../canonical-email.ts';
import type { PetitionState, SignatureState } from '../tables.ts';

let serial = 0;

export async function insertGroup(db: Db, name = `Group ${++serial}`): Promise<number> {
  const row = await db
    .insertInto('groups')
    .values({ slug: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${++serial}`, name, website: null, contact_email: null, logo_media_id: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertPetition(db: Db, props: { groupIds: number[]; state?: PetitionState; action?: string; closingDate?: string | null }): Promise<number> {
  const state = props.state ?? 'open';
  const row = await db
    .insertInto('petitions')
    .values({
      slug: 'fixture',
      action: props.action ?? `Fixture petition ${++serial}`,
      background: 'Background for a fixture.',
      target: 'The Secretary of State for Health and Social Care',
      state,
      closing_date: props.closingDate === undefined ? (state === 'open' ? '2099-01-01' : null) : props.closingDate,
      opened_at: state === 'open' || state === 'closed' ? new Date() : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (props.groupIds.length > 0) await db.insertInto('petition_groups').values(props.groupIds.map((group_id) => ({ petition_id: row.id, group_id }))).execute();
  return row.id;
}

export interface SignatureFixture {
  name?: string;
  email?: string;
  ip?: string | null;
  constituency?: string | null;
  region?: string | null;
  country?: string;
  state?: SignatureState;
  held?: boolean;
  createdAt?: Date;
}

/** Writes signatures as the writer and confirmation would have (validated unless told otherwise). */
export async function insertSignatures(db: Db, petitionId: number, rows: SignatureFixture[]): Promise<void> {
  for (let start = 0; start < rows.length; start += 500) {
    const values = rows.slice(start, start + 500).map((r) => {
      // Each default signer has a domain of their own, so only the domains a test chooses can trend.
      const email = r.email ?? `signer${++serial}@mail${serial}.example.net`;
      const state = r.state ?? 'validated';
      return {
        petition_id: petitionId,
        state,
        name: r.name ?? `Signer ${serial}`,
        email,
        canonical_email: canonicalEmail(email),
        postcode: null,
        country_code: r.country ?? 'GB',
        constituency_code: r.constituency === undefined ? 'E14000001' : r.constituency,
        region_code: r.region === undefined ? 'E12000001' : r.region,
        ip: r.ip === undefined ? '198.51.100.1' : r.ip,
        held_reason: r.held ? 'rate_limit' : null,
        created_at: r.createdAt ?? new Date(),
        validated_at: state === 'validated' ? (r.createdAt ?? new Date()) : null,
      };
    });
    await db.insertInto('signatures').values(values).execute();
  }
}

export interface Tallies {
  total: number;
  /** "dimension:key" → count, zero counts left out. */
  byKey: Record<string, number>;
}

/** What the petition and petition_counts say. */
export async function storedTallies(db: Db, petitionId: number): Promise<Tallies> {
  const petition = await db.selectFrom('petitions').select('signature_count').where('id', '=', petitionId).executeTakeFirstOrThrow();
  const rows = await db.selectFrom('petition_counts').select(['dimension', 'key', 'count']).where('petition_id', '=', petitionId).where('count', '>', 0).execute();
  return { total: petition.signature_count, byKey: Object.fromEntries(rows.map((r) => [`${r.dimension}:${r.key}`, r.count]).sort()) };
}

/** A fresh count of the confirmed, unheld, not invalidated rows. */
export async function freshTallies(db: Db, petitionId: number): Promise<Tallies> {
  const rows = await sql<{ dimension: string; key: string; n: number }>`
    with live as (select * from signatures where petition_id = ${petitionId} and state = 'validated' and held_reason is null)
    select 'constituency' as dimension, constituency_code as key, count(*)::int as n from live where constituency_code is not null group by 2
    union all select 'country', country_code, count(*)::int from live group by 2
    union all select 'region', region_code, count(*)::int from live where region_code is not null group by 2`.execute(db);
  const total = await sql<{ n: number }>`select count(*)::int as n from signatures where petition_id = ${petitionId} and state = 'validated' and held_reason is null`.execute(db);
  return { total: total.rows[0]!.n, byKey: Object.fromEntries(rows.rows.map((r) => [`${r.dimension}:${r.key}`, r.n]).sort()) };
}

export async function insertConstituency(db: Db, code: string, name: string, mp: string | null): Promise<void> {
  await db.insertInto('constituencies').values({ code, name, votes_by_party: null }).execute();
  if (mp) await db.insertInto('mps').values({ constituency_code: code, name: mp }).execute();
}

/** Audit entries about a petition, oldest first. */
export async function auditActions(db: Db, petitionId: number): Promise<string[]> {
  const rows = await db.selectFrom('audit_log').select('action').where('subject_type', '=', 'petition').where('subject_id', '=', String(petitionId)).orderBy('id').execute();
  return rows.map((r) => r.action);
}
