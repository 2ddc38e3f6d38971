import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Letters to MPs: campaigns, letters and MPs' contact details. `person_id` names supporters'
 * people without a foreign key (politics' migrations run before supporters'); erasure goes
 * through the personal-data provider.
 */
export const letterMigrations: Array<[string, Migration]> = [
  [
    '2027-01-11-1800-letters',
    {
      async up(db: Kysely<unknown>) {
        await sql`
          create table letter_campaigns (
            id serial primary key,
            title text not null,
            about text not null,
            talking_points text not null,
            deadline date not null,
            group_id integer,
            target text not null default 'own_mp' check (target in ('own_mp', 'chosen')),
            chosen_seats text[] not null default '{}',
            created_at timestamptz not null default now(),
            updated_at timestamptz not null default now()
          );
          create index letter_campaigns_group on letter_campaigns (group_id);

          create table letters (
            id serial primary key,
            public_id uuid not null default gen_random_uuid() unique,
            campaign_id integer not null references letter_campaigns (id) on delete cascade,
            person_id integer,
            writer_name text,
            writer_email text,
            writer_address text,
            writer_postcode text,
            writer_constituency text,
            mp_seat_code text not null,
            mp_name text not null,
            body text,
            delivery text not null check (delivery in ('email', 'post')),
            state text not null check (state in ('held', 'ready', 'rejected')),
            held_reason text check (held_reason in ('similar', 'short')),
            similarity real,
            minhash integer[] not null,
            bands bigint[] not null,
            confirmed_at timestamptz,
            delivered_at timestamptz,
            body_deleted_at timestamptz,
            questionnaire_sent_at timestamptz,
            answered_at timestamptz,
            got_reply boolean,
            form_letter text check (form_letter in ('yes', 'no', 'unsure')),
            reply_days integer,
            created_at timestamptz not null default now(),
            updated_at timestamptz not null default now()
          );
          -- One letter per writer per MP per campaign.
          create unique index letters_one_per_writer on letters (campaign_id, person_id, mp_seat_code) where person_id is not null;
          -- Band keys already carry the campaign, so one GIN index finds a campaign's candidates.
          create index letters_bands on letters using gin (bands);
          create index letters_seat on letters (mp_seat_code) where delivered_at is not null;
          create index letters_person on letters (person_id) where person_id is not null;
          create index letters_questionnaire_due on letters (delivered_at) where questionnaire_sent_at is null and delivered_at is not null;
          create index letters_body_kept on letters (delivered_at) where body is not null;

          create table mp_contacts (
            parliament_id text primary key,
            office_email text,
            office_phone text,
            address text,
            postcode text,
            bluesky text,
            mastodon text,
            x text,
            imported_at timestamptz not null default now()
          );
        `.execute(db);
      },
    },
  ],
  [
    // The seat page and the map count every seat's letters: from the index alone, not the letters' rows
    // (signatures, words and band keys make them wide).
    '2027-01-14-0900-letters-seat-counts',
    {
      async up(db: Kysely<unknown>) {
        await sql`
          create index letters_seat_counts on letters (mp_seat_code) include (delivered_at, got_reply, answered_at) where delivered_at is not null;
          drop index letters_seat;
        `.execute(db);
      },
    },
  ],
];
