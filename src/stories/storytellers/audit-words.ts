import type { AuditSubjectName, AuditWords } from '../../platform/index.ts';
import { storiesQ } from '../tables.ts';

/** The storyteller pipeline's audit entries in words (subjects never name a storyteller: the log has other readers). */
export const storytellerAuditWords: AuditWords = {
  actions: {
    'storyteller.create': { label: 'Storyteller added' },
    'storyteller.view': { label: 'Storyteller record looked at' },
    'storyteller.list.view': { label: 'Storyteller list looked at' },
    'storyteller.access.refused': { label: 'Storyteller record refused (not their group)' },
    'storyteller.stage': { label: 'Storyteller moved on', sentence: ({ subject, after }) => `Moved ${subject} on to ${String(after.stage ?? 'the next stage')}` },
    'storyteller.topics': { label: 'Storyteller’s topics changed' },
    'storyteller.note.add': { label: 'Note added to a storyteller' },
    'storyteller.outcome': { label: 'What happened recorded for a storyteller' },
    'speaking-topic.create': { label: 'Speaking topic added' },
    'training.create': { label: 'Training session added' },
    'training.view': { label: 'Training attendance looked at' },
    'training.attendance': { label: 'Training attendance recorded' },
    'opportunity.create': { label: 'Request to speak added' },
    'opportunity.view': { label: 'Request to speak looked at' },
    'opportunity.ask': { label: 'Storytellers asked about a request' },
    'opportunity.export': { label: 'Contacts for a request exported (CSV)' },
    'opportunity.answer.yes': { label: 'A storyteller said yes to a request' },
    'opportunity.answer.no': { label: 'A storyteller said no to a request' },
  },
  subjects: {
    storyteller: async (_q, ids) => new Map(ids.map((id) => [id, { name: 'a storyteller', href: `/admin/storytellers/${id}` } satisfies AuditSubjectName])),
    opportunity: async (q, ids) => {
      const wanted = ids.filter((id) => /^\d{1,9}$/.test(id)).map(Number);
      if (wanted.length === 0) return new Map<string, AuditSubjectName>();
      const rows = await storiesQ(q).selectFrom('speaking_opportunities').select(['id', 'outlet']).where('id', 'in', wanted).execute();
      return new Map(rows.map((r) => [String(r.id), { name: `the request from ${r.outlet}`, href: `/admin/opportunities/${r.id}` }]));
    },
  },
};
