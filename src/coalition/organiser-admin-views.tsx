import { ActionButton, Button, ChoiceGroup, ErrorSummary, Form, Layout, LondonTime, Pagination, PageNotice, roleLabel, ScrollingTable, TextInput, type FieldErrors, type FormValues } from '../platform/index.ts';
import { organiserStatus } from './disable-organiser.ts';
import type { Organiser } from './organisers.ts';
import type { Role } from './tables.ts';

const organiserNotices = {
  invited: 'The organiser has been added and their invitation is on its way.',
  updated: 'Their role and groups have been saved.',
  disabled: 'The account has been disabled and its sessions ended.',
  enabled: 'The account has been enabled.',
  resent: 'A new invitation is on its way. Earlier invitation links no longer work.',
};

const statusText = { active: 'Active', invited: 'Invited (not signed in yet)', disabled: 'Disabled' } as const;
const statusTag = { active: 'tag tag--green', invited: 'tag tag--yellow', disabled: 'tag tag--grey' } as const;

export function StatusTag({ organiser }: { organiser: Organiser }) {
  const status = organiserStatus(organiser);
  return <strong class={statusTag[status]}>{statusText[status]}</strong>;
}

/** The groups someone acts for: admins all by their role, moderators none. */
function groupsText(organiser: Organiser, names: Map<number, string>): string {
  if (organiser.role === 'admin') return 'All groups';
  if (organiser.role === 'moderator') return 'None (moderators do not manage groups)';
  return organiser.groupIds.length === 0 ? 'None yet' : organiser.groupIds.map((id) => names.get(id) ?? `group ${id}`).join(', ');
}

export function OrganisersPage(props: { organisers: Organiser[]; total: number; page: number; totalPages: number; groupNames: Map<number, string>; notice?: string | undefined }) {
  return (
    <Layout title="Organisers" wide>
      <PageNotice notice={props.notice} messages={organiserNotices} />
      <h1>Organisers</h1>
      <p>Everyone who can sign in: coalition admins, group organisers and moderators.</p>
      <p>
        <a class="button button--primary" href="/admin/organisers/new">
          Invite an organiser
        </a>
      </p>
      <ScrollingTable label="Organiser accounts">
        <table class="table">
          <caption class="table__caption">Organiser accounts ({props.total})</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Groups</th>
              <th scope="col">Last signed in</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {props.organisers.map((o) => (
              <tr>
                <th scope="row">
                  <a href={`/admin/organisers/${o.publicId}`}>{o.name}</a>
                </th>
                <td>{o.email}</td>
                <td>{roleLabel(o.role)}</td>
                <td>{groupsText(o, props.groupNames)}</td>
                <td>{o.lastSignInAt ? <LondonTime date={o.lastSignInAt} /> : 'Never'}</td>
                <td>
                  <StatusTag organiser={o} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollingTable>
      <Pagination page={props.page} totalPages={props.totalPages} href={(p) => `/admin/organisers?page=${p}`} />
    </Layout>
  );
}

const roleOptions: Array<{ value: Role; label: string; hint: string }> = [
  { value: 'admin', label: 'Coalition admin', hint: 'Manages every group, organiser, the brand and the audit log.' },
  { value: 'organiser', label: 'Group organiser', hint: 'Manages the groups chosen below, and can add new groups.' },
  { value: 'moderator', label: 'Moderator', hint: 'Checks petitions and other public contributions. Does not manage groups.' },
];

/** Role radios and group checkboxes (groups apply to group organisers only). */
function AccessFields({ errors, role, groups, groupNames }: { errors?: FieldErrors | undefined; role?: string | undefined; groups: string[]; groupNames: Map<number, string> }) {
  return (
    <>
      <ChoiceGroup type="radio" name="role" legend="Role" options={roleOptions} selected={role ? [role] : []} errors={errors} />
      {groupNames.size > 0 ? (
        <ChoiceGroup
          type="checkbox"
          name="groups"
          legend="Groups (for group organisers)"
          hint="Choose the groups a group organiser manages. Ignored for admins and moderators."
          options={[...groupNames].map(([id, name]) => ({ value: String(id), label: name }))}
          selected={groups}
          errors={errors}
        />
      ) : (
        <p>There are no groups yet. A group organiser can add their own group after signing in.</p>
      )}
    </>
  );
}

export function InviteOrganiserPage(props: { errors?: FieldErrors | undefined; values?: FormValues | undefined; groups?: string[]; groupNames: Map<number, string> }) {
  const { errors, values } = props;
  return (
    <Layout title="Invite an organiser" breadcrumbs={[{ href: '/admin/organisers', label: 'Organisers' }]}>
      <h1>Invite an organiser</h1>
      <p>We will email them a link that signs them in once, for 7 days. They choose their own password.</p>
      <ErrorSummary errors={errors} />
      <Form action="/admin/organisers/new">
        <TextInput name="name" label="Name" autocomplete="off" errors={errors} values={values} maxLength={120} />
        <TextInput name="email" label="Email address" type="email" autocomplete="off" spellcheck={false} errors={errors} values={values} />
        <AccessFields errors={errors} role={values?.role} groups={props.groups ?? []} groupNames={props.groupNames} />
        <Button>Send invitation</Button>
      </Form>
    </Layout>
  );
}

export interface OrganiserPageProps {
  organiser: Organiser;
  groupNames: Map<number, string>;
  isSelf: boolean;
  errors?: FieldErrors | undefined;
  role?: string | undefined;
  groups?: string[] | undefined;
  notice?: string | undefined;
}

export function OrganiserPage({ organiser, groupNames, isSelf, errors, role, groups, notice }: OrganiserPageProps) {
  const base = `/admin/organisers/${organiser.publicId}`;
  const status = organiserStatus(organiser);
  return (
    <Layout title={organiser.name} breadcrumbs={[{ href: '/admin/organisers', label: 'Organisers' }]}>
      <PageNotice notice={notice} messages={organiserNotices} />
      <h1>{organiser.name}</h1>
      <dl class="summary-list">
        <div class="summary-list__row">
          <dt>Email</dt>
          <dd>{organiser.email}</dd>
        </div>
        <div class="summary-list__row">
          <dt>Role</dt>
          <dd>{roleLabel(organiser.role)}</dd>
        </div>
        <div class="summary-list__row">
          <dt>Groups</dt>
          <dd>{groupsText(organiser, groupNames)}</dd>
        </div>
        <div class="summary-list__row">
          <dt>Last signed in</dt>
          <dd>{organiser.lastSignInAt ? <LondonTime date={organiser.lastSignInAt} /> : 'Never'}</dd>
        </div>
        <div class="summary-list__row">
          <dt>Status</dt>
          <dd>
            <StatusTag organiser={organiser} />
          </dd>
        </div>
      </dl>

      <h2>Role and groups</h2>
      {isSelf ? <p>This is your own account: you cannot remove your own admin role.</p> : null}
      <ErrorSummary errors={errors} />
      <Form action={base}>
        <AccessFields errors={errors} role={role ?? organiser.role} groups={groups ?? organiser.groupIds.map(String)} groupNames={groupNames} />
        <Button>Save role and groups</Button>
      </Form>

      <h2>Account</h2>
      {status === 'invited' ? (
        <>
          <p>They have not signed in yet. A new invitation replaces the old link.</p>
          <ActionButton action={`${base}/invitation`}>Resend the invitation</ActionButton>
        </>
      ) : null}
      {isSelf ? (
        <p>You cannot disable your own account.</p>
      ) : status === 'disabled' ? (
        <>
          <p>This account cannot sign in.</p>
          <ActionButton action={`${base}/enable`}>Enable the account</ActionButton>
        </>
      ) : (
        <>
          <p>Disabling stops them signing in and ends their sessions at once. You can enable the account again later.</p>
          <ActionButton action={`${base}/disable`} variant="warning">
            Disable the account
          </ActionButton>
        </>
      )}
    </Layout>
  );
}
