import { ActionButton, Button, Checkbox, ErrorSummary, Form, Layout, Notice, TextArea, formatLondon, type FieldErrors, type FormValues } from '../../platform/index.ts';
import { placeLine } from '../event-calendar.ts';
import type { HostRules } from '../host-rules.ts';
import { DECLINE_REASON_MAX } from '../review-event.ts';
import { eventTypes } from '../states.ts';
import type { ChorusEvent } from '../store.ts';
import { StateTag, eventAdminPath } from './views.tsx';

export interface Submission {
  name: string;
  email: string;
  organiser_id: number | null;
  created_at: Date;
}

/** Events sent through "Host an event", waiting for a moderator. */
export function SubmissionsPage({ events, submitters, notice }: { events: ChorusEvent[]; submitters: Map<number, Submission>; notice?: string | undefined }) {
  return (
    <Layout title="Events awaiting approval" breadcrumbs={[{ href: '/admin/events', label: 'Events' }]}>
      {notice === 'approved' ? <Notice>The event is approved: it is on the calendar, and whoever submitted it has been emailed.</Notice> : null}
      {notice === 'declined' ? <Notice>The event is declined, and whoever submitted it has been emailed the reason.</Notice> : null}
      <h1>Events awaiting approval</h1>
      {events.length === 0 ? (
        <p>No events are waiting for approval.</p>
      ) : (
        <ul class="event-list">
          {events.map((e) => {
            const by = submitters.get(e.id);
            return (
              <li class="event-list__item">
                <p class="event-list__when">{formatLondon(e.startsAt, 'full')}</p>
                <h2 class="event-list__title">
                  <a href={eventAdminPath(e.id, 'review')}>{e.title}</a>
                </h2>
                <p class="event-list__meta">
                  {eventTypes[e.type]} · {placeLine(e)}
                </p>
                <p class="event-list__meta">
                  {by ? `Sent by ${by.name} (${by.organiser_id ? 'organiser' : 'supporter'}) on ${formatLondon(by.created_at)}` : 'Sent for approval'}
                  {e.groups.length > 0 ? ` for ${e.groups.map((g) => g.name).join(', ')}` : ''}
                </p>
              </li>
            );
          })}
        </ul>
      )}
    </Layout>
  );
}

/** One submitted event, with Approve and Decline (a reason, emailed to whoever sent it). */
export function ReviewEventPage({ event, submission, values = {}, errors }: { event: ChorusEvent; submission: Submission | undefined; values?: FormValues; errors?: FieldErrors | undefined }) {
  const hasErrors = Object.keys(errors ?? {}).length > 0;
  return (
    <Layout title={`${hasErrors ? 'Error: ' : ''}Review: ${event.title}`} breadcrumbs={[{ href: '/admin/events', label: 'Events' }, { href: '/admin/events/submissions', label: 'Awaiting approval' }]}>
      <ErrorSummary errors={errors} />
      <span class="caption">{eventTypes[event.type]}</span>
      <h1>{event.title}</h1>
      <p>
        <StateTag event={event} />
      </p>
      <dl class="summary-list">
        <div class="summary-list__row">
          <dt>Sent by</dt>
          <dd>{submission ? `${submission.name}, ${submission.email} (${submission.organiser_id ? 'organiser' : 'supporter'})` : 'Not recorded'}</dd>
        </div>
        <div class="summary-list__row">
          <dt>When</dt>
          <dd>
            {formatLondon(event.startsAt, 'full')} to {formatLondon(event.endsAt, 'full')}
          </dd>
        </div>
        <div class="summary-list__row">
          <dt>Where</dt>
          <dd>{placeLine(event)}{event.onlineUrl ? ` · online: ${event.onlineUrl}` : ''}</dd>
        </div>
        {event.groups.length > 0 ? (
          <div class="summary-list__row">
            <dt>Groups</dt>
            <dd>{event.groups.map((g) => g.name).join(', ')}</dd>
          </div>
        ) : null}
        {event.contact ? (
          <div class="summary-list__row">
            <dt>Contact</dt>
            <dd>{event.contact}</dd>
          </div>
        ) : null}
        <div class="summary-list__row">
          <dt>Description</dt>
          <dd class="event-description">{event.description}</dd>
        </div>
        {event.declineReason ? (
          <div class="summary-list__row">
            <dt>Declined because</dt>
            <dd>{event.declineReason}</dd>
          </div>
        ) : null}
      </dl>
      {event.state === 'awaiting_approval' ? (
        <>
          <h2>Approve</h2>
          <p>The event goes on the calendar at once and we email whoever sent it.</p>
          <ActionButton action={eventAdminPath(event.id, 'approve')} variant="primary">
            Approve and publish
          </ActionButton>
          <h2>Decline</h2>
          <Form action={eventAdminPath(event.id, 'decline')}>
            <TextArea name="reason" label="Why is it declined?" hint="We email this to whoever sent the event." rows={4} maxLength={DECLINE_REASON_MAX} values={values} errors={errors} />
            <Button variant="warning">Decline</Button>
          </Form>
        </>
      ) : null}
    </Layout>
  );
}

export function EventSettingsPage({ rules, saved }: { rules: HostRules; saved?: boolean }) {
  return (
    <Layout title="Event settings" breadcrumbs={[{ href: '/admin/events', label: 'Events' }]}>
      {saved ? <Notice>The event settings have been saved.</Notice> : null}
      <h1>Event settings</h1>
      <Form action="/admin/events/settings">
        <h2>Host an event</h2>
        <p>Member groups’ organisers can always send events for approval at /events/host.</p>
        <Checkbox
          name="supporters_may_host"
          label="Supporters may send events for approval too"
          hint="Anyone may then offer an event with their name and email. A moderator approves or declines every one before it goes on the calendar."
          checked={rules.supportersMayHost}
        />
        <Button>Save the settings</Button>
      </Form>
    </Layout>
  );
}
