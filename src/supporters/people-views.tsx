import type { ComponentChildren } from 'preact';
import { Button, formatLondon, formatNumber, Layout, Pagination, ScrollingTable, Select, TextInput } from '../platform/index.ts';
import type { PeoplePage, PeopleSearch } from './search-people.ts';

/** Times are stored in UTC and shown in London time. */
export function londonTime(date: Date | null | undefined): string {
  if (!date) return '–';
  return formatLondon(date);
}

export const peopleCrumbs = [{ href: '/admin/people', label: 'People' }];

export function SummaryRow({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="summary-list__row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export interface PeopleListProps {
  result: PeoplePage;
  search: PeopleSearch;
  groups: Array<{ id: number; name: string }>;
  isAdmin: boolean;
}

function searchHref(search: PeopleSearch, page: number): string {
  const params = new URLSearchParams();
  if (search.text) params.set('q', search.text);
  if (search.groupId) params.set('group', String(search.groupId));
  params.set('page', String(page));
  return `/admin/people?${params.toString()}`;
}

export function PeopleListPage({ result, search, groups, isAdmin }: PeopleListProps) {
  return (
    <Layout title="People" wide>
      <h1>People</h1>
      <ul class="link-list people-links">
        <li>
          <a href="/admin/people/forms">Sign-up forms and embed code</a>
        </li>
        <li>
          <a href="/admin/people/consents">Consent purposes and proof</a>
        </li>
        {isAdmin ? (
          <>
            <li>
              <a href="/admin/people/merge">Merge two records</a>
            </li>
            <li>
              <a href="/admin/retention">Retention rules</a>
            </li>
          </>
        ) : null}
      </ul>
      <form method="get" action="/admin/people" class="people-search" role="search">
        <TextInput name="q" label="Name, email address or postcode" type="search" value={search.text ?? ''} spellcheck={false} />
        <Select
          name="group"
          label="Group"
          placeholder={isAdmin ? 'All groups' : 'All my groups'}
          options={groups.map((g) => ({ value: String(g.id), label: g.name }))}
          value={search.groupId ? String(search.groupId) : ''}
        />
        <Button variant="secondary">Search</Button>
      </form>
      <p>
        {result.total === 1 ? '1 person' : `${formatNumber(result.total)} people`}
        {search.text ? ` matching “${search.text}”` : ''}
      </p>
      {result.rows.length === 0 ? (
        <p>No one found.</p>
      ) : (
        <ScrollingTable label="People">
          <table class="table">
            <caption class="visually-hidden">People, most recently active first</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Postcode</th>
                <th scope="col">Latest action</th>
              </tr>
            </thead>
            <tbody>
              {result.rows.map((row) => (
                <tr>
                  <td>
                    <a href={`/admin/people/${row.publicId}`}>{[row.givenName, row.familyName].filter(Boolean).join(' ') || 'No name given'}</a>
                  </td>
                  <td>{row.email}</td>
                  <td>{row.postcode ?? '–'}</td>
                  <td>{londonTime(row.latestActionAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollingTable>
      )}
      <Pagination page={search.page} totalPages={result.totalPages} href={(p) => searchHref(search, p)} />
    </Layout>
  );
}
