import { sql, type Kysely, type Migration } from 'kysely';
import { mailingsMigration } from './mailings/migration.ts';

/**
 * People (one per canonical email), their actions, consent per purpose with the exact wording
 * shown, tags, static lists, saved segments, mailings, API tokens and webhooks.
 */
export const supporterMigrations: Array<[string, Migration]> = [
  [
    '2026-11-24-0800-supporters',
    {
      async up(db: Kysely<unknown>) {
        await sql`
          create table people (
            id bigint generated always as identity primary key,
            -- For URLs and tokens: personal records never use guessable ids in URLs.
            public_id uuid not null unique default gen_random_uuid(),
            email text,
            canonical_email text,
            email_status text not null default 'unverified'
              check (email_status in ('unverified', 'verified', 'undeliverable')),
            email_status_reason text,
            given_name text,
            family_name text,
            phone text,
            postcode text,
            constituency_code text,
            region_code text,
            country_code text,
            source_utm_source text,
            source_utm_campaign text,
            source_referrer text,
            source_method text,
            first_action_at timestamptz,
            latest_action_at timestamptz,
            created_at timestamptz not null default now(),
            modified_at timestamptz not null default now(),
            -- Merged records point at the one kept; erased records keep only anonymous facts.
            merged_into_id bigint references people (id),
            erased_at timestamptz
          );
          create unique index people_canonical_email on people (canonical_email) where canonical_email is not null and merged_into_id is null;
          create index people_modified on people (modified_at, id);
          create index people_created on people (created_at);
          create index people_constituency on people (constituency_code);
          create index people_region on people (region_code);

          -- Which groups a person is connected to (their sign-ups, consents, petitions, imports):
          -- group organisers see only these people.
          create table person_groups (
            person_id bigint not null references people (id) on delete cascade,
            group_id integer not null references groups (id) on delete cascade,
            first_at timestamptz not null default now(),
            primary key (group_id, person_id)
          );
          create index person_groups_person on person_groups (person_id);

          -- The timeline: everything a person did, from every capability.
          create table person_actions (
            id bigint generated always as identity primary key,
            person_id bigint not null references people (id) on delete cascade,
            kind text not null,
            subject_type text,
            subject_id text,
            group_id integer references groups (id) on delete set null,
            occurred_at timestamptz not null default now(),
            detail jsonb not null default '{}'
          );
          create index person_actions_person on person_actions (person_id, occurred_at desc);
          create index person_actions_kind on person_actions (kind, subject_id, person_id);

          -- A purpose someone can consent to: the coalition's updates, or one group's updates.
          create table consent_purposes (
            id integer generated always as identity primary key,
            key text not null unique,
            group_id integer references groups (id) on delete cascade,
            name text not null,
            description text not null default '',
            created_at timestamptz not null default now()
          );

          -- The exact words shown when consent was asked, versioned per purpose.
          create table consent_wordings (
            id integer generated always as identity primary key,
            purpose_id integer not null references consent_purposes (id) on delete cascade,
            version integer not null,
            wording text not null,
            created_at timestamptz not null default now(),
            unique (purpose_id, version),
            unique (purpose_id, wording)
          );

          -- Current consent of a person for a purpose.
          create table consents (
            person_id bigint not null references people (id) on delete cascade,
            purpose_id integer not null references consent_purposes (id) on delete cascade,
            status text not null check (status in ('pending', 'given', 'withdrawn')),
            wording_id integer references consent_wordings (id),
            method text not null,
            source text,
            requested_at timestamptz not null default now(),
            given_at timestamptz,
            withdrawn_at timestamptz,
            primary key (purpose_id, person_id)
          );
          create index consents_person on consents (person_id);

          -- Append-only proof: every request, confirmation and withdrawal, with wording and method.
          create table consent_events (
            id bigint generated always as identity primary key,
            person_id bigint not null references people (id) on delete cascade,
            purpose_id integer not null references consent_purposes (id) on delete cascade,
            event text not null check (event in ('requested', 'given', 'withdrawn')),
            wording_id integer references consent_wordings (id),
            method text not null,
            source text,
            ip inet,
            occurred_at timestamptz not null default now()
          );
          create index consent_events_person on consent_events (person_id, occurred_at);

          create table tags (
            id integer generated always as identity primary key,
            name text not null,
            group_id integer references groups (id) on delete cascade,
            created_at timestamptz not null default now(),
            modified_at timestamptz not null default now()
          );
          create unique index tags_name on tags (coalesce(group_id, 0), lower(name));

          create table taggings (
            tag_id integer not null references tags (id) on delete cascade,
            person_id bigint not null references people (id) on delete cascade,
            created_at timestamptz not null default now(),
            primary key (tag_id, person_id)
          );
          create index taggings_person on taggings (person_id);

          create table lists (
            id integer generated always as identity primary key,
            name text not null,
            description text not null default '',
            group_id integer references groups (id) on delete cascade,
            created_at timestamptz not null default now(),
            modified_at timestamptz not null default now()
          );

          create table list_members (
            list_id integer not null references lists (id) on delete cascade,
            person_id bigint not null references people (id) on delete cascade,
            added_at timestamptz not null default now(),
            primary key (list_id, person_id)
          );
          create index list_members_person on list_members (person_id);

          create table segments (
            id integer generated always as identity primary key,
            name text not null,
            group_id integer references groups (id) on delete cascade,
            definition jsonb not null,
            created_by integer references organisers (id) on delete set null,
            created_at timestamptz not null default now(),
            modified_at timestamptz not null default now()
          );
        `.execute(db);
      },
    },
  ],
  ['2026-11-24-1100-mailings', mailingsMigration],
];
