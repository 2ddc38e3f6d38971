import type { Group } from '../../coalition/index.ts';
import { ActionButton, Button, Checkbox, ChoiceGroup, ErrorSummary, Form, Layout, Notice, Pagination, Select, Tag, TextArea, TextInput, formatLondon, formatNumber, type FieldErrors, type FormValues, type TagColour, type Viewer } from '../../platform/index.ts';
import { DESCRIPTION_MAX, NOTES_MAX, TIER_ROWS, TITLE_MAX, eventTypeOptions } from '../event-form.ts';
import { ChangeHistory } from '../change-views.tsx';
import type { EventChange } from '../event-changes.ts';
import { isRepeatedHour, ukWhen } from '../london-clock.ts';
import { formatPrice } from '../money.ts';
import { RepeatFields } from './repeat-fields.tsx';
import { CANCELLABLE_STATES, PUBLISHABLE_STATES, eventTypes, isPast, stateLabels } from '../states.ts';
import type { ChorusEvent } from '../store.ts';
import type { EventState } from '../tables.ts';

export const eventAdminPath = (id: number, rest = '') => `/admin/events/${id}${rest ? `/${rest}` : ''}`;

const stateColours: Record<EventState, TagColour> = { draft: 'grey', awaiting_approval: 'yellow', published: 'green', cancelled: 'red', declined: 'red' };

export function StateTag({ event }: { event: ChorusEvent }) {
  if (event.state !== 'cancelled' && isPast(event)) return <Tag colour="grey">Past</Tag>;
  return <Tag colour={stateColours[event.state]}>{stateLabels[event.state]}</Tag>;
}

export function EventListAdminPage(props: { events: ChorusEvent[]; total: number; page: number; perPage: number; canCreate: boolean; ownGroupsOnly: boolean; role?: Viewer['role'] }) {
  const pages = Math.max(1, Math.ceil(props.total / props.perPage));
  return (
    <Layout title="Events" wide>
      <h1>Events</h1>
      {props.ownGroupsOnly ? <p>The events of the groups you organise for.</p> : null}
      {props.role === 'admin' || props.role === 'moderator' ? (
        <p>
          <a href="/admin/events/submissions">Events awaiting approval</a>
          {props.role === 'admin' ? (
            <>
              {' · '}
              <a href="/admin/events/settings">Event settings</a>
            </>
          ) : null}
        </p>
      ) : null}
      {props.canCreate ? (
        <p>
          <a class="button button--primary" href="/admin/events/new">
            Add an event
          </a>
        </p>
      ) : null}
      {props.events.length === 0 ? (
        <p>No events yet.</p>
      ) : (
        <div class="table-scroll">
          <table class="table">
            <caption class="visually-hidden">Events, latest first</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">When</th>
                <th scope="col">State</th>
                <th scope="col" class="numeric">
                  Places booked
                </th>
              </tr>
            </thead>
            <tbody>
              {props.events.map((e) => (
                <tr>
                  <td>
                    <a href={eventAdminPath(e.id)}>{e.title}</a>
                    <br />
                    <span class="hint">{eventTypes[e.type]}</span>
                  </td>
                  <td>{formatLondon(e.startsAt)}</td>
                  <td>
                    <StateTag event={e} />
                  </td>
                  <td class="numeric">
                    {formatNumber(e.placesBooked)}
                    {e.capacity !== null ? ` of ${formatNumber(e.capacity)}` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={props.page} totalPages={pages} href={(n) => `/admin/events?page=${n}`} />
    </Layout>
  );
}

export interface EventFormProps {
  event?: ChorusEvent | undefined;
  groups: Group[];
  selectedGroups: string[];
  values: FormValues;
  errors?: FieldErrors | undefined;
}

/** October's repeated hour: which of the two (BST first, then GMT an hour later) is meant. */
function ZoneChoice({ name, time, values }: { name: string; time: string | undefined; values: FormValues }) {
  if (!isRepeatedHour(time)) return null;
  const chosen = values[name] === 'BST' || values[name] === 'GMT' ? [values[name]] : [];
  return (
    <ChoiceGroup
      type="radio"
      name={name}
      legend="This time happens twice (the clocks go back): which one?"
      options={[
        { value: 'BST', label: 'BST, the first (before the clocks go back)' },
        { value: 'GMT', label: 'GMT, the second (after the clocks go back)' },
      ]}
      selected={chosen}
    />
  );
}

const accessBoxes: Array<[string, string]> = [
  ['access_step_free', 'Step-free access'],
  ['access_hearing_loop', 'Hearing loop'],
  ['access_bsl', 'British Sign Language interpretation'],
  ['access_seating', 'Seating'],
  ['access_toilets', 'Accessible toilets'],
  ['access_quiet_room', 'Quiet room'],
];

/** Add an event, or edit one. Works without JavaScript; every problem is named beside its field. */
export function EventFormPage({ event, groups, selectedGroups, values, errors }: EventFormProps) {
  const title = event ? 'Edit the event' : 'Add an event';
  const ticked = (name: string) => values[name] !== undefined && values[name] !== '';
  return (
    <Layout title={`${errors && Object.keys(errors).length ? 'Error: ' : ''}${title}`} breadcrumbs={[{ href: '/admin/events', label: 'Events' }, ...(event ? [{ href: eventAdminPath(event.id), label: event.title }] : [])]}>
      <h1>{title}</h1>
      <ErrorSummary errors={errors} />
      <Form action={event ? eventAdminPath(event.id, 'edit') : '/admin/events/new'} class="event-form">
        <ChoiceGroup
          type="checkbox"
          name="groups"
          legend="Which groups are organising it?"
          hint="Choose one or more"
          options={groups.map((g) => ({ value: String(g.id), label: g.name }))}
          selected={selectedGroups}
          errors={errors}
        />
        <TextInput name="title" label="Title" hint={`${TITLE_MAX} characters or fewer. For example: Save our maternity unit: public meeting`} maxLength={TITLE_MAX} values={values} errors={errors} />
        <Select name="type" label="Type of event" options={eventTypeOptions} placeholder="Choose the type" values={values} errors={errors} />
        <TextArea
          name="description"
          label="Description"
          hint="Simple formatting as in mailings: a blank line between paragraphs, **bold**, *italic*, lines starting with - for a list, links as full web addresses."
          rows={8}
          maxLength={DESCRIPTION_MAX}
          values={values}
          errors={errors}
        />
        <fieldset class="fieldset">
          <legend class="fieldset__legend">When (UK time)</legend>
          <TextInput name="starts_at" type="datetime-local" label="Starts" hint="For example 2027-03-14 18:30" width="20" values={values} errors={errors} />
          <ZoneChoice name="starts_at_zone" time={values.starts_at} values={values} />
          <TextInput name="ends_at" type="datetime-local" label="Ends" hint="For example 2027-03-14 20:30" width="20" values={values} errors={errors} />
          <ZoneChoice name="ends_at_zone" time={values.ends_at} values={values} />
        </fieldset>
        <RepeatFields values={values} errors={errors} />
        {event && event.state === 'published' ? (
          <TextInput name="change_note" label="Why the venue or time changed (optional)" hint="Shown with the change on the event page and in the email to everyone booked, for example: for access" values={values} errors={errors} />
        ) : null}
        <fieldset class="fieldset">
          <legend class="fieldset__legend">Where</legend>
          <TextInput name="venue_name" label="Venue name" hint="For example Carrs Lane Conference Centre" values={values} errors={errors} />
          <TextArea name="address" label="Address" rows={3} values={values} errors={errors} />
          <TextInput name="postcode" label="Postcode" hint="We find the constituency and region from it. Leave it blank for an online-only event." width="10" autocomplete="postal-code" values={values} errors={errors} />
          <TextInput name="online_url" type="url" label="Online link (optional)" hint="A full address starting with https://" values={values} errors={errors} />
          <Checkbox name="online_url_booked_only" label="Show the online link only to people who have booked" checked={ticked('online_url_booked_only')} errors={errors} />
        </fieldset>
        <fieldset class="fieldset">
          <legend class="fieldset__legend">Access</legend>
          {accessBoxes.map(([name, label]) => (
            <Checkbox name={name} label={label} checked={ticked(name)} errors={errors} />
          ))}
          <TextArea name="access_notes" label="More about access (optional)" hint="Parking, the nearest station, how far from the door, lighting, anything people ask" rows={3} maxLength={NOTES_MAX} values={values} errors={errors} />
        </fieldset>
        <fieldset class="fieldset">
          <legend class="fieldset__legend">An MP or candidate who will be there (hustings, surgeries, public meetings)</legend>
          <ChoiceGroup
            type="radio"
            name="politician"
            legend="Who will appear?"
            options={[
              { value: '', label: 'Neither' },
              { value: 'mp', label: 'The MP (as recorded for the constituency)' },
              { value: 'candidate', label: 'A candidate' },
            ]}
            selected={[values.politician ?? '']}
            errors={errors}
          />
          <TextInput name="politician_seat" label="For which constituency?" hint="A postcode in it, or its code like E14001234. Leave blank for the venue’s constituency." width="10" values={values} errors={errors} />
          <TextInput name="politician_name" label="Candidate’s name" hint="Only for a candidate: an MP’s name comes from our MPs data" values={values} errors={errors} />
          <TextInput name="politician_party" label="Candidate’s party (optional)" values={values} errors={errors} />
        </fieldset>
        <TextArea name="speakers" label="Speakers (optional)" hint="One a line, for example: Dr Jane Smith, consultant paediatrician" rows={3} maxLength={NOTES_MAX} values={values} errors={errors} />
        <TextInput name="contact" label="Contact (optional)" hint="An email address or phone number people can ask about the event" values={values} errors={errors} />
        <fieldset class="fieldset">
          <legend class="fieldset__legend">Places and tickets</legend>
          <TextInput name="capacity" label="How many places in all?" hint="Leave blank for no limit" width="5" inputmode="numeric" values={values} errors={errors} />
          <p class="hint">Leave the tickets blank for a free event. Prices in pounds, for example 10 or 5.50; 0 for free.</p>
          {Array.from({ length: TIER_ROWS }, (_, i) => i + 1).map((n) => (
            <fieldset class="fieldset event-form__tier">
              <legend class="fieldset__legend">Ticket {n}</legend>
              {values[`tier_${n}_id`] ? <input type="hidden" name={`tier_${n}_id`} value={values[`tier_${n}_id`]} /> : null}
              <TextInput name={`tier_${n}_name`} label="Name" hint={n === 1 ? 'For example Waged, Unwaged or concession, Carers (free)' : undefined} values={values} errors={errors} />
              <TextInput name={`tier_${n}_price`} label="Price (£)" width="5" inputmode="text" values={values} errors={errors} />
              <TextInput name={`tier_${n}_capacity`} label="Places (optional)" width="5" inputmode="numeric" values={values} errors={errors} />
            </fieldset>
          ))}
        </fieldset>
        <Button>{event ? 'Save changes' : 'Save as a draft'}</Button>
      </Form>
    </Layout>
  );
}

const notices: Record<string, string> = {
  created: 'The event has been saved as a draft. Publish it when it is ready.',
  updated: 'Your changes have been saved.',
  published: 'The event is published: it is on the calendar and people can book.',
  cancelled: 'The event is cancelled.',
};

export function EventOverviewPage({ event, viewer, notice, changes = [] }: { event: ChorusEvent; viewer: Viewer; notice?: string | undefined; changes?: readonly EventChange[] }) {
  const manage = viewer.role === 'admin' || viewer.role === 'organiser';
  return (
    <Layout title={event.title} breadcrumbs={[{ href: '/admin/events', label: 'Events' }]}>
      {notice && notices[notice] ? <Notice>{notices[notice]}</Notice> : null}
      <span class="caption">{eventTypes[event.type]}</span>
      <h1>{event.title}</h1>
      <p>
        <StateTag event={event} />
      </p>
      <dl class="summary-list">
        <div class="summary-list__row">
          <dt>When</dt>
          <dd>
            {ukWhen(event.startsAt, event.endsAt)}
          </dd>
        </div>
        <div class="summary-list__row">
          <dt>Where</dt>
          <dd>{[event.venueName, event.address, event.postcode, event.constituency?.name].filter(Boolean).join(', ') || 'Online'}</dd>
        </div>
        <div class="summary-list__row">
          <dt>Organised by</dt>
          <dd>{event.groups.map((g) => g.name).join(', ')}</dd>
        </div>
        <div class="summary-list__row">
          <dt>Places booked</dt>
          <dd>
            {formatNumber(event.placesBooked)}
            {event.capacity !== null ? ` of ${formatNumber(event.capacity)}` : ''}
          </dd>
        </div>
        <div class="summary-list__row">
          <dt>Tickets</dt>
          <dd>
            <ul class="list">
              {event.tiers.map((t) => (
                <li>
                  {t.name}: {formatPrice(t.pricePence)}, {formatNumber(t.placesBooked)} booked{t.capacity !== null ? ` of ${formatNumber(t.capacity)}` : ''}
                </li>
              ))}
            </ul>
          </dd>
        </div>
      </dl>
      {event.state === 'awaiting_approval' && (viewer.role === 'admin' || viewer.role === 'moderator') ? (
        <p>
          <a class="button button--primary" href={eventAdminPath(event.id, 'review')}>
            Approve or decline
          </a>
        </p>
      ) : null}
      {event.state === 'declined' && event.declineReason ? <p>Declined: {event.declineReason}</p> : null}
      {event.state === 'published' || event.state === 'cancelled' ? (
        <p>
          <a href={event.path}>See the public page</a>
        </p>
      ) : null}
      <p>
        <a href={`${eventAdminPath(event.id)}/waiting-list`}>Waiting list{event.placesHeld > 0 ? ` (${formatNumber(event.placesHeld)} places held for offers)` : ''}</a>
      </p>
      {manage ? (
        <p>
          <a href={eventAdminPath(event.id, 'attendees')}>Attendees</a> · <a href={eventAdminPath(event.id, 'check-in')}>Door check-in</a>
        </p>
      ) : null}
      {manage ? (
        <div class="button-group">
          {event.state !== 'cancelled' ? (
            <a class="button button--secondary" href={eventAdminPath(event.id, 'edit')}>
              Edit
            </a>
          ) : null}
          {PUBLISHABLE_STATES.includes(event.state) ? (
            <ActionButton action={eventAdminPath(event.id, 'publish')} variant="primary">
              Publish
            </ActionButton>
          ) : null}
          {CANCELLABLE_STATES.includes(event.state) && event.state !== 'published' ? (
            <ActionButton action={eventAdminPath(event.id, 'cancel')} variant="warning">
              Cancel the event
            </ActionButton>
          ) : null}
        </div>
      ) : null}
      {manage && event.state === 'published' ? (
        <Form action={eventAdminPath(event.id, 'cancel')} class="event-cancel-form">
          <TextInput name="note" label="Why it is cancelled (optional)" hint="Shown on the event page and in the email to everyone booked" values={{}} />
          <Button variant="warning">Cancel the event</Button>
        </Form>
      ) : null}
      <ChangeHistory changes={changes} showWho />
    </Layout>
  );
}
