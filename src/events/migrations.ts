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
];
