import { notFound } from '../../platform/index.ts';
import type { DeliveryKind, DeliveryStatus, Q } from '../tables.ts';
import { isUuid } from '../tokens.ts';

export interface Delivery {
  id: number;
  publicId: string;
  kind: DeliveryKind;
  eventCount: number;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastResponseMs: number | null;
  nextAttemptAt: Date | null;
  createdAt: Date;
}

export interface Attempt {
  attempt: number;
  at: Date;
  statusCode: number | null;
  error: string | null;
  responseMs: number | null;
}

function deliveryQuery(q: Q) {
  return q
    .selectFrom('webhook_deliveries')
    .select(['id', 'public_id', 'kind', 'event_count', 'status', 'attempts', 'last_status_code', 'last_error', 'last_response_ms', 'next_attempt_at', 'created_at']);
}

type Row = Awaited<ReturnType<ReturnType<typeof deliveryQuery>['executeTakeFirstOrThrow']>>;

function toDelivery(r: Row): Delivery {
  return {
    id: r.id,
    publicId: r.public_id,
    kind: r.kind,
    eventCount: r.event_count,
    status: r.status,
    attempts: r.attempts,
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    lastResponseMs: r.last_response_ms,
    nextAttemptAt: r.next_attempt_at,
    createdAt: r.created_at,
  };
}

/** One page of a webhook's deliveries, newest first. */
export async function listDeliveries(q: Q, webhookId: number, page: number, perPage: number): Promise<{ deliveries: Delivery[]; total: number }> {
  const [count, rows] = await Promise.all([
    q.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<number>().as('n')).where('webhook_id', '=', webhookId).executeTakeFirstOrThrow(),
    deliveryQuery(q)
      .where('webhook_id', '=', webhookId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(perPage)
      .offset((page - 1) * perPage)
      .execute(),
  ]);
  return { deliveries: rows.map(toDelivery), total: Number(count.n) };
}

/** A delivery of this webhook, with every attempt and the body sent. */
export async function findDelivery(q: Q, webhookId: number, publicId: string): Promise<{ delivery: Delivery; attempts: Attempt[]; body: string }> {
  if (!isUuid(publicId)) throw notFound('delivery');
  const row = await deliveryQuery(q).select('body').where('webhook_id', '=', webhookId).where('public_id', '=', publicId).executeTakeFirst();
  if (!row) throw notFound('delivery');
  const attempts = await q.selectFrom('webhook_attempts').selectAll().where('delivery_id', '=', row.id).orderBy('attempt').execute();
  return {
    delivery: toDelivery(row),
    body: row.body,
    attempts: attempts.map((a) => ({ attempt: a.attempt, at: a.at, statusCode: a.status_code, error: a.error, responseMs: a.response_ms })),
  };
}
