import { ScrollingTable, ActionButton, Layout, Notice, formatLondon, formatNumber } from '../../platform/index.ts';
import { formatCount } from './builder-view.tsx';
import type { SegmentPerson } from './compile-segment.ts';
import type { SavedSegment } from './segment-store.ts';
import { describeDefinition, type SegmentNames } from './describe-segment.ts';

export function ownerLabel(item: { groupName: string | null }): string {
  return item.groupName ?? 'Whole coalition';
}

/** The conditions in words, as a short paragraph and list. */
export function SegmentConditions({ segment, names }: { segment: SavedSegment; names: SegmentNames }) {
  const described = describeDefinition(segment.definition, names);
  if (described.conditions.length === 0) return <p class="segment-conditions">{described.match}.</p>;
  return (
    <div class="segment-conditions">
      <p>{described.match}:</p>
      <ul>
        {described.conditions.map((text) => (
          <li>{text}</li>
        ))}
      </ul>
    </div>
  );
}

export function SegmentsIndexPage({ segments, names, notice }: { segments: SavedSegment[]; names: SegmentNames; notice?: string | undefined }) {
  return (
    <Layout title="Segments" wide>
      {notice === 'deleted' ? <Notice>The segment has been deleted.</Notice> : null}
      <h1>Segments</h1>
      <p class="lead">Saved sets of people, defined by conditions and counted live: for mailings and exports.</p>
      <p>
        <a class="button button--primary" href="/admin/segments/new">
          New segment
        </a>{' '}
        <a href="/admin/tags">Tags</a> · <a href="/admin/lists">Lists</a> · <a href="/admin/people-imports">Import people from a CSV file</a>
      </p>
      {segments.length === 0 ? (
        <p>No segments yet.</p>
      ) : (
        <ScrollingTable label="Saved segments"><table class="table">
          <caption class="visually-hidden">Saved segments</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Owned by</th>
              <th scope="col">Conditions</th>
              <th scope="col">Last changed</th>
            </tr>
          </thead>
          <tbody>
            {segments.map((s) => (
              <tr>
                <td>
                  <a href={`/admin/segments/${s.id}`}>{s.name}</a>
                </td>
                <td>{ownerLabel(s)}</td>
                <td>
                  <SegmentConditions segment={s} names={names} />
                </td>
                <td>{formatLondon(s.modifiedAt, 'short-date')}</td>
              </tr>
            ))}
          </tbody>
        </table></ScrollingTable>
      )}
    </Layout>
  );
}

function personName(p: { given_name: string | null; family_name: string | null }): string {
  return [p.given_name, p.family_name].filter(Boolean).join(' ') || '(no name)';
}

export interface SegmentPageProps {
  segment: SavedSegment;
  names: SegmentNames;
  count: number;
  people: SegmentPerson[];
  /** Names of the people's constituencies, by code. */
  constituencies: Map<string, string>;
  manage: boolean;
  notice?: string | undefined;
}

export function SegmentPage(props: SegmentPageProps) {
  const { segment, count, people } = props;
  return (
    <Layout title={segment.name} wide breadcrumbs={[{ href: '/admin/segments', label: 'Segments' }]}>
      {props.notice === 'saved' ? <Notice>The segment has been saved.</Notice> : null}
      <h1>{segment.name}</h1>
      <p>
        Owned by {ownerLabel(segment)}. {segment.groupId === null ? 'Counts the people you can see.' : `Counts the people connected to ${segment.groupName ?? 'the group'}.`}
      </p>
      <SegmentConditions segment={segment} names={props.names} />
      <p class="segment-count">
        <span class="key-figure">{formatNumber(count)}</span> {count === 1 ? 'person' : 'people'}
      </p>
      <p class="segment-actions">
        <a class="button button--secondary" href={`/admin/segments/${segment.id}/export.csv`} download>
          Export as CSV
        </a>{' '}
        {props.manage ? (
          <>
            <a class="button button--secondary" href={`/admin/segments/${segment.id}/edit`}>
              Edit conditions
            </a>{' '}
            <ActionButton action={`/admin/segments/${segment.id}/delete`} variant="warning">
              Delete segment
            </ActionButton>
          </>
        ) : null}
      </p>
      <h2>{count > people.length ? `The first ${people.length} people` : 'People'}</h2>
      {people.length === 0 ? (
        <p>Nobody matches yet.</p>
      ) : (
        <ScrollingTable label="People in the segment">
          <table class="table">
            <caption class="visually-hidden">{formatCount(count)}; the first {people.length} shown</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Postcode</th>
                <th scope="col">Constituency</th>
                <th scope="col">Added</th>
              </tr>
            </thead>
            <tbody>
              {people.map((p) => (
                <tr>
                  <td>{personName(p)}</td>
                  <td>{p.email ?? ''}</td>
                  <td>{p.postcode ?? ''}</td>
                  <td>{p.constituency_code ? (props.constituencies.get(p.constituency_code) ?? p.constituency_code) : ''}</td>
                  <td>{formatLondon(p.created_at, 'short-date')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollingTable>
      )}
    </Layout>
  );
}
