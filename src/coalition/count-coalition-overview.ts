import type { Q } from './tables.ts';

export interface CoalitionOverview {
  groups: number;
  organisers: number;
  /** Organiser accounts invited but never signed in (no password yet), not counting disabled ones. */
  invited: number;
}

/** The figures at the top of a coalition admin's dashboard. */
export async function countCoalitionOverview(q: Q): Promise<CoalitionOverview> {
  const [groups, organisers] = await Promise.all([
    q.selectFrom('groups').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    q
      .selectFrom('organisers')
      .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.countAll<string>().filterWhere('password_hash', 'is', null).filterWhere('disabled_at', 'is', null).as('invited')])
      .executeTakeFirstOrThrow(),
  ]);
  return { groups: Number(groups.n), organisers: Number(organisers.n), invited: Number(organisers.invited) };
}
