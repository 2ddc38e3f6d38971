import { z } from 'zod';
import { OutboundRefusedError, REFUSED_MESSAGE, addJob, dbViewOf, defineJob, outboundFetch } from '../../platform/index.ts';
import type { ApiView, DeliveryKind, Q } from '../tables.ts';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signDelivery } from './signing.ts';

/** Attempts before a delivery is given up. */
export const MAX_DELIVERY_ATTEMPTS = 8;
const TIMEOUT_MS = 10_000;

/** Seconds to wait after the nth failed attempt: 30 s, 1.5 min, 4.5 min... about 9 hours in all. */
export function retryDelaySeconds(failedAttempts: number): number {
  return Math.min(30 * 3 ** (failedAttempts - 1), 6 * 3600);
}

export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  /** Null when the address was refused: how long that took would tell what is there. */
  responseMs: number | null;
}

function reasonOf(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `No answer within ${TIMEOUT_MS / 1000} seconds`;
  const code = error instanceof Error ? (error as Error & { code?: string }).code : undefined;
  const text = code ?? (error instanceof Error ? error.message : String(error));
  return `Could not connect: ${text}`.slice(0, 300);
}

/**
 * One attempt: POSTs the stored body, signed with a fresh timestamp, through the platform's
 * outbound guard (a host that is not a public address is refused, unless on
 * OUTBOUND_ALLOW_HOSTS). Only a 2xx answer counts as delivered; 307 and 308 redirects are followed
 * (each checked again), others are not. The answer's body is not kept (it is the receiver's).
 */
export async function postDelivery(
  target: { url: string; secret: string },
  delivery: { publicId: string; kind: DeliveryKind; body: string; attempt: number },
  allowHosts: readonly string[] = [],
): Promise<AttemptResult> {
  const timestamp = Math.floor(Date.now() / 1000);
  const started = performance.now();
  try {
    const response = await outboundFetch(target.url, {
      method: 'POST',
      allowHosts,
      timeoutMs: TIMEOUT_MS,
      maxBytes: 0,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Chorus-Webhooks/1.0',
        'x-chorus-event': delivery.kind,
        'x-chorus-delivery': delivery.publicId,
        'x-chorus-attempt': String(delivery.attempt),
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signDelivery(target.secret, timestamp, delivery.body),
      },
      body: delivery.body,
    });
    const responseMs = Math.round(performance.now() - started);
    const ok = response.status >= 200 && response.status < 300;
    const error = ok ? null : `The receiver answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`.slice(0, 300);
    return { ok, statusCode: response.status, error, responseMs };
  } catch (error) {
    if (error instanceof OutboundRefusedError) return { ok: false, statusCode: null, error: REFUSED_MESSAGE, responseMs: null };
    return { ok: false, statusCode: null, error: reasonOf(error), responseMs: Math.round(performance.now() - started) };
  }
}

const deliveryKey = (deliveryId: number) => `api.webhooks.delivery:${deliveryId}`;

/** Sends one delivery (each attempt is this job again, scheduled later by the one before). */
export const deliverWebhook = defineJob(
  'api.webhooks.deliver',
  z.object({ deliveryId: z.number().int().positive() }),
  async ({ deliveryId }, ctx) => {
    const db = dbViewOf<ApiView>(ctx.db);
    const delivery = await db
      .selectFrom('webhook_deliveries')
      .innerJoin('webhooks', 'webhooks.id', 'webhook_deliveries.webhook_id')
      .select(['webhook_deliveries.public_id', 'webhook_deliveries.kind', 'webhook_deliveries.body', 'webhook_deliveries.status', 'webhook_deliveries.attempts', 'webhooks.url', 'webhooks.secret'])
      .where('webhook_deliveries.id', '=', deliveryId)
      .where('webhooks.revoked_at', 'is', null)
      .executeTakeFirst();
    if (!delivery || delivery.status !== 'pending') return;
    const attempt = delivery.attempts + 1;
    const result = await postDelivery(delivery, { publicId: delivery.public_id, kind: delivery.kind, body: delivery.body, attempt }, ctx.config.OUTBOUND_ALLOW_HOSTS);
    await db.transaction().execute((tx) => recordAttempt(tx, deliveryId, attempt, result));
  },
  // Failed attempts are retried by the job itself on our schedule; this only covers our own crashes.
  { maxAttempts: 3 },
);

/** Logs an attempt; schedules the next one (with backoff) or settles the delivery. */
export async function recordAttempt(tx: Q, deliveryId: number, attempt: number, result: AttemptResult): Promise<void> {
  await tx
    .insertInto('webhook_attempts')
    .values({ delivery_id: deliveryId, attempt, status_code: result.statusCode, error: result.error, response_ms: result.responseMs })
    .execute();
  const now = new Date();
  const last = { attempts: attempt, last_status_code: result.statusCode, last_error: result.error, last_response_ms: result.responseMs };
  if (result.ok) {
    await tx.updateTable('webhook_deliveries').set({ ...last, status: 'delivered', delivered_at: now, next_attempt_at: null }).where('id', '=', deliveryId).execute();
  } else if (attempt >= MAX_DELIVERY_ATTEMPTS) {
    await tx.updateTable('webhook_deliveries').set({ ...last, status: 'failed', failed_at: now, next_attempt_at: null }).where('id', '=', deliveryId).execute();
  } else {
    const next = new Date(now.getTime() + retryDelaySeconds(attempt) * 1000);
    await tx.updateTable('webhook_deliveries').set({ ...last, next_attempt_at: next }).where('id', '=', deliveryId).execute();
    await addJob(tx, deliverWebhook, { deliveryId }, { runAt: next, jobKey: deliveryKey(deliveryId) });
  }
}

export interface NewDelivery {
  webhookId: number;
  kind: DeliveryKind;
  items: unknown[];
}

/** Stores a delivery and queues its first attempt, in the caller's transaction. */
export async function queueDelivery(q: Q, delivery: NewDelivery): Promise<number> {
  const row = await q
    .insertInto('webhook_deliveries')
    .values({ webhook_id: delivery.webhookId, kind: delivery.kind, body: JSON.stringify(delivery.items), event_count: delivery.items.length, next_attempt_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  await addJob(q, deliverWebhook, { deliveryId: row.id }, { jobKey: deliveryKey(row.id) });
  return row.id;
}

/** The "send a test" button: a small, clearly marked delivery with no personal data. */
export async function queueTestDelivery(q: Q, webhookId: number, hubName: string): Promise<number> {
  return queueDelivery(q, {
    webhookId,
    kind: 'test',
    items: [{ 'chorus:test': { message: `A test delivery from ${hubName}. If you can read this and its signature checks out, the webhook works.`, created_date: new Date().toISOString() } }],
  });
}
