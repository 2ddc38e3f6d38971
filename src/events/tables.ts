import type { ColumnType, Generated } from 'kysely';
import type { AppContext as AnyAppContext } from '../context.ts';
import { viewOf, type Handle, type View, type ViewDb, type ViewTx } from '../platform/index.ts';

/** The states an event is stored in; "past" is not stored: it follows from the time (states.ts). */
export type EventState = 'draft' | 'awaiting_approval' | 'published' | 'cancelled' | 'declined';
export type EventType = 'rally' | 'march' | 'demonstration' | 'public_meeting' | 'conference' | 'hustings' | 'street_stall' | 'online_meeting' | 'training';
export type BookingStatus = 'booked' | 'cancelled';
export type PoliticianKind = 'mp' | 'candidate';

type Maybe<T> = ColumnType<T | null, T | null | undefined, T | null>;

export interface EventsTable {
  id: Generated<number>;
  slug: string;
  title: string;
  /** In the mailings' simple formatting (paragraphs, bold, lists, links). */
  description: string;
  type: EventType;
  state: ColumnType<EventState, EventState | undefined, EventState>;
  /** Stored UTC; entered and shown as UK clocks read them. */
  starts_at: Date;
  ends_at: Date;
  venue_name: Generated<string>;
  address: Generated<string>;
  postcode: Maybe<string>;
  constituency_code: Maybe<string>;
  region_code: Maybe<string>;
  latitude: Maybe<number>;
  longitude: Maybe<number>;
  online_url: Maybe<string>;
  /** The online link is shown only to people booked (in their email and booking page). */
  online_url_booked_only: Generated<boolean>;
  access_step_free: Generated<boolean>;
  access_hearing_loop: Generated<boolean>;
  access_bsl: Generated<boolean>;
  access_seating: Generated<boolean>;
  access_toilets: Generated<boolean>;
  access_quiet_room: Generated<boolean>;
  access_notes: Generated<string>;
  /** One speaker a line, as the organiser wrote them. */
  speakers: Generated<string>;
  contact: Generated<string>;
  /** Places over all tiers; null: only the tiers' capacities limit bookings. */
  capacity: Maybe<number>;
  /** Places taken by bookings (kept with each booking and cancellation, under the event's row lock). */
  places_booked: Generated<number>;
  /** How the event repeats: an RFC 5545 RRULE value (FREQ=WEEKLY;BYDAY=SA), its dates in UK time; null: once. */
  repeat_rule: Maybe<string>;
  /** When its last date ends: ends_at for a one-off (kept so by a trigger), null for a rule with no end. */
  runs_until: Maybe<Date>;
  /** Places held for waiting-list offers not yet claimed or lapsed (they count against capacity). */
  places_held: Generated<number>;
  /** Bumped on every change an attendee's calendar should see (iCalendar SEQUENCE). */
  sequence: Generated<number>;
  created_by: Maybe<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  submitted_at: Maybe<Date>;
  published_at: Maybe<Date>;
  cancelled_at: Maybe<Date>;
  /** An MP (the MP for politician_constituency_code, from politics) or a candidate will appear. */
  politician: Maybe<PoliticianKind>;
  politician_constituency_code: Maybe<string>;
  /** A candidate's name and party (an MP's come from politics' MPs when shown). */
  politician_name: Generated<string>;
  politician_party: Generated<string>;
  declined_at: Maybe<Date>;
  /** Why a moderator declined a submitted event (emailed to the person who submitted it). */
  decline_reason: Maybe<string>;
}

export interface EventGroupsTable {
  event_id: number;
  group_id: number;
}

export interface TicketTiersTable {
  id: Generated<number>;
  event_id: number;
  position: number;
  name: string;
  price_pence: number;
  /** Places in this tier; null: only the event's capacity limits it. */
  capacity: Maybe<number>;
  places_booked: Generated<number>;
  places_held: Generated<number>;
}

export interface BookingsTable {
  id: Generated<number>;
  event_id: number;
  tier_id: number;
  /** Shown to the booker and on the door: "EV-7K3QXP2M". */
  reference: string;
  person_id: Maybe<number>;
  name: string;
  email: string;
  places: number;
  access_needs: Generated<string>;
  status: ColumnType<BookingStatus, BookingStatus | undefined, BookingStatus>;
  /** sha256 of the manage link's token (the token itself is only in the booker's email). */
  manage_token_hash: string;
  hear_more: Generated<boolean>;
  created_at: Generated<Date>;
  cancelled_at: Maybe<Date>;
  /** When the door ticked them off (null: not arrived). */
  checked_in_at: Maybe<Date>;
  checked_in_by: Maybe<number>;
  /** Added on the door rather than booked beforehand. */
  walk_in: Generated<boolean>;
}

export type WaitingStatus = 'waiting' | 'offered' | 'booked' | 'left' | 'lapsed';

/** A person waiting for places on a full event (or ticket), in the order they joined. */
export interface WaitingListEntriesTable {
  id: Generated<number>;
  event_id: number;
  tier_id: number;
  person_id: Maybe<number>;
  name: string;
  email: string;
  places: number;
  access_needs: Generated<string>;
  hear_more: Generated<boolean>;
  status: ColumnType<WaitingStatus, WaitingStatus | undefined, WaitingStatus>;
  /** sha256 of the link to see the entry and leave the list. */
  token_hash: string;
  /** sha256 of the link that claims an offer (set when places are offered). */
  offer_token_hash: Maybe<string>;
  booking_id: Maybe<number>;
  created_at: Generated<Date>;
  offered_at: Maybe<Date>;
  /** An offer holds its places until then (24 hours after it is made). */
  offer_expires_at: Maybe<Date>;
  booked_at: Maybe<Date>;
  left_at: Maybe<Date>;
  lapsed_at: Maybe<Date>;
}

export type EventChangeKind = 'venue' | 'time' | 'cancelled';

export interface EventChangesTable {
  id: Generated<number>;
  event_id: number;
  kind: EventChangeKind;
  /** venue: { venueName, address, postcode }; time: { startsAt, endsAt } (ISO); cancelled: {}. */
  from_value: ColumnType<unknown, string, string>;
  to_value: ColumnType<unknown, string, string>;
  note: Generated<string>;
  changed_by: Maybe<number>;
  changed_by_name: string;
  changed_at: Generated<Date>;
  sequence: number;
  notified_at: Maybe<Date>;
}

export interface EventRemindersTable {
  booking_id: number;
  sent_at: Generated<Date>;
}

/** Who offered an event through "Host an event": a supporter (with their person) or an organiser. */
export interface EventSubmissionsTable {
  event_id: number;
  person_id: Maybe<number>;
  organiser_id: Maybe<number>;
  name: string;
  email: string;
  created_at: Generated<Date>;
}

export interface EventTables {
  events: EventsTable;
  event_submissions: EventSubmissionsTable;
  event_groups: EventGroupsTable;
  ticket_tiers: TicketTiersTable;
  bookings: BookingsTable;
  waiting_list_entries: WaitingListEntriesTable;
  event_changes: EventChangesTable;
  event_reminders: EventRemindersTable;
}

/** The events capability's view of the database: its own tables only (see platform/db/view.ts). */
export type EventsView = EventTables;
export type Db = ViewDb<EventsView>;
export type Tx = ViewTx<EventsView>;
/** The database or an open transaction, as the events capability sees it. */
export type Q = View<EventsView>;
/** The app context as the events capability sees it: `db` shows its own tables only. */
export type AppContext = AnyAppContext<EventsView>;
/** A handle from another capability (or the platform), seen through this capability's view. */
export const eventsQ = (q: Handle): Q => viewOf<EventsView>(q);
/** The app context another capability holds, seen through this capability's view (the same object). */
export const eventsContext = (ctx: AnyAppContext<Record<never, never>>): AppContext => ctx as unknown as AppContext;
