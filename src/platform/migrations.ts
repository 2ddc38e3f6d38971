import { sql, type Kysely, type Migration } from 'kysely';

/** Tables of the shared mechanisms: settings, sessions, one-time tokens, audit, mail, media. */
export const platformMigrations: Array<[string, Migration]> = [
  [
    '2026-11-22-0100-platform',
    {
      async up(db: Kysely<unknown>) {
        await sql`
          create table settings (
            key text primary key,
            value jsonb not null,
            updated_at timestamptz not null default now()
          );

          create table media (
            id uuid primary key default gen_random_uuid(),
            content_type text not null,
            bytes bytea not null,
            sha256 text not null,
            byte_size integer not null,
            created_at timestamptz not null default now()
          );

          create table audit_log (
            id bigint generated always as identity primary key,
            at timestamptz not null default now(),
            actor_id integer,
            actor_label text not null,
            action text not null,
            subject_type text not null,
            subject_id text,
            before jsonb,
            after jsonb
          );
          create index audit_log_at on audit_log (at desc);
          create index audit_log_subject on audit_log (subject_type, subject_id);

          create table outbound_emails (
            id bigint generated always as identity primary key,
            kind text not null,
            to_address text not null,
            subject text not null,
            text_body text not null,
            html_body text not null,
            headers jsonb not null default '{}',
            status text not null default 'queued' check (status in ('queued', 'sent', 'kept', 'failed')),
            attempts integer not null default 0,
            last_error text,
            message_id text,
            created_at timestamptz not null default now(),
            sent_at timestamptz
          );
          create index outbound_emails_created on outbound_emails (created_at desc);
        `.execute(db);
      },
    },
  ],
  [
    '2026-12-03-0100-rate-limits',
    {
      async up(db: Kysely<unknown>) {
        // One row per limit and key (hashed), counted in one upsert so bursts cannot pass a limit.
        await sql`
          create table rate_limits (
            key_hash text primary key,
            window_ends_at timestamptz not null,
            hits integer not null
          );
          create index rate_limits_window_ends on rate_limits (window_ends_at);
        `.execute(db);
      },
    },
  ],
  [
    '2026-12-10-1300-outbox-secrets',
    {
      // Sign-in, reset and invitation links are stored apart from the body and only until sent;
      // such messages are deleted after a short while.
      async up(db: Kysely<unknown>) {
        await sql`
          alter table outbound_emails add column secrets jsonb, add column delete_after timestamptz;
          create index outbound_emails_delete_after on outbound_emails (delete_after) where delete_after is not null;
        `.execute(db);
      },
    },
  ],
  [
    '2026-12-12-0800-outbox-attachments',
    {
      // Files sent with a message (an event booking's calendar entry).
      async up(db: Kysely<unknown>) {
        await sql`alter table outbound_emails add column attachments jsonb`.execute(db);
      },
    },
  ],
  [
    '2027-01-11-1801-outbox-from-name',
    {
      // A name to show in From beside the hub's own address (a constituent's letter to their MP).
      async up(db: Kysely<unknown>) {
        await sql`alter table outbound_emails add column from_name text`.execute(db);
      },
    },
  ],
];
