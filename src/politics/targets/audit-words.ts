import type { AuditSubjectName, AuditWords } from '../../platform/index.ts';
import { politicsQ } from '../tables.ts';

const text = (value: unknown) => (typeof value === 'string' ? value : '');
/** A value recorded before the change (removals record what was there). */
const was = (entry: { before: unknown }, key: string) => text((entry.before as Record<string, unknown> | null)?.[key]);

/** Target lists' audit entries in words. */
export const targetAuditWords: AuditWords = {
  actions: {
    'target-list.create': { label: 'Target list made' },
    'target-list.update': { label: 'Target list changed' },
    'target-list.delete': { label: 'Target list deleted', sentence: ({ entry }) => `Deleted the target list “${was(entry, 'name')}”` },
    'target-list.seat.add': { label: 'Seat added to a target list', sentence: ({ subject, after }) => `Added ${text(after.name) || text(after.seat)} to ${subject}` },
    'target-list.seat.remove': { label: 'Seat taken off a target list', sentence: ({ subject, entry }) => `Took ${was(entry, 'seat')} off ${subject}` },
    'target-list.politician.add': { label: 'Politician added to a target list', sentence: ({ subject, after }) => `Added ${text(after.name)} to ${subject}` },
    'target-list.politician.remove': { label: 'Politician taken off a target list', sentence: ({ subject, entry }) => `Took ${was(entry, 'name')} off ${subject}` },
  },
  subjects: {
    'target-list': async (q, ids) => {
      const wanted = ids.filter((id) => /^\d{1,9}$/.test(id)).map(Number);
      if (wanted.length === 0) return new Map<string, AuditSubjectName>();
      const rows = await politicsQ(q).selectFrom('target_lists').select(['id', 'name']).where('id', 'in', wanted).execute();
      return new Map(rows.map((r) => [String(r.id), { name: `the target list “${r.name}”`, href: `/admin/targets/${r.id}` }]));
    },
  },
};
