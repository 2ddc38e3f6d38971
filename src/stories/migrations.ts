import { sql, type Kysely, type Migration } from 'kysely';
import { storytellerMigrations } from './storytellers/migrations.ts';
import { moderationMigrations } from './moderation/migrations.ts';

/** Stories, the groups they were told to, their consents, notes and anonymous tallies. */
export const storyMigrations: Array<[string, Migration]> = [
  [
    '2027-01-05-0900-stories',
    {
      async up(db: Kysely<unknown>) {
        await sql`
          create table stories (
            id integer generated always as identity primary key,
            state text not null default 'awaiting_confirmation'
              check (state in ('awaiting_confirmation', 'awaiting_guardian', 'consented', 'lapsed', 'withdrawn')),
            method text not null check (method in ('web', 'phone', 'paper')),
            collected_by integer references organisers (id) on delete set null,
            collected_by_name text,
            person_id bigint references people (id) on delete set null,
            story_sealed text not null,
            service_sealed text not null,
            nhs_body_sealed text,
            happened_when text not null check (happened_when in ('last_3_months', 'last_year', 'one_to_five_years', 'over_five_years')),
            postcode_sealed text not null,
            constituency_code text,
            region_code text,
            name_sealed text not null,
            email_sealed text not null,
            phone_sealed text,
            town_sealed text,
            media_links_sealed text not null,
            identify_as text not null default 'anonymous' check (identify_as in ('anonymous', 'first_name', 'first_name_town', 'full_name')),
            speak_to_press boolean not null default false,
            speak_to_politicians boolean not null default false,
            under_18 boolean not null default false,
            guardian_name_sealed text,
            guardian_email_sealed text,
            confirm_token_hash text not null,
            manage_token_hash text not null unique,
            guardian_token_hash text unique,
            reminder_token_hash text unique,
            created_at timestamptz not null default now(),
            confirmed_at timestamptz,
            guardian_confirmed_at timestamptz,
            consented_at timestamptz,
            consent_expires_at timestamptz,
            reminder_sent_at timestamptz,
            renewed_at timestamptz,
            lapsed_at timestamptz,
            withdrawn_at timestamptz,
            -- A young person's story always names the parent or guardian who must agree too.
            check (not under_18 or (guardian_name_sealed is not null and guardian_email_sealed is not null and guardian_token_hash is not null)),
            -- Nothing counts as consented without every consent it needs.
            check (consented_at is null or (confirmed_at is not null and (not under_18 or guardian_confirmed_at is not null))),
            check ((method = 'web') = (collected_by_name is null))
          );
          create index stories_person on stories (person_id) where person_id is not null;
          create index stories_state on stories (state, consent_expires_at);
          create index stories_constituency on stories (constituency_code);
          create unique index stories_confirm_token on stories (confirm_token_hash);

          create table story_groups (
            story_id integer not null references stories (id) on delete cascade,
            group_id integer not null references groups (id) on delete cascade,
            primary key (story_id, group_id)
          );
          create index story_groups_group on story_groups (group_id);

          create table story_consents (
            id integer generated always as identity primary key,
            story_id integer not null references stories (id) on delete cascade,
            kind text not null check (kind in ('use', 'guardian', 'renewal')),
            use text check (use in ('publish_hub', 'journalists', 'politicians', 'social_media', 'video')),
            given boolean not null,
            wording text not null,
            wording_version text not null,
            controllers jsonb not null,
            method text not null check (method in ('web', 'phone', 'paper')),
            collected_by integer references organisers (id) on delete set null,
            collected_by_name text,
            recorded_at timestamptz not null default now(),
            check ((kind = 'use') = (use is not null))
          );
          create index story_consents_story on story_consents (story_id);

          create table story_notes (
            id integer generated always as identity primary key,
            story_id integer not null references stories (id) on delete cascade,
            author_id integer references organisers (id) on delete set null,
            author_name text not null,
            note_sealed text not null,
            created_at timestamptz not null default now()
          );
          create index story_notes_story on story_notes (story_id);

          create table story_tallies (
            constituency_code text not null,
            month date not null,
            told integer not null default 0 check (told >= 0),
            primary key (constituency_code, month)
          );
        `.execute(db);
      },
    },
  ],
  [
    '2027-01-05-1000-story-photos',
    {
      // Photos sent with a story: sealed bytes (platform/sealed.ts), never files anyone could fetch.
      async up(db: Kysely<unknown>) {
        await sql`
          create table story_photos (
            id integer generated always as identity primary key,
            story_id integer not null references stories (id) on delete cascade,
            position smallint not null check (position between 1 and 3),
            photo_sealed bytea not null,
            thumbnail_sealed bytea not null,
            width integer not null check (width > 0),
            height integer not null check (height > 0),
            thumbnail_width integer not null check (thumbnail_width > 0),
            thumbnail_height integer not null check (thumbnail_height > 0),
            created_at timestamptz not null default now(),
            unique (story_id, position)
          );
        `.execute(db);
      },
    },
  ],
  ...storytellerMigrations,
  ...moderationMigrations,
  [
    // The trust or ICB chosen from politics' shipped list: its ODS code beside the sealed name.
    '2027-01-07-0900-story-nhs-body-code',
    {
      async up(db: Kysely<unknown>) {
        await sql`alter table stories add column nhs_body_code text check (nhs_body_code is null or nhs_body_code ~ '^[A-Z0-9]{3,5}$')`.execute(db);
      },
    },
  ],
];
