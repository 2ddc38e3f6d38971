import { ActionButton, Button, ErrorSummary, Form, Layout, Notice, Pagination, Select, TextArea, TextInput, formatLondon, formatNumber, pageCount, type FieldErrors, type FormValues } from '../../platform/index.ts';
import type { Collection, CollectionKind, Member } from './collections.ts';
import { ownerLabel } from '../segments/segment-views.tsx';

export const words: Record<CollectionKind, { one: string; many: string; Many: string; intro: string; base: string }> = {
  tag: { one: 'tag', many: 'tags', Many: 'Tags', intro: 'Labels on people, for segments: "volunteer", "nurse", "met at the rally".', base: '/admin/tags' },
  list: { one: 'list', many: 'lists', Many: 'Lists', intro: 'Fixed sets of people you choose one by one or from a segment, for example a mailing list for a meeting.', base: '/admin/lists' },
};

const notices: Record<string, string> = {
  created: 'Created.',
  saved: 'Your changes have been saved.',
  deleted: 'Deleted.',
  added: 'Added.',
  'already-in': 'That person was already in it.',
  removed: 'Removed.',
};

function NoticeFor({ notice }: { notice: string | undefined }) {
  // `segment-added-12`: how many were added rides in the notice's key.
  const added = /^segment-added-(\d+)$/.exec(notice ?? '')?.[1];
  if (added !== undefined) return <Notice>{`${formatNumber(Number(added))} ${added === '1' ? 'person' : 'people'} added from the segment.`}</Notice>;
  return notice && notices[notice] ? <Notice>{notices[notice]}</Notice> : null;
}

export interface CollectionsPageProps {
  kind: CollectionKind;
  collections: Collection[];
  owners: Array<{ value: string; label: string }>;
  errors?: FieldErrors | undefined;
  values?: FormValues | undefined;
  notice?: string | undefined;
}

export function CollectionsPage({ kind, collections, owners, errors, values, notice }: CollectionsPageProps) {
  const w = words[kind];
  return (
    <Layout title={w.Many} wide breadcrumbs={[{ href: '/admin/segments', label: 'Segments' }]}>
      <NoticeFor notice={notice} />
      <h1>{w.Many}</h1>
      <p class="lead">{w.intro}</p>
      {collections.length === 0 ? (
        <p>No {w.many} yet.</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">{w.Many} with the number of people in each</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Owned by</th>
              <th scope="col" class="numeric">
                People
              </th>
            </tr>
          </thead>
          <tbody>
            {collections.map((c) => (
              <tr>
                <td>
                  <a href={`${w.base}/${c.id}`}>{c.name}</a>
                </td>
                <td>{ownerLabel(c)}</td>
                <td class="numeric">{formatNumber(c.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>New {w.one}</h2>
      <ErrorSummary errors={errors} />
      <Form action={w.base}>
        <TextInput name="name" label="Name" width="20" maxLength={100} values={values} errors={errors} />
        {kind === 'list' ? <TextArea name="description" label="Description (optional)" rows={2} values={values} errors={errors} /> : null}
        <Select name="group" label="Owned by" options={owners} values={values} errors={errors} />
        <Button>Create {w.one}</Button>
      </Form>
    </Layout>
  );
}

export interface CollectionPageProps {
  collection: Collection;
  members: Member[];
  page: number;
  manage: boolean;
  search: string;
  found: Member[] | null;
  segments: Array<{ value: string; label: string }>;
  errors?: FieldErrors | undefined;
  values?: FormValues | undefined;
  notice?: string | undefined;
}

function name(m: Member): string {
  return [m.givenName, m.familyName].filter(Boolean).join(' ') || '(no name)';
}

export const MEMBERS_PER_PAGE = 50;

export function CollectionPage(props: CollectionPageProps) {
  const { collection: c, manage, errors } = props;
  const w = words[c.kind];
  const base = `${w.base}/${c.id}`;
  const values = props.values ?? { name: c.name, description: c.description };
  return (
    <Layout title={c.name} wide breadcrumbs={[{ href: w.base, label: w.Many }]}>
      <NoticeFor notice={props.notice} />
      <h1>{c.name}</h1>
      <p>
        A {w.one} owned by {ownerLabel(c)}, with {formatNumber(c.count)} {c.count === 1 ? 'person' : 'people'} you can see.
      </p>
      {c.description ? <p>{c.description}</p> : null}
      <ErrorSummary errors={errors} />
      {manage ? (
        <>
          <h2>Add people</h2>
          <Form method="get" action={base}>
            <TextInput name="q" label="Find people by email address" hint="At least 3 characters: the start of the address, or all of it" type="search" width="20" value={props.search} />
            <Button variant="secondary">Search</Button>
          </Form>
          {props.found ? <SearchResults base={base} found={props.found} /> : null}
          {props.segments.length > 0 ? (
            <Form action={`${base}/segment`}>
              <Select name="segment" label="Add everyone in a segment" options={props.segments} placeholder="Choose a segment" errors={errors} values={values} />
              <Button variant="secondary">Add everyone in the segment</Button>
            </Form>
          ) : null}
        </>
      ) : (
        <p>Only {c.groupId === null ? 'coalition admins' : `${ownerLabel(c)}’s organisers`} can change this {w.one}.</p>
      )}
      <h2>People</h2>
      <MemberTable base={base} members={props.members} manage={manage} />
      <Pagination page={props.page} totalPages={pageCount(c.count, MEMBERS_PER_PAGE)} href={(p) => `${base}?page=${p}`} />
      {manage ? (
        <>
          <h2>Rename or delete</h2>
          <Form action={base}>
            <TextInput name="name" label="Name" width="20" maxLength={100} values={values} errors={errors} />
            {c.kind === 'list' ? <TextArea name="description" label="Description (optional)" rows={2} values={values} errors={errors} /> : null}
            <Button>Save changes</Button>
          </Form>
          <ActionButton action={`${base}/delete`} variant="warning">
            {`Delete this ${w.one} (it comes off ${formatNumber(c.count)} people)`}
          </ActionButton>
        </>
      ) : null}
    </Layout>
  );
}

function SearchResults({ base, found }: { base: string; found: Member[] }) {
  if (found.length === 0) return <p>Nobody you can see has an email address like that.</p>;
  return (
    <table class="table">
      <caption>People found</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Email</th>
          <th scope="col">
            <span class="visually-hidden">Action</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {found.map((m) => (
          <tr>
            <td>{name(m)}</td>
            <td>{m.email}</td>
            <td>
              <ActionButton action={`${base}/members`} fields={{ person: m.publicId }}>
                {`Add ${m.email ?? ''}`}
              </ActionButton>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function MemberTable({ base, members, manage }: { base: string; members: Member[]; manage: boolean }) {
  if (members.length === 0) return <p>Nobody yet.</p>;
  return (
    <table class="table">
      <caption class="visually-hidden">People in it, most recently added first</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Email</th>
          <th scope="col">Added</th>
          {manage ? (
            <th scope="col">
              <span class="visually-hidden">Action</span>
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {members.map((m) => (
          <tr>
            <td>{name(m)}</td>
            <td>{m.email}</td>
            <td>{formatLondon(m.addedAt, 'short-date')}</td>
            {manage ? (
              <td>
                <ActionButton action={`${base}/members/remove`} fields={{ person: m.publicId }}>
                  {`Remove ${m.email ?? ''}`}
                </ActionButton>
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
