import type { DemoFacts } from '../../platform/capability.ts';
import { onePostcodePerConstituency } from '../postcodes.ts';
import type { Tx } from '../tables.ts';
import { seatsOfList } from './list-seats.ts';
import { findSeat } from './change-target-entries.ts';
import { evaluateListRule, type TargetRule } from './rules.ts';
import type { PoliticianRole } from './tables.ts';

/**
 * DEMO DATA: a coalition-wide list of the marginal seats (chosen by rule from whatever results are
 * loaded) and a list of high-profile politicians. The politicians' roles are as they were in 2025,
 * typed in for the demo: the list says to check them. Loaded once (when no target list exists).
 */
const politicians: Array<[name: string, role: PoliticianRole, title: string, party: string, seat: string]> = [
  ['Keir Starmer', 'party_leader', 'Prime Minister and Leader of the Labour Party', 'Lab', 'Holborn and St Pancras'],
  ['Wes Streeting', 'minister', 'Secretary of State for Health and Social Care', 'Lab', 'Ilford North'],
  ['Layla Moran', 'committee_chair', 'Chair of the Health and Social Care Committee', 'LD', 'Oxford West and Abingdon'],
  ['Kemi Badenoch', 'party_leader', 'Leader of the Conservative Party', 'Con', 'North West Essex'],
  ['Nigel Farage', 'party_leader', 'Leader of Reform UK', 'RUK', 'Clacton'],
  ['Stephen Flynn', 'party_leader', 'Leader of the SNP at Westminster', 'SNP', 'Aberdeen South'],
];

/** A target seat the later demo loaders put activity in (hustings, stories, storytellers): one postcode in it. */
export interface DemoTargetSeat {
  postcode: string;
  constituencyCode: string;
  regionCode: string | null;
}

export interface TargetsDemo {
  lists: number;
  /** The marginal-seats list's seats, most marginal first, each with a postcode. */
  seats: DemoTargetSeat[];
}

/**
 * The target seats politics' demo handed on (facts.politics.targets.seats), for the demo loaders
 * that run after it (events, stories) to spread activity over; none when politics loaded no demo.
 */
export function demoTargetSeats(facts: DemoFacts): DemoTargetSeat[] {
  const seats = (facts.politics as { targets?: { seats?: unknown } } | undefined)?.targets?.seats;
  return Array.isArray(seats) ? (seats as DemoTargetSeat[]) : [];
}

export async function loadTargetsDemo(tx: Tx): Promise<TargetsDemo> {
  const existing = await tx.selectFrom('target_lists').select('id').limit(1).executeTakeFirst();
  if (existing) return { lists: 0, seats: [] };
  const rule: TargetRule = { maxMajorityPercent: 5 };
  const marginal = await tx
    .insertInto('target_lists')
    .values({ name: 'Election 2029: marginal seats', description: 'Seats won by under 5% of the vote in 2024, where a few votes changing their mind decide who goes to Westminster.', rule: JSON.stringify(rule) })
    .returning('id')
    .executeTakeFirstOrThrow();
  await evaluateListRule(tx, marginal.id, rule);

  const influential = await tx
    .insertInto('target_lists')
    .values({ name: 'High-profile politicians', description: 'Those who decide NHS policy and those who lead the parties. Demo list: roles as they were in 2025, so check them before you use it.' })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const [name, role, title, party, seatName] of politicians) {
    const seat = await findSeat(tx, seatName);
    await tx.insertInto('target_politicians').values({ list_id: influential.id, name, role, role_title: title, party, constituency_code: seat?.code ?? null }).execute();
  }
  const postcodes = new Map((await onePostcodePerConstituency(tx)).map((p) => [p.constituencyCode, p]));
  const seats = (await seatsOfList(tx, marginal.id)).flatMap((s) => {
    const place = postcodes.get(s.code);
    return place ? [place] : [];
  });
  return { lists: 2, seats };
}
