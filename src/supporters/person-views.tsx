import { Button, ErrorSummary, Form, Layout, Notice, TextInput, personActionSentence, type FieldErrors, type FormValues } from '../platform/index.ts';
import { EMAIL_CHANGE_FOR_ADMINS } from './edit-person.ts';
import type { ConsentEventRecord, ConsentRecord } from './consent.ts';
import { consentMethodLabel } from './consent-methods.ts';
import { ConsentHistoryRows, ConsentRows, petitionNamesFromTimeline } from './consent-rows.tsx';
import { SummaryRow, londonTime, peopleCrumbs } from './people-views.tsx';
import { displayName, type Membership, type Person, type PersonGroup, type TimelineEntry } from './person-record.ts';

export interface PersonPageProps {
  person: Person;
  consents: ConsentRecord[];
  events: ConsentEventRecord[];
  groups: PersonGroup[];
  tags: Membership[];
  lists: Membership[];
  timeline: TimelineEntry[];
  isAdmin: boolean;
  notice?: string | undefined;
}

const notices: Record<string, string> = {
  saved: 'The details have been saved.',
  merged: 'The two records have been merged into this one.',
};

/** ", from utm_source whatsapp, utm_medium social, referring page https://…" ('' when nothing is known). */
function cameFromText(cameFrom: unknown): string {
  if (typeof cameFrom !== 'object' || cameFrom === null) return '';
  const known = cameFrom as Record<string, unknown>;
  const parts = ['utm_source', 'utm_medium', 'utm_campaign', 'referrer']
    .filter((key) => typeof known[key] === 'string' && known[key] !== '')
    .map((key) => `${key === 'referrer' ? 'referring page' : key} ${String(known[key])}`);
  return parts.length > 0 ? `, from ${parts.join(', ')}` : '';
}

/** A timeline entry in words for people. */
export function describeAction(entry: TimelineEntry): string {
  const detail = entry.detail;
  switch (entry.kind) {
    case 'petition.signed':
      return `Signed the petition “${String(detail.petition ?? entry.subjectId)}”${cameFromText(detail.cameFrom)}`;
    case 'signup.requested':
      return `Signed up (${String(entry.subjectId ?? 'form')}), waiting for email confirmation`;
    case 'signup.confirmed':
      return 'Confirmed their email subscription';
    case 'consent.withdrawn':
      return 'Unsubscribed with an email link';
    case 'consent.withdrawn-all':
      return 'Unsubscribed from everything';
    case 'preferences.changed':
      return 'Changed their email preferences';
    case 'person.merged':
      return 'Another record was merged into this one';
    case 'person.edited':
      return 'Details edited by an organiser';
    default:
      // Other capabilities word their own entries (events: "Booked 2 places at …").
      return personActionSentence({ kind: entry.kind, subjectId: entry.subjectId, detail }) ?? entry.kind;
  }
}

function ConsentTables({ consents, events, timeline }: { consents: ConsentRecord[]; events: ConsentEventRecord[]; timeline: TimelineEntry[] }) {
  if (consents.length === 0) return <p>No consents recorded.</p>;
  const petitionName = petitionNamesFromTimeline(timeline);
  const purposes = new Map(consents.map((c) => [c.purpose.id, c.purpose.name]));
  return (
    <>
      <ConsentRows consents={consents} petitionName={petitionName} />
      <details class="details">
        <summary>History of consent ({events.length} events)</summary>
        <ConsentHistoryRows events={events} purposeName={(id) => purposes.get(id)} petitionName={petitionName} />
      </details>
    </>
  );
}

function MembershipList({ items, empty }: { items: Array<{ name: string; groupName?: string | null }>; empty: string }) {
  if (items.length === 0) return <p>{empty}</p>;
  return (
    <ul>
      {items.map((i) => (
        <li>
          {i.name}
          {i.groupName ? ` (${i.groupName})` : ''}
        </li>
      ))}
    </ul>
  );
}

export function PersonPage(props: PersonPageProps) {
  const { person } = props;
  const base = `/admin/people/${person.publicId}`;
  const name = displayName(person);
  // Where they first came from, in words ("Signing the petition “…”", not `petition:2`).
  const cameFrom = person.source.method ? consentMethodLabel(person.source.method, null, petitionNamesFromTimeline(props.timeline)) : null;
  const source = [cameFrom, person.source.utmSource && `utm_source ${person.source.utmSource}`, person.source.utmCampaign && `utm_campaign ${person.source.utmCampaign}`]
    .filter(Boolean)
    .join(', ');
  return (
    <Layout title={name} breadcrumbs={peopleCrumbs} wide>
      {props.notice && notices[props.notice] ? <Notice>{notices[props.notice]}</Notice> : null}
      <h1>{name}</h1>
      {person.erasedAt ? <Notice kind="info">This person’s personal data was erased on {londonTime(person.erasedAt)}.</Notice> : null}
      <dl class="summary-list">
        <SummaryRow label="Email">
          {person.email ?? '–'} {person.emailStatus === 'verified' ? '(confirmed)' : '(not confirmed)'}
        </SummaryRow>
        <SummaryRow label="Phone">{person.phone ?? '–'}</SummaryRow>
        <SummaryRow label="Postcode">{person.postcode ?? '–'}</SummaryRow>
        <SummaryRow label="Constituency">{person.constituencyCode ?? '–'}</SummaryRow>
        <SummaryRow label="Country">{person.countryCode ?? '–'}</SummaryRow>
        <SummaryRow label="Came from">
          {source || '–'}
          {person.source.referrer ? (
            <>
              <br />
              Referring page: {person.source.referrer}
            </>
          ) : null}
        </SummaryRow>
        <SummaryRow label="First action">{londonTime(person.firstActionAt)}</SummaryRow>
        <SummaryRow label="Latest action">{londonTime(person.latestActionAt)}</SummaryRow>
      </dl>
      <ul class="link-list person-actions">
        {person.erasedAt ? null : (
          <li>
            <a href={`${base}/edit`}>Edit details</a>
          </li>
        )}
        <li>
          <a href={`${base}/consents.csv`}>Download consent proof (CSV)</a> or <a href={`${base}/consents.json`}>(JSON)</a>
        </li>
        {props.isAdmin ? (
          <li>
            <a href={`${base}/data`}>Everything we hold (subject access)</a>
          </li>
        ) : null}
        {props.isAdmin && !person.erasedAt ? (
          <>
            <li>
              <a href={`/admin/people/merge?first=${person.publicId}`}>Merge with another record</a>
            </li>
            <li>
              <a href={`${base}/erase`}>Erase this person</a>
            </li>
          </>
        ) : null}
      </ul>
      <h2>Consent</h2>
      <ConsentTables consents={props.consents} events={props.events} timeline={props.timeline} />
      <h2>Groups</h2>
      <MembershipList items={props.groups} empty="Not connected to any group." />
      <h2>Tags</h2>
      <MembershipList items={props.tags} empty="No tags." />
      <h2>Lists</h2>
      <MembershipList items={props.lists} empty="Not on any list." />
      <h2>Timeline</h2>
      {props.timeline.length === 0 ? (
        <p>Nothing yet.</p>
      ) : (
        <ol class="timeline">
          {props.timeline.map((entry) => (
            <li class="timeline__item">
              <span class="timeline__when">{londonTime(entry.occurredAt)}</span> {describeAction(entry)}
            </li>
          ))}
        </ol>
      )}
    </Layout>
  );
}

export function EditPersonPage({ person, isAdmin, errors, values }: { person: Person; isAdmin: boolean; errors?: FieldErrors; values?: FormValues }) {
  const name = displayName(person);
  const current: FormValues = values ?? {
    given_name: person.givenName ?? '',
    family_name: person.familyName ?? '',
    email: person.email ?? '',
    phone: person.phone ?? '',
    postcode: person.postcode ?? '',
  };
  return (
    <Layout title={errors ? `Error: Edit ${name}` : `Edit ${name}`} breadcrumbs={[...peopleCrumbs, { href: `/admin/people/${person.publicId}`, label: name }]}>
      <h1>Edit details</h1>
      <ErrorSummary errors={errors} />
      <Form action={`/admin/people/${person.publicId}/edit`}>
        <TextInput name="given_name" label="First name" autocomplete="off" errors={errors} values={current} />
        <TextInput name="family_name" label="Last name" autocomplete="off" errors={errors} values={current} />
        <TextInput
          name="email"
          label="Email address"
          type="email"
          hint={isAdmin ? 'A new address must be confirmed again before we email it' : EMAIL_CHANGE_FOR_ADMINS}
          autocomplete="off"
          spellcheck={false}
          errors={errors}
          values={current}
        />
        <TextInput name="phone" label="Phone (optional)" type="tel" autocomplete="off" width="20" errors={errors} values={current} />
        <TextInput name="postcode" label="Postcode (optional)" autocomplete="off" width="10" errors={errors} values={current} />
        <Button>Save details</Button>
      </Form>
    </Layout>
  );
}
