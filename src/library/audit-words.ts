import type { AuditSubjectName, AuditWords } from '../platform/index.ts';
import { libraryQ } from './tables.ts';

/** The library's audit entries in words. */
export const libraryAuditWords: AuditWords = {
  actions: {
    'link.create': { label: 'News link added' },
    'link.update': { label: 'News link changed' },
    'link.delete': { label: 'News link deleted' },
  },
  subjects: {
    link: async (q, ids) => {
      const wanted = ids.filter((id) => /^\d{1,9}$/.test(id)).map(Number);
      if (wanted.length === 0) return new Map<string, AuditSubjectName>();
      const rows = await libraryQ(q).selectFrom('links').select(['id', 'title']).where('id', 'in', wanted).execute();
      return new Map(rows.map((r) => [String(r.id), { name: `“${r.title}”`, href: `/admin/links/${r.id}/edit` }]));
    },
  },
};
