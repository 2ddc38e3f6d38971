import { ActionButton, Layout, Notice, formatLondon, formatNumber } from '../../../platform/index.ts';
import type { MailingReport, StatusCounts } from '../report.ts';
import type { Mailing } from '../store.ts';
import { StatusTag, audienceText, mailingsCrumb } from './labels.tsx';
import { MailingReportView, StatusTable } from './report.tsx';
import { readableSubject } from '../placeholders.ts';

const notices: Record<string, string> = {
  saved: 'The draft has been saved.',
  sending: 'Sending has started. This page shows how it is going.',
  scheduled: 'The mailing is scheduled.',
  unscheduled: 'The mailing is back to draft. It will not be sent until you send or schedule it again.',
  stopped: 'Sending has stopped. Nobody who had not been sent it yet will get it.',
};

function Summary({ mailing, audienceCount }: { mailing: Mailing; audienceCount: number | undefined }) {
  return (
    <dl class="summary-list">
      <div class="summary-list__row">
        <dt>Status</dt>
        <dd>
          <StatusTag status={mailing.status} />
          {mailing.status === 'scheduled' && mailing.scheduledFor ? ` to send on ${formatLondon(mailing.scheduledFor, 'full')} (UK time)` : ''}
        </dd>
      </div>
      <div class="summary-list__row">
        <dt>From</dt>
        <dd>{mailing.purposeName}</dd>
      </div>
      <div class="summary-list__row">
        <dt>To</dt>
        <dd>
          {audienceText(mailing)}
          {audienceCount === undefined ? '' : ` – ${formatNumber(audienceCount)} ${audienceCount === 1 ? 'person' : 'people'} at the moment`}
        </dd>
      </div>
      <div class="summary-list__row">
        <dt>Sending speed</dt>
        <dd>{formatNumber(mailing.ratePerSecond)} messages a second</dd>
      </div>
      {mailing.sendRequestedAt ? (
        <div class="summary-list__row">
          <dt>Started</dt>
          <dd>{formatLondon(mailing.sendRequestedAt)} (UK time)</dd>
        </div>
      ) : null}
      {mailing.finishedAt ? (
        <div class="summary-list__row">
          <dt>Finished</dt>
          <dd>{formatLondon(mailing.finishedAt)} (UK time)</dd>
        </div>
      ) : null}
    </dl>
  );
}

function Progress({ mailing, counts }: { mailing: Mailing; counts: StatusCounts & { recipients: number } }) {
  const done = counts.sent + counts.failed + counts.skipped + counts.unknown;
  return (
    <section aria-labelledby="progress-title" data-mailing-progress={`/admin/mailings/${mailing.id}/progress.json`}>
      <h2 id="progress-title">Progress</h2>
      {mailing.status === 'preparing' ? (
        <p>Working out who gets it…</p>
      ) : (
        <p>
          <label for="mailing-progress">
            <span data-count="done">{formatNumber(done)}</span> of <span data-count="recipients">{formatNumber(counts.recipients)}</span> done
          </label>{' '}
          <progress id="mailing-progress" max={Math.max(1, counts.recipients)} value={done}>
            {counts.recipients ? Math.round((done / counts.recipients) * 100) : 0}%
          </progress>
        </p>
      )}
      <StatusTable counts={counts} caption="Recipients so far" />
      <p class="hint">This page updates itself every few seconds.</p>
    </section>
  );
}

export interface MailingPageProps {
  mailing: Mailing;
  notice?: string | undefined;
  audienceCount?: number;
  progress?: StatusCounts & { recipients: number };
  report?: MailingReport;
}

export function MailingPage({ mailing, notice, audienceCount, progress, report }: MailingPageProps) {
  const active = mailing.status === 'preparing' || mailing.status === 'sending';
  return (
    <Layout
      title={readableSubject(mailing.subject)}
      breadcrumbs={[mailingsCrumb]}
      scripts={active ? ['mailings.js'] : []}
      head={active ? <noscript><meta http-equiv="refresh" content="10" /></noscript> : undefined}
      wide
    >
      {notice && notices[notice] ? <Notice>{notices[notice]}</Notice> : null}
      <span class="caption">Mailing</span>
      <h1>{readableSubject(mailing.subject)}</h1>
      <Summary mailing={mailing} audienceCount={audienceCount} />
      {mailing.status === 'draft' ? (
        <p class="button-group">
          <a class="button button--secondary" href={`/admin/mailings/${mailing.id}/edit`}>
            Change
          </a>
          <a class="button button--secondary" href={`/admin/mailings/${mailing.id}/preview`}>
            Preview and send a test
          </a>
          <a class="button button--primary" href={`/admin/mailings/${mailing.id}/send`}>
            Send or schedule
          </a>
        </p>
      ) : null}
      {mailing.status === 'scheduled' ? (
        <p class="button-group">
          <a class="button button--secondary" href={`/admin/mailings/${mailing.id}/preview`}>
            Preview and send a test
          </a>
          <ActionButton action={`/admin/mailings/${mailing.id}/unschedule`}>Take back to draft</ActionButton>
        </p>
      ) : null}
      {active && progress ? <Progress mailing={mailing} counts={progress} /> : null}
      {active ? (
        <p>
          <ActionButton action={`/admin/mailings/${mailing.id}/stop`} variant="warning">
            Stop sending
          </ActionButton>
        </p>
      ) : null}
      {report ? <MailingReportView report={report} /> : null}
    </Layout>
  );
}
