import { sql, type Kysely, type Migration } from 'kysely';

/** Events, their organising groups, ticket tiers and bookings. */
export const eventMigrations: Array<[string, Migration]> = [
  [
    '2026-12-12-0900-events',
    {
      async up(db: Kysely<unknown>) {
        await sql`
          create table events (
            id integer generated always as identity primary key,
            slug text not null,
            title text not null,
            description text not null,
            type text not null check (type in ('rally', 'march', 'demonstration', 'public_meeting', 'conference', 'hustings', 'street_stall', 'online_meeting', 'training')),
            state text not null default 'draft' check (state in ('draft', 'awaiting_approval', 'published', 'cancelled')),
            starts_at timestamptz not null,
            ends_at timestamptz not null,
            venue_name text not null default '',
            address text not null default '',
            postcode text,
            constituency_code text,
            region_code text,
            latitude double precision,
            longitude double precision,
            online_url text,
            online_url_booked_only boolean not null default false,
            access_step_free boolean not null default false,
            access_hearing_loop boolean not null default false,
            access_bsl boolean not null default false,
            access_seating boolean not null default false,
            access_toilets boolean not null default false,
            access_quiet_room boolean not null default false,
            access_notes text not null default '',
            speakers text not null default '',
            contact text not null default '',
            capacity integer check (capacity is null or capacity >= 0),
            places_booked integer not null default 0 check (places_booked >= 0),
            sequence integer not null default 0,
            created_by integer references organisers (id) on delete set null,
            created_at timestamptz not null default now(),
            updated_at timestamptz not null default now(),
            submitted_at timestamptz,
            published_at timestamptz,
            cancelled_at timestamptz,
            check (ends_at > starts_at),
            -- Capacity is never exceeded, whatever a writer does.
            check (capacity is null or places_booked <= capacity)
          );
          create index events_calendar on events (state, starts_at);
          create index events_region on events (region_code, starts_at);

          create table event_groups (
            event_id integer not null references events (id) on delete cascade,
            group_id integer not null references groups (id) on delete cascade,
            primary key (event_id, group_id)
          );
          create index event_groups_group on event_groups (group_id);

          create table ticket_tiers (
            id integer generated always as identity primary key,
            event_id integer not null references events (id) on delete cascade,
            position smallint not null,
            name text not null,
            price_pence integer not null check (price_pence >= 0),
            capacity integer check (capacity is null or capacity >= 0),
            places_booked integer not null default 0 check (places_booked >= 0),
            check (capacity is null or places_booked <= capacity),
            unique (event_id, position)
          );

          create table bookings (
            id bigint generated always as identity primary key,
            event_id integer not null references events (id),
            tier_id integer not null references ticket_tiers (id),
            reference text not null unique,
            person_id bigint references people (id) on delete set null,
            name text not null,
            email text not null,
            places smallint not null check (places between 1 and 10),
            access_needs text not null default '',
            status text not null default 'booked' check (status in ('booked', 'cancelled')),
            manage_token_hash text not null unique,
            hear_more boolean not null default false,
            created_at timestamptz not null default now(),
            cancelled_at timestamptz
          );
          create index bookings_event on bookings (event_id, created_at);
          create index bookings_person on bookings (person_id) where person_id is not null;
        `.execute(db);
      },
    },
  ],
  [
    '2026-12-20-0100-waiting-list',
    {
      async up(db: Kysely<unknown>) {
        await sql`
          -- Places held by open waiting-list offers count against capacity, as bookings do.
          alter table events add column places_held integer not null default 0 check (places_held >= 0);
          alter table events add constraint events_capacity_with_held check (capacity is null or places_booked + places_held <= capacity);
          alter table ticket_tiers add column places_held integer not null default 0 check (places_held >= 0);
          alter table ticket_tiers add constraint ticket_tiers_capacity_with_held check (capacity is null or places_booked + places_held <= capacity);

          create table waiting_list_entries (
            id bigint generated always as identity primary key,
            event_id integer not null references events (id),
            tier_id integer not null references ticket_tiers (id) on delete cascade,
            person_id bigint references people (id) on delete set null,
            name text not null,
            email text not null,
            places smallint not null check (places between 1 and 10),
            access_needs text not null default '',
            hear_more boolean not null default false,
            status text not null default 'waiting' check (status in ('waiting', 'offered', 'booked', 'left', 'lapsed')),
            -- sha256 of the link that shows the entry and leaves the list (in the joining email).
            token_hash text not null unique,
            -- sha256 of the link that claims an offer (in the offer email).
            offer_token_hash text unique,
            booking_id bigint references bookings (id) on delete set null,
            created_at timestamptz not null default now(),
            offered_at timestamptz,
            offer_expires_at timestamptz,
            booked_at timestamptz,
            left_at timestamptz,
            lapsed_at timestamptz,
            check (status <> 'offered' or (offered_at is not null and offer_expires_at is not null and offer_token_hash is not null))
          );
          create index waiting_list_queue on waiting_list_entries (event_id, id) where status in ('waiting', 'offered');
          create index waiting_list_offers on waiting_list_entries (offer_expires_at) where status = 'offered';
          create index waiting_list_person on waiting_list_entries (person_id) where person_id is not null;
        `.execute(db);
      },
    },
  ],
  [
    '2026-12-20-0200-event-changes-and-reminders',
    {
      async up(db: Kysely<unknown>) {
        await sql`
          -- A change of venue, date or time, or a cancellation, of a published event: shown on its page, emailed to those booked.
          create table event_changes (
            id integer generated always as identity primary key,
            event_id integer not null references events (id) on delete cascade,
            kind text not null check (kind in ('venue', 'time', 'cancelled')),
            from_value jsonb not null,
            to_value jsonb not null,
            note text not null default '',
            changed_by integer references organisers (id) on delete set null,
            changed_by_name text not null,
            changed_at timestamptz not null default now(),
            -- The calendar SEQUENCE the change brought the event to.
            sequence integer not null,
            -- Set once, in the transaction that queues the emails about it (so they go exactly once).
            notified_at timestamptz
          );
          create index event_changes_event on event_changes (event_id, changed_at);

          -- One row per booking reminded the day before: the primary key makes it exactly once.
          create table event_reminders (
            booking_id bigint primary key references bookings (id) on delete cascade,
            sent_at timestamptz not null default now()
          );
        `.execute(db);
      },
    },
  ],
  [
    '2026-12-20-0300-event-repeat-rule',
    {
      async up(db: Kysely<unknown>) {
        // An RFC 5545 RRULE (without the "RRULE:" name), read against the start in UK time.
        await sql`alter table events add column repeat_rule text check (repeat_rule is null or length(repeat_rule) between 1 and 500)`.execute(db);
      },
    },
  ],
  [
    '2026-12-20-0400-check-in-and-politicians',
    {
      async up(db: Kysely<unknown>) {
        await sql`
          -- The door: who has arrived (and who ticked them off), and places added on the door.
          alter table bookings
            add column checked_in_at timestamptz,
            add column checked_in_by integer references organisers (id) on delete set null,
            add column walk_in boolean not null default false;
          create index bookings_event_name on bookings (event_id, lower(name));

          -- Hustings, surgeries and public meetings where an MP or a candidate will appear.
          alter table events
            add column politician text check (politician in ('mp', 'candidate')),
            add column politician_constituency_code text,
            add column politician_name text not null default '',
            add column politician_party text not null default '',
            add check (politician is null or politician_constituency_code is not null),
            add check (politician is distinct from 'candidate' or politician_name <> '');
          create index events_politician on events (politician_constituency_code, starts_at) where politician is not null;
        `.execute(db);
      },
    },
  ],
  [
    // Near me and search on /events (find-events.ts): a range on latitude narrows to a bounding
    // box before distances are worked out; the search words use a full-text index.
    '2026-12-20-0500-events-near-me-and-search',
    {
      async up(db: Kysely<unknown>) {
        await sql`
          create index events_position on events (latitude, longitude) where latitude is not null and longitude is not null;
          create index events_search on events using gin (to_tsvector('english', title || ' ' || description || ' ' || venue_name || ' ' || speakers));
        `.execute(db);
      },
    },
  ],
  [
    // Host an event (submit-event.ts, review-event.ts): a declined state with its moment and
    // reason, and who submitted each event (a supporter or an organiser), to email them the answer.
    '2026-12-20-0510-events-submissions',
    {
      async up(db: Kysely<unknown>) {
        await sql`
          alter table events drop constraint events_state_check;
          alter table events add constraint events_state_check check (state in ('draft', 'awaiting_approval', 'published', 'cancelled', 'declined'));
          alter table events add column declined_at timestamptz, add column decline_reason text;
          create index events_awaiting on events (submitted_at) where state = 'awaiting_approval';

          create table event_submissions (
            event_id integer primary key references events (id) on delete cascade,
            person_id bigint references people (id) on delete set null,
            organiser_id integer references organisers (id) on delete set null,
            name text not null,
            email text not null,
            created_at timestamptz not null default now()
          );
          create index event_submissions_person on event_submissions (person_id) where person_id is not null;
        `.execute(db);
      },
    },
  ],
  [
    // Repeating events: when the last date ends (null: a rule with no end), so a weekly stall
    // stays in the calendar after its first date and moves to the past only after its last.
    // A one-off event runs until it ends, kept so by the trigger however ends_at is written.
    '2026-12-21-0200-event-runs-until',
    {
      async up(db: Kysely<unknown>) {
        await sql`
          alter table events add column runs_until timestamptz;
          update events set runs_until = ends_at where repeat_rule is null;
          create function events_runs_until() returns trigger language plpgsql as $$
          begin
            if new.repeat_rule is null then
              new.runs_until := new.ends_at;
            end if;
            return new;
          end $$;
          create trigger events_runs_until before insert or update on events
            for each row execute function events_runs_until();
          alter table events add constraint events_runs_until_check check (repeat_rule is not null or runs_until is not null);
          create index events_runs_until on events (runs_until);
        `.execute(db);
      },
    },
  ],
];
