import { politicianLine } from '../hustings.ts';
import { Button, Checkbox, ChoiceGroup, ErrorSummary, Form, Layout, Notice, Pagination, TextArea, TextInput, formatLondon, formatNumber, type FieldErrors, type FormValues } from '../../platform/index.ts';
import { formatSimpleText } from '../../supporters/index.ts';
import { ACCESS_NEEDS_MAX, MAX_PLACES, NAME_MAX } from '../book-event.ts';
import { ChangeHistory, ChangeNotices } from '../change-views.tsx';
import type { EventChange } from '../event-changes.ts';
import { placeLine } from '../event-calendar.ts';
import { ukWhen, ukWhenShort } from '../london-clock.ts';
import { formatMiles } from '../find-events.ts';
import { formatPrice } from '../money.ts';
import { eventTypes, isBookable, publicStatus } from '../states.ts';
import { placesLeft, placesLeftIn, type ChorusEvent } from '../store.ts';
import { fullTiers } from '../waiting-list.ts';
import { eventJsonLd } from './json-ld.ts';
import { CalendarSubscribe } from '../feeds/subscribe-links.tsx';
import { RepeatDates } from './repeat-dates.tsx';
import { WaitingListExplainer, WaitingListForm, WaitingListLink } from './waiting-list-views.tsx';

const monthName = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', month: 'long', year: 'numeric' });

/** "Thu 10 Jun, 18:30 to 20:30" (the end's date too when it ends on another day; BST/GMT around the clock changes). */
export function whenLine(event: Pick<ChorusEvent, 'startsAt' | 'endsAt'>): string {
  return ukWhenShort(event.startsAt, event.endsAt);
}

const accessLabels: Array<[keyof ChorusEvent['access'], string]> = [
  ['stepFree', 'Step-free access'],
  ['hearingLoop', 'Hearing loop'],
  ['bsl', 'British Sign Language interpretation'],
  ['seating', 'Seating'],
  ['toilets', 'Accessible toilets'],
  ['quietRoom', 'Quiet room'],
];

function priceSummary(event: ChorusEvent): string {
  const prices = [...new Set(event.tiers.map((t) => t.pricePence))].sort((a, b) => b - a);
  if (prices.every((p) => p === 0)) return 'Free';
  return prices.map(formatPrice).join(' / ');
}

/** One event in a list; `near`: how far it is from a searched postcode (carried to the event page). */
export function EventItem({ event, near }: { event: ChorusEvent; near?: { miles: number; postcode: string } | undefined }) {
  const status = publicStatus(event);
  const left = placesLeft(event);
  return (
    <li class="event-list__item">
      <p class="event-list__when">{whenLine(event)}</p>
      <h3 class="event-list__title">
        <a href={near ? `${event.path}?from=${encodeURIComponent(near.postcode)}` : event.path}>{event.title}</a>
      </h3>
      {near ? <p class="event-list__distance">{formatMiles(near.miles)} from {near.postcode}</p> : null}
      <p class="event-list__meta">
        {status === 'cancelled' ? (
          <>
            <strong class="tag tag--red">Cancelled</strong>{' '}
          </>
        ) : null}
        {eventTypes[event.type]} · {event.postcode ? [event.venueName, event.constituency?.name].filter(Boolean).join(', ') || placeLine(event) : 'Online'} · {priceSummary(event)}
        {status === 'upcoming' && left === 0 ? ' · Full' : ''}
      </p>
      {event.groups.length > 0 ? <p class="event-list__meta">{event.groups.map((g) => g.name).join(', ')}</p> : null}
    </li>
  );
}

/** Events grouped by the month they start in (UK time), in the order given. */
function byMonth(events: ChorusEvent[]): Array<{ month: string; events: ChorusEvent[] }> {
  const months: Array<{ month: string; events: ChorusEvent[] }> = [];
  for (const event of events) {
    const month = monthName.format(event.startsAt);
    const last = months.at(-1);
    if (last && last.month === month) last.events.push(event);
    else months.push({ month, events: [event] });
  }
  return months;
}

export function MonthList({ events }: { events: ChorusEvent[] }) {
  return (
    <>
      {byMonth(events).map(({ month, events: inMonth }) => (
        <section class="event-month" aria-labelledby={`month-${month.replace(/\s+/g, '-')}`}>
          <h2 id={`month-${month.replace(/\s+/g, '-')}`}>{month}</h2>
          <ul class="event-list">
            {inMonth.map((e) => (
              <EventItem event={e} />
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}

/** Where feed readers and calendar apps find the feeds of this page. */
export function FeedLinks() {
  return (
    <>
      <link rel="alternate" type="application/rss+xml" title="New events (RSS)" href="/events.rss" />
      <link rel="alternate" type="text/calendar" title="Events calendar (iCalendar)" href="/events.ics" />
    </>
  );
}

export function PastEventsPage({ events, page, totalPages }: { events: ChorusEvent[]; page: number; totalPages: number }) {
  return (
    <Layout title="Past events" breadcrumbs={[{ href: '/events', label: 'Events' }]} share={{ path: '/events/past', description: 'Events the campaign has held.' }}>
      <h1>Past events</h1>
      {events.length === 0 ? <p>No past events yet.</p> : <MonthList events={events} />}
      <Pagination page={page} totalPages={totalPages} href={(n) => `/events/past?page=${n}`} />
    </Layout>
  );
}

export interface BookingFormProps {
  event: ChorusEvent;
  hearMoreWording: string;
  values?: FormValues | undefined;
  errors?: FieldErrors | undefined;
  /** A booking fell short of places: point to the waiting list. */
  waitingList?: boolean | undefined;
}

/** The booking form: works without JavaScript; carries no per-visitor token (the server checks the Origin). */
export function BookingForm({ event, hearMoreWording, values = {}, errors }: BookingFormProps) {
  const tierOptions = event.tiers.map((t) => {
    const left = placesLeftIn(event, t);
    return { value: String(t.id), label: `${t.name}: ${formatPrice(t.pricePence)}`, hint: left === null ? undefined : left === 0 ? 'None left' : `${formatNumber(left)} left` };
  });
  const selected = values.tier ? [values.tier] : event.tiers.length === 1 ? [String(event.tiers[0]!.id)] : [];
  return (
    <Form action={`/events/${event.id}/bookings`} csrf={false} class="booking-form" id="booking-form">
      <TextInput name="name" label="Full name" autocomplete="name" maxLength={NAME_MAX} spellcheck={false} values={values} errors={errors} />
      <TextInput name="email" label="Email address" type="email" autocomplete="email" hint="We’ll email your booking reference and a link to cancel." spellcheck={false} values={values} errors={errors} />
      <ChoiceGroup type="radio" name="tier" legend="Ticket" options={tierOptions} selected={selected} errors={errors} />
      <TextInput name="places" label="How many places?" hint={`From 1 to ${MAX_PLACES}`} width="5" inputmode="numeric" value={values.places ?? '1'} errors={errors} />
      <TextArea name="access_needs" label="Access needs (optional)" hint="Anything the organisers should know so you can take part" rows={3} maxLength={ACCESS_NEEDS_MAX} values={values} errors={errors} />
      <Checkbox name="hear_more" label={hearMoreWording} checked={values.hear_more !== undefined && values.hear_more !== ''} errors={errors} />
      <Button>Book</Button>
    </Form>
  );
}

function AccessInfo({ event }: { event: ChorusEvent }) {
  const offered = accessLabels.filter(([key]) => event.access[key] === true);
  return (
    <section class="event-access" aria-labelledby="access-heading">
      <h2 id="access-heading">Access</h2>
      {offered.length > 0 ? (
        <ul class="list">
          {offered.map(([, label]) => (
            <li>{label}</li>
          ))}
        </ul>
      ) : (
        <p>The organisers have not told us about access yet: please ask them.</p>
      )}
      {event.access.notes ? <p class="event-access__notes">{event.access.notes}</p> : null}
    </section>
  );
}

interface Described {
  description: ReturnType<typeof formatSimpleText>;
  jsonLd: string;
  /** The UK-time lines, long ("When") and short (the share description). */
  when: string;
  whenShort: string;
}

/**
 * The page's description, JSON-LD and dates, made once per copy of an event (with no change history):
 * under a booking spike every refusal renders the event page again from the same kept copy.
 */
const described = new WeakMap<ChorusEvent, { baseUrl: string; value: Described }>();

function describedOnce(event: ChorusEvent, baseUrl: string, changes: readonly EventChange[]): Described {
  if (changes.length === 0) {
    const kept = described.get(event);
    if (kept && kept.baseUrl === baseUrl) return kept.value;
  }
  const jsonLd = JSON.stringify(eventJsonLd(event, baseUrl, changes))
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  const value = { description: formatSimpleText(event.description), jsonLd, when: ukWhen(event.startsAt, event.endsAt), whenShort: whenLine(event) };
  if (changes.length === 0) described.set(event, { baseUrl, value });
  return value;
}

export function EventPage(props: BookingFormProps & { baseUrl: string; changes?: readonly EventChange[] | undefined; distanceFrom?: { miles: number; postcode: string } | undefined }) {
  const { event, errors, baseUrl, distanceFrom } = props;
  const changes = props.changes ?? [];
  const status = publicStatus(event);
  const left = placesLeft(event);
  const { description, jsonLd, when, whenShort } = describedOnce(event, baseUrl, changes);
  const hasErrors = Object.keys(errors ?? {}).length > 0;
  return (
    <Layout
      title={`${hasErrors ? 'Error: ' : ''}${event.title}`}
      breadcrumbs={[{ href: status === 'past' ? '/events/past' : '/events', label: status === 'past' ? 'Past events' : 'Events' }]}
      share={{ path: event.path, title: event.title, description: `${whenShort} · ${placeLine(event)}. ${description.text.slice(0, 200)}` }}
      head={<script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonLd }} />}
    >
      <ErrorSummary errors={errors} />
      <span class="caption">{eventTypes[event.type]}</span>
      <h1>{event.title}</h1>
      {event.politician && event.state !== 'cancelled' ? (
        <p class="notice notice--info event-politician">
          <strong>{politicianLine(event.politician)}</strong>
        </p>
      ) : null}
      <ChangeNotices changes={changes} />
      {status === 'cancelled' && !changes.some((c) => c.kind === 'cancelled') ? (
        <div class="notice notice--warning" role="status">
          <p>This event has been cancelled{event.cancelledAt ? ` (on ${formatLondon(event.cancelledAt, 'date')})` : ''}.</p>
        </div>
      ) : status === 'past' ? (
        <Notice kind="info">This event has taken place.</Notice>
      ) : null}
      <dl class="summary-list event-facts">
        <div class="summary-list__row">
          <dt>When</dt>
          <dd>
            {when}
          </dd>
        </div>
        <div class="summary-list__row">
          <dt>Where</dt>
          <dd>
            {event.postcode || event.venueName || event.address ? (
              <>
                {event.venueName ? (
                  <>
                    {event.venueName}
                    <br />
                  </>
                ) : null}
                {event.address ? (
                  <>
                    {event.address.replace(/\s*\n\s*/g, ', ')}
                    <br />
                  </>
                ) : null}
                {event.postcode}
                {event.constituency ? (
                  <>
                    <br />
                    In <a href={`/constituencies/${event.constituency.code}`}>{event.constituency.name}</a>
                    {event.region ? `, ${event.region.name}` : ''}
                  </>
                ) : null}
                {distanceFrom ? (
                  <>
                    <br />
                    <strong>
                      {formatMiles(distanceFrom.miles)} from {distanceFrom.postcode}
                    </strong>
                  </>
                ) : null}
              </>
            ) : (
              'Online'
            )}
            {event.onlineUrl ? (
              <>
                <br />
                {event.onlineUrlBookedOnly ? 'Also online: the link is sent to people who book.' : <a href={event.onlineUrl}>Join online</a>}
              </>
            ) : null}
          </dd>
        </div>
        <div class="summary-list__row">
          <dt>Tickets</dt>
          <dd>
            {event.tiers.map((t) => `${t.name}: ${formatPrice(t.pricePence)}`).join(' · ')}
            {event.tiers.some((t) => t.pricePence > 0) ? ' (pay on the door)' : ''}
            {status === 'upcoming' && left !== null ? <><br />{left === 0 ? 'Full' : `${formatNumber(left)} ${left === 1 ? 'place' : 'places'} left`}</> : null}
          </dd>
        </div>
        {event.groups.length > 0 ? (
          <div class="summary-list__row">
            <dt>Organised by</dt>
            <dd>
              {event.groups.map((g, i) => (
                <>
                  {i > 0 ? ', ' : ''}
                  <a href={`/groups/${g.slug}`}>{g.name}</a>
                </>
              ))}
            </dd>
          </div>
        ) : null}
        {event.contact ? (
          <div class="summary-list__row">
            <dt>Contact</dt>
            <dd>{event.contact}</dd>
          </div>
        ) : null}
      </dl>
      <RepeatDates event={event} />
      <CalendarSubscribe path={`/events/${event.id}.ics`} label={event.repeatRule ? 'Add every date to your calendar' : 'Add this event to your calendar'} />
      <AccessInfo event={event} />
      {event.speakers.length > 0 ? (
        <section aria-labelledby="speakers-heading">
          <h2 id="speakers-heading">Speakers</h2>
          <ul class="list">
            {event.speakers.map((s) => (
              <li>{s}</li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="about-heading">
        <h2 id="about-heading">About the event</h2>
        <div class="event-description" dangerouslySetInnerHTML={{ __html: description.html }} />
      </section>
      <ChangeHistory changes={changes} />
      {isBookable(event) ? (
        <section aria-labelledby="book-heading" class="event-booking">
          <h2 id="book-heading">Book your place</h2>
          {event.repeatRule ? <p>Booking is for the first date, {ukWhen(event.startsAt, event.endsAt)}. The dates after it need no booking: just come along.</p> : null}
          {left === 0 ? (
            <>
              <p>Sorry, this event is full: you can join the waiting list.</p>
              <WaitingListExplainer />
              <WaitingListForm {...props} />
            </>
          ) : (
            <>
              <BookingForm {...props} />
              {props.waitingList || fullTiers(event).length > 0 ? <WaitingListLink event={event} /> : null}
            </>
          )}
        </section>
      ) : event.repeatRule && event.state === 'published' && status === 'upcoming' ? (
        <section aria-labelledby="book-heading" class="event-booking">
          <h2 id="book-heading">Coming along</h2>
          <p>No booking is needed for the dates to come: just come along.</p>
        </section>
      ) : null}
    </Layout>
  );
}

export function BookedPage({ event }: { event: ChorusEvent }) {
  return (
    <Layout title={`Booked: ${event.title}`} breadcrumbs={[{ href: '/events', label: 'Events' }, { href: event.path, label: event.title }]}>
      <div class="panel panel--confirmation">
        <h1>You’re booked</h1>
        <p>We have emailed you your booking reference, the event for your calendar, and a link to cancel if you cannot come.</p>
      </div>
      <p>
        <a href={event.path}>Back to {event.title}</a>
      </p>
    </Layout>
  );
}

export function ManageBookingPage({ event, booking, token, notice }: { event: ChorusEvent; booking: { reference: string; name: string; places: number; tierName: string; status: string }; token: string; notice?: 'cancelled' | undefined }) {
  const cancelled = booking.status === 'cancelled';
  return (
    <Layout title={`Your booking: ${event.title}`} breadcrumbs={[{ href: '/events', label: 'Events' }, { href: event.path, label: event.title }]}>
      {notice === 'cancelled' ? <Notice>Your booking is cancelled and your places are free for someone else. Thank you for letting us know.</Notice> : null}
      <h1>Your booking</h1>
      <dl class="summary-list">
        <div class="summary-list__row">
          <dt>Event</dt>
          <dd>
            <a href={event.path}>{event.title}</a>
          </dd>
        </div>
        <div class="summary-list__row">
          <dt>When</dt>
          <dd>{ukWhen(event.startsAt, event.endsAt)}</dd>
        </div>
        <div class="summary-list__row">
          <dt>Reference</dt>
          <dd>{booking.reference}</dd>
        </div>
        <div class="summary-list__row">
          <dt>Booked</dt>
          <dd>
            {booking.places === 1 ? '1 place' : `${booking.places} places`} ({booking.tierName}) for {booking.name}
          </dd>
        </div>
        <div class="summary-list__row">
          <dt>Status</dt>
          <dd>{cancelled ? 'Cancelled' : 'Booked'}</dd>
        </div>
        {!cancelled && event.onlineUrl ? (
          <div class="summary-list__row">
            <dt>Online</dt>
            <dd>
              <a href={event.onlineUrl}>Join online</a>
            </dd>
          </div>
        ) : null}
      </dl>
      {!cancelled && publicStatus(event) === 'upcoming' ? (
        <Form action={`/bookings/${token}/cancel`} csrf={false}>
          <p>If you cannot come, please cancel so someone else can have your places.</p>
          <Button variant="warning">Cancel my booking</Button>
        </Form>
      ) : null}
    </Layout>
  );
}
