import type { ComponentChildren } from 'preact';
import { Button, ChoiceGroup, ErrorSummary, Form, Layout, LondonTime, Notice, Pagination, PageNotice, ScrollingTable, Select, Tag, TextArea, TextInput, formatCalendarDate, type FieldErrors, type FormValues, type Option } from '../../platform/index.ts';
import type { Match, Opportunity, PlaceFit } from './opportunities.ts';
import { STAGES, stageLabels } from './stages.ts';
import type { AskOnRecord, Storyteller, StorytellerListRow, StorytellerNote } from './storytellers.ts';
import type { AskAnswer, StorytellerStage } from './tables.ts';

export const storytellerPath = (publicId: string, rest = '') => `/admin/storytellers/${publicId}${rest ? `/${rest}` : ''}`;
export const opportunityPath = (id: number, rest = '') => `/admin/opportunities/${id}${rest ? `/${rest}` : ''}`;

export const NOTICES: Record<string, string> = {
  created: 'Storyteller added.',
  consented: 'Their consent is recorded.',
  ready: 'Marked ready to speak.',
  noted: 'Note added.',
  outcome: 'What happened is recorded.',
  topic: 'Topic added.',
  topics: 'Their topics are saved.',
  training: 'Training session added.',
  attendance: 'Attendance recorded.',
  opportunity: 'Request added. Choose whom to ask below.',
  asked: 'Asked: each gets an email with yes and no links.',
};

type Names = { constituencies: Map<string, string>; regions: Map<string, string>; topics: Map<number, string>; groups: Map<number, string> };
const placeName = (names: Names, code: string | null) => (code ? (names.constituencies.get(code) ?? code) : 'Unknown');

function StorytellerNav() {
  return (
    <p>
      <a href="/admin/storytellers">Storytellers</a> · <a href="/admin/storytellers/training">Training</a> · <a href="/admin/storytellers/topics">Topics</a> · <a href="/admin/opportunities">Requests to speak</a>
    </p>
  );
}

export function StorytellerListPage(props: { items: StorytellerListRow[]; total: number; page: number; perPage: number; stage: StorytellerStage | undefined; names: Names; notice?: string | undefined }) {
  const pages = Math.max(1, Math.ceil(props.total / props.perPage));
  return (
    <Layout title="Storytellers" wide>
      <h1>Storytellers</h1>
      <StorytellerNav />
      <PageNotice notice={props.notice} messages={NOTICES} />
      <p>
        <a class="button button--primary" href="/admin/storytellers/new">
          Add a storyteller
        </a>
      </p>
      <Form action="/admin/storytellers" method="get">
        <Select name="stage" label="Stage" value={props.stage ?? ''} placeholder="Every stage" options={STAGES.map((s) => ({ value: s, label: stageLabels[s] }))} />
        <Button variant="secondary">Show</Button>
      </Form>
      {props.items.length === 0 ? (
        <p>No storytellers yet.</p>
      ) : (
        <ScrollingTable label="Storytellers">
          <table class="table">
            <caption class="visually-hidden">Storytellers, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Stage</th>
                <th scope="col">Constituency</th>
                <th scope="col">Recruited</th>
              </tr>
            </thead>
            <tbody>
              {props.items.map((s) => (
                <tr>
                  <td>
                    <a href={storytellerPath(s.publicId)}>{s.name}</a>
                  </td>
                  <td>
                    <Tag>{stageLabels[s.stage]}</Tag>
                  </td>
                  <td>{placeName(props.names, s.constituencyCode)}</td>
                  <td>
                    <LondonTime date={s.recruitedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollingTable>
      )}
      <Pagination page={props.page} totalPages={pages} href={(p) => `/admin/storytellers?page=${p}${props.stage ? `&stage=${props.stage}` : ''}`} />
    </Layout>
  );
}

export function StorytellerFormPage(props: { groups: Option[]; topics: Option[]; values: FormValues; selectedGroups: string[]; selectedTopics: string[]; errors?: FieldErrors | undefined }) {
  return (
    <Layout title="Add a storyteller">
      <h1>Add a storyteller</h1>
      <ErrorSummary errors={props.errors} />
      <p>Their name and contact details are kept encrypted, and shown only to coalition admins, moderators and the organisers of the groups you choose.</p>
      <Form action="/admin/storytellers/new">
        <TextInput name="name" label="Name" autocomplete="off" values={props.values} errors={props.errors} />
        <TextInput name="email" label="Email address" type="email" autocomplete="off" values={props.values} errors={props.errors} />
        <TextInput name="phone" label="Phone (optional)" type="tel" autocomplete="off" width="20" values={props.values} errors={props.errors} />
        <TextInput name="postcode" label="Postcode (optional)" hint="Finds their constituency, to match them to requests near them." width="10" values={props.values} errors={props.errors} />
        <ChoiceGroup name="groups" legend="Groups" type="checkbox" options={props.groups} selected={props.selectedGroups} errors={props.errors} />
        <ChoiceGroup name="topics" legend="Topics they can speak on" type="checkbox" options={props.topics} selected={props.selectedTopics} errors={props.errors} />
        <Button>Add storyteller</Button>
      </Form>
    </Layout>
  );
}

const answerWords: Record<AskAnswer, string> = { yes: 'Said yes', no: 'Said no' };

export function StorytellerPage(props: { storyteller: Storyteller; topics: Option[]; notes: StorytellerNote[]; training: Array<{ id: number; title: string; starts_at: Date }>; asks: AskOnRecord[]; names: Names; notice?: string | undefined; errors?: FieldErrors | undefined; values?: FormValues | undefined }) {
  const s = props.storyteller;
  // One outcome form at a time: its fields' ids are the same for every request.
  const firstOpenYes = props.asks.find((a) => a.answer === 'yes' && !a.outcome)?.id;
  return (
    <Layout title={`Storyteller: ${s.name}`}>
      <StorytellerNav />
      <h1>{s.name}</h1>
      <PageNotice notice={props.notice} messages={NOTICES} />
      <ErrorSummary errors={props.errors} />
      <dl class="summary-list">
        <Row label="Stage">
          <Tag>{stageLabels[s.stage]}</Tag>
        </Row>
        <Row label="Email">{s.email}</Row>
        <Row label="Phone">{s.phone ?? 'Not given'}</Row>
        <Row label="Postcode">{s.postcode ?? 'Not given'}</Row>
        <Row label="Constituency">{placeName(props.names, s.constituencyCode)}</Row>
        <Row label="Region">{s.regionCode ? (props.names.regions.get(s.regionCode) ?? s.regionCode) : 'Unknown'}</Row>
        <Row label="Topics">{s.topicIds.map((t) => props.names.topics.get(t)).filter(Boolean).join(', ') || 'None yet'}</Row>
        <Row label="Groups">{s.groupIds.map((g) => props.names.groups.get(g)).filter(Boolean).join(', ')}</Row>
      </dl>
      <h2>Pipeline</h2>
      <ol class="list">
        {STAGES.map((stage) => (
          <li>
            {stageLabels[stage]}: {s.stamps[stage] ? <LondonTime date={s.stamps[stage]} /> : 'not yet'}
          </li>
        ))}
      </ol>
      {s.stage === 'recruited' ? (
        <Form action={storytellerPath(s.publicId, 'stage')}>
          <input type="hidden" name="to" value="consented" />
          <Button variant="secondary">Record their consent to take part</Button>
        </Form>
      ) : null}
      {s.stage === 'trained' ? (
        <Form action={storytellerPath(s.publicId, 'stage')}>
          <input type="hidden" name="to" value="ready" />
          <Button variant="secondary">Mark ready to speak</Button>
        </Form>
      ) : null}
      <Form action={storytellerPath(s.publicId, 'topics')}>
        <ChoiceGroup name="topics" legend="Topics they can speak on" type="checkbox" options={props.topics} selected={s.topicIds.map(String)} errors={props.errors} />
        <Button variant="secondary">Save topics</Button>
      </Form>
      <h2>Training</h2>
      {props.training.length === 0 ? <p>No training attended yet.</p> : (
        <ul class="list">
          {props.training.map((t) => (
            <li>
              {t.title}, <LondonTime date={t.starts_at} />
            </li>
          ))}
        </ul>
      )}
      <h2>Requests to speak</h2>
      {props.asks.length === 0 ? <p>Not asked yet.</p> : null}
      {props.asks.map((a) => (
        <section class="card">
          <h3>
            <a href={opportunityPath(a.opportunityId)}>{a.outlet}</a>
          </h3>
          <p>
            Asked <LondonTime date={a.askedAt} />: {a.answer ? answerWords[a.answer] : 'no answer yet'}
          </p>
          {a.outcome ? (
            <p>
              Spoke with {a.outcome.withWhom} at {a.outcome.where}.{' '}
              {a.outcome.links.map((l) => (
                <>
                  <a href={l} rel="noopener noreferrer">
                    {l}
                  </a>{' '}
                </>
              ))}
            </p>
          ) : a.answer === 'yes' && a.id !== firstOpenYes ? (
            <p>Record what happened for the request above first.</p>
          ) : a.answer === 'yes' ? (
            <Form action={storytellerPath(s.publicId, `asks/${a.id}/outcome`)}>
              <TextInput name="with_whom" label="With whom" values={props.values} errors={props.errors} />
              <TextInput name="where" label="Where" values={props.values} errors={props.errors} />
              <TextArea name="links" label="Coverage links (optional)" hint="One web address a line." rows={3} values={props.values} errors={props.errors} />
              <Button variant="secondary">Record what happened</Button>
            </Form>
          ) : null}
        </section>
      ))}
      <h2>Notes</h2>
      {props.notes.length === 0 ? <p>No notes yet.</p> : (
        <ul class="list">
          {props.notes.map((n) => (
            <li>
              <p>{n.text}</p>
              <p class="hint">
                {n.authorName}, <LondonTime date={n.createdAt} />
              </p>
            </li>
          ))}
        </ul>
      )}
      <Form action={storytellerPath(s.publicId, 'notes')}>
        <TextArea name="note" label="Add a note" hint="Only people who can see this record can read it. It is kept encrypted." rows={4} values={props.values} errors={props.errors} />
        <Button variant="secondary">Add note</Button>
      </Form>
    </Layout>
  );
}

function Row({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="summary-list__row">
      <dt class="summary-list__key">{label}</dt>
      <dd class="summary-list__value">{children}</dd>
    </div>
  );
}

export function TopicsPage(props: { topics: Array<{ id: number; name: string }>; canAdd: boolean; values?: FormValues; errors?: FieldErrors | undefined; notice?: string | undefined }) {
  return (
    <Layout title="Speaking topics">
      <StorytellerNav />
      <h1>Speaking topics</h1>
      <PageNotice notice={props.notice} messages={NOTICES} />
      <ErrorSummary errors={props.errors} />
      {props.topics.length === 0 ? <p>No topics yet.</p> : (
        <ul class="list">
          {props.topics.map((t) => (
            <li>{t.name}</li>
          ))}
        </ul>
      )}
      {props.canAdd ? (
        <Form action="/admin/storytellers/topics">
          <TextInput name="name" label="New topic" values={props.values} errors={props.errors} />
          <Button>Add topic</Button>
        </Form>
      ) : null}
    </Layout>
  );
}

export function TrainingListPage(props: { items: Array<{ id: number; title: string; starts_at: Date; event_id: number | null; attended: number }>; total: number; page: number; perPage: number; values?: FormValues; errors?: FieldErrors | undefined; notice?: string | undefined }) {
  return (
    <Layout title="Training sessions">
      <StorytellerNav />
      <h1>Training sessions</h1>
      <PageNotice notice={props.notice} messages={NOTICES} />
      <ErrorSummary errors={props.errors} />
      {props.items.length === 0 ? <p>No training sessions yet.</p> : (
        <ul class="list">
          {props.items.map((t) => (
            <li>
              <a href={`/admin/storytellers/training/${t.id}`}>{t.title}</a>, <LondonTime date={t.starts_at} /> ({t.attended} attended)
            </li>
          ))}
        </ul>
      )}
      <Pagination page={props.page} totalPages={Math.max(1, Math.ceil(props.total / props.perPage))} href={(p) => `/admin/storytellers/training?page=${p}`} />
      <h2>Add a training session</h2>
      <Form action="/admin/storytellers/training">
        <TextInput name="event" label="Training event number (optional)" hint="The number in a training event’s address on the calendar, e.g. 12 for /admin/events/12. Its title and time are used." width="10" inputmode="numeric" values={props.values} errors={props.errors} />
        <p>Or, for training not on the calendar:</p>
        <TextInput name="title" label="Title" values={props.values} errors={props.errors} />
        <TextInput name="date" label="Date" type="date" width="10" values={props.values} errors={props.errors} />
        <Button>Add session</Button>
      </Form>
    </Layout>
  );
}

export function TrainingSessionPage(props: { session: { id: number; title: string; starts_at: Date; event_id: number | null }; choices: Array<{ public_id: string; name: string; stage: StorytellerStage; attended: boolean }>; errors?: FieldErrors | undefined; notice?: string | undefined }) {
  const attended = props.choices.filter((c) => c.attended);
  const open = props.choices.filter((c) => !c.attended);
  return (
    <Layout title={`Training: ${props.session.title}`}>
      <StorytellerNav />
      <h1>{props.session.title}</h1>
      <p>
        <LondonTime date={props.session.starts_at} />
        {props.session.event_id ? (
          <>
            {' · '}
            <a href={`/admin/events/${props.session.event_id}`}>The event</a>
          </>
        ) : null}
      </p>
      <PageNotice notice={props.notice} messages={NOTICES} />
      <ErrorSummary errors={props.errors} />
      <h2>Attended</h2>
      {attended.length === 0 ? <p>Nobody recorded yet.</p> : (
        <ul class="list">
          {attended.map((c) => (
            <li>{c.name}</li>
          ))}
        </ul>
      )}
      {open.length > 0 ? (
        <Form action={`/admin/storytellers/training/${props.session.id}/attendance`}>
          <ChoiceGroup name="attended" legend="Record who attended" hint="Someone who had consented moves on to trained." type="checkbox" options={open.map((c) => ({ value: c.public_id, label: `${c.name} (${stageLabels[c.stage]})` }))} errors={props.errors} />
          <Button>Record attendance</Button>
        </Form>
      ) : null}
    </Layout>
  );
}

export function OpportunityListPage(props: { items: Array<{ id: number; outlet: string; requester_kind: string; deadline: string; topic: string; yes: number }>; total: number; page: number; perPage: number }) {
  return (
    <Layout title="Requests to speak">
      <StorytellerNav />
      <h1>Requests to speak</h1>
      <p>
        <a class="button button--primary" href="/admin/opportunities/new">
          Add a request
        </a>
      </p>
      {props.items.length === 0 ? <p>No requests yet.</p> : (
        <ul class="list">
          {props.items.map((o) => (
            <li>
              <a href={opportunityPath(o.id)}>{o.outlet}</a>: {o.topic}, by {formatCalendarDate(o.deadline)} ({o.yes} said yes)
            </li>
          ))}
        </ul>
      )}
      <Pagination page={props.page} totalPages={Math.max(1, Math.ceil(props.total / props.perPage))} href={(p) => `/admin/opportunities?page=${p}`} />
    </Layout>
  );
}

export function OpportunityFormPage(props: { topics: Option[]; regions: Option[]; values: FormValues; errors?: FieldErrors | undefined }) {
  return (
    <Layout title="Add a request to speak">
      <h1>Add a request to speak</h1>
      <ErrorSummary errors={props.errors} />
      <Form action="/admin/opportunities/new">
        <Select name="kind" label="Who is asking" values={props.values} errors={props.errors} placeholder="Choose one" options={[{ value: 'press', label: 'Press' }, { value: 'politician', label: 'A politician’s office' }]} />
        <TextInput name="requester" label="Their name and how to reach them" hint="Kept encrypted, for the organisers." values={props.values} errors={props.errors} />
        <TextInput name="outlet" label="Outlet or office" hint="For example BBC Points West." values={props.values} errors={props.errors} />
        <TextArea name="wanted" label="What they want" rows={4} values={props.values} errors={props.errors} />
        <Select name="topic" label="Topic" values={props.values} errors={props.errors} placeholder="Choose a topic" options={props.topics} />
        <TextInput name="postcode" label="Postcode of the place (optional)" hint="Storytellers in its constituency come first, then its region." width="10" values={props.values} errors={props.errors} />
        <Select name="region" label="Or a region (optional)" values={props.values} errors={props.errors} placeholder="Anywhere" options={props.regions} />
        <TextInput name="deadline" label="Deadline" type="date" width="10" values={props.values} errors={props.errors} />
        <Button>Add request</Button>
      </Form>
    </Layout>
  );
}

const fitWords: Record<PlaceFit, string> = { constituency: 'Same constituency', region: 'Same region', anywhere: 'Elsewhere' };

export function OpportunityPage(props: { opportunity: Opportunity; matches: Match[]; names: Names; errors?: FieldErrors | undefined; notice?: string | undefined }) {
  const o = props.opportunity;
  const askable = props.matches.filter((m) => !m.asked);
  const asked = props.matches.filter((m) => m.asked);
  return (
    <Layout title={`Request: ${o.outlet}`}>
      <StorytellerNav />
      <h1>{o.outlet}</h1>
      <PageNotice notice={props.notice} messages={NOTICES} />
      <ErrorSummary errors={props.errors} />
      <dl class="summary-list">
        <Row label="Who">{o.requesterKind === 'press' ? 'Press' : 'A politician’s office'}: {o.requester}</Row>
        <Row label="What they want">{o.wanted}</Row>
        <Row label="Topic">{o.topic}</Row>
        <Row label="Where">{o.constituencyCode ? placeName(props.names, o.constituencyCode) : o.regionCode ? (props.names.regions.get(o.regionCode) ?? o.regionCode) : 'Anywhere'}</Row>
        <Row label="Deadline">{formatCalendarDate(o.deadline)}</Row>
      </dl>
      <p>Nobody’s name or contact details appear here until they have said yes to this request.</p>
      <h2>Asked</h2>
      {asked.length === 0 ? <p>Nobody asked yet.</p> : (
        <ul class="list">
          {asked.map((m) => (
            <li>
              {m.contact ? (
                <>
                  {m.contact.name} said yes: {m.contact.email}
                  {m.contact.phone ? `, ${m.contact.phone}` : ''}
                </>
              ) : (
                <>
                  {m.label} ({placeName(props.names, m.constituencyCode)}): {m.answer === 'no' ? 'said no' : 'no answer yet'}
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {asked.some((m) => m.contact) ? (
        <p>
          <a href={opportunityPath(o.id, 'contacts.csv')}>Download the contact details of those who said yes (CSV)</a>
        </p>
      ) : null}
      <h2>Ready storytellers on this topic</h2>
      {askable.length === 0 ? <p>No one else is ready to speak on this topic.</p> : (
        <Form action={opportunityPath(o.id, 'asks')}>
          <ChoiceGroup
            name="storytellers"
            legend="Choose whom to ask"
            hint="Best matches first. Each gets an email with yes and no links; nothing about them is shared unless they say yes."
            type="checkbox"
            options={askable.map((m) => ({ value: m.publicId, label: `${m.label}: ${fitWords[m.fit]} (${placeName(props.names, m.constituencyCode)}), ${stageLabels[m.stage]}` }))}
            errors={props.errors}
          />
          <Button>Ask them</Button>
        </Form>
      )}
    </Layout>
  );
}

/** The storyteller's own page for one request, from the link in their email (no sign-in). */
export function AskPage(props: { token: string; ask: { answer: AskAnswer | null; opportunity: { outlet: string; wanted: string; topic: string; deadline: string; requesterKind: string } }; suggested: AskAnswer | undefined; done?: AskAnswer | undefined }) {
  const o = props.ask.opportunity;
  const answer = props.done ?? props.ask.answer;
  return (
    <Layout title="A request to speak">
      <h1>A request from {o.outlet}</h1>
      <p>
        {o.requesterKind === 'press' ? 'A journalist' : 'A politician’s office'} would like to hear from someone about {o.topic}: {o.wanted}
      </p>
      <p>They need an answer by {formatCalendarDate(o.deadline)}.</p>
      {answer === 'yes' ? (
        <Notice kind="success">Thank you. You said yes: an organiser will pass your name and contact details to them for this request only, and be in touch.</Notice>
      ) : answer === 'no' ? (
        <Notice kind="info">You said no. Nothing about you has been shared, and you will still hear about other requests.</Notice>
      ) : (
        <>
          <p>Nothing about you has been shared. If you say yes, an organiser passes your name and contact details to them, for this request only.</p>
          <div class="button-group">
            <Form action={`/storytellers/asks/${props.token}/yes`} csrf={false}>
              <Button variant={props.suggested === 'no' ? 'secondary' : 'primary'}>Yes, share my details for this</Button>
            </Form>
            <Form action={`/storytellers/asks/${props.token}/no`} csrf={false}>
              <Button variant={props.suggested === 'no' ? 'primary' : 'secondary'}>No thank you</Button>
            </Form>
          </div>
        </>
      )}
    </Layout>
  );
}
