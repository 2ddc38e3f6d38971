import type { AuditWords } from '../platform/index.ts';

/** The stories capability's audit entries in words (a story is named by its number only: its words are sealed). */
export const storyAuditWords: AuditWords = {
  actions: {
    'story.record': { label: 'Story recorded by an organiser', sentence: ({ subject, after }) => `Recorded ${subject}, taken ${after.method === 'phone' ? 'by phone' : 'on paper'}` },
    'story.list.view': { label: 'Stories list looked at' },
    'story.view': { label: 'Story looked at', sentence: ({ subject }) => `Looked at ${subject}` },
    'story.view.refused': { label: 'Story refused (another group’s)', sentence: ({ subject }) => `Was refused ${subject}: it was not told to their groups` },
    'story.photo.view': { label: 'Story photo looked at', sentence: ({ subject, after }) => `Looked at photo ${String(after.photo)} of ${subject}` },
    'story.export': { label: 'Story exported', sentence: ({ subject }) => `Exported ${subject} (JSON)` },
    'story.note.add': { label: 'Note added to a story', sentence: ({ subject }) => `Added a note to ${subject}` },
    'story.withdraw': { label: 'Story withdrawn by its teller', sentence: ({ subject }) => `${subject} was withdrawn by its teller` },
  },
  subjects: {
    story: async (_q, ids) => new Map(ids.map((id) => [id, { name: `story ${id}`, href: `/admin/stories/${id}` }])),
  },
};
