import { ActionButton, Button, ChoiceGroup, ErrorSummary, Form, Layout, Notice, Pagination, ScrollingTable, Tag, TextArea, TextInput, formatLondon, formatNumber, type FieldErrors, type FormValues } from '../../platform/index.ts';
import type { Attendee, AttendeeCounts } from '../check-in.ts';
import { formatPrice } from '../money.ts';
import type { ChorusEvent } from '../store.ts';
import { eventAdminPath } from './views.tsx';

const placesWord = (n: number) => (n === 1 ? '1 place' : `${formatNumber(n)} places`);

const crumbs = (event: ChorusEvent) => [
  { href: '/admin/events', label: 'Events' },
  { href: eventAdminPath(event.id), label: event.title },
];

function withQuery(path: string, params: Record<string, string | number | undefined>) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') query.set(k, String(v));
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

function Counts({ counts, event }: { counts: AttendeeCounts; event: ChorusEvent }) {
  return (
    <p class="door-counts" role="status">
      <strong>
        {formatNumber(counts.checkedInPlaces)} of {placesWord(counts.places)} checked in
      </strong>{' '}
      ({formatNumber(counts.checkedInBookings)} of {formatNumber(counts.bookings)} bookings
      {counts.walkIns > 0 ? `, ${formatNumber(counts.walkIns)} added on the door` : ''})
      {event.capacity !== null ? `. Capacity ${formatNumber(event.capacity)}.` : '.'}
    </p>
  );
}

export interface AttendeesPageProps {
  event: ChorusEvent;
  attendees: Attendee[];
  total: number;
  counts: AttendeeCounts;
  search: string;
  page: number;
  perPage: number;
}

/** The organisers' list of who has booked, with search, the CSV, the door list and a mailing. */
export function AttendeesPage(props: AttendeesPageProps) {
  const { event, counts } = props;
  const pages = Math.max(1, Math.ceil(props.total / props.perPage));
  const base = eventAdminPath(event.id, 'attendees');
  return (
    <Layout title={`Attendees: ${event.title}`} wide breadcrumbs={crumbs(event)}>
      <h1>Attendees</h1>
      <p class="hint">{event.title}, {formatLondon(event.startsAt)}</p>
      <Counts counts={counts} event={event} />
      {counts.cancelled > 0 ? <p>{formatNumber(counts.cancelled)} cancelled {counts.cancelled === 1 ? 'booking is' : 'bookings are'} listed too, marked Cancelled.</p> : null}
      <div class="button-group">
        <a class="button button--primary" href={eventAdminPath(event.id, 'check-in')}>
          Door check-in
        </a>
        <a class="button button--secondary" href={eventAdminPath(event.id, 'attendees.csv')} download>
          Export the attendees (CSV)
        </a>
        <a class="button button--secondary" href={eventAdminPath(event.id, 'message')}>
          Message everyone booked
        </a>
      </div>
      <Form action={base} method="get" class="search-form">
        <TextInput name="q" label="Search by name, email or booking reference" type="search" values={{ q: props.search }} />
        <Button variant="secondary">Search</Button>
      </Form>
      {props.attendees.length === 0 ? (
        <p>{props.search ? `Nobody booked matches “${props.search}”.` : 'Nobody has booked yet.'}</p>
      ) : (
        <ScrollingTable label="Attendees">
          <table class="table">
            <caption class="visually-hidden">
              {props.search ? `Bookings matching “${props.search}”` : 'Bookings'}, by name ({formatNumber(props.total)})
            </caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Reference</th>
                <th scope="col" class="numeric">
                  Places
                </th>
                <th scope="col">Ticket</th>
                <th scope="col">Access needs</th>
                <th scope="col">Arrived</th>
              </tr>
            </thead>
            <tbody>
              {props.attendees.map((a) => (
                <tr>
                  <th scope="row">
                    {a.name} {a.status === 'cancelled' ? <Tag colour="red">Cancelled</Tag> : null} {a.walkIn ? <Tag colour="grey">On the door</Tag> : null}
                  </th>
                  <td class="wrap-anywhere">{a.email || '–'}</td>
                  <td>{a.reference}</td>
                  <td class="numeric">{formatNumber(a.places)}</td>
                  <td>{a.tier}</td>
                  <td>{a.accessNeeds || '–'}</td>
                  <td>{a.checkedInAt ? formatLondon(a.checkedInAt, 'short') : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollingTable>
      )}
      <Pagination page={props.page} totalPages={pages} href={(n) => withQuery(base, { q: props.search, page: n })} />
    </Layout>
  );
}

export interface CheckInPageProps {
  event: ChorusEvent;
  attendees: Attendee[];
  total: number;
  counts: AttendeeCounts;
  search: string;
  page: number;
  perPage: number;
  /** What the last tick did, in words. */
  done?: { text: string; kind: 'success' | 'info' | 'warning' } | undefined;
  /** The reference form's and the walk-in form's values and problems. */
  referenceValues?: FormValues | undefined;
  walkInValues?: FormValues | undefined;
  errors?: FieldErrors | undefined;
}

/**
 * The door list, for a phone: find someone by name or reference, tick them off, add a walk-in.
 * Plain forms (each with its CSRF field), so it works without JavaScript.
 */
export function CheckInPage(props: CheckInPageProps) {
  const { event, counts } = props;
  const base = eventAdminPath(event.id, 'check-in');
  const pages = Math.max(1, Math.ceil(props.total / props.perPage));
  const hasErrors = props.errors && Object.keys(props.errors).length > 0;
  const tierOptions = event.tiers.map((t) => ({ value: String(t.id), label: event.tiers.length > 1 || t.pricePence > 0 ? `${t.name}: ${formatPrice(t.pricePence)}` : t.name }));
  const walkIn: FormValues = { places: '1', ...(event.tiers.length === 1 ? { tier: String(event.tiers[0]!.id) } : {}), ...props.walkInValues };
  return (
    <Layout title={`${hasErrors ? 'Error: ' : ''}Door check-in: ${event.title}`} breadcrumbs={crumbs(event)}>
      <h1>Door check-in</h1>
      <p class="hint">{event.title}, {formatLondon(event.startsAt)}</p>
      <ErrorSummary errors={props.errors} />
      {props.done ? <Notice kind={props.done.kind}>{props.done.text}</Notice> : null}
      <Counts counts={counts} event={event} />
      <Form action={base} class="door-form">
        <TextInput name="reference" label="Check in by booking reference" hint="For example EV-7K3QXP2M" width="10" autocomplete="off" values={props.referenceValues} errors={props.errors} />
        <Button>Check in</Button>
      </Form>
      <Form action={base} method="get" class="door-form">
        <TextInput name="q" label="Find by name, email or reference" type="search" values={{ q: props.search }} />
        <Button variant="secondary">Find</Button>
      </Form>
      {props.attendees.length === 0 ? (
        <p>{props.search ? `Nobody booked matches “${props.search}”.` : 'Nobody has booked yet.'}</p>
      ) : (
        <ul class="door-list" aria-label={props.search ? `Bookings matching “${props.search}”` : 'Bookings, by name'}>
          {props.attendees.map((a) => (
            <li class={`door-list__item${a.checkedInAt ? ' door-list__item--in' : ''}`}>
              <p class="door-list__name">
                <strong>{a.name}</strong> <span class="door-list__ref">{a.reference}</span>
              </p>
              <p class="door-list__meta">
                {placesWord(a.places)}, {a.tier}
                {a.walkIn ? ', added on the door' : ''}
                {a.accessNeeds ? <span class="door-list__access">Access needs: {a.accessNeeds}</span> : null}
              </p>
              {a.checkedInAt ? (
                <p class="door-list__action">
                  <span class="door-list__done">Checked in at {formatLondon(a.checkedInAt, 'short')}</span>{' '}
                  <ActionButton action={base} fields={{ booking: String(a.id), undo: 'yes', q: props.search }}>
                    Undo<span class="visually-hidden"> check-in of {a.name}</span>
                  </ActionButton>
                </p>
              ) : (
                <p class="door-list__action">
                  <ActionButton action={base} variant="primary" fields={{ booking: String(a.id), q: props.search }}>
                    Check in<span class="visually-hidden"> {a.name}</span>
                  </ActionButton>
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
      <Pagination page={props.page} totalPages={pages} href={(n) => withQuery(base, { q: props.search, page: n })} />
      <h2 id="walk-in">Add someone on the door</h2>
      <Form action={eventAdminPath(event.id, 'walk-ins')} class="door-form">
        <TextInput name="name" label="Full name" autocomplete="off" values={walkIn} errors={props.errors} />
        <TextInput name="email" type="email" label="Email address (optional)" hint="Only if they want to hear about the event again" autocomplete="off" values={walkIn} errors={props.errors} />
        <TextInput name="places" label="How many places?" width="5" inputmode="numeric" values={walkIn} errors={props.errors} />
        <ChoiceGroup type="radio" name="tier" legend="Ticket" options={tierOptions} selected={walkIn.tier ? [walkIn.tier] : []} errors={props.errors} />
        <Button>Add and check in</Button>
      </Form>
    </Layout>
  );
}

export interface MessagePageProps {
  event: ChorusEvent;
  /** People booked (not cancelled) whom the viewer can see, and bookings with no email (walk-ins). */
  people: number;
  withoutEmail: number;
  senders: Array<{ purposeId: number; name: string; willReceive: number }>;
  values?: FormValues | undefined;
  errors?: FieldErrors | undefined;
}

/**
 * "Message everyone booked": a mailing through the mailings capability, to a segment of the
 * people booked. It says who will get it (those who agreed to hear from the sender) and who not.
 */
export function MessagePage({ event, people, withoutEmail, senders, values, errors }: MessagePageProps) {
  const hasErrors = errors && Object.keys(errors).length > 0;
  const chosen = values?.purpose_id ?? (senders.length === 1 ? String(senders[0]!.purposeId) : '');
  return (
    <Layout title={`${hasErrors ? 'Error: ' : ''}Message everyone booked: ${event.title}`} breadcrumbs={[...crumbs(event), { href: eventAdminPath(event.id, 'attendees'), label: 'Attendees' }]}>
      <h1>Message everyone booked</h1>
      <p class="hint">{event.title}, {formatLondon(event.startsAt)}</p>
      <ErrorSummary errors={errors} />
      <p>
        {people === 1 ? '1 person is' : `${formatNumber(people)} people are`} booked on this event
        {withoutEmail > 0 ? `, and ${withoutEmail === 1 ? '1 booking was' : `${formatNumber(withoutEmail)} bookings were`} added on the door without an email address (they cannot be emailed)` : ''}.
      </p>
      <p>
        The message is a mailing: it goes only to the people booked who have agreed to hear from whoever it is from and whose address works. People who have not agreed, have unsubscribed, or whose email bounced will <strong>not</strong> receive it. After saving you can preview it, send yourself a test, and send it from the mailing’s page.
      </p>
      {senders.length === 0 ? (
        <p>You cannot send mailings for this event’s groups.</p>
      ) : (
        <>
          <ScrollingTable label="Who will receive it">
            <table class="table">
              <caption>Who will receive it, by who it is from</caption>
              <thead>
                <tr>
                  <th scope="col">From</th>
                  <th scope="col" class="numeric">
                    Will receive it
                  </th>
                  <th scope="col" class="numeric">
                    Will not
                  </th>
                </tr>
              </thead>
              <tbody>
                {senders.map((s) => (
                  <tr>
                    <th scope="row">{s.name}</th>
                    <td class="numeric">{formatNumber(s.willReceive)}</td>
                    <td class="numeric">{formatNumber(Math.max(0, people - s.willReceive))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollingTable>
          <Form action={eventAdminPath(event.id, 'message')}>
            <ChoiceGroup
              type="radio"
              name="purpose_id"
              legend="Who is it from?"
              options={senders.map((s) => ({ value: String(s.purposeId), label: `${s.name} (${s.willReceive === 1 ? '1 person' : `${formatNumber(s.willReceive)} people`} will receive it)` }))}
              selected={chosen ? [chosen] : []}
              errors={errors}
            />
            <TextInput name="subject" label="Subject" values={{ subject: `About ${event.title}`, ...values }} errors={errors} />
            <TextArea name="body" label="Message" hint="Simple formatting as in mailings. {{first_name}} is replaced by each person’s first name." rows={10} values={values} errors={errors} />
            <Button>Save the mailing and review it</Button>
          </Form>
        </>
      )}
    </Layout>
  );
}
