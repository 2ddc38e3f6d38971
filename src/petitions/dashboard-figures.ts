import { sql } from 'kysely';
import { groupIdsFor } from '../coalition/index.ts';
import { figureLabel, type DashboardFigureEntry, type Handle, type Viewer } from '../platform/index.ts';
import { petitionsQ } from './tables.ts';
import { countedSignature } from './states.ts';

/** Whose petitions the viewer's figures cover: a group organiser's groups', everyone else's all. */
async function petitionGroupsOf(q: Handle, viewer: Viewer): Promise<number[] | null> {
  if (viewer.role !== 'organiser') return null;
  const groups = await groupIdsFor(q, viewer);
  return groups === 'all' ? null : groups;
}

/** The petitions' figures on the organiser dashboard. */
export const petitionDashboardFigures: DashboardFigureEntry[] = [
  {
    order: 10,
    roles: ['admin', 'organiser', 'moderator'],
    async count(handle, viewer) {
      const groups = await petitionGroupsOf(handle, viewer);
      // Confirmed since midnight, UK time; the index on validated_at keeps this a range scan.
      const row = await sql<{ n: number }>`
        select count(*)::int as n from signatures s
        where ${countedSignature('s')}
          and s.validated_at >= (date_trunc('day', now() at time zone 'Europe/London') at time zone 'Europe/London')
          and (${groups}::int[] is null or exists (select 1 from petition_groups pg where pg.petition_id = s.petition_id and pg.group_id = any(${groups}::int[])))`.execute(petitionsQ(handle));
      const value = row.rows[0]?.n ?? 0;
      return { value, label: figureLabel(value, 'signature confirmed today', 'signatures confirmed today'), href: '/admin/petitions?state=open' };
    },
  },
  {
    order: 30,
    roles: ['admin', 'organiser', 'moderator'],
    async count(handle, viewer) {
      const groups = await petitionGroupsOf(handle, viewer);
      const row = await sql<{ n: number }>`
        select count(*)::int as n from petitions p
        where p.state = 'awaiting_moderation'
          and (${groups}::int[] is null or exists (select 1 from petition_groups pg where pg.petition_id = p.id and pg.group_id = any(${groups}::int[])))`.execute(petitionsQ(handle));
      const value = row.rows[0]?.n ?? 0;
      // Organisers do not moderate: theirs link to their own petitions waiting for a moderator.
      const href = viewer.role === 'organiser' ? '/admin/petitions?state=awaiting_moderation' : '/admin/moderation';
      return { value, label: figureLabel(value, 'petition awaiting moderation', 'petitions awaiting moderation'), href };
    },
  },
];
