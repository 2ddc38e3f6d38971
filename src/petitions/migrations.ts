import { sql, type Kysely, type Migration } from 'kysely';

/** Petitions, their groups and milestones, signatures and the aggregated counts. */
export const petitionMigrations: Array<[string, Migration]> = [
  [
    '2026-11-22-0400-petitions',
    {
      async up(db: Kysely<unknown>) {
        await sql`
          create table petitions (
            id integer generated always as identity primary key,
            slug text not null,
            action text not null,
            background text not null,
            additional_details text not null default '',
            target text not null,
            state text not null default 'draft'
              check (state in ('draft', 'awaiting_moderation', 'open', 'closed', 'rejected', 'hidden')),
            closing_date date,
            image_media_id uuid references media (id) on delete set null,
            image_alt text,
            created_by integer references organisers (id) on delete set null,
            created_at timestamptz not null default now(),
            updated_at timestamptz not null default now(),
            submitted_at timestamptz,
            opened_at timestamptz,
            closed_at timestamptz,
            rejected_at timestamptz,
            rejection_code text,
            rejection_details text,
            hidden_at timestamptz,
            under_attack boolean not null default false,
            signature_count integer not null default 0,
            last_signed_at timestamptz,
            counted_at timestamptz,
            response_date date,
            response_summary text,
            response_details text,
            hand_in_date date,
            hand_in_place text,
            hand_in_link text,
            debate_date date,
            debate_links text,
            debate_outcome text
          );
          create index petitions_state on petitions (state, signature_count desc);
          create index petitions_search on petitions using gin (to_tsvector('english', action || ' ' || background || ' ' || target));

          create table petition_groups (
            petition_id integer not null references petitions (id) on delete cascade,
            group_id integer not null references groups (id) on delete cascade,
            primary key (petition_id, group_id)
          );
          create index petition_groups_group on petition_groups (group_id);

          create table petition_milestones (
            id integer generated always as identity primary key,
            petition_id integer not null references petitions (id) on delete cascade,
            threshold integer not null check (threshold > 0),
            kind text not null check (kind in ('response', 'debate', 'custom')),
            label text not null,
            reached_at timestamptz,
            unique (petition_id, threshold)
          );

          create table signature_consent_texts (
            id integer generated always as identity primary key,
            wording text not null unique,
            created_at timestamptz not null default now()
          );

          -- Hot table: the distribution key is petition_id (Citus-ready); every index leads with it
          -- or is partial and small.
          create table signatures (
            petition_id integer not null references petitions (id),
            id bigint generated always as identity,
            public_id uuid not null default gen_random_uuid(),
            state text not null default 'pending' check (state in ('pending', 'validated', 'invalidated')),
            name text,
            email text,
            canonical_email text,
            household_slot smallint not null default 1 check (household_slot in (1, 2)),
            postcode text,
            country_code text not null,
            constituency_code text,
            region_code text,
            ip inet,
            held_reason text,
            hear_more boolean not null default false,
            consent_text_id integer references signature_consent_texts (id),
            emails_sent smallint not null default 0,
            confirmation_due_at timestamptz,
            counted boolean not null default false,
            created_at timestamptz not null default now(),
            validated_at timestamptz,
            invalidated_at timestamptz,
            invalidation_reason text,
            erased_at timestamptz,
            primary key (petition_id, id)
          );
          create unique index signatures_public_id on signatures (public_id);
          create unique index signatures_one_per_email on signatures (petition_id, canonical_email, household_slot);
          create index signatures_ip on signatures (petition_id, ip, created_at);
          create index signatures_to_count on signatures (petition_id, id) where state = 'validated' and not counted and held_reason is null;
          create index signatures_confirmation_due on signatures (confirmation_due_at) where confirmation_due_at is not null;
          create index signatures_pending_age on signatures (created_at) where state = 'pending';
          create index signatures_held on signatures (petition_id) where held_reason is not null and state <> 'invalidated';

          -- Aggregated counts, kept by the counter in batches (never +1 per signature).
          create table petition_counts (
            petition_id integer not null references petitions (id) on delete cascade,
            dimension text not null check (dimension in ('constituency', 'country', 'region')),
            key text not null,
            count integer not null default 0,
            primary key (petition_id, dimension, key)
          );
        `.execute(db);
      },
    },
  ],
  [
    '2026-11-24-0500-petition-reopened-at',
    {
      // An admin's reopening is stamped like every other transition.
      async up(db: Kysely<unknown>) {
        await sql`alter table petitions add column reopened_at timestamptz`.execute(db);
      },
    },
  ],
  [
    '2026-11-24-0810-signature-person',
    {
      async up(db: Kysely<unknown>) {
        // Which supporter a confirmed signature belongs to (set by the supporters capability).
        await sql`
          alter table signatures add column person_id bigint references people (id) on delete set null;
          create index signatures_person on signatures (person_id) where person_id is not null;
          create index signatures_to_link on signatures (petition_id, id) where state = 'validated' and person_id is null;
        `.execute(db);
      },
    },
  ],
  [
    '2026-11-24-0600-petition-challenges-spent',
    {
      async up(db: Kysely<unknown>) {
        await sql`
          -- Proof-of-work solutions already used to sign (while a petition is under attack): each
          -- solves one signature only. Rows expire with their challenge.
          create table petition_challenges_spent (
            signature text primary key,
            expires_at timestamptz not null
          );
          create index petition_challenges_spent_expiry on petition_challenges_spent (expires_at);
        `.execute(db);
      },
    },
  ],
  [
    '2026-12-02-0100-signatures-validated-at',
    {
      async up(db: Kysely<unknown>) {
        await sql`
          -- Confirmed signatures in the order they were confirmed: what the API's webhooks read
          -- (signaturesConfirmedAfter). Databases made before this migration already have it (the
          -- API's first migration made it), hence if not exists.
          create index if not exists signatures_validated_at on signatures (validated_at) where state = 'validated';
        `.execute(db);
      },
    },
  ],
  [
    '2026-12-10-1400-confirmation-claimed-by',
    {
      async up(db: Kysely<unknown>) {
        await sql`
          -- The session (backend pid) that claimed a confirmation email to send it; a claim whose
          -- session has ended is released at once (confirmation-emails.ts).
          alter table signatures add column confirmation_claimed_by integer;
        `.execute(db);
      },
    },
  ],
  [
    '2026-12-12-0900-signature-comments-referrer',
    {
      async up(db: Kysely<unknown>) {
        await sql`
          -- What a signer wrote beside their signature, and where they came from (OSDI comments and
          -- referrer_data: source, referrer, website, url), as the API's record signature helper sends them.
          alter table signatures add column comments text, add column referrer_data jsonb;
        `.execute(db);
      },
    },
  ],
  [
    '2026-12-12-1500-petition-close-agreements',
    {
      async up(db: Kysely<unknown>) {
        await sql`
          -- A group's agreement to close a petition it shares with other groups before its closing
          -- date: the last group to agree closes it (change-petition-state.ts). Cleared when it closes or reopens.
          create table petition_close_agreements (
            petition_id integer not null references petitions (id) on delete cascade,
            group_id integer not null references groups (id) on delete cascade,
            organiser_id integer references organisers (id) on delete set null,
            agreed_at timestamptz not null default now(),
            primary key (petition_id, group_id)
          );
        `.execute(db);
      },
    },
  ],
  [
    '2026-12-12-1600-signature-arrival',
    {
      async up(db: Kysely<unknown>) {
        await sql`
          -- Where the signer came from: the campaign tags of the petition page's address (the
          -- share buttons add utm_source) and the other site that linked to it.
          alter table signatures add column utm_source text, add column utm_medium text, add column utm_campaign text, add column referrer text;
        `.execute(db);
      },
    },
  ],
];
