import { defineCapability, type TableHolds } from '../platform/index.ts';
import { apiAuditWords } from './audit-words.ts';
import { registerApiAdminRoutes } from './admin-routes.tsx';
import { registerApiDocs } from './docs-routes.tsx';
import { apiCron, apiJobs, apiTickers } from './jobs.ts';
import { apiMigrations } from './migrations.ts';
import { registerOsdiApi } from './osdi-routes.ts';
import { revokeCredentialsOf } from './revoke-credentials.ts';
import { apiQ, type ApiTables } from './tables.ts';
import { DELIVERY_RETENTION_DAYS, eraseDeliveryData, exportDeliveryData } from './webhooks/retention.ts';

/** The OSDI API (/api/v1) over the capabilities above, its documentation, API keys and webhooks. */
export const api = defineCapability({
  name: 'api',
  dependsOn: ['coalition', 'politics', 'petitions', 'supporters'],
  tables: {
    api_tokens: 'none',
    webhooks: 'none',
    webhook_deliveries: 'supporter',
    webhook_attempts: 'none',
    webhook_delivery_items: 'supporter',
  } satisfies Record<keyof ApiTables, TableHolds>,
  migrations: apiMigrations,
  routes: { public: registerApiDocs, api: registerOsdiApi, admin: registerApiAdminRoutes },
  auditWords: apiAuditWords,
  adminNav: [{ href: '/admin/api', label: 'API and webhooks', order: 90, roles: ['admin', 'organiser'], description: 'Keys for other tools to use the API, and webhooks that tell them what happens.' }],
  jobs: apiJobs,
  cron: apiCron,
  tickers: apiTickers,
  onAccessRemoved: async (q, removal) => {
    await revokeCredentialsOf(q, removal);
  },
  personalData: [
    {
      name: 'webhook-deliveries',
      label: 'Webhook deliveries',
      tables: ['webhook_deliveries', 'webhook_delivery_items'],
      export: (q, personId) => exportDeliveryData(apiQ(q), personId),
      erase: (q, personId) => eraseDeliveryData(apiQ(q), personId),
      retention: `The webhook delivery log keeps each delivery (and the data it carried) for ${DELIVERY_RETENTION_DAYS} days, then a daily job deletes it.`,
    },
  ],
});
