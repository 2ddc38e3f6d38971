import type { AuditWords, Handle } from '../platform/index.ts';
import { apiQ } from './tables.ts';

const uuids = (ids: string[]) => ids.filter((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id));

/** The API's audit entries in words. */
export const apiAuditWords: AuditWords = {
  actions: {
    'api.key.create': { label: 'Made the API key' },
    'api.key.revoke': { label: 'Revoked the API key' },
    'api.webhook.create': { label: 'Added the webhook' },
    'api.webhook.delete': { label: 'Deleted the webhook' },
    'api.webhook.revoke': { label: 'Revoked the webhook' },
  },
  subjects: {
    async api_key(handle: Handle, ids) {
      const wanted = uuids(ids);
      const rows = wanted.length ? await apiQ(handle).selectFrom('api_tokens').select(['public_id', 'name']).where('public_id', 'in', wanted).execute() : [];
      return new Map(rows.map((r) => [r.public_id, { name: `“${r.name}”`, href: '/admin/api' }]));
    },
    async webhook(handle: Handle, ids) {
      const wanted = uuids(ids);
      const rows = wanted.length ? await apiQ(handle).selectFrom('webhooks').select(['public_id', 'url']).where('public_id', 'in', wanted).execute() : [];
      return new Map(rows.map((r) => [r.public_id, { name: r.url, href: `/admin/api/webhooks/${r.public_id}` }]));
    },
  },
};
