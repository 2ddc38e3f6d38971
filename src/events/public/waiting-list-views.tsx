import { Button, Checkbox, ChoiceGroup, ErrorSummary, Form, Layout, Notice, TextArea, TextInput, formatLondon, formatNumber, type FieldErrors, type FormValues } from '../../platform/index.ts';
import { ACCESS_NEEDS_MAX, MAX_PLACES, NAME_MAX } from '../book-event.ts';
import { formatPrice } from '../money.ts';
import { placesLeftIn, type ChorusEvent } from '../store.ts';
import { OFFER_HOURS, fullTiers, offerOpen, type WaitingEntry } from '../waiting-list.ts';

export const waitingListPath = (event: Pick<ChorusEvent, 'id'>) => `/events/${event.id}/waiting-list`;

export interface WaitingListFormProps {
  event: ChorusEvent;
  hearMoreWording: string;
  values?: FormValues | undefined;
  errors?: FieldErrors | undefined;
}

/** The waiting-list form: what the booking form asks (works without JavaScript; the server checks the Origin). */
export function WaitingListForm({ event, hearMoreWording, values = {}, errors }: WaitingListFormProps) {
  const full = fullTiers(event);
  const tierOptions = event.tiers.map((t) => {
    const left = placesLeftIn(event, t);
    return { value: String(t.id), label: `${t.name}: ${formatPrice(t.pricePence)}`, hint: left === null ? undefined : left === 0 ? 'None left' : `${formatNumber(left)} left` };
  });
  const selected = values.tier ? [values.tier] : full.length === 1 ? [String(full[0]!.id)] : event.tiers.length === 1 ? [String(event.tiers[0]!.id)] : [];
  return (
    <Form action={waitingListPath(event)} csrf={false} class="waiting-list-form" id="waiting-list-form">
      <TextInput name="name" label="Full name" autocomplete="name" maxLength={NAME_MAX} spellcheck={false} values={values} errors={errors} />
      <TextInput name="email" label="Email address" type="email" autocomplete="email" hint="We’ll email you when places are free for you." spellcheck={false} values={values} errors={errors} />
      <ChoiceGroup type="radio" name="tier" legend="Ticket" options={tierOptions} selected={selected} errors={errors} />
      <TextInput name="places" label="How many places?" hint={`From 1 to ${MAX_PLACES}`} width="5" inputmode="numeric" value={values.places ?? '1'} errors={errors} />
      <TextArea name="access_needs" label="Access needs (optional)" hint="Anything the organisers should know so you can take part" rows={3} maxLength={ACCESS_NEEDS_MAX} values={values} errors={errors} />
      <Checkbox name="hear_more" label={hearMoreWording} checked={values.hear_more !== undefined && values.hear_more !== ''} errors={errors} />
      <Button>Join the waiting list</Button>
    </Form>
  );
}

/** How the waiting list works, in a sentence. */
export function WaitingListExplainer() {
  return <p>When places are freed we offer them in the order people joined, by email, and hold them for {OFFER_HOURS} hours for you to claim.</p>;
}

/** On the event page, when some tickets (not all) are gone: a link to the waiting list. */
export function WaitingListLink({ event }: { event: ChorusEvent }) {
  return (
    <p class="event-waiting-list-link">
      No places left for the ticket you want? <a href={waitingListPath(event)}>Join the waiting list</a>.
    </p>
  );
}

export function WaitingListPage(props: WaitingListFormProps) {
  const { event, errors } = props;
  const hasErrors = Object.keys(errors ?? {}).length > 0;
  return (
    <Layout title={`${hasErrors ? 'Error: ' : ''}Waiting list: ${event.title}`} breadcrumbs={[{ href: '/events', label: 'Events' }, { href: event.path, label: event.title }]}>
      <ErrorSummary errors={errors} />
      <h1>Join the waiting list</h1>
      <p>
        For <a href={event.path}>{event.title}</a>, {formatLondon(event.startsAt, 'full')} (UK time).
      </p>
      <WaitingListExplainer />
      <WaitingListForm {...props} />
    </Layout>
  );
}

export function JoinedWaitingListPage({ event }: { event: ChorusEvent }) {
  return (
    <Layout title={`On the waiting list: ${event.title}`} breadcrumbs={[{ href: '/events', label: 'Events' }, { href: event.path, label: event.title }]}>
      <div class="panel panel--confirmation">
        <h1>You’re on the waiting list</h1>
        <p>We have emailed you a link to see your place in the queue or leave it. When places are free for you we will email you, and hold them for {OFFER_HOURS} hours.</p>
      </div>
      <p>
        <a href={event.path}>Back to {event.title}</a>
      </p>
    </Layout>
  );
}

const statusWords: Record<WaitingEntry['status'], string> = {
  waiting: 'Waiting',
  offered: 'Places offered to you',
  booked: 'Booked',
  left: 'You left the waiting list',
  lapsed: 'The offer lapsed',
};

function EntrySummary({ event, entry }: { event: ChorusEvent; entry: WaitingEntry }) {
  return (
    <dl class="summary-list">
      <div class="summary-list__row">
        <dt>Event</dt>
        <dd>
          <a href={event.path}>{event.title}</a>
        </dd>
      </div>
      <div class="summary-list__row">
        <dt>When</dt>
        <dd>{formatLondon(event.startsAt, 'full')}</dd>
      </div>
      <div class="summary-list__row">
        <dt>Waiting for</dt>
        <dd>
          {entry.places === 1 ? '1 place' : `${entry.places} places`} ({entry.tierName}) for {entry.name}
        </dd>
      </div>
      <div class="summary-list__row">
        <dt>Status</dt>
        <dd>
          {statusWords[entry.status]}
          {entry.status === 'waiting' ? `: ${entry.ahead === 0 ? 'you are next' : `${formatNumber(entry.ahead)} ${entry.ahead === 1 ? 'person is' : 'people are'} ahead of you`}` : ''}
        </dd>
      </div>
    </dl>
  );
}

/** The joining email's link: the entry, and a button to leave the list. */
export function WaitingEntryPage({ event, entry, token, notice }: { event: ChorusEvent; entry: WaitingEntry; token: string; notice?: 'left' | undefined }) {
  const open = entry.status === 'waiting' || entry.status === 'offered';
  return (
    <Layout title={`Your place on the waiting list: ${event.title}`} breadcrumbs={[{ href: '/events', label: 'Events' }, { href: event.path, label: event.title }]}>
      {notice === 'left' ? <Notice>You have left the waiting list. Thank you for letting us know.</Notice> : null}
      <h1>Your place on the waiting list</h1>
      <EntrySummary event={event} entry={entry} />
      {entry.status === 'offered' ? <p>We have emailed you a link to claim the places offered to you.</p> : null}
      {open ? (
        <Form action={`/waiting-list/${token}/leave`} csrf={false}>
          <p>If you no longer want to come, leave the list so the next person is offered the places.</p>
          <Button variant="warning">Leave the waiting list</Button>
        </Form>
      ) : null}
    </Layout>
  );
}

/** The offer email's link: claim the held places, or let them go to the next person. */
export function OfferPage({ event, entry, token, now }: { event: ChorusEvent; entry: WaitingEntry; token: string; now: Date }) {
  const open = offerOpen(entry, now);
  return (
    <Layout title={`Places for you: ${event.title}`} breadcrumbs={[{ href: '/events', label: 'Events' }, { href: event.path, label: event.title }]}>
      <h1>{open ? 'Places are free for you' : entry.status === 'booked' ? 'You’re booked' : 'This offer has ended'}</h1>
      <EntrySummary event={event} entry={entry} />
      {open ? (
        <>
          <p>We are holding {entry.places === 1 ? 'it' : 'them'} for you until {formatLondon(entry.offerExpiresAt!, 'full')} (UK time).</p>
          <Form action={`/waiting-list/offers/${token}/claim`} csrf={false}>
            <Button>Book my places</Button>
          </Form>
          <Form action={`/waiting-list/offers/${token}/decline`} csrf={false}>
            <Button variant="secondary">I don’t want them: offer them to the next person</Button>
          </Form>
        </>
      ) : entry.status === 'booked' ? (
        <p>We have emailed you your booking reference and a link to manage your booking.</p>
      ) : (
        <p>
          The places were held for {OFFER_HOURS} hours and have gone to the next person on the waiting list. <a href={event.path}>See the event</a>.
        </p>
      )}
    </Layout>
  );
}
