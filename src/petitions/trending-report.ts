import { sql, type RawBuilder } from 'kysely';
import type { Q } from './tables.ts';
import { emailDomain } from './invalidate-signatures.ts';

/** As the UK Parliament's petitions site: an address or domain signing 100+ times in an hour is worth a look. */
export const TRENDING_THRESHOLD = 100;

export const trendingPeriods = {
  day: { label: 'the last 24 hours', hours: 24 },
  week: { label: 'the last 7 days', hours: 24 * 7 },
  all: { label: 'the whole petition', hours: null },
} as const;

export type TrendingPeriod = keyof typeof trendingPeriods;

export interface TrendingSource {
  /** An IP address, or an email domain. */
  value: string;
  /** Most signatures from it within any one hour. */
  peak: number;
  /** When that busiest hour ended. */
  peakEndedAt: Date;
  /** Its signatures on this petition in the period (not yet invalidated). */
  total: number;
}

export interface TrendingReport {
  ips: TrendingSource[];
  domains: TrendingSource[];
}

/**
 * For each source, the busiest sliding hour: every signature counts those from the same source in
 * the hour up to it (a window frame over the source's signatures in time order), and the source's
 * peak is the largest such count. A sliding hour catches a burst that straddles o'clock.
 */
async function peaks(q: Q, petitionId: number, source: RawBuilder<string>, since: Date | null, threshold: number): Promise<TrendingSource[]> {
  const result = await sql<{ value: string; peak: number; peak_ended_at: Date; total: number }>`
    with signed as (
      select ${source} as value, created_at from signatures
      where petition_id = ${petitionId} and state <> 'invalidated'
        and created_at >= coalesce(${since}::timestamptz, '-infinity')
    ), windows as (
      select value, created_at,
        count(*) over (partition by value order by created_at range between interval '1 hour' preceding and current row) as n
      from signed where value is not null and value <> ''
    ), busiest as (
      select distinct on (value) value, n, created_at from windows order by value, n desc, created_at
    )
    select b.value, b.n::int as peak, b.created_at as peak_ended_at, (select count(*) from signed s where s.value = b.value)::int as total
    from busiest b where b.n >= ${threshold}
    order by b.n desc, b.value
    limit 200`.execute(q);
  return result.rows.map((r) => ({ value: r.value, peak: r.peak, peakEndedAt: r.peak_ended_at, total: r.total }));
}

/** IP addresses and email domains signing a petition unusually often (at least `threshold` in an hour). */
export async function trendingReport(
  q: Q,
  petitionId: number,
  options: { period?: TrendingPeriod; threshold?: number; now?: Date } = {},
): Promise<TrendingReport> {
  const hours = trendingPeriods[options.period ?? 'day'].hours;
  const since = hours === null ? null : new Date((options.now ?? new Date()).getTime() - hours * 3600_000);
  const threshold = options.threshold ?? TRENDING_THRESHOLD;
  const [ips, domains] = await Promise.all([
    peaks(q, petitionId, sql<string>`host(ip)`, since, threshold),
    peaks(q, petitionId, emailDomain, since, threshold),
  ]);
  return { ips, domains };
}
