import { ActionButton, Button, ChoiceGroup, ErrorSummary, Form, Layout, LondonTime, QueryNotice, ScrollingTable, Select, TextInput, type FieldErrors, type FormValues, type Option } from '../platform/index.ts';
import type { ApiToken } from './tokens.ts';
import { WEBHOOK_EVENTS, type Webhook } from './webhooks/webhooks.ts';

export const apiNotices = {
  revoked: 'The key has been revoked. Requests made with it are now refused.',
  deleted: 'The webhook has been deleted. Nothing more will be sent to it.',
};

const apiCrumbs = [{ href: '/admin/api', label: 'API and webhooks' }];

/** Whose data: the whole coalition (admins) or one group. */
export function scopeText(groupName: string | null): string {
  return groupName ?? 'Whole coalition';
}

const scopeLabels = { read: 'Read', write: 'Read and write' } as const;

function KeyStatus({ token }: { token: ApiToken }) {
  return token.revokedAt ? <strong class="tag tag--grey">Revoked</strong> : <strong class="tag tag--green">Active</strong>;
}

function KeysTable({ tokens }: { tokens: ApiToken[] }) {
  if (tokens.length === 0) return <p>There are no API keys yet.</p>;
  return (
    <ScrollingTable label="API keys">
      <table class="table">
        <caption class="table__caption">API keys ({tokens.length})</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Sees the data of</th>
            <th scope="col">May</th>
            <th scope="col">Key begins</th>
            <th scope="col">Made</th>
            <th scope="col">Last used</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => (
            <tr>
              <th scope="row">{t.name}</th>
              <td>{scopeText(t.groupName)}</td>
              <td>
                {scopeLabels[t.scope]}
                {t.confirmsSignatures ? '; its signatures count as confirmed' : ''}
              </td>
              <td>
                <code>{t.prefix}…</code>
              </td>
              <td>
                <LondonTime date={t.createdAt} />
              </td>
              <td>{t.lastUsedAt ? <LondonTime date={t.lastUsedAt} /> : 'Never'}</td>
              <td>
                <KeyStatus token={t} />
              </td>
              <td class="table__actions">
                {t.revokedAt ? null : (
                  <ActionButton action={`/admin/api/keys/${t.publicId}/revoke`} variant="warning">
                    Revoke<span class="visually-hidden"> {t.name}</span>
                  </ActionButton>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollingTable>
  );
}

export function WebhookStatus({ hook }: { hook: Pick<Webhook, 'revokedAt'> }) {
  return hook.revokedAt ? <strong class="tag tag--grey">Revoked</strong> : <strong class="tag tag--green">Active</strong>;
}

function WebhooksTable({ hooks }: { hooks: Webhook[] }) {
  if (hooks.length === 0) return <p>There are no webhooks yet.</p>;
  return (
    <ScrollingTable label="Webhooks">
      <table class="table">
        <caption class="table__caption">Webhooks ({hooks.length})</caption>
        <thead>
          <tr>
            <th scope="col">Sends to</th>
            <th scope="col">For</th>
            <th scope="col">Sends</th>
            <th scope="col">Made</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {hooks.map((h) => (
            <tr>
              <th scope="row" class="api-url">
                <a href={`/admin/api/webhooks/${h.publicId}`}>{h.url}</a>
              </th>
              <td>{scopeText(h.groupName)}</td>
              <td>{h.events.map((e) => (e === 'signature' ? 'Signatures' : 'Sign-ups')).join(', ')}</td>
              <td>
                <LondonTime date={h.createdAt} />
              </td>
              <td>
                <WebhookStatus hook={h} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollingTable>
  );
}

export function ApiAdminPage({ tokens, hooks, notice }: { tokens: ApiToken[]; hooks: Webhook[]; notice: string | undefined }) {
  return (
    <Layout title="API and webhooks" wide>
      <QueryNotice query={{ notice }} messages={apiNotices} />
      <h1>API and webhooks</h1>
      <p>
        Other tools (a CRM, Action Network, your own scripts) can read your group’s supporters and petitions through the OSDI API, and
        be told about new signatures and sign-ups by webhooks. <a href="/docs/v1">Read the API documentation</a>.
      </p>
      <h2>API keys</h2>
      <p>
        <a class="button button--primary" href="/admin/api/keys/new">
          Make an API key
        </a>
      </p>
      <KeysTable tokens={tokens} />
      <h2>Webhooks</h2>
      <p>
        <a class="button button--primary" href="/admin/api/webhooks/new">
          Add a webhook
        </a>
      </p>
      <WebhooksTable hooks={hooks} />
    </Layout>
  );
}

interface FormPageProps {
  groupOptions: Option[];
  errors?: FieldErrors | undefined;
  values?: FormValues | undefined;
}

function GroupField({ groupOptions, errors, values, hint }: FormPageProps & { hint: string }) {
  return <Select name="group" label="Whose data" hint={hint} options={groupOptions} placeholder="Choose a group" errors={errors} values={values} />;
}

export function NewKeyPage(props: FormPageProps & { isAdmin: boolean }) {
  return (
    <Layout title="Make an API key" breadcrumbs={apiCrumbs}>
      <h1>Make an API key</h1>
      <ErrorSummary errors={props.errors} />
      <Form action="/admin/api/keys/new">
        <TextInput name="name" label="Name" hint="Say what uses it, like “CRM sync”." maxLength={100} errors={props.errors} values={props.values} />
        <GroupField {...props} hint="The key sees only this group’s supporters and petitions." />
        <ChoiceGroup
          name="scope"
          type="radio"
          legend="What may it do?"
          options={[
            { value: 'read', label: 'Read', hint: 'List people, tags, lists, petitions and signatures.' },
            { value: 'write', label: 'Read and write', hint: 'Also add and update people and record signatures.' },
          ]}
          selected={props.values?.scope ? [props.values.scope] : []}
          errors={props.errors}
        />
        {props.isAdmin ? (
          <ChoiceGroup
            name="confirms_signatures"
            type="checkbox"
            legend="Signatures it records"
            options={[
              {
                value: 'yes',
                label: 'Count them as confirmed, with no confirmation email',
                hint: 'Only for a tool that has confirmed each signer’s email address itself (as Action Network does). Otherwise each signer is emailed to confirm.',
              },
            ]}
            selected={props.values?.confirms_signatures ? ['yes'] : []}
            errors={props.errors}
          />
        ) : null}
        <Button>Make the key</Button>
      </Form>
    </Layout>
  );
}

/**
 * A secret shown once, as selectable text, with a copy button that app.js shows and works
 * (navigator.clipboard); without JavaScript the button stays hidden and the text is selected whole.
 */
function CopyableSecret({ value, id, label, copied }: { value: string; id: string; label: string; copied: string }) {
  return (
    <div class="api-secret">
      <code id={id}>{value}</code>
      <p class="api-secret__copy">
        <button type="button" class="button button--secondary" data-copy={value} data-copied={copied} aria-controls={`${id}-status`} hidden>
          {label}
        </button>{' '}
        <span id={`${id}-status`} role="status" class="copy-status"></span>
      </p>
    </div>
  );
}

/** Shown once, straight after the key is made: only its hash is kept. */
export function KeyCreatedPage({ token, name }: { token: string; name: string }) {
  return (
    <Layout title="Your new API key" breadcrumbs={apiCrumbs}>
      <h1>Your new API key</h1>
      <div class="notice notice--warning">
        <p>Copy the key now and keep it somewhere safe. This is the only time it is shown: we keep only a fingerprint of it.</p>
      </div>
      <p>
        The key for <strong>{name}</strong>:
      </p>
      <CopyableSecret value={token} id="api-key" label="Copy the key" copied="Key copied" />
      <p>
        Send it in the <code>OSDI-API-Token</code> header. <a href="/docs/v1">How to use the API</a>.
      </p>
      <p>
        <a href="/admin/api">Back to API and webhooks</a>
      </p>
    </Layout>
  );
}

export function NewWebhookPage(props: FormPageProps & { selectedEvents: string[] }) {
  return (
    <Layout title="Add a webhook" breadcrumbs={apiCrumbs}>
      <h1>Add a webhook</h1>
      <ErrorSummary errors={props.errors} />
      <Form action="/admin/api/webhooks/new">
        <TextInput
          name="url"
          label="Address to send to"
          hint="The full address of your receiver, starting with https://"
          type="url"
          spellcheck={false}
          errors={props.errors}
          values={props.values}
        />
        <GroupField {...props} hint="Signatures on this group’s petitions, and people agreeing to hear from it." />
        <ChoiceGroup
          name="events"
          type="checkbox"
          legend="What to send"
          options={Object.entries(WEBHOOK_EVENTS).map(([value, label]) => ({ value, label }))}
          selected={props.selectedEvents}
          errors={props.errors}
        />
        <Button>Add the webhook</Button>
      </Form>
    </Layout>
  );
}

/** Shown once, straight after the webhook is made. */
export function WebhookCreatedPage({ hook, secret }: { hook: Webhook; secret: string }) {
  return (
    <Layout title="Your new webhook" breadcrumbs={apiCrumbs}>
      <h1>Your new webhook</h1>
      <p>
        New events will be sent to <strong class="api-url">{hook.url}</strong>.
      </p>
      <div class="notice notice--warning">
        <p>Copy the signing secret now: it is shown only this once. Your receiver uses it to check each delivery came from us.</p>
      </div>
      <CopyableSecret value={secret} id="webhook-secret" label="Copy the secret" copied="Secret copied" />
      <p>
        <a href="/docs/v1#webhooks">How to check a delivery’s signature</a> · <a href={`/admin/api/webhooks/${hook.publicId}`}>The webhook and its delivery log</a>
      </p>
    </Layout>
  );
}

export function DeleteWebhookPage({ hook }: { hook: Webhook }) {
  return (
    <Layout title="Delete this webhook" breadcrumbs={apiCrumbs}>
      <h1>Delete this webhook?</h1>
      <p>
        Nothing more will be sent to <strong class="api-url">{hook.url}</strong>, deliveries still waiting to be retried are dropped,
        and its delivery log is deleted.
      </p>
      <Form action={`/admin/api/webhooks/${hook.publicId}/delete`}>
        <Button variant="warning">Yes, delete the webhook</Button>
      </Form>
      <p>
        <a href={`/admin/api/webhooks/${hook.publicId}`}>No, go back</a>
      </p>
    </Layout>
  );
}
