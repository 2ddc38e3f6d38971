import { sql } from 'kysely';
import { z } from 'zod';
import { defineJob } from '../../platform/index.ts';
import type { Q } from '../tables.ts';
import { canonicalEmail } from '../../petitions/index.ts';
import { findPersonById } from '../../supporters/index.ts';

/** Deliveries hold the personal data they carried: the log keeps them this long, then forgets them. */
export const DELIVERY_RETENTION_DAYS = 30;

export async function deleteOldDeliveries(q: Q, days = DELIVERY_RETENTION_DAYS): Promise<number> {
  const result = await sql`delete from webhook_deliveries
    where status <> 'pending' and created_at < now() - make_interval(days => ${days})`.execute(q);
  return Number(result.numAffectedRows ?? 0);
}

/** Daily: the delivery log keeps only the last DELIVERY_RETENTION_DAYS days. */
export const deleteOldWebhookDeliveries = defineJob('api.webhooks.delete-old-deliveries', z.object({}).passthrough(), async (_payload, ctx) => {
  await deleteOldDeliveries(ctx.db);
});

/** Deliveries are found by the canonical email they carried. */
async function emailOf(q: Q, personId: number): Promise<string | null> {
  const person = await findPersonById(q, personId);
  return person?.email ? canonicalEmail(person.email) : null;
}

/** Subject access: which webhook deliveries carried this person's details, when and where to. */
export async function exportDeliveryData(q: Q, personId: number): Promise<unknown> {
  const email = await emailOf(q, personId);
  if (!email) return [];
  return q
    .selectFrom('webhook_delivery_items')
    .innerJoin('webhook_deliveries', 'webhook_deliveries.id', 'webhook_delivery_items.delivery_id')
    .innerJoin('webhooks', 'webhooks.id', 'webhook_delivery_items.webhook_id')
    .select(['webhook_deliveries.created_at as sent_at', 'webhook_deliveries.kind', 'webhook_deliveries.status', 'webhooks.url as sent_to'])
    .where('webhook_delivery_items.canonical_email', '=', email)
    .orderBy('webhook_deliveries.created_at')
    .execute();
}

/**
 * Erasure: removes the log entries that carried the person's details (the copies receivers got
 * are theirs to erase). Deliveries still being retried go too, so their details are not sent again.
 */
export async function eraseDeliveryData(q: Q, personId: number): Promise<void> {
  const email = await emailOf(q, personId);
  if (!email) return;
  await sql`delete from webhook_deliveries where id in (
    select delivery_id from webhook_delivery_items where canonical_email = ${email})`.execute(q);
}
