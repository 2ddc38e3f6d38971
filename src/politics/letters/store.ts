import { sql } from 'kysely';
import type { Q } from '../tables.ts';
import { MINHASH_SIZE, type Fingerprint } from './similarity.ts';
import type { Delivery, HeldReason, LetterState } from './tables.ts';

export interface Closest {
  letterId: number;
  similarity: number;
}

/**
 * The earlier letter of the campaign most like this one (by MinHash estimate), among those
 * sharing an LSH band with it: one GIN index scan, then the signatures compared in SQL.
 * The writer's own letters (the same letter to several MPs) are not compared.
 */
export async function closestEarlierLetter(q: Q, campaignId: number, fp: Fingerprint, except: { letterIds?: number[]; personId?: number | null } = {}): Promise<Closest | undefined> {
  const result = await sql<{ id: number; same: number }>`
    select l.id, (select count(*) from unnest(l.minhash, ${fp.minhash}::int[]) as u(a, b) where a = b)::int as same
    from letters l
    where l.bands && ${fp.bands}::bigint[] and l.campaign_id = ${campaignId}
      and not (l.id = any(${except.letterIds ?? []}::int[]))
      and (${except.personId ?? null}::int is null or l.person_id is distinct from ${except.personId ?? null}::int)
    order by same desc, l.id
    limit 1`.execute(q);
  const row = result.rows[0];
  return row ? { letterId: row.id, similarity: row.same / MINHASH_SIZE } : undefined;
}

export interface Mp {
  seatCode: string;
  seatName: string;
  name: string;
  party: string | null;
  email: string | null;
  bluesky: string | null;
  mastodon: string | null;
  x: string | null;
}

function mpQuery(q: Q) {
  return q
    .selectFrom('mps as m')
    .innerJoin('constituencies as c', 'c.code', 'm.constituency_code')
    .leftJoin('mp_contacts as k', 'k.parliament_id', 'm.parliament_id')
    .select(['m.constituency_code', 'c.name as seat_name', 'm.name', 'm.party', 'k.office_email as email', 'k.bluesky', 'k.mastodon', 'k.x']);
}

const mpOf = (r: { constituency_code: string; seat_name: string; name: string; party: string | null; email: string | null; bluesky: string | null; mastodon: string | null; x: string | null }): Mp => ({
  seatCode: r.constituency_code,
  seatName: r.seat_name,
  name: r.name,
  party: r.party,
  email: r.email,
  bluesky: r.bluesky,
  mastodon: r.mastodon,
  x: r.x,
});

export async function mpsForSeats(q: Q, codes: readonly string[]): Promise<Mp[]> {
  if (codes.length === 0) return [];
  const rows = await mpQuery(q).where('m.constituency_code', 'in', [...codes]).orderBy('c.name').execute();
  return rows.map(mpOf);
}

export interface Letter {
  id: number;
  publicId: string;
  campaignId: number;
  personId: number | null;
  writerName: string | null;
  writerEmail: string | null;
  writerAddress: string | null;
  writerPostcode: string | null;
  mpSeatCode: string;
  mpName: string;
  body: string | null;
  delivery: Delivery;
  state: LetterState;
  heldReason: HeldReason | null;
  similarity: number | null;
  confirmedAt: Date | null;
  deliveredAt: Date | null;
  answeredAt: Date | null;
  gotReply: boolean | null;
  createdAt: Date;
}

function letterQuery(q: Q) {
  return q
    .selectFrom('letters')
    .select([
      'id',
      'public_id',
      'campaign_id',
      'person_id',
      'writer_name',
      'writer_email',
      'writer_address',
      'writer_postcode',
      'mp_seat_code',
      'mp_name',
      'body',
      'delivery',
      'state',
      'held_reason',
      'similarity',
      'confirmed_at',
      'delivered_at',
      'answered_at',
      'got_reply',
      'created_at',
    ]);
}
type Row = Awaited<ReturnType<ReturnType<typeof letterQuery>['executeTakeFirstOrThrow']>>;
export const letterOf = (r: Row): Letter => ({
  id: r.id,
  publicId: r.public_id,
  campaignId: r.campaign_id,
  personId: r.person_id,
  writerName: r.writer_name,
  writerEmail: r.writer_email,
  writerAddress: r.writer_address,
  writerPostcode: r.writer_postcode,
  mpSeatCode: r.mp_seat_code,
  mpName: r.mp_name,
  body: r.body,
  delivery: r.delivery,
  state: r.state,
  heldReason: r.held_reason,
  similarity: r.similarity,
  confirmedAt: r.confirmed_at,
  deliveredAt: r.delivered_at,
  answeredAt: r.answered_at,
  gotReply: r.got_reply,
  createdAt: r.created_at,
});

export async function letterByPublicId(q: Q, publicId: string): Promise<Letter | undefined> {
  const row = await letterQuery(q).where('public_id', '=', publicId).executeTakeFirst();
  return row ? letterOf(row) : undefined;
}

export async function letterById(q: Q, id: number): Promise<Letter | undefined> {
  const row = await letterQuery(q).where('id', '=', id).executeTakeFirst();
  return row ? letterOf(row) : undefined;
}

/** The writer's letters in this letter's campaign (one a politician), the one asked for among them. */
export async function siblingLetters(q: Q, letter: Letter): Promise<Letter[]> {
  if (letter.personId === null) return [letter];
  const rows = await letterQuery(q).where('campaign_id', '=', letter.campaignId).where('person_id', '=', letter.personId).orderBy('id').execute();
  return rows.map(letterOf);
}

/** A campaign's letters for its organisers, held ones first (paged). */
export async function lettersOfCampaign(q: Q, campaignId: number, page: number, perPage: number): Promise<{ letters: Letter[]; total: number }> {
  const [rows, count] = await Promise.all([
    letterQuery(q)
      .where('campaign_id', '=', campaignId)
      .orderBy(sql`state = 'held'`, 'desc')
      .orderBy('id', 'desc')
      .limit(perPage)
      .offset((page - 1) * perPage)
      .execute(),
    q.selectFrom('letters').select(sql<number>`count(*)::int`.as('n')).where('campaign_id', '=', campaignId).executeTakeFirstOrThrow(),
  ]);
  return { letters: rows.map(letterOf), total: count.n };
}
