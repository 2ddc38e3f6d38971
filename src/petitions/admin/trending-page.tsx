import { ScrollingTable, Button, CsrfField, Form, Layout, Select, formatLondon, formatNumber } from '../../platform/index.ts';
import type { Petition } from '../store.ts';
import { TRENDING_THRESHOLD, trendingPeriods, type TrendingPeriod, type TrendingReport, type TrendingSource } from '../trending-report.ts';
import { petitionAdminPath, petitionCrumbs } from './petition-paths.ts';

function SourceTable({ petition, kind, sources, caption }: { petition: Petition; kind: 'ip' | 'domain'; sources: TrendingSource[]; caption: string }) {
  if (sources.length === 0) return <p>None.</p>;
  const what = kind === 'ip' ? 'IP address' : 'Email domain';
  return (
    <ScrollingTable label={caption}>
      <table class="table">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{what}</th>
            <th scope="col" class="numeric">
              Most in one hour
            </th>
            <th scope="col">Busiest hour ended</th>
            <th scope="col" class="numeric">
              In the period
            </th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {sources.map((s) => (
            <tr>
              <th scope="row">
                <code>{s.value}</code>
              </th>
              <td class="numeric">{formatNumber(s.peak)}</td>
              <td>{formatLondon(s.peakEndedAt)}</td>
              <td class="numeric">{formatNumber(s.total)}</td>
              <td>
                <form method="post" action={petitionAdminPath(petition.id, 'invalidate/preview')} class="inline-form">
                  <CsrfField />
                  <input type="hidden" name="kind" value={kind} />
                  <input type="hidden" name="value" value={s.value} />
                  <input type="hidden" name="reason" value={`${what} ${s.value} signed ${s.peak} times in one hour`} />
                  <button type="submit" class="button button--warning button--small">
                    Invalidate<span class="visually-hidden"> signatures from {s.value}</span>…
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollingTable>
  );
}

/** IP addresses and email domains signing unusually often, with a path to invalidate them. */
export function TrendingPage({ petition, report, period }: { petition: Petition; report: TrendingReport; period: TrendingPeriod }) {
  const periodLabel = trendingPeriods[period].label;
  return (
    <Layout title="Signing unusually often" breadcrumbs={petitionCrumbs(petition)} wide>
      <h1>Signing unusually often</h1>
      <p>
        Addresses and email domains with {TRENDING_THRESHOLD} or more signatures within one hour, in {periodLabel}. A shared address (a
        hospital, a university, a mobile network) can be honest: check before invalidating. You will see how many signatures match
        before anything changes.
      </p>
      <Form action={petitionAdminPath(petition.id, 'trending')} method="get" class="petition-filter">
        <Select
          name="period"
          label="Look at"
          options={Object.entries(trendingPeriods).map(([value, p]) => ({ value, label: p.label.replace(/^the /, 'The ') }))}
          value={period}
        />
        <Button variant="secondary">Show</Button>
      </Form>
      <h2>IP addresses</h2>
      <SourceTable petition={petition} kind="ip" sources={report.ips} caption={`IP addresses signing ${TRENDING_THRESHOLD} or more times in an hour`} />
      <h2>Email domains</h2>
      <SourceTable petition={petition} kind="domain" sources={report.domains} caption={`Email domains signing ${TRENDING_THRESHOLD} or more times in an hour`} />
    </Layout>
  );
}
