import { ActionButton, Layout, LondonTime, Pagination, QueryNotice, ScrollingTable } from '../platform/index.ts';
import { WebhookStatus, scopeText } from './admin-views.tsx';
import type { DeliveryKind, DeliveryStatus } from './tables.ts';
import { MAX_DELIVERY_ATTEMPTS } from './webhooks/deliver.ts';
import type { Attempt, Delivery } from './webhooks/delivery-log.ts';
import { WEBHOOK_EVENTS, type Webhook } from './webhooks/webhooks.ts';

const webhookNotices = {
  'test-queued': 'A test delivery is on its way. Reload this page in a few seconds to see how it went.',
};

const statusLabels: Record<DeliveryStatus, string> = { pending: 'Waiting to be sent', delivered: 'Delivered', failed: 'Gave up' };
const statusTags: Record<DeliveryStatus, string> = { pending: 'tag tag--yellow', delivered: 'tag tag--green', failed: 'tag tag--red' };
const kindLabels: Record<DeliveryKind, string> = { signature: 'signature', signup: 'sign-up', test: 'test' };

function DeliveryStatusTag({ status }: { status: DeliveryStatus }) {
  return <strong class={statusTags[status]}>{statusLabels[status]}</strong>;
}

function holds(d: Delivery): string {
  if (d.kind === 'test') return 'A test';
  return `${d.eventCount} ${kindLabels[d.kind]}${d.eventCount === 1 ? '' : 's'}`;
}

function answer(statusCode: number | null, error: string | null): string {
  if (statusCode !== null) return String(statusCode);
  return error ? 'None' : '–';
}

export interface WebhookPageProps {
  hook: Webhook;
  deliveries: Delivery[];
  total: number;
  page: number;
  totalPages: number;
  /** The notice left by the action that led here (shown once), if any. */
  notice: string | undefined;
}

export function WebhookPage({ hook, deliveries, total, page, totalPages, notice }: WebhookPageProps) {
  const base = `/admin/api/webhooks/${hook.publicId}`;
  return (
    <Layout title="Webhook" wide breadcrumbs={[{ href: '/admin/api', label: 'API and webhooks' }]}>
      <QueryNotice query={{ notice }} messages={webhookNotices} />
      <h1>Webhook</h1>
      <dl class="summary-list">
        <div class="summary-list__row">
          <dt>Sends to</dt>
          <dd class="api-url">{hook.url}</dd>
        </div>
        <div class="summary-list__row">
          <dt>For</dt>
          <dd>{scopeText(hook.groupName)}</dd>
        </div>
        <div class="summary-list__row">
          <dt>Sends</dt>
          <dd>{hook.events.map((e) => WEBHOOK_EVENTS[e]).join('; ')}</dd>
        </div>
        <div class="summary-list__row">
          <dt>Status</dt>
          <dd>
            <WebhookStatus hook={hook} />
          </dd>
        </div>
        <div class="summary-list__row">
          <dt>Made</dt>
          <dd>
            <LondonTime date={hook.createdAt} />
          </dd>
        </div>
      </dl>
      {hook.revokedAt ? (
        <p>
          This webhook was revoked on <LondonTime date={hook.revokedAt} /> because the organiser who made it lost access to its group. It sends
          nothing more. <a href={`${base}/delete`}>Delete this webhook</a>
        </p>
      ) : (
        <p>
          <ActionButton action={`${base}/test`}>Send a test delivery</ActionButton> <a href={`${base}/delete`}>Delete this webhook</a>
        </p>
      )}
      <h2>Delivery log</h2>
      <p>
        Each delivery is tried up to {MAX_DELIVERY_ATTEMPTS} times, waiting longer after each failure. Only a 2xx answer counts as
        delivered.
      </p>
      {deliveries.length === 0 ? (
        <p>Nothing has been sent yet.</p>
      ) : (
        <ScrollingTable label="Deliveries">
          <table class="table">
            <caption class="table__caption">Deliveries, newest first ({total})</caption>
            <thead>
              <tr>
                <th scope="col">Made</th>
                <th scope="col">Holds</th>
                <th scope="col">Status</th>
                <th scope="col" class="numeric">
                  Attempts
                </th>
                <th scope="col">Last answer</th>
                <th scope="col">Error</th>
                <th scope="col" class="numeric">
                  Response time
                </th>
                <th scope="col">Next attempt</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((d) => (
                <tr>
                  <th scope="row">
                    <a href={`${base}/deliveries/${d.publicId}`}>
                      <LondonTime date={d.createdAt} />
                    </a>
                  </th>
                  <td>{holds(d)}</td>
                  <td>
                    <DeliveryStatusTag status={d.status} />
                  </td>
                  <td class="numeric">{d.attempts}</td>
                  <td>{answer(d.lastStatusCode, d.lastError)}</td>
                  <td>{d.lastError ?? ''}</td>
                  <td class="numeric">{d.lastResponseMs === null ? '–' : `${d.lastResponseMs} ms`}</td>
                  <td>{d.status === 'pending' && d.nextAttemptAt ? <LondonTime date={d.nextAttemptAt} /> : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollingTable>
      )}
      <Pagination page={page} totalPages={totalPages} href={(p) => `${base}?page=${p}`} />
    </Layout>
  );
}

export function DeliveryPage({ hook, delivery, attempts, body }: { hook: Webhook; delivery: Delivery; attempts: Attempt[]; body: string }) {
  const base = `/admin/api/webhooks/${hook.publicId}`;
  let pretty = body;
  try {
    pretty = JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    /* shown as sent */
  }
  return (
    <Layout title="Delivery" wide breadcrumbs={[{ href: '/admin/api', label: 'API and webhooks' }, { href: base, label: 'Webhook' }]}>
      <h1>Delivery</h1>
      <p>
        <DeliveryStatusTag status={delivery.status} /> {holds(delivery)}, made <LondonTime date={delivery.createdAt} />
        {delivery.status === 'pending' && delivery.nextAttemptAt ? (
          <>
            ; next attempt <LondonTime date={delivery.nextAttemptAt} />
          </>
        ) : null}
        .
      </p>
      {attempts.length === 0 ? (
        <p>Not tried yet.</p>
      ) : (
        <table class="table">
          <caption class="table__caption">Attempts</caption>
          <thead>
            <tr>
              <th scope="col" class="numeric">
                Attempt
              </th>
              <th scope="col">When</th>
              <th scope="col">Answer</th>
              <th scope="col">Error</th>
              <th scope="col" class="numeric">
                Response time
              </th>
            </tr>
          </thead>
          <tbody>
            {attempts.map((a) => (
              <tr>
                <th scope="row" class="numeric">
                  {a.attempt}
                </th>
                <td>
                  <LondonTime date={a.at} />
                </td>
                <td>{answer(a.statusCode, a.error)}</td>
                <td>{a.error ?? ''}</td>
                <td class="numeric">{a.responseMs === null ? '–' : `${a.responseMs} ms`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>What was sent</h2>
      <pre class="api-body">
        <code>{pretty}</code>
      </pre>
    </Layout>
  );
}
