import { type AuditWords, type Handle } from '../platform/index.ts';
import { petitionsQ } from './tables.ts';

const numeric = (ids: string[]) => ids.filter((id) => /^\d{1,9}$/.test(id)).map(Number);

/** The petitions' audit entries in words. */
export const petitionAuditWords: AuditWords = {
  actions: {
    'petition.create': { label: 'Started the petition' },
    'petition.update': { label: 'Edited the petition' },
    'petition.outcomes.update': { label: 'Recorded the response, hand-in or debate of' },
    'petition.under-attack.on': { label: 'Turned on “under attack” protection for' },
    'petition.under-attack.off': { label: 'Turned off “under attack” protection for' },
    'petition.submit': { label: 'Sent for moderation the petition' },
    'petition.approve': { label: 'Approved and opened the petition' },
    'petition.reject': { label: 'Rejected the petition' },
    'petition.hide': { label: 'Hid the petition' },
    'petition.close': { label: 'Closed the petition' },
    'petition.reopen': { label: 'Reopened the petition' },
    'petition.signatures.invalidate': { label: 'Invalidated signatures on' },
    'petition.held.release': { label: 'Released held signatures on' },
    'petition.held.invalidate': { label: 'Invalidated held signatures on' },
    'petition.export.*': { label: 'Downloaded the signatures of' },
  },
  subjects: {
    async petition(handle: Handle, ids) {
      const rows = numeric(ids).length ? await petitionsQ(handle).selectFrom('petitions').select(['id', 'action']).where('id', 'in', numeric(ids)).execute() : [];
      return new Map(rows.map((r) => [String(r.id), { name: `“${r.action}”`, href: `/admin/petitions/${r.id}` }]));
    },
  },
};

