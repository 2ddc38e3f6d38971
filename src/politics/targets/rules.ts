import { sql, type RawBuilder } from 'kysely';
import { z } from 'zod';
import { partyName } from '../parties.ts';
import type { Q } from '../tables.ts';

/**
 * How a target list chooses its seats from the 2024 results: every condition given must hold.
 * Kept on the list as it was written, so the seats can be chosen again when results are
 * re-imported (after a by-election or the next general election).
 */
export const targetRuleSchema = z
  .object({
    /** Majority as a share of valid votes strictly below this many per cent. */
    maxMajorityPercent: z.number().positive().max(100).optional(),
    /** The 2024 winner was one of these parties (abbreviations as the Library publishes them: "Lab", "Con"). */
    winningParties: z.array(z.string().min(1).max(40)).max(30).optional(),
    /** The 2024 runner-up was one of these parties. */
    secondParties: z.array(z.string().min(1).max(40)).max(30).optional(),
    /** ONS region codes ("E12000007" London). */
    regionCodes: z.array(z.string().regex(/^[A-Z]\d{8}$/)).max(20).optional(),
  })
  .strict();
export type TargetRule = z.infer<typeof targetRuleSchema>;

/** True when the rule says nothing, so it would choose every seat: such a list is chosen by hand. */
export function isEmptyRule(rule: TargetRule): boolean {
  return rule.maxMajorityPercent === undefined && !rule.winningParties?.length && !rule.secondParties?.length && !rule.regionCodes?.length;
}

/** The SQL condition over `constituencies c` that a rule stands for. */
function ruleCondition(rule: TargetRule): RawBuilder<boolean> {
  const parts: RawBuilder<unknown>[] = [];
  // Exact arithmetic: a seat whose share is exactly the limit is not below it.
  if (rule.maxMajorityPercent !== undefined) parts.push(sql`c.valid_votes > 0 and c.majority::numeric * 100 < ${String(rule.maxMajorityPercent)}::numeric * c.valid_votes`);
  if (rule.winningParties?.length) parts.push(sql`c.first_party = any(${rule.winningParties}::text[])`);
  if (rule.secondParties?.length) parts.push(sql`c.second_party = any(${rule.secondParties}::text[])`);
  if (rule.regionCodes?.length) parts.push(sql`c.region_code = any(${rule.regionCodes}::text[])`);
  if (parts.length === 0) return sql<boolean>`false`;
  return sql<boolean>`(${sql.join(parts, sql` and `)})`;
}

/** The codes of the seats a rule chooses, most marginal first. */
export async function seatsChosenBy(q: Q, rule: TargetRule): Promise<string[]> {
  const { rows } = await sql<{ code: string }>`
    select c.code from constituencies c where ${ruleCondition(rule)} order by c.marginality nulls last, c.name`.execute(q);
  return rows.map((r) => r.code);
}

/**
 * Chooses a list's seats again by its rule: seats the rule no longer chooses leave (unless added by
 * hand), new ones join, those taken off by hand stay off. Rows that stay are not touched, so
 * evaluating twice changes nothing.
 */
export async function evaluateListRule(q: Q, listId: number, rule: TargetRule | null): Promise<void> {
  const condition = rule && !isEmptyRule(rule) ? ruleCondition(rule) : sql<boolean>`false`;
  await sql`
    delete from target_list_seats s where s.list_id = ${listId} and s.chosen = 'rule'
      and not exists (select 1 from constituencies c where c.code = s.constituency_code and ${condition})`.execute(q);
  await sql`
    insert into target_list_seats (list_id, constituency_code, chosen)
    select ${listId}, c.code, 'rule' from constituencies c where ${condition}
    on conflict (list_id, constituency_code) do nothing`.execute(q);
  await sql`update target_lists set evaluated_at = now() where id = ${listId}`.execute(q);
}

/** After results are (re-)imported: every list with a rule chooses its seats again. */
export async function reevaluateAllRules(q: Q): Promise<number> {
  const lists = await q.selectFrom('target_lists').select(['id', 'rule']).where('rule', 'is not', null).orderBy('id').execute();
  for (const list of lists) await evaluateListRule(q, list.id, list.rule);
  return lists.length;
}

/** "2024 majority under 5% of the vote; won by Labour; runner-up Reform UK or Conservative; in London." */
export function describeRule(rule: TargetRule | null, regionNames: ReadonlyMap<string, string> = new Map()): string {
  if (!rule || isEmptyRule(rule)) return 'Seats chosen by hand.';
  const parties = (list: string[]) => orList(list.map((p) => partyName(p) ?? p));
  const parts: string[] = [];
  if (rule.maxMajorityPercent !== undefined) parts.push(`2024 majority under ${rule.maxMajorityPercent}% of the vote`);
  if (rule.winningParties?.length) parts.push(`won by ${parties(rule.winningParties)}`);
  if (rule.secondParties?.length) parts.push(`runner-up ${parties(rule.secondParties)}`);
  if (rule.regionCodes?.length) parts.push(`in ${orList(rule.regionCodes.map((c) => regionNames.get(c) ?? c))}`);
  const text = parts.join('; ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function orList(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}
