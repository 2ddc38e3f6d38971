import { isIP } from 'node:net';
import { sql, type RawBuilder } from 'kysely';
import { invalidField, recordAudit, type Viewer } from '../platform/index.ts';
import type { Db, Q } from './tables.ts';
import { reconcileCounts, underCounterLock } from './count-signatures.ts';

/** Held signatures from one address on one petition. */
export interface HeldAddress {
  /** null for signatures stored without an address. */
  ip: string | null;
  held: number;
  /** Of those, confirmed by email (they count as soon as they are released). */
  confirmed: number;
  firstAt: Date;
  lastAt: Date;
}

const held = sql<boolean>`held_reason is not null and state <> 'invalidated'`;

/** Held signatures grouped by address, the most first (one page of addresses). */
export async function heldByAddress(q: Q, petitionId: number, page: number, perPage: number): Promise<{ addresses: HeldAddress[]; addressCount: number; heldCount: number }> {
  const [rows, totals] = await Promise.all([
    sql<{ ip: string | null; held: number; confirmed: number; first_at: Date; last_at: Date }>`
      select host(ip) as ip, count(*)::int as held, count(*) filter (where state = 'validated')::int as confirmed,
        min(created_at) as first_at, max(created_at) as last_at
      from signatures where petition_id = ${petitionId} and ${held}
      group by ip order by count(*) desc, ip nulls last
      limit ${perPage} offset ${(page - 1) * perPage}`.execute(q),
    sql<{ addresses: number; held: number }>`
      select count(distinct coalesce(host(ip), ''))::int as addresses, count(*)::int as held
      from signatures where petition_id = ${petitionId} and ${held}`.execute(q),
  ]);
  return {
    addresses: rows.rows.map((r) => ({ ip: r.ip, held: r.held, confirmed: r.confirmed, firstAt: r.first_at, lastAt: r.last_at })),
    addressCount: totals.rows[0]?.addresses ?? 0,
    heldCount: totals.rows[0]?.held ?? 0,
  };
}

/** Which held signatures a decision covers: one address, those without one, or all of them. */
export type HeldSelection = { ip: string } | { ip: null } | 'all';

/** Reads the selection from a form: "all", "none" (no address), or an IP address. */
export function heldSelection(value: unknown): HeldSelection {
  if (value === 'all') return 'all';
  if (value === 'none') return { ip: null };
  if (typeof value === 'string' && isIP(value)) return { ip: value };
  throw invalidField('ip', 'Choose an address from the list');
}

function selects(selection: HeldSelection): RawBuilder<boolean> {
  if (selection === 'all') return sql<boolean>`true`;
  return selection.ip === null ? sql<boolean>`ip is null` : sql<boolean>`ip = ${selection.ip}::inet`;
}

export interface DecideHeldProps {
  actor: Viewer;
  petitionId: number;
  selection: HeldSelection;
  decision: 'release' | 'invalidate';
}

/**
 * A moderator's decision on held signatures: release them (they count once confirmed) or
 * invalidate them. The petition is recounted under the counter lock so its totals match the rows.
 */
export async function decideHeldSignatures(db: Db, props: DecideHeldProps): Promise<{ changed: number; signatureCount: number }> {
  return underCounterLock(db, async (tx) => {
    const where = sql`petition_id = ${props.petitionId} and ${held} and ${selects(props.selection)}`;
    const result =
      props.decision === 'release'
        ? await sql`update signatures set held_reason = null where ${where}`.execute(tx)
        : await sql`update signatures set state = 'invalidated', invalidated_at = now(), confirmation_due_at = null,
            invalidation_reason = 'Held as suspect and invalidated by a moderator' where ${where}`.execute(tx);
    const changed = Number(result.numAffectedRows ?? 0);
    const signatureCount = await reconcileCounts(tx, props.petitionId);
    await recordAudit(tx, {
      actor: props.actor,
      action: props.decision === 'release' ? 'petition.held.release' : 'petition.held.invalidate',
      subjectType: 'petition',
      subjectId: props.petitionId,
      after: { address: props.selection === 'all' ? 'all' : props.selection.ip, changed, signatureCount },
    });
    return { changed, signatureCount };
  });
}
