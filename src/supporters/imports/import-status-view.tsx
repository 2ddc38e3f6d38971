import { ActionButton, Layout, formatNumber } from '../../platform/index.ts';
import { Figures, ProblemTable, importStateLabel } from './import-views.tsx';
import type { ImportReport, PeopleImport } from './import-store.ts';

function ReportFigures({ report }: { report: ImportReport }) {
  return (
    <Figures
      rows={[
        ['Rows in the file', report.rows],
        ['Rows with problems (not imported)', report.bad],
        ['New people', report.wouldCreate],
        ['People we already have (details added)', report.wouldUpdate],
        ['Repeated email addresses in the file (merged)', report.duplicatesInFile],
        ['Consent to record', report.withConsent],
        ['Consent already recorded', report.consentAlreadyGiven],
        ['Consent withdrawn earlier (kept withdrawn)', report.consentWithdrawnKept],
        ['Unsubscribed in the file (imported without consent)', report.withoutConsent],
        ['Postcodes we could not place in a constituency', report.postcodesNotFound],
        ['New tags', report.newTags.length > 0 ? report.newTags.join(', ') : 'none'],
      ]}
    />
  );
}

/** How far a run has got, by line of the file (the header is line 1). */
export function importPercent(plan: PeopleImport): number {
  if (plan.state === 'done') return 100;
  const total = plan.report?.lastLine ?? 0;
  return total > 1 ? Math.max(0, Math.min(100, Math.round(((plan.linesDone - 1) / (total - 1)) * 100))) : 0;
}

/** The dry-run report, then the progress and result of the run. */
export function ImportStatusPage({ plan }: { plan: PeopleImport }) {
  const report = plan.report;
  const running = plan.state === 'queued' || plan.state === 'running';
  const total = report?.lastLine ?? 0;
  const percent = importPercent(plan);
  return (
    <Layout title={`Import: ${plan.fileName}`} wide breadcrumbs={[{ href: '/admin/people-imports', label: 'Imports' }]} scripts={running ? ['segments.js'] : []}>
      <h1>Import: {plan.fileName}</h1>
      <p>
        State: <strong>{importStateLabel(plan.state)}</strong>. Consent wording: “{plan.wording}”.
      </p>
      {plan.state === 'checked' && report ? (
        <>
          <h2>Dry run: nothing has been saved yet</h2>
          {report.fileError ? <p class="error-message">{report.fileError}</p> : null}
          <ReportFigures report={report} />
          <ProblemTable caption={`Rows with problems${report.bad > report.problems.length ? ` (the first ${report.problems.length})` : ''}`} problems={report.problems} />
          <ProblemTable
            caption="Repeated email addresses (merged into the earlier row's person)"
            problems={report.duplicates.map((d) => ({ line: d.line, reason: `Same person as line ${d.firstLine}` }))}
          />
          {report.valid > 0 && !report.fileError ? (
            <ActionButton action={`/admin/people-imports/${plan.id}/run`} variant="primary">
              {`Import ${formatNumber(report.valid)} rows`}
            </ActionButton>
          ) : null}{' '}
          <a href={`/admin/people-imports/${plan.id}?step=mapping`}>Change the columns</a>
        </>
      ) : null}
      {running || plan.state === 'done' || plan.state === 'failed' ? (
        <>
          <h2>{running ? 'Progress' : 'Result'}</h2>
          {running ? (
            <>
              <div class="import-progress" data-import-status={`/admin/people-imports/${plan.id}/status.json`}>
                <progress max={100} value={percent} aria-labelledby="import-progress-text">
                  {percent}%
                </progress>
                <p id="import-progress-text" aria-live="polite">
                  {percent}% done (line {Math.max(0, plan.linesDone)} of {total}).
                </p>
              </div>
              <p>
                You can leave this page: the import carries on, and resumes by itself if the server restarts.{' '}
                <a href={`/admin/people-imports/${plan.id}`}>Refresh to see progress</a>
              </p>
            </>
          ) : null}
          {plan.error ? <p class="error-message">{plan.error}</p> : null}
          <Figures
            rows={[
              ['Rows read', plan.counts.rows ?? 0],
              ['Imported', plan.counts.imported ?? 0],
              ['Rejected', plan.counts.rejected ?? 0],
              ['New people', plan.counts.created ?? 0],
              ['Existing people updated', plan.counts.updated ?? 0],
              ['Consent recorded', plan.counts.consentGiven ?? 0],
              ['Imported without consent', plan.counts.withoutConsent ?? 0],
              ['Tags added', plan.counts.tagsAdded ?? 0],
            ]}
          />
          <ProblemTable caption="Rows not imported" problems={plan.problems} />
        </>
      ) : null}
    </Layout>
  );
}
