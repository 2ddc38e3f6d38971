import type { AppContext } from './tables.ts';
import type { CronEntry, Ticker } from '../platform/index.ts';
import { deliverWebhook } from './webhooks/deliver.ts';
import { deleteOldWebhookDeliveries } from './webhooks/retention.ts';
import { sweepWebhooks } from './webhooks/sweep.ts';

/** Webhook deliveries (each attempt a durable job) and the delivery log's retention. */
export const apiJobs = [deliverWebhook, deleteOldWebhookDeliveries];
export const apiCron: CronEntry[] = [{ job: deleteOldWebhookDeliveries, match: '41 3 * * *' }];
/** Every two seconds, new confirmed signatures and sign-ups become deliveries. */
export const apiTickers = (ctx: AppContext): Ticker[] => [{ name: 'api.webhooks.sweep', intervalMs: 2000, run: async () => void (await sweepWebhooks(ctx)) }];
