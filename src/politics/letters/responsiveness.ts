import { sql } from 'kysely';
import type { Handle } from '../../platform/index.ts';
import { politicsQ } from '../tables.ts';

export interface MpResponsiveness {
  mpName: string;
  seatCode: string;
  seatName: string | null;
  /** Letters delivered. */
  letters: number;
  /** Writers who told us they got a reply. */
  replies: number;
  /** Writers who answered the questionnaire. */
  answered: number;
  /** The median days from delivery to a reply, as writers told us; null when none replied. */
  medianDaysToReply: number | null;
}

/**
 * Per MP: letters delivered, replies, and the median days to reply, from the writers'
 * questionnaire answers; for one campaign, one seat, or all. Kept after letters' words are deleted.
 */
export async function mpResponsiveness(handle: Handle, filter: { campaignId?: number | undefined; constituencyCode?: string | undefined } = {}): Promise<MpResponsiveness[]> {
  // Each filter is added only when given, so one seat's or campaign's letters are read through their index.
  const q = politicsQ(handle);
  const rows = await sql<{ mp_name: string; seat_code: string; seat_name: string | null; letters: number; replies: number; answered: number; median: number | null }>`
    select l.mp_name, l.mp_seat_code as seat_code, c.name as seat_name,
      count(*)::int as letters,
      count(*) filter (where l.got_reply)::int as replies,
      count(l.answered_at)::int as answered,
      percentile_cont(0.5) within group (order by l.reply_days) filter (where l.got_reply and l.reply_days is not null) as median
    from letters l left join constituencies c on c.code = l.mp_seat_code
    where l.delivered_at is not null
      ${filter.campaignId === undefined ? sql`` : sql`and l.campaign_id = ${filter.campaignId}`}
      ${filter.constituencyCode === undefined ? sql`` : sql`and l.mp_seat_code = ${filter.constituencyCode}`}
    group by l.mp_name, l.mp_seat_code, c.name
    order by count(*) desc, l.mp_name`.execute(q);
  return rows.rows.map((r) => ({ mpName: r.mp_name, seatCode: r.seat_code, seatName: r.seat_name, letters: r.letters, replies: r.replies, answered: r.answered, medianDaysToReply: r.median === null ? null : Number(r.median) }));
}

export interface LetterCounts {
  sent: number;
  replies: number;
}

/**
 * Letters delivered to each seat's MP and the replies writers told us of, by constituency code (for
 * the seat page and the map). With `since`: letters delivered since then, and replies told of since then.
 */
export async function letterCountsByConstituency(handle: Handle, options: { since?: Date } = {}): Promise<Map<string, LetterCounts>> {
  const since = options.since ?? null;
  const rows = await sql<{ code: string; sent: number; replies: number }>`
    select mp_seat_code as code,
      count(*) filter (where ${since}::timestamptz is null or delivered_at >= ${since}::timestamptz)::int as sent,
      count(*) filter (where got_reply and (${since}::timestamptz is null or answered_at >= ${since}::timestamptz))::int as replies
    from letters where delivered_at is not null group by mp_seat_code`.execute(politicsQ(handle));
  return new Map(rows.rows.map((r) => [r.code, { sent: r.sent, replies: r.replies }]));
}
