import type { ColumnType, Generated } from 'kysely';
import type { AppContext as AnyAppContext } from '../context.ts';
import { viewOf, type Handle, type View, type ViewDb, type ViewTx } from '../platform/index.ts';

/** The states an event is stored in; "past" is not stored: it follows from the time (states.ts). */
export type EventState = 'draft' | 'awaiting_approval' | 'published' | 'cancelled' | 'declined';
export type EventType = 'rally' | 'march' | 'demonstration' | 'public_meeting' | 'conference' | 'hustings' | 'street_stall' | 'online_meeting' | 'training';
export type BookingStatus = 'booked' | 'cancelled';

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
  /** Bumped on every change an attendee's calendar should see (iCalendar SEQUENCE). */
  sequence: Generated<number>;
  created_by: Maybe<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  submitted_at: Maybe<Date>;
  published_at: Maybe<Date>;
  cancelled_at: Maybe<Date>;
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
