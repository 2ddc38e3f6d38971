import type { AuditSubjectName, AuditWords } from '../platform/index.ts';
import { eventsQ } from './tables.ts';

/** The events capability's audit entries in words. */
export const eventAuditWords: AuditWords = {
  actions: {
    'event.create': { label: 'Event added' },
    'event.update': { label: 'Event changed' },
    'event.publish': { label: 'Event published' },
    'event.cancel': { label: 'Event cancelled' },
    'event.attendees.view': { label: 'Event attendees looked at', sentence: ({ subject }) => `Looked at the attendees of ${subject}` },
    'event.attendees.export': { label: 'Event attendees exported', sentence: ({ subject }) => `Exported the attendees of ${subject} (CSV)` },
    'event.walk-in': { label: 'Walk-in added on the door', sentence: ({ subject, after }) => `Added ${typeof after.places === 'number' && after.places !== 1 ? `${after.places} places` : 'a place'} on the door at ${subject}` },
  },
  subjects: {
    event: async (q, ids) => {
      const wanted = ids.filter((id) => /^\d{1,9}$/.test(id)).map(Number);
      if (wanted.length === 0) return new Map<string, AuditSubjectName>();
      const rows = await eventsQ(q).selectFrom('events').select(['id', 'title']).where('id', 'in', wanted).execute();
      return new Map(rows.map((r) => [String(r.id), { name: `“${r.title}”`, href: `/admin/events/${r.id}` }]));
    },
  },
};
