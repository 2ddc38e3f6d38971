import type { AuditWords, Handle } from '../platform/index.ts';
import { coalitionQ } from './tables.ts';

const numeric = (ids: string[]) => ids.filter((id) => /^\d{1,9}$/.test(id)).map(Number);

/** The coalition's audit entries in words. */
export const coalitionAuditWords: AuditWords = {
  actions: {
    'group.create': { label: 'Added the group' },
    'group.update': { label: 'Edited the group' },
    'group.delete': { label: 'Deleted the group' },
    'organiser.create': { label: 'Added the organiser' },
    'organiser.access.change': { label: 'Changed the role or groups of' },
    'organiser.disable': { label: 'Disabled the account of' },
    'organiser.enable': { label: 'Enabled the account of' },
    'organiser.invitation.resend': { label: 'Sent a new invitation to' },
    'organiser.password.reset-link': { label: 'Made a one-time sign-in link (command line) for' },
    'organiser.password.reset': { label: 'Reset the password of' },
    'organiser.password.change': { label: 'Changed the password of' },
    'organiser.password.choose': { label: 'Chose a password for' },
    'brand.update': { label: 'Changed the coalition’s brand', sentence: () => 'Changed the coalition’s name, logo or colours' },
  },
  subjects: {
    async group(handle: Handle, ids) {
      const rows = numeric(ids).length ? await coalitionQ(handle).selectFrom('groups').select(['id', 'name']).where('id', 'in', numeric(ids)).execute() : [];
      return new Map(rows.map((r) => [String(r.id), { name: r.name, href: `/admin/groups/${r.id}` }]));
    },
    async organiser(handle: Handle, ids) {
      const rows = numeric(ids).length ? await coalitionQ(handle).selectFrom('organisers').select(['id', 'public_id', 'name']).where('id', 'in', numeric(ids)).execute() : [];
      return new Map(rows.map((r) => [String(r.id), { name: r.name, href: `/admin/organisers/${r.public_id}` }]));
    },
  },
};
