import { z } from 'zod';
import type { AppContext as AnyAppContext } from '../context.ts';
import { checkbox, emailAddress, hitRateLimits, problemsFromZod, queueEmail, type FieldProblem, type QueueEmailOptions } from '../platform/index.ts';
import { purposeFor, requestSignUp, wordingFor } from '../supporters/index.ts';
import { manageUrl } from './booking-tokens.ts';
import { bookingWriterFor } from './booking-writer.ts';
import { eventCalendar, placeLine } from './event-calendar.ts';
import { ukWhen } from './london-clock.ts';
import { formatPrice } from './money.ts';
import { isBookable } from './states.ts';
import { placesLeftIn, type ChorusEvent, type TicketTier } from './store.ts';
import { eventsContext, type AppContext, type Tx } from './tables.ts';

export const NAME_MAX = 200;
export const ACCESS_NEEDS_MAX = 1000;
export const MAX_PLACES = 10;

/** A name is text: no markup, no web addresses, no control characters. */
export const personName = z
  .string({ message: 'Enter your name' })
  .trim()
  .min(1, { message: 'Enter your name' })
  .max(NAME_MAX, { message: `Name must be ${NAME_MAX} characters or fewer` })
  .refine((v) => !/[<>]/.test(v), { message: 'Enter your name without < or > characters' })
  .refine((v) => !/(https?:\/\/|www\.)/i.test(v), { message: 'Enter your name without a web address' })
  // eslint-disable-next-line no-control-regex
  .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), { message: 'Enter your name without control characters' });

/** The booking form: name, email, ticket, places (1 to 10), access needs, and the "hear more" box. */
export const bookingFormSchema = z.object({
  name: personName,
  // eslint-disable-next-line no-control-regex
  email: emailAddress().refine((v) => !/[\u0000-\u001f\u007f]/.test(v), { message: 'Enter an email address in the correct format, like name@example.com' }),
  tier: z.string({ message: 'Choose a ticket' }).regex(/^\d{1,9}$/, { message: 'Choose a ticket' }).transform(Number),
  places: z
    .string({ message: `Enter how many places you want, from 1 to ${MAX_PLACES}` })
    .trim()
    .regex(/^\d{1,2}$/, { message: `Enter how many places you want as a whole number from 1 to ${MAX_PLACES}` })
    .transform(Number)
    .refine((n) => n >= 1 && n <= MAX_PLACES, { message: `You can book from 1 to ${MAX_PLACES} places at a time` }),
  access_needs: z.preprocess(
    (v) => (typeof v === 'string' ? v.replace(/\r\n?/g, '\n') : v),
    z.string().trim().max(ACCESS_NEEDS_MAX, { message: `Access needs must be ${ACCESS_NEEDS_MAX} characters or fewer` }).optional().transform((v) => v ?? ''),
  ),
  hear_more: checkbox(),
});

/** The words beside the "hear more" box (recorded with each consent, as petitions do). */
export function hearMoreWording(coalitionName: string, event: Pick<ChorusEvent, 'groups'>): string {
  const names = event.groups.map((g) => g.name);
  const groups = names.length === 0 ? '' : names.length === 1 ? ` and ${names[0]}` : ` and the groups organising this event (${names.join(', ')})`;
  return `Email me about this and other campaigns from ${coalitionName}${groups}. I can unsubscribe at any time.`;
}

export type BookOutcome =
  /** `waitingList`: the places asked for are not there, so the waiting list is offered. */
  | { kind: 'invalid'; problems: FieldProblem[]; waitingList?: boolean }
  /** Too many bookings from this address just now (the platform's rate limiter). */
  | { kind: 'rate-limited'; retryAfterSeconds: number }
  /** Cancelled, not published, or already started. */
  | { kind: 'not-bookable'; reason: 'cancelled' | 'started' | 'not-published' }
  | { kind: 'booked'; reference: string; places: number };

const placesWord = (n: number) => (n === 1 ? '1 place' : `${n} places`);

/** Why places in this tier cannot be had, naming the field to change; undefined when they can. */
export function shortfall(event: ChorusEvent, tier: TicketTier, places: number): FieldProblem | undefined {
  const left = placesLeftIn(event, tier);
  if (left === null || places <= left) return undefined;
  if (left === 0) {
    const otherTiers = event.tiers.some((t) => t.id !== tier.id && (placesLeftIn(event, t) ?? 1) > 0);
    return otherTiers
      ? { field: 'tier', message: `There are no ${tier.name} places left: choose another ticket, or join the waiting list` }
      : { field: 'places', message: 'Sorry, this event is full: you can join the waiting list' };
  }
  return { field: 'places', message: `Only ${placesWord(left)} ${left === 1 ? 'is' : 'are'} left${event.tiers.length > 1 ? ` for ${tier.name}` : ''}: book ${left} or fewer, or join the waiting list` };
}

export function notBookable(event: Pick<ChorusEvent, 'state' | 'startsAt'>, now: Date): BookOutcome | undefined {
  if (isBookable(event, now)) return undefined;
  if (event.state === 'cancelled') return { kind: 'not-bookable', reason: 'cancelled' };
  if (event.state !== 'published') return { kind: 'not-bookable', reason: 'not-published' };
  return { kind: 'not-bookable', reason: 'started' };
}

export interface BookEventProps {
  /** As the caller found it (a cached copy will do: the places are checked again under the event's row lock). */
  event: ChorusEvent;
  /** The booking form's fields as sent, not yet checked. */
  fields: unknown;
  ip: string | null;
}

/**
 * Books places on an event. The form is checked here; then the booking joins its event's next
 * batch (booking-writer.ts): under one row lock on the event, each booking of the batch is
 * checked in turn against the places left, and the ones that fit are written (the person, their
 * timeline entry "event.booked", their groups, any "hear more" sign-up, the confirmation email
 * with the .ics and a manage link, the booking and the counters) and committed together before
 * anyone is answered. A refusal writes nothing, so nothing is half-saved and capacity is never
 * exceeded, however many book at once, in however many processes.
 */
export async function bookEvent(anyCtx: AnyAppContext<Record<never, never>>, props: BookEventProps): Promise<BookOutcome> {
  const ctx = eventsContext(anyCtx);
  const { event } = props;
  const now = new Date();
  const refused = notBookable(event, now);
  if (refused) return refused;
  const parsed = bookingFormSchema.safeParse(props.fields ?? {});
  if (!parsed.success) return { kind: 'invalid', problems: problemsFromZod(parsed.error) };
  const form = parsed.data;
  const tier = event.tiers.find((t) => t.id === form.tier);
  if (!tier) return { kind: 'invalid', problems: [{ field: 'tier', message: 'Choose a ticket' }] };
  // Refused at once when the copy in hand already says so; checked again under the lock.
  const early = shortfall(event, tier, form.places);
  if (early) return { kind: 'invalid', problems: [early], waitingList: true };
  const limited = await bookingRateLimit(ctx, props.ip);
  if (limited) return limited;
  return bookingWriterFor(ctx).submit({ event, tier, form, ip: props.ip });
}

export type BookingForm = z.output<typeof bookingFormSchema>;

/** The platform's rate limiter on bookings and waiting-list joins from one client address (EVENT_BOOKING_RATE*). */
export async function bookingRateLimit(ctx: AppContext, ip: string | null): Promise<{ kind: 'rate-limited'; retryAfterSeconds: number } | undefined> {
  const answer = await hitRateLimits(ctx.db, [{ bucket: 'events.booking.address', key: ip ?? 'unknown', limit: ctx.config.EVENT_BOOKING_RATE, windowSeconds: ctx.config.EVENT_BOOKING_RATE_SECONDS }]);
  return answer.allowed ? undefined : { kind: 'rate-limited', retryAfterSeconds: answer.retryAfterSeconds };
}

/**
 * A ticked "hear more" box: the exact words shown, once, and a sign-up that waits for the email
 * to be confirmed (double opt-in, through supporters). Used by bookings and the waiting list.
 */
export async function recordHearMore(ctx: AppContext, tx: Tx, event: ChorusEvent, form: Pick<BookingForm, 'email' | 'name' | 'hear_more'>, ip: string | null): Promise<void> {
  if (!form.hear_more) return;
  const brand = ctx.brand.current();
  const method = `event:${event.id}`;
  const wording = hearMoreWording(brand.name, event);
  const consents = [];
  for (const groupId of [null, ...event.groups.map((g) => g.id)]) {
    const purpose = await purposeFor(tx, { groupId });
    consents.push({ purpose, wording: await wordingFor(tx, purpose.id, wording) });
  }
  await requestSignUp(
    tx,
    { email: form.email, name: form.name, place: null, consents, method, source: { utmSource: null, utmCampaign: null, referrer: null }, ip },
    { brand, baseUrl: ctx.config.BASE_URL, secret: ctx.secret },
  );
}

export async function queueBookingEmail(ctx: AppContext, tx: Tx, b: BookingEmailFacts) {
  await queueEmail(tx, bookingEmail(ctx, b));
}

export interface BookingEmailFacts {
  event: ChorusEvent;
  tier: TicketTier;
  form: BookingForm;
  reference: string;
  token: string;
  /** The event's calendar entry as attached (the same for every booking of the event: made once for a batch). */
  calendar?: string;
}

/** The booking confirmation: reference, when and where, the manage link, and the event as an .ics attachment. */
export function bookingEmail(ctx: AppContext, b: BookingEmailFacts): QueueEmailOptions {
  const { event, tier, form } = b;
  const base = ctx.config.BASE_URL;
  const link = manageUrl(base, b.token);
  const what = `${placesWord(form.places)}${event.tiers.length > 1 || tier.pricePence > 0 ? ` (${tier.name}, ${formatPrice(tier.pricePence)} each)` : ''}`;
  return {
    kind: 'events.booking.confirmation',
    to: form.email,
    brand: ctx.brand.current(),
    baseUrl: base,
    secrets: [b.token],
    attachments: [{ filename: 'event.ics', contentType: 'text/calendar; method=PUBLISH', content: b.calendar ?? eventCalendar(event, base, { booked: true }) }],
    content: {
      subject: `You’re booked: ${event.title}`,
      heading: 'You’re booked',
      blocks: [
        { type: 'paragraph', text: `You have booked ${what} at ${event.title}.` },
        { type: 'paragraph', text: `Your booking reference is ${b.reference}.` },
        { type: 'paragraph', text: `When: ${ukWhen(event.startsAt, event.endsAt)}` },
        { type: 'paragraph', text: `Where: ${placeLine(event)}` },
        ...(event.onlineUrl ? [{ type: 'link' as const, href: event.onlineUrl, label: 'Join online' }] : []),
        ...(tier.pricePence > 0 ? [{ type: 'paragraph' as const, text: 'Please pay on the door.' }] : []),
        ...(form.access_needs ? [{ type: 'paragraph' as const, text: `You told the organisers about your access needs: “${form.access_needs}”` }] : []),
        { type: 'paragraph', text: 'The event is attached as a calendar file (event.ics): open it to add the event to your calendar.' },
        { type: 'button', href: link, label: 'Manage or cancel your booking' },
        { type: 'link', href: `${base}${event.path}`, label: 'See the event page' },
        { type: 'small', text: 'Keep this email: the link lets you cancel your booking without signing in, so please do not forward it.' },
      ],
    },
  };
}
