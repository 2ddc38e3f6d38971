import type { MailingReport, ReasonCount, StatusCounts } from '../report.ts';
import { ScrollingTable, formatNumber } from '../../../platform/index.ts';

const rows: Array<[keyof StatusCounts, string]> = [
  ['sent', 'Sent'],
  ['failed', 'Failed (refused by the mail server)'],
  ['skipped', 'Skipped (no live consent or undeliverable at the time of sending)'],
  ['unknown', 'Unknown (with the mail server when a worker stopped; not resent)'],
  ['queued', 'Waiting to send'],
  ['sending', 'Being sent now'],
];

/** Recipient counts by status; while sending, mailings.js refreshes the data-count cells (a meta refresh without JS). */
export function StatusTable({ counts, caption }: { counts: StatusCounts & { recipients: number }; caption: string }) {
  return (
    <ScrollingTable label={caption}><table class="table mailing-counts">
      <caption>{caption}</caption>
      <tbody>
        <tr>
          <th scope="row">Recipients</th>
          <td class="numeric" data-count="recipients">
            {formatNumber(counts.recipients)}
          </td>
        </tr>
        {rows.map(([key, label]) => (
          <tr>
            <th scope="row">{label}</th>
            <td class="numeric" data-count={key}>
              {formatNumber(counts[key])}
            </td>
          </tr>
        ))}
      </tbody>
    </table></ScrollingTable>
  );
}

function Reasons({ reasons, caption }: { reasons: ReasonCount[]; caption: string }) {
  if (reasons.length === 0) return null;
  return (
    <ScrollingTable label={caption}><table class="table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Reason</th>
          <th scope="col" class="numeric">
            People
          </th>
        </tr>
      </thead>
      <tbody>
        {reasons.map((r) => (
          <tr>
            <td>{r.reason}</td>
            <td class="numeric">{formatNumber(r.count)}</td>
          </tr>
        ))}
      </tbody>
    </table></ScrollingTable>
  );
}

export function MailingReportView({ report }: { report: MailingReport }) {
  const c = report.counts;
  return (
    <section aria-labelledby="report-title">
      <h2 id="report-title">Report</h2>
      <ul class="mailing-figures">
        <li>
          <span class="key-figure">{formatNumber(c.sent)}</span> sent
        </li>
        <li>
          <span class="key-figure">{formatNumber(c.failed)}</span> failed
        </li>
        <li>
          <span class="key-figure">{formatNumber(c.unsubscribed)}</span> unsubscribed through this mailing
        </li>
        <li>
          <span class="key-figure">{formatNumber(c.clicks)}</span> {c.clicks === 1 ? 'click' : 'clicks'} by {formatNumber(c.clickers)}{' '}
          {c.clickers === 1 ? 'person' : 'people'}
          {c.unmatchedClicks > 0
            ? ` (${formatNumber(c.unmatchedClicks)} of them from a forwarded or altered copy we could not match to a recipient)`
            : null}
        </li>
      </ul>
      <StatusTable counts={c} caption="Recipients by what happened" />
      {c.unknown > 0 ? (
        <p>
          {formatNumber(c.unknown)} {c.unknown === 1 ? 'message was' : 'messages were'} with the mail server when a worker stopped, so we cannot tell
          whether {c.unknown === 1 ? 'it' : 'they'} arrived. We did not send {c.unknown === 1 ? 'it' : 'them'} again, so that nobody gets this
          mailing twice.
        </p>
      ) : null}
      <Reasons reasons={report.failureReasons} caption="Why messages failed" />
      {report.failed.length > 0 ? (
        <ScrollingTable label="Failed addresses"><table class="table">
          <caption>Failed addresses{report.failed.length < c.failed ? ` (the first ${report.failed.length})` : ''}</caption>
          <thead>
            <tr>
              <th scope="col">Address</th>
              <th scope="col">What the mail server said</th>
            </tr>
          </thead>
          <tbody>
            {report.failed.map((f) => (
              <tr>
                <td>{f.email ?? '(erased)'}</td>
                <td>{f.reason}</td>
              </tr>
            ))}
          </tbody>
        </table></ScrollingTable>
      ) : null}
      <Reasons reasons={report.skipReasons} caption="Why people were skipped" />
      {report.links.length > 0 ? (
        <ScrollingTable label="Clicks on links"><table class="table">
          <caption>Clicks on links</caption>
          <thead>
            <tr>
              <th scope="col">Link</th>
              <th scope="col" class="numeric">
                Clicks
              </th>
              <th scope="col" class="numeric">
                People
              </th>
            </tr>
          </thead>
          <tbody>
            {report.links.map((l) => (
              <tr>
                <td class="mailing-link-url">{l.url}</td>
                <td class="numeric">{formatNumber(l.clicks)}</td>
                <td class="numeric">{formatNumber(l.people)}</td>
              </tr>
            ))}
          </tbody>
        </table></ScrollingTable>
      ) : null}
    </section>
  );
}
