import type { Group } from '../../coalition/index.ts';
import { ActionButton, Button, ChoiceGroup, ErrorSummary, Form, Layout, Notice, PageNotice, Pagination, ScrollingTable, Select, TextArea, TextInput, formatCalendarDate, formatNumber, type FieldErrors, type FormValues, type Option } from '../../platform/index.ts';
import { SOURCE_MAX, SUMMARY_MAX, TITLE_MAX } from '../link-form.ts';
import type { Link } from '../store.ts';

export const linkAdminPath = (id: number, rest = '') => `/admin/links/${id}${rest ? `/${rest}` : ''}`;

const notices = { created: 'Link added.', updated: 'Link saved.', deleted: 'Link deleted.', imported: 'Links imported.' };

export function LinkAdminListPage(props: { links: Link[]; total: number; page: number; totalPages: number; canAdd: boolean; ownGroupsOnly: boolean; notice: string | undefined; groupNames: Map<number, string> }) {
  return (
    <Layout title="News links" wide>
      <PageNotice notice={props.notice} messages={notices} />
      <h1>News links</h1>
      <p>
        Links to news and information on other websites, searchable by the public at <a href="/links">/links</a>.
        {props.ownGroupsOnly ? ' These are the links of the groups you organise for.' : ''}
      </p>
      {props.canAdd ? (
        <p>
          <a class="button" href="/admin/links/new">
            Add a link
          </a>
        </p>
      ) : null}
      <p>{props.total === 1 ? '1 link' : `${formatNumber(props.total)} links`}</p>
      {props.links.length === 0 ? (
        <p>No links yet.</p>
      ) : (
        <ScrollingTable label="News links">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Source</th>
                <th scope="col">Published</th>
                <th scope="col">Group</th>
                <th scope="col">Added by</th>
              </tr>
            </thead>
            <tbody>
              {props.links.map((l) => (
                <tr>
                  <td>
                    <a href={linkAdminPath(l.id, 'edit')}>{l.title}</a>
                  </td>
                  <td>{l.source}</td>
                  <td>{l.publishedOn ? formatCalendarDate(l.publishedOn) : ''}</td>
                  <td>{l.groupId === null ? 'Coalition' : (props.groupNames.get(l.groupId) ?? '')}</td>
                  <td>{l.addedByName}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollingTable>
      )}
      <Pagination page={props.page} totalPages={props.totalPages} href={(p) => `/admin/links?page=${p}`} />
    </Layout>
  );
}

/** Step one of adding: paste the address, and the hub reads the page to fill in the rest. */
export function LinkAddressPage(props: { values: FormValues; errors?: FieldErrors | undefined; duplicateOf?: Link | undefined }) {
  return (
    <Layout title={`${props.errors ? 'Error: ' : ''}Add a link`} breadcrumbs={[{ href: '/admin/links', label: 'News links' }]}>
      <ErrorSummary errors={props.errors} />
      {props.duplicateOf ? <Duplicate link={props.duplicateOf} /> : null}
      <h1>Add a link</h1>
      <Form action="/admin/links/new/fetch">
        <TextInput name="url" type="url" label="Address of the page" hint="Paste the address of the article. We read the page once to fill in its title, source, date and summary; you can change them." values={props.values} errors={props.errors} spellcheck={false} />
        <Button>Continue</Button>
      </Form>
      <p>
        <a href="/admin/links/new/details">Type the details in yourself</a>
      </p>
    </Layout>
  );
}

function Duplicate({ link }: { link: Link }) {
  return (
    <div class="notice notice--info" role="alert">
      <p>
        This link is already in the library: <a href={linkAdminPath(link.id, 'edit')}>{link.title}</a>
        {link.source ? ` (${link.source})` : ''}.
      </p>
    </div>
  );
}

export interface LinkFormPageProps {
  link?: Link | undefined;
  values: FormValues;
  regionsSelected: string[];
  errors?: FieldErrors | undefined;
  groups: Group[];
  regions: Option[];
  mayUseCoalition: boolean;
  /** Why the page could not be read (the organiser types the details). */
  fetchProblem?: string | undefined;
  fetched?: boolean;
  duplicateOf?: Link | undefined;
}

export function LinkFormPage(props: LinkFormPageProps) {
  const editing = props.link !== undefined;
  const action = editing ? linkAdminPath(props.link!.id, 'edit') : '/admin/links/new';
  const groupOptions = props.groups.map((g) => ({ value: String(g.id), label: g.name }));
  return (
    <Layout title={`${props.errors ? 'Error: ' : ''}${editing ? 'Change link' : 'Add a link'}`} breadcrumbs={[{ href: '/admin/links', label: 'News links' }]}>
      <ErrorSummary errors={props.errors} />
      {props.duplicateOf ? <Duplicate link={props.duplicateOf} /> : null}
      <h1>{editing ? 'Change link' : 'Add a link'}</h1>
      {props.fetchProblem ? <Notice kind="warning">{props.fetchProblem} Type the details in below.</Notice> : null}
      {props.fetched ? <Notice kind="info">We filled in what the page says about itself. Check it before saving.</Notice> : null}
      <Form action={action}>
        <input type="hidden" name="canonical" value={props.values.canonical ?? ''} />
        <TextInput name="url" type="url" label="Address" values={props.values} errors={props.errors} spellcheck={false} />
        <TextInput name="title" label="Title" values={props.values} errors={props.errors} maxLength={TITLE_MAX} />
        <TextInput name="source" label="Source" hint="The publication, like BBC News or the Health Service Journal." values={props.values} errors={props.errors} maxLength={SOURCE_MAX} />
        <TextInput name="published_on" type="date" label="Date published" hint="For example, 2025-03-14." width="10" values={props.values} errors={props.errors} />
        <TextArea name="summary" label="Summary" hint="Optional. Simple formatting: a blank line between paragraphs, **bold**, *italic*, - lists, [words](https://…) for links." rows={6} values={props.values} errors={props.errors} maxLength={SUMMARY_MAX} />
        <TextInput name="tags" label="Tags" hint="Optional, separated by commas, like maternity, A&E closures." values={props.values} errors={props.errors} />
        <ChoiceGroup name="regions" type="checkbox" legend="Regions it concerns" hint="Optional." options={props.regions} selected={props.regionsSelected} errors={props.errors} />
        <TextInput name="constituencies" label="Constituencies it concerns" hint="Optional: constituency codes, like E14001234, separated by commas." values={props.values} errors={props.errors} />
        {props.mayUseCoalition ? (
          <Select name="group" label="Group" hint="Whose link this is: the coalition’s own, or a member group’s." placeholder="The coalition" options={groupOptions} values={props.values} errors={props.errors} />
        ) : (
          <Select name="group" label="Group" options={groupOptions} values={props.values} errors={props.errors} />
        )}
        <Button>{editing ? 'Save link' : 'Add link'}</Button>
      </Form>
      {editing ? (
        <p>
          <a href={linkAdminPath(props.link!.id, 'delete')}>Delete this link</a>
        </p>
      ) : null}
    </Layout>
  );
}

export function DeleteLinkPage({ link }: { link: Link }) {
  return (
    <Layout title="Delete link" breadcrumbs={[{ href: '/admin/links', label: 'News links' }]}>
      <h1>Delete this link?</h1>
      <p>
        “{link.title}”{link.source ? ` (${link.source})` : ''} will be taken off /links and its feed. The audit log keeps what it was.
      </p>
      <ActionButton action={linkAdminPath(link.id, 'delete')} variant="warning">
        Delete link
      </ActionButton>{' '}
      <a href={linkAdminPath(link.id, 'edit')}>Keep it</a>
    </Layout>
  );
}
