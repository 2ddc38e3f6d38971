import type { ComponentChildren, VNode } from 'preact';
import { Button, ErrorSummary, Form, Layout, Notice, Pagination, Select, TextInput, formatNumber, type FieldErrors } from '../platform/index.ts';
import type { Constituency, ConstituencyPage, ConstituencySort, ConstituencySummary, Mp } from './constituencies.ts';
import { formatShare, majorityShare, marginalityRankText } from './marginality.ts';
import { OTHER_WINNER_COLUMN, partyName } from './parties.ts';


/** Postcodes the demo knows, to suggest on its pages: the forms' example first. */
export const DEMO_POSTCODES_TO_TRY = 'SW1A 1AA, NW4 4BT (Hendon), M1 3BE (Manchester Central) or BS1 5TR (Bristol Central)';

function DemoNotice({ demo }: { demo: boolean }) {
  if (!demo) return null;
  return (
    <Notice kind="info">
      <strong>Demo data.</strong> A few real constituencies with their 2024 results and a few postcodes in each, so you can try Chorus:
      try {DEMO_POSTCODES_TO_TRY}. An administrator can import the official files to show all 650.
    </Notice>
  );
}

/** "15 (0.04%)": the majority and its share of the valid votes. */
export function majorityText(majority: number | null, validVotes: number | null): string {
  if (majority === null) return 'Not known';
  const share = majorityShare(majority, validVotes);
  return share === null ? formatNumber(majority) : `${formatNumber(majority)} (${formatShare(share)})`;
}

function MpName({ mp }: { mp: Mp | null }) {
  if (!mp) return <>Not known</>;
  return (
    <>
      {mp.name}
      {mp.partyName ? `, ${mp.partyName}` : null}
    </>
  );
}

export interface ListQuery {
  q: string | undefined;
  sort: ConstituencySort;
  page: number;
}

function listHref(query: ListQuery, page: number): string {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  if (query.sort !== 'name') params.set('sort', query.sort);
  if (page > 1) params.set('page', String(page));
  const text = params.toString();
  return text ? `/constituencies?${text}` : '/constituencies';
}

function FindByPostcode({ errors, postcode }: { errors: FieldErrors | undefined; postcode: string | undefined }) {
  return (
    <section aria-labelledby="find-heading" class="constituency-finder">
      <h2 id="find-heading">Find your constituency</h2>
      <Form action="/constituencies" method="get">
        <TextInput
          name="postcode"
          label="Postcode"
          hint="For example, SW1A 1AA"
          autocomplete="postal-code"
          width="10"
          spellcheck={false}
          errors={errors}
          value={postcode}
        />
        <Button>Find constituency</Button>
      </Form>
    </section>
  );
}

function ConstituencyRows({ items, sort }: { items: ConstituencySummary[]; sort: ConstituencySort }) {
  return (
    <tbody>
      {items.map((c) => (
        <tr>
          {sort === 'marginality' ? <td class="numeric">{c.marginalityRank ?? '–'}</td> : null}
          <th scope="row">
            <a href={`/constituencies/${c.code}`}>{c.name}</a>
          </th>
          <td>{c.regionName ?? ''}</td>
          <td>
            <MpName mp={c.mp} />
          </td>
          <td class="numeric">{majorityText(c.majority, c.validVotes)}</td>
        </tr>
      ))}
    </tbody>
  );
}

export function ConstituenciesPage(props: {
  list: ConstituencyPage;
  query: ListQuery;
  postcode?: string | undefined;
  errors?: FieldErrors | undefined;
  demo?: boolean;
}) {
  const { list, query, errors } = props;
  const sortOptions = [
    { value: 'name', label: 'Name' },
    { value: 'marginality', label: 'Most marginal first' },
  ];
  const caption = `Constituencies${query.q ? ` matching “${query.q}”` : ''}, ${query.sort === 'marginality' ? 'most marginal first' : 'by name'}${
    list.totalPages > 1 ? ` (page ${list.page} of ${list.totalPages})` : ''
  }`;
  return (
    <Layout
      title={`${errors ? 'Error: ' : ''}Constituencies`}
      wide
      share={{ path: '/constituencies', description: 'Every UK Parliament constituency: its MP, the 2024 general election result and how marginal the seat is.' }}
    >
      <ErrorSummary errors={errors} />
      <h1>Constituencies</h1>
      <DemoNotice demo={props.demo ?? false} />
      <p class="lead">The 650 UK Parliament constituencies, their MPs and how close the 2024 general election was in each.</p>
      <FindByPostcode errors={errors} postcode={props.postcode} />
      <section aria-labelledby="list-heading">
        <h2 id="list-heading">All constituencies</h2>
        <Form action="/constituencies" method="get" class="constituency-search">
          <TextInput name="q" type="search" label="Search by name" width="20" value={query.q ?? ''} />
          <Select name="sort" label="Sort by" options={sortOptions} value={query.sort} />
          <Button variant="secondary">Show constituencies</Button>
        </Form>
        {list.total === 0 ? (
          <p>{query.q ? `No constituencies match “${query.q}”.` : 'No constituencies have been loaded yet.'}</p>
        ) : list.items.length === 0 ? (
          <p>
            There is no page {list.page}. <a href={listHref(query, 1)}>Go to the first page</a>.
          </p>
        ) : (
          <div class="table-scroll">
            <table class="table">
              <caption class="table__caption">{caption}</caption>
              <thead>
                <tr>
                  {query.sort === 'marginality' ? (
                    <th scope="col" class="numeric">
                      Rank
                    </th>
                  ) : null}
                  <th scope="col">Constituency</th>
                  <th scope="col">Region</th>
                  <th scope="col">MP</th>
                  <th scope="col" class="numeric">
                    Majority (share of votes)
                  </th>
                </tr>
              </thead>
              <ConstituencyRows items={list.items} sort={query.sort} />
            </table>
          </div>
        )}
        <p class="hint">
          {formatNumber(list.total)} {list.total === 1 ? 'constituency' : 'constituencies'}
          {query.q ? ` matching “${query.q}”` : ''}.
        </p>
        <Pagination page={list.page} totalPages={list.totalPages} href={(p) => listHref(query, p)} />
      </section>
    </Layout>
  );
}

function Row({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="summary-list__row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function VotesTable({ constituency }: { constituency: Constituency }) {
  const result = constituency.result!;
  const { [OTHER_WINNER_COLUMN]: otherWinner, ...votes } = result.votesByParty;
  const parties = Object.entries(votes)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  if (parties.length === 0) return null;
  const total = result.validVotes ?? parties.reduce((sum, [, n]) => sum + n, 0);
  return (
    <>
      <table class="table">
        <caption class="table__caption">Votes by party in {constituency.name}, general election 2024</caption>
        <thead>
          <tr>
            <th scope="col">Party</th>
            <th scope="col" class="numeric">
              Votes
            </th>
            <th scope="col" class="numeric">
              Share
            </th>
          </tr>
        </thead>
        <tbody>
          {parties.map(([party, n]) => (
            <tr>
              <th scope="row">{partyName(party)}</th>
              <td class="numeric">{formatNumber(n)}</td>
              <td class="numeric">{total > 0 ? formatShare(n / total) : '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {otherWinner ? <p class="hint">Of the votes for other candidates, {formatNumber(otherWinner)} went to the winning candidate.</p> : null}
    </>
  );
}

function ResultSection({ constituency }: { constituency: Constituency }) {
  const result = constituency.result;
  if (!result) return <p>The 2024 general election result for this constituency has not been loaded yet.</p>;
  const turnout = result.electorate && result.validVotes !== null ? formatShare(result.validVotes / result.electorate) : 'Not known';
  return (
    <>
      <dl class="summary-list">
        <Row label="Result">{result.text ?? 'Not known'}</Row>
        <Row label="Winner">
          {result.memberElected ?? 'Not known'}
          {result.firstParty ? `, ${partyName(result.firstParty)}` : ''}
        </Row>
        <Row label="First party">{partyName(result.firstParty) ?? 'Not known'}</Row>
        <Row label="Second party">{partyName(result.secondParty) ?? 'Not known'}</Row>
        <Row label="Majority">{majorityText(result.majority, result.validVotes)}</Row>
        <Row label="Marginality">
          {constituency.marginalityRank ? `${capitalise(marginalityRankText(constituency.marginalityRank, constituency.rankedSeats))}` : 'Not known'}
        </Row>
        <Row label="Electorate">{result.electorate === null ? 'Not known' : formatNumber(result.electorate)}</Row>
        <Row label="Turnout">{turnout}</Row>
        <Row label="Valid votes">{result.validVotes === null ? 'Not known' : formatNumber(result.validVotes)}</Row>
        <Row label="Invalid votes">{result.invalidVotes === null ? 'Not known' : formatNumber(result.invalidVotes)}</Row>
      </dl>
      <VotesTable constituency={constituency} />
    </>
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function MpSection({ mp }: { mp: Mp | null }) {
  if (!mp) return <p>We do not know who the MP is yet.</p>;
  return (
    <>
      <p class="lead">
        <MpName mp={mp} />
      </p>
      {mp.sitting ? null : <p class="hint">Elected at the 2024 general election.</p>}
      {mp.twfyUrl ? (
        <p>
          <a href={mp.twfyUrl} rel="noopener noreferrer">
            {mp.name} on TheyWorkForYou
          </a>
        </p>
      ) : null}
    </>
  );
}

export function ConstituencyDetailPage({ constituency, demo = false, sections = [] }: { constituency: Constituency; demo?: boolean; sections?: VNode[] }) {
  const c = constituency;
  const place = [c.regionName, c.countryName].filter((v, i, all): v is string => Boolean(v) && all.indexOf(v) === i).join(', ');
  return (
    <Layout
      title={c.name}
      breadcrumbs={[{ href: '/constituencies', label: 'Constituencies' }]}
      share={{
        path: `/constituencies/${c.code}`,
        description: `${c.name}, a UK Parliament constituency${place ? ` in ${place}` : ''}: ${c.mp ? `its MP, ${c.mp.name}, ` : 'its MP '}and the 2024 general election result.`,
      }}
      head={<link rel="alternate" type="application/json" href={`/constituencies/${c.code}.json`} />}
    >
      <span class="caption">UK Parliament constituency{place ? ` in ${place}` : ''}</span>
      <h1>{c.name}</h1>
      <DemoNotice demo={demo} />
      <h2>Member of Parliament</h2>
      <MpSection mp={c.mp} />
      <h2>General election 2024</h2>
      <ResultSection constituency={c} />
      {sections}
      <p class="hint">
        Constituency code {c.code}. Results: House of Commons Library (Open Parliament Licence). Also as <a href={`/constituencies/${c.code}.json`}>JSON</a>.
      </p>
    </Layout>
  );
}
