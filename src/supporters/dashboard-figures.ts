import { sql } from 'kysely';
import { groupIdsFor } from '../coalition/index.ts';
import { figureLabel, type DashboardFigureEntry } from '../platform/index.ts';
import { ACTIVE_STATES } from './mailings/tables.ts';
import { supportersQ } from './tables.ts';

/** The supporters' figures on the organiser dashboard (moderators see no supporters, so none of these). */
export const supporterDashboardFigures: DashboardFigureEntry[] = [
  {
    order: 20,
    roles: ['admin', 'organiser'],
    async count(handle, viewer) {
      const q = supportersQ(handle);
      const groups = await groupIdsFor(q, viewer);
      // An admin counts people new to the coalition; an organiser, people new to their groups.
      const row =
        groups === 'all'
          ? await sql<{ n: number }>`
              select count(*)::int as n from people p
              where p.created_at >= now() - interval '7 days' and p.merged_into_id is null and p.erased_at is null`.execute(q)
          : await sql<{ n: number }>`
              select count(distinct pg.person_id)::int as n from person_groups pg
              join people p on p.id = pg.person_id
              where pg.group_id = any(${groups}::int[]) and pg.first_at >= now() - interval '7 days'
                and p.merged_into_id is null and p.erased_at is null`.execute(q);
      const value = row.rows[0]?.n ?? 0;
      return { value, label: figureLabel(value, 'new supporter in the last 7 days', 'new supporters in the last 7 days'), href: '/admin/people' };
    },
  },
  {
    order: 40,
    roles: ['admin', 'organiser'],
    async count(handle, viewer) {
      const q = supportersQ(handle);
      const groups = await groupIdsFor(q, viewer);
      // A mailing is its purpose's group's (null: the coalition's, which only admins reach).
      const row = await sql<{ n: number }>`
        select count(*)::int as n from mailings m join consent_purposes cp on cp.id = m.purpose_id
        where m.status = any(${[...ACTIVE_STATES]}::text[])
          and (${groups === 'all'} or cp.group_id = any(${groups === 'all' ? [] : groups}::int[]))`.execute(q);
      const value = row.rows[0]?.n ?? 0;
      return { value, label: figureLabel(value, 'mailing sending now', 'mailings sending now'), href: '/admin/mailings' };
    },
  },
];
