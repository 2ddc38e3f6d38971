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
  [
    '2026-11-24-0900-supporters-retention',
    {
      async up(db: Kysely<unknown>) {
        // Retention sweeps: sign-ups never confirmed, and people inactive for months.
        await sql`
          create index consents_pending on consents (requested_at) where status = 'pending';
          create index people_latest_action on people (latest_action_at) where erased_at is null and merged_into_id is null;
          create index people_merged_into on people (merged_into_id) where merged_into_id is not null;
        `.execute(db);
      },
    },
  ],
  [
    '2026-11-24-1000-segment-indexes',
    {
      async up(db: Kysely<unknown>) {
        await sql`
          -- Segment counts (segments/compile-segment.ts) start from a set of people (by seat or
          -- region) and check each other condition with a hash join over an index-only scan of one
          -- side, or a per-person index probe. Measured on 1M people (npm run bench:segment).

          -- Only live records take part in segments, and the id rides along: "the people in these 50
          -- seats" is an index-only scan with no visits to the wide people rows.
          create index people_live_constituency on people (constituency_code, id) where merged_into_id is null and erased_at is null;
          create index people_live_region on people (region_code, id) where merged_into_id is null and erased_at is null;

          -- "Signed petition 3 since June": one range of this index gives the signers (index-only),
          -- which Postgres hashes against the people found so far.
          create index person_actions_kind_subject_time on person_actions (kind, subject_id, occurred_at, person_id);
          -- "Has this person done X (on Y) since Z?" for a small set of people: one probe each,
          -- answered from the index (the subject rides along for the filter).
          create index person_actions_person_kind on person_actions (person_id, kind, occurred_at) include (subject_id);

          -- Per-person probes of tags and group connections, answered from the index. They replace
          -- the single-column (person_id) indexes, which are their prefixes and so are no longer
          -- needed for anything (including the cascades when a person is deleted).
          create index taggings_person_tag on taggings (person_id, tag_id);
          drop index taggings_person;
          create index person_groups_person_group on person_groups (person_id, group_id);
          drop index person_groups_person;
          create index list_members_person_list on list_members (person_id, list_id);
          drop index list_members_person;

          -- "Has live consent for purpose P": only given consent is indexed, so both the hashed set
          -- and the per-person probe skip withdrawn and pending rows without reading the table.
          create index consents_given on consents (purpose_id, person_id) where status = 'given';
        `.execute(db);
      },
    },
  ],
  [
    '2026-11-24-1001-people-imports',
    {
      async up(db: Kysely<unknown>) {
        await sql`
          -- A CSV import of people: the file (web uploads, so any worker can run it), the column
          -- mapping, the consent the organiser vouches for, the dry-run report, and progress by
          -- line number, so a run interrupted by a restart resumes after the last batch it committed.
          create table people_imports (
            id uuid primary key default gen_random_uuid(),
            source text not null check (source in ('web', 'cli')),
            file_name text not null,
            file_sha256 text not null,
            file_bytes bigint not null,
            -- Web uploads only (at most 5 MB); emptied once the import is done. CLI imports read the file from disk.
            content bytea,
            -- Consent for this group's updates; null for the coalition's.
            group_id integer references groups (id) on delete cascade,
            wording text not null,
            -- The day people agreed, as the organiser states it; null: each row's created date, or the import day.
            agreed_on date,
            extra_tags text[] not null default '{}',
            list_id integer references lists (id) on delete set null,
            mapping jsonb,
            state text not null default 'uploaded'
              check (state in ('uploaded', 'checked', 'queued', 'running', 'done', 'failed')),
            report jsonb,
            -- The last line of the file whose row is fully imported (1 is the header).
            lines_done integer not null default 0,
            counts jsonb not null default '{}',
            problems jsonb not null default '[]',
            error text,
            created_by integer references organisers (id) on delete set null,
            created_by_label text not null,
            created_at timestamptz not null default now(),
            checked_at timestamptz,
            queued_at timestamptz,
            started_at timestamptz,
            heartbeat_at timestamptz,
            finished_at timestamptz
          );
          create index people_imports_created on people_imports (created_at desc);
          create index people_imports_unfinished on people_imports (file_sha256) where state <> 'done';
        `.execute(db);
      },
    },
  ],
  ['2026-11-24-1100-mailings', mailingsMigration],
  [
    '2026-12-03-0800-person-group-facts',
    {
      async up(db: Kysely<unknown>) {
        // What a group was told about a person it did not already see (its API key, its import):
        // null means the group sees the person's own record.
        await sql`alter table person_groups add column facts jsonb`.execute(db);
      },
    },
  ],
  [
    '2026-12-11-1000-segment-count-index',
    {
      async up(db: Kysely<unknown>) {
        // Segment counts over many people (segments/compile-segment.ts) read the live people in id
        // order with their seat, region and date added from this narrow index alone (a fifth of the
        // table's size, no visits to the rows), merging them with the sorted sets of each condition.
        await sql`
          create index people_live_facts on people (id) include (constituency_code, region_code, created_at)
            where merged_into_id is null and erased_at is null
        `.execute(db);
      },
    },
  ],
  [
    '2026-12-11-1100-person-modified-on-change',
    {
      async up(db: Kysely<unknown>) {
        // Whatever changes what the API shows of a person (a consent, a tag, a list, a bounce)
        // moves their modified date, so incremental syncs (modified_date gt ...) see it, whichever
        // code made the change. A group that sees only what it was told (person_groups.facts)
        // has its own date: changed_at moves for changes that group sees.
        await sql`
          alter table person_groups add column changed_at timestamptz;

          create function people_touch(person_ids bigint[]) returns void language sql as $$
            update people set modified_at = now() where id = any(person_ids) and modified_at < now();
          $$;
          create function person_groups_touch(person_ids bigint[], group_ids integer[]) returns void language sql as $$
            update person_groups pg set changed_at = now()
            from unnest(person_ids, group_ids) as t(person_id, group_id)
            where pg.person_id = t.person_id and pg.group_id = t.group_id and pg.facts is not null
              and (pg.changed_at is null or pg.changed_at < now());
          $$;

          create function consents_touch_people() returns trigger language plpgsql as $$
          begin
            if tg_op <> 'DELETE' then
              perform people_touch(array(select person_id from new_rows));
              perform person_groups_touch(array(select n.person_id from new_rows n join consent_purposes cp on cp.id = n.purpose_id where cp.group_id is not null),
                array(select cp.group_id from new_rows n join consent_purposes cp on cp.id = n.purpose_id where cp.group_id is not null));
            end if;
            if tg_op <> 'INSERT' then
              perform people_touch(array(select person_id from old_rows));
              perform person_groups_touch(array(select o.person_id from old_rows o join consent_purposes cp on cp.id = o.purpose_id where cp.group_id is not null),
                array(select cp.group_id from old_rows o join consent_purposes cp on cp.id = o.purpose_id where cp.group_id is not null));
            end if;
            return null;
          end $$;
          create trigger consents_inserted after insert on consents referencing new table as new_rows for each statement execute function consents_touch_people();
          create trigger consents_updated after update on consents referencing old table as old_rows new table as new_rows for each statement execute function consents_touch_people();
          create trigger consents_deleted after delete on consents referencing old table as old_rows for each statement execute function consents_touch_people();

          create function taggings_touch_people() returns trigger language plpgsql as $$
          begin
            perform people_touch(array(select person_id from changed_rows));
            perform person_groups_touch(array(select c.person_id from changed_rows c join tags s on s.id = c.tag_id where s.group_id is not null),
              array(select s.group_id from changed_rows c join tags s on s.id = c.tag_id where s.group_id is not null));
            return null;
          end $$;
          create trigger taggings_inserted after insert on taggings referencing new table as changed_rows for each statement execute function taggings_touch_people();
          create trigger taggings_deleted after delete on taggings referencing old table as changed_rows for each statement execute function taggings_touch_people();

          create function list_members_touch_people() returns trigger language plpgsql as $$
          begin
            perform people_touch(array(select person_id from changed_rows));
            perform person_groups_touch(array(select c.person_id from changed_rows c join lists s on s.id = c.list_id where s.group_id is not null),
              array(select s.group_id from changed_rows c join lists s on s.id = c.list_id where s.group_id is not null));
            return null;
          end $$;
          create trigger list_members_inserted after insert on list_members referencing new table as changed_rows for each statement execute function list_members_touch_people();
          create trigger list_members_deleted after delete on list_members referencing old table as changed_rows for each statement execute function list_members_touch_people();

          -- A bounce (or any change of the address's state) shows in every group's view.
          create function people_email_status_changed() returns trigger language plpgsql as $$
          begin
            new.modified_at := greatest(new.modified_at, now());
            update person_groups set changed_at = now() where person_id = new.id and facts is not null;
            return new;
          end $$;
          create trigger people_email_status_changed before update of email_status on people
            for each row when (old.email_status is distinct from new.email_status) execute function people_email_status_changed();
        `.execute(db);
      },
    },
  ],
];
