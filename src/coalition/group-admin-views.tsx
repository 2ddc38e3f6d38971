import { Button, ErrorSummary, Form, Layout, LondonTime, Pagination, PageNotice, ScrollingTable, TextArea, TextInput, type FieldErrors, type FormValues } from '../platform/index.ts';
import { LogoField } from './admin-pages.tsx';
import type { Group } from './groups.ts';

const groupNotices = {
  created: 'The group has been added. Its public page is live.',
  updated: 'The group has been saved. Its public page shows the changes.',
  deleted: 'The group has been deleted.',
};

export interface GroupsAdminPageProps {
  groups: Group[];
  total: number;
  page: number;
  totalPages: number;
  isAdmin: boolean;
  notice?: string | undefined;
}

export function GroupsAdminPage({ groups, total, page, totalPages, isAdmin, notice }: GroupsAdminPageProps) {
  const title = isAdmin ? 'Member groups' : 'Your groups';
  return (
    <Layout title={title} wide>
      <PageNotice notice={notice} messages={groupNotices} />
      <h1>{title}</h1>
      <p>
        {isAdmin
          ? 'Every group in the coalition. Changes show on the public pages at once.'
          : 'The groups you organise. Changes show on the public pages at once. Ask a coalition admin to add you to another group.'}
      </p>
      <p>
        <a class="button button--primary" href="/admin/groups/new">
          Add a group
        </a>
      </p>
      {groups.length === 0 ? (
        <p>{isAdmin ? 'There are no groups yet.' : 'You do not organise any groups yet.'}</p>
      ) : (
        <ScrollingTable label="Groups">
          <table class="table">
            <caption class="table__caption">
              {title} ({total})
            </caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Public page</th>
                <th scope="col">Last changed</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {groups.map((group) => (
                <tr>
                  <th scope="row">
                    <a href={`/admin/groups/${group.id}`}>{group.name}</a>
                  </th>
                  <td>
                    <a href={`/groups/${group.slug}`}>/groups/{group.slug}</a>
                  </td>
                  <td>
                    <LondonTime date={group.updatedAt} />
                  </td>
                  <td class="table__actions">
                    <a href={`/admin/groups/${group.id}`}>
                      Edit<span class="visually-hidden"> {group.name}</span>
                    </a>
                    {isAdmin ? (
                      <a href={`/admin/groups/${group.id}/delete`}>
                        Delete<span class="visually-hidden"> {group.name}</span>
                      </a>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollingTable>
      )}
      <Pagination page={page} totalPages={totalPages} href={(p) => `/admin/groups?page=${p}`} />
    </Layout>
  );
}

export interface GroupFormPageProps {
  /** The group being edited; absent when adding one. */
  group?: Group | undefined;
  errors?: FieldErrors | undefined;
  values?: FormValues | undefined;
  canDelete?: boolean;
  notice?: string | undefined;
}

/** Values to fill the edit form with before anything is typed. */
export function groupFormValues(group: Group): FormValues {
  return {
    name: group.name,
    slug: group.slug,
    description: group.description,
    website: group.website ?? '',
    contactEmail: group.contactEmail ?? '',
  };
}

export function GroupFormPage({ group, errors, values, canDelete = false, notice }: GroupFormPageProps) {
  const title = group ? `Edit ${group.name}` : 'Add a group';
  const shown = values ?? (group ? groupFormValues(group) : {});
  return (
    <Layout title={title} breadcrumbs={[{ href: '/admin/groups', label: 'Groups' }]}>
      <PageNotice notice={notice} messages={groupNotices} />
      <h1>{title}</h1>
      <ErrorSummary errors={errors} />
      <Form action={group ? `/admin/groups/${group.id}` : '/admin/groups/new'} multipart>
        <TextInput name="name" label="Name" autocomplete="organization" errors={errors} values={shown} maxLength={120} />
        <TextInput
          name="slug"
          label="Web address"
          hint={
            <>
              The end of the group’s public page address, /groups/<em>web-address</em>. Lowercase letters, numbers and hyphens. Leave
              blank to make one from the name.{group ? ' Changing it breaks links to the old address.' : ''}
            </>
          }
          width="20"
          spellcheck={false}
          errors={errors}
          values={shown}
        />
        <TextArea name="description" label="Description" hint="Shown on the group’s public page. Leave a blank line between paragraphs." rows={8} errors={errors} values={shown} />
        <TextInput name="website" label="Website (optional)" hint="The full address, starting with https://" type="url" spellcheck={false} errors={errors} values={shown} />
        <TextInput name="contactEmail" label="Contact email address (optional)" hint="Shown on the public page" type="email" spellcheck={false} errors={errors} values={shown} />
        <LogoField logoUrl={group?.logoUrl ?? null} errors={errors} removeChecked={shown.removeLogo === 'yes'} />
        <Button>{group ? 'Save changes' : 'Add group'}</Button>
      </Form>
      {group ? (
        <p>
          <a href={`/groups/${group.slug}`}>View the public page</a>
          {canDelete ? (
            <>
              {' · '}
              <a href={`/admin/groups/${group.id}/delete`}>Delete this group</a>
            </>
          ) : null}
        </p>
      ) : null}
    </Layout>
  );
}

export function DeleteGroupPage({ group }: { group: Group }) {
  return (
    <Layout title={`Delete ${group.name}`} breadcrumbs={[{ href: '/admin/groups', label: 'Groups' }]}>
      <h1>Delete {group.name}?</h1>
      <div class="notice notice--warning">
        <p>
          This removes the group and its public page (/groups/{group.slug}) for good. Its organisers stay, but are no longer linked to it,
          and petitions no longer list it. This cannot be undone.
        </p>
      </div>
      <Form action={`/admin/groups/${group.id}/delete`}>
        <Button variant="warning">Yes, delete this group</Button>
      </Form>
      <p>
        <a href={`/admin/groups/${group.id}`}>No, go back</a>
      </p>
    </Layout>
  );
}
