import { ActionButton, Button, ChoiceGroup, ErrorSummary, Form, Layout, Pagination, Select, Tag, TextArea, TextInput, formatLondon, type FieldErrors, type FormValues, type TagColour } from '../../platform/index.ts';
import type { IdentifyAs, StoryState } from '../tables.ts';
import { HOLD_REASONS, SAFEGUARDING_REASONS, SERVICES, TOPICS, labelOf } from './states.ts';
import type { PublicationRow } from './published-version.ts';
import type { ModerationState } from './tables.ts';

const STATE_WORDS: Record<ModerationState | 'none', { label: string; colour: TagColour }> = {
  none: { label: 'Not written yet', colour: 'grey' },
  drafting: { label: 'Being written', colour: 'yellow' },
  awaiting_approval: { label: 'With the storyteller', colour: 'yellow' },
  changes_requested: { label: 'Changes asked for', colour: 'red' },
  approved: { label: 'Approved by the storyteller', colour: 'green' },
};

export function ModerationTag({ state }: { state: ModerationState | null }) {
  const words = STATE_WORDS[state ?? 'none'];
  return <Tag colour={words.colour}>{words.label}</Tag>;
}

export interface QueueRow {
  id: number;
  state: StoryState;
  created_at: Date;
  moderation: ModerationState | null;
  held: boolean;
  flagged: boolean;
}

export function QueuePage({ rows, flagged, page, totalPages, isLead }: { rows: QueueRow[]; flagged: QueueRow[]; page: number; totalPages: number; isLead: boolean }) {
  return (
    <Layout title="Moderation queue" breadcrumbs={[{ href: '/admin/stories', label: 'Stories' }]}>
      <h1>Moderation queue</h1>
      <p>Write the published version of each story (never the original), then send it to the storyteller to approve. Nothing is published without their approval.</p>
      {isLead ? (
        <>
          <h2>Flagged for safeguarding</h2>
          {flagged.length === 0 ? <p>No story is waiting for you.</p> : <QueueTable rows={flagged} />}
          <h2>Every other story</h2>
        </>
      ) : null}
      {rows.length === 0 ? <p>No stories to moderate.</p> : <QueueTable rows={rows} />}
      <Pagination page={page} totalPages={totalPages} href={(p) => `/admin/stories/moderation?page=${p}`} />
    </Layout>
  );
}

function QueueTable({ rows }: { rows: QueueRow[] }) {
  return (
    <table class="table">
      <thead>
        <tr>
          <th scope="col">Story</th>
          <th scope="col">Told</th>
          <th scope="col">Published version</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr>
            <td>
              <a href={`/admin/stories/${r.id}/moderate`}>Story {r.id}</a>
              {r.state !== 'consented' ? ` (${r.state.replace(/_/g, ' ')})` : ''}
            </td>
            <td>{formatLondon(r.created_at, 'short-date')}</td>
            <td>
              <ModerationTag state={r.moderation} />
              {r.held ? <> <Tag colour="red">Held</Tag></> : null}
              {r.flagged ? <> <Tag colour="red">Safeguarding</Tag></> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export interface ModeratePageProps {
  storyId: number;
  original: string;
  storyState: StoryState;
  usable: boolean;
  agreedToPublish: boolean;
  identifyAs: IdentifyAs;
  byline: string;
  publication: PublicationRow | undefined;
  draft: { title: string; text: string; redactions: string; service: string; topic: string };
  changesWanted: string | null;
  safeguardingNote: string | null;
  isLead: boolean;
  errors?: FieldErrors | undefined;
  values?: FormValues | undefined;
}

const stamp = (label: string, at: Date | null | undefined) => (at ? <li>{label} {formatLondon(at, 'short')}</li> : null);

export function ModeratePage(props: ModeratePageProps) {
  const p = props.publication;
  const base = `/admin/stories/${props.storyId}`;
  const flagged = p?.safeguarding_flagged_at != null && p.safeguarding_cleared_at == null;
  const held = p?.held_at != null && p.released_at == null;
  // A refused flag or hold form keeps the version's fields as they were; a refused version keeps what was typed.
  const values = { title: props.draft.title, text: props.draft.text, redactions: props.draft.redactions, service: props.draft.service, topic: props.draft.topic, ...props.values };
  return (
    <Layout title={`${props.errors ? 'Error: ' : ''}Moderate story ${props.storyId}`} breadcrumbs={[{ href: '/admin/stories', label: 'Stories' }, { href: '/admin/stories/moderation', label: 'Moderation queue' }]}>
      {props.errors ? <ErrorSummary errors={props.errors} /> : null}
      <h1>Moderate story {props.storyId}</h1>
      <p>
        <ModerationTag state={p?.state ?? null} />
        {held ? <> <Tag colour="red">Held: {labelOf(HOLD_REASONS, p.held_reason)}</Tag></> : null}
        {flagged ? <> <Tag colour="red">Safeguarding: {labelOf(SAFEGUARDING_REASONS, p.safeguarding_reason)}</Tag></> : null}
      </p>
      <ul class="hint">
        {stamp('Written', p?.drafted_at)}
        {stamp('Sent to the storyteller', p?.sent_for_approval_at)}
        {stamp('Changes asked for', p?.changes_requested_at)}
        {stamp('Approved', p?.approved_at)}
        {stamp('First published', p?.first_published_at)}
      </ul>
      {!props.usable ? <p class="notice notice--warning">This story’s consent is {props.storyState.replace(/_/g, ' ')}: it cannot be published.</p> : null}
      {!props.agreedToPublish ? <p class="notice notice--warning">The storyteller did not agree to publication on the hub: this story cannot be published.</p> : null}
      <p>
        They chose to be named {props.identifyAs === 'anonymous' ? 'anonymously' : `as “${props.byline}”`}.
      </p>
      {props.changesWanted && p?.state === 'changes_requested' ? (
        <>
          <h2>The storyteller asked for changes</h2>
          <blockquote class="story-text">{props.changesWanted}</blockquote>
        </>
      ) : null}
      <h2>The original (never published)</h2>
      <blockquote class="story-text">
        {props.original.split('\n\n').map((para) => (
          <p>{para}</p>
        ))}
      </blockquote>
      <h2>The published version</h2>
      <Form action={`${base}/moderate`}>
        <TextInput name="title" label="Title" values={values} errors={props.errors} maxLength={120} />
        <TextArea name="text" label="Published text" hint="Take out names of staff and other patients, exact dates and anything else that could identify someone." values={values} errors={props.errors} rows={12} />
        <TextArea name="redactions" label="Words to take out" hint="One a line (names, places, dates). Each is replaced by [removed] in the title and text, whatever its case." values={values} errors={props.errors} rows={4} />
        <Select name="service" label="Service" options={SERVICES.map((s) => ({ value: s.value, label: s.label }))} placeholder="Choose a service" values={values} errors={props.errors} />
        <Select name="topic" label="Topic" options={TOPICS.map((s) => ({ value: s.value, label: s.label }))} placeholder="Choose a topic" values={values} errors={props.errors} />
        <Button>Save the published version</Button>
      </Form>
      {p?.text_sealed && p.state !== 'approved' && props.usable && props.agreedToPublish ? (
        <ActionButton action={`${base}/moderate/send`} variant="primary">
          {p.state === 'awaiting_approval' ? 'Send it to the storyteller again' : 'Send it to the storyteller to approve'}
        </ActionButton>
      ) : null}
      <h2>Safeguarding</h2>
      {flagged ? (
        props.isLead ? (
          <>
            <p>Flagged: {labelOf(SAFEGUARDING_REASONS, p.safeguarding_reason)}.</p>
            {props.safeguardingNote ? <blockquote class="story-text">{props.safeguardingNote}</blockquote> : null}
            <Form action={`${base}/safeguarding/clear`}>
              <TextArea name="note" label="What you did" hint="Kept encrypted with the story. Clearing the flag returns the story to the queue." values={props.values} errors={props.errors} rows={3} />
              <Button>Clear the flag</Button>
            </Form>
          </>
        ) : (
          <p>This story is with the safeguarding lead.</p>
        )
      ) : (
        <Form action={`${base}/safeguarding`}>
          <ChoiceGroup type="radio" name="reason" legend="Flag for safeguarding" hint="The coalition’s safeguarding lead is emailed, and the story is hidden from everyone else until they act." options={SAFEGUARDING_REASONS.map((r) => ({ value: r.value, label: r.label }))} errors={props.errors} />
          <TextArea name="note" label="What worries you" values={props.values} errors={props.errors} rows={3} />
          <Button variant="warning">Flag for safeguarding</Button>
        </Form>
      )}
      <h2>Complaint or legal case</h2>
      {held ? (
        <ActionButton action={`${base}/release`}>Release the hold</ActionButton>
      ) : (
        <Form action={`${base}/hold`}>
          <ChoiceGroup type="radio" name="hold_reason" legend="Hold this story" hint="A held story is not published until the hold is released." options={HOLD_REASONS.map((r) => ({ value: r.value, label: r.label }))} errors={props.errors} />
          <Button variant="secondary">Hold it</Button>
        </Form>
      )}
    </Layout>
  );
}

/** The teller's page from the approval email: the version as it would be published, approve or ask for changes. */
export function ApprovalPage(props: { action: string; title: string; text: string; byline: string; identifiedAs: string; state: ModerationState; usable: boolean; errors?: FieldErrors | undefined; values?: FormValues | undefined }) {
  return (
    <Layout title={`${props.errors ? 'Error: ' : ''}Check your story before we publish it`}>
      {props.errors ? <ErrorSummary errors={props.errors} /> : null}
      <h1>Check your story before we publish it</h1>
      {!props.usable ? (
        <p>Your consent has ended, so this story will not be published.</p>
      ) : props.state === 'approved' ? (
        <p>You approved this version. It is published on our website, named {props.identifiedAs}, for as long as your consent lasts.</p>
      ) : props.state === 'changes_requested' ? (
        <p>Thank you: you asked for changes. We will send you a new version.</p>
      ) : (
        <p>This is how your story would appear on our website, named {props.identifiedAs}. Nothing is published unless you approve it.</p>
      )}
      <article class="story-text">
        <h2>{props.title}</h2>
        <p class="caption">By {props.byline}</p>
        {props.text.split('\n\n').map((para) => (
          <p>{para}</p>
        ))}
      </article>
      {props.usable && props.state === 'awaiting_approval' ? (
        <>
          <Form action={props.action}>
            <Button>Approve and publish</Button>
          </Form>
          <Form action={`${props.action}/changes`}>
            <TextArea name="changes" label="Or tell us what to change" values={props.values} errors={props.errors} rows={4} />
            <Button variant="secondary">Ask for changes</Button>
          </Form>
        </>
      ) : null}
    </Layout>
  );
}
