import { sql, type Kysely, type Migration } from 'kysely';

/** The storyteller pipeline: storytellers, topics, notes, training, opportunities and asks. */
export const storytellerMigrations: Array<[string, Migration]> = [
  [
    '2027-01-05-1000-storytellers',
    {
      async up(db: Kysely<unknown>) {
        await sql`
          create table speaking_topics (
            id integer generated always as identity primary key,
            name text not null,
            created_at timestamptz not null default now()
          );
          create unique index speaking_topics_name on speaking_topics (lower(name));

          create table storytellers (
            id integer generated always as identity primary key,
            public_id uuid not null unique default gen_random_uuid(),
            person_id bigint references people (id) on delete set null,
            story_id integer references stories (id) on delete set null,
            name_sealed text not null,
            email_sealed text not null,
            phone_sealed text,
            postcode_sealed text,
            constituency_code text,
            region_code text,
            stage text not null default 'recruited' check (stage in ('recruited', 'consented', 'trained', 'ready', 'spoke')),
            recruited_at timestamptz not null default now(),
            consented_at timestamptz,
            trained_at timestamptz,
            ready_at timestamptz,
            spoke_at timestamptz,
            created_at timestamptz not null default now(),
            -- Each stage past the first carries the stamp of when it was reached.
            check (stage = 'recruited' or consented_at is not null),
            check (stage not in ('trained', 'ready', 'spoke') or trained_at is not null),
            check (stage not in ('ready', 'spoke') or ready_at is not null),
            check (stage <> 'spoke' or spoke_at is not null)
          );
          create index storytellers_person on storytellers (person_id) where person_id is not null;
          create index storytellers_stage on storytellers (stage, constituency_code);

          create table storyteller_groups (
            storyteller_id integer not null references storytellers (id) on delete cascade,
            group_id integer not null references groups (id) on delete cascade,
            primary key (storyteller_id, group_id)
          );
          create index storyteller_groups_group on storyteller_groups (group_id);

          create table storyteller_topics (
            storyteller_id integer not null references storytellers (id) on delete cascade,
            topic_id integer not null references speaking_topics (id) on delete cascade,
            primary key (storyteller_id, topic_id)
          );
          create index storyteller_topics_topic on storyteller_topics (topic_id);

          create table storyteller_notes (
            id integer generated always as identity primary key,
            storyteller_id integer not null references storytellers (id) on delete cascade,
            author_id integer references organisers (id) on delete set null,
            author_name text not null,
            note_sealed text not null,
            created_at timestamptz not null default now()
          );
          create index storyteller_notes_storyteller on storyteller_notes (storyteller_id);

          create table training_sessions (
            id integer generated always as identity primary key,
            event_id integer references events (id) on delete set null,
            title text not null,
            starts_at timestamptz not null,
            created_by integer references organisers (id) on delete set null,
            created_at timestamptz not null default now()
          );

          create table training_attendance (
            session_id integer not null references training_sessions (id) on delete cascade,
            storyteller_id integer not null references storytellers (id) on delete cascade,
            recorded_by integer references organisers (id) on delete set null,
            attended_at timestamptz not null default now(),
            primary key (session_id, storyteller_id)
          );
          create index training_attendance_storyteller on training_attendance (storyteller_id);

          create table speaking_opportunities (
            id integer generated always as identity primary key,
            requester_kind text not null check (requester_kind in ('press', 'politician')),
            requester_sealed text not null,
            outlet text not null,
            wanted text not null,
            constituency_code text,
            region_code text,
            topic_id integer not null references speaking_topics (id),
            deadline date not null,
            created_by integer references organisers (id) on delete set null,
            created_at timestamptz not null default now()
          );

          create table opportunity_asks (
            id integer generated always as identity primary key,
            opportunity_id integer not null references speaking_opportunities (id) on delete cascade,
            storyteller_id integer not null references storytellers (id) on delete cascade,
            token_hash text not null unique,
            asked_by integer references organisers (id) on delete set null,
            asked_at timestamptz not null default now(),
            answer text check (answer in ('yes', 'no')),
            answered_at timestamptz,
            outcome_sealed text,
            outcome_at timestamptz,
            unique (opportunity_id, storyteller_id),
            check ((answer is null) = (answered_at is null)),
            check (outcome_sealed is null or answer = 'yes')
          );
          create index opportunity_asks_storyteller on opportunity_asks (storyteller_id);
        `.execute(db);
      },
    },
  ],
];
