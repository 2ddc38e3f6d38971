import { sql, type Kysely, type Migration } from 'kysely';

/** Member groups, organiser accounts, their roles, sessions and sign-in records. */
export const coalitionMigrations: Array<[string, Migration]> = [
  [
    '2026-11-22-0200-coalition',
    {
      async up(db: Kysely<unknown>) {
        await sql`
          create table groups (
            id integer generated always as identity primary key,
            slug text not null unique,
            name text not null,
            description text not null default '',
            website text,
            contact_email text,
            logo_media_id uuid references media (id) on delete set null,
            created_at timestamptz not null default now(),
            updated_at timestamptz not null default now()
          );

          create table organisers (
            id integer generated always as identity primary key,
            email text not null,
            name text not null,
            role text not null check (role in ('admin', 'organiser', 'moderator')),
            password_hash text,
            disabled_at timestamptz,
            created_at timestamptz not null default now(),
            last_sign_in_at timestamptz
          );
          create unique index organisers_email on organisers (lower(email));

          create table organiser_groups (
            organiser_id integer not null references organisers (id) on delete cascade,
            group_id integer not null references groups (id) on delete cascade,
            primary key (organiser_id, group_id)
          );
          create index organiser_groups_group on organiser_groups (group_id);

          create table sessions (
            id text primary key,
            organiser_id integer not null references organisers (id) on delete cascade,
            created_at timestamptz not null default now(),
            last_seen_at timestamptz not null default now(),
            expires_at timestamptz not null
          );
          create index sessions_organiser on sessions (organiser_id);
          create index sessions_expires on sessions (expires_at);

          create table organiser_tokens (
            id text primary key,
            organiser_id integer not null references organisers (id) on delete cascade,
            purpose text not null check (purpose in ('sign-in', 'password-reset')),
            created_at timestamptz not null default now(),
            expires_at timestamptz not null,
            used_at timestamptz
          );
          create index organiser_tokens_organiser on organiser_tokens (organiser_id);

          create table sign_in_failures (
            id bigint generated always as identity primary key,
            email_key text not null,
            ip text not null,
            at timestamptz not null default now()
          );
          create index sign_in_failures_email on sign_in_failures (email_key, at);
          create index sign_in_failures_ip on sign_in_failures (ip, at);
        `.execute(db);
      },
    },
  ],
  [
    '2026-11-24-0200-coalition-admin',
    {
      async up(db: Kysely<unknown>) {
        // Organiser pages are addressed by an unguessable id, not the row number.
        // Password-reset requests are counted per address and per client address (throttling).
        await sql`
          alter table organisers add column public_id uuid not null default gen_random_uuid();
          create unique index organisers_public_id on organisers (public_id);

          create table password_reset_requests (
            id bigint generated always as identity primary key,
            email_key text not null,
            ip text not null,
            at timestamptz not null default now()
          );
          create index password_reset_requests_email on password_reset_requests (email_key, at);
          create index password_reset_requests_ip on password_reset_requests (ip, at);
        `.execute(db);
      },
    },
  ],
  [
    '2026-12-03-0200-sign-in-addresses',
    {
      async up(db: Kysely<unknown>) {
        // Reset requests are counted by the platform's rate limits now. The addresses an organiser
        // has signed in from decide when a correct password needs a second factor (under attack).
        await sql`
          drop table password_reset_requests;
          create table organiser_sign_in_addresses (
            organiser_id integer not null references organisers (id) on delete cascade,
            ip text not null,
            last_at timestamptz not null default now(),
            primary key (organiser_id, ip)
          );
        `.execute(db);
      },
    },
  ],
];
