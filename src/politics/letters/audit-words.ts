import type { AuditSubjectName, AuditWords } from '../../platform/index.ts';
import { politicsQ } from '../tables.ts';

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** Letter campaigns' audit entries in words. */
export const letterAuditWords: AuditWords = {
  actions: {
    'letter-campaign.create': { label: 'Letter campaign made' },
    'letter-campaign.update': { label: 'Letter campaign changed' },
    'letter.release': { label: 'Held letter released', sentence: ({ subject, after }) => `Released a held letter to ${text(after.mp)} in ${subject}` },
    'letter.reject': { label: 'Held letter rejected', sentence: ({ subject, after }) => `Rejected a held letter to ${text(after.mp)} in ${subject}` },
  },
  subjects: {
    'letter-campaign': async (q, ids) => {
      const wanted = ids.filter((id) => /^\d{1,9}$/.test(id)).map(Number);
      if (wanted.length === 0) return new Map<string, AuditSubjectName>();
      const rows = await politicsQ(q).selectFrom('letter_campaigns').select(['id', 'title']).where('id', 'in', wanted).execute();
      return new Map(rows.map((r) => [String(r.id), { name: `the letter campaign “${r.title}”`, href: `/admin/letters/${r.id}` }]));
    },
  },
};
