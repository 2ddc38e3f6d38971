import { sql, type Kysely, type Migration } from 'kysely';

/** API keys (hashed), webhooks, and the log of what was sent to them. */
export const apiMigrations: Array<[string, Migration]> = [
  [
    '2026-11-24-1200-api',
    {
      async up(db: Kysely<unknown>) {
        await sql`
          create table api_tokens (
            id integer generated always as identity primary key,
            public_id uuid not null unique default gen_random_uuid(),
            group_id integer references groups (id) on delete cascade,
            name text not null,
            scope text not null check (scope in ('read', 'write')),
            token_prefix text not null,
            token_hash text not null unique,
            -- The rate limit lives here so it holds across every serve process.
            requests_per_second integer not null default 4 check (requests_per_second > 0),
            window_started_at timestamptz,
            window_requests integer not null default 0,
            created_by integer references organisers (id) on delete set null,
            created_at timestamptz not null default now(),
            last_used_at timestamptz,
            revoked_at timestamptz,
            revoked_by integer references organisers (id) on delete set null
          );
          create index api_tokens_group on api_tokens (group_id);

          create table webhooks (
            id integer generated always as identity primary key,
            public_id uuid not null unique default gen_random_uuid(),
            group_id integer references groups (id) on delete cascade,
            url text not null,
            events text[] not null check (events <@ array['signature', 'signup']::text[] and cardinality(events) > 0),
            secret text not null,
            created_by integer references organisers (id) on delete set null,
            created_at timestamptz not null default now(),
            signatures_seen_until timestamptz not null default now(),
            signups_floor_id bigint not null default 0,
            signups_next_floor_id bigint not null default 0,
            signups_floor_moved_at timestamptz not null default now()
          );
          create index webhooks_group on webhooks (group_id);

          create table webhook_deliveries (
            id bigint generated always as identity primary key,
            public_id uuid not null unique default gen_random_uuid(),
            webhook_id integer not null references webhooks (id) on delete cascade,
            kind text not null check (kind in ('signature', 'signup', 'test')),
            body text not null,
            event_count integer not null,
            status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
            attempts integer not null default 0,
            last_status_code integer,
            last_error text,
            last_response_ms integer,
            next_attempt_at timestamptz,
            created_at timestamptz not null default now(),
            delivered_at timestamptz,
            failed_at timestamptz
          );
          create index webhook_deliveries_webhook on webhook_deliveries (webhook_id, created_at desc);
          create index webhook_deliveries_finished on webhook_deliveries (created_at) where status <> 'pending';

          create table webhook_attempts (
            id bigint generated always as identity primary key,
            delivery_id bigint not null references webhook_deliveries (id) on delete cascade,
            attempt integer not null,
            at timestamptz not null default now(),
            status_code integer,
            error text,
            response_ms integer not null
          );
          create index webhook_attempts_delivery on webhook_attempts (delivery_id, attempt);

          create table webhook_delivery_items (
            webhook_id integer not null references webhooks (id) on delete cascade,
            kind text not null check (kind in ('signature', 'signup')),
            subject_key text not null,
            delivery_id bigint not null references webhook_deliveries (id) on delete cascade,
            canonical_email text,
            primary key (webhook_id, kind, subject_key)
          );
          create index webhook_delivery_items_delivery on webhook_delivery_items (delivery_id);
          create index webhook_delivery_items_email on webhook_delivery_items (canonical_email) where canonical_email is not null;
        `.execute(db);
      },
    },
  ],
  [
    '2026-12-03-0300-webhooks-revoked',
    {
      async up(db: Kysely<unknown>) {
        // A webhook is revoked (kept with its log, sending nothing) when its organiser loses access.
        await sql`
          alter table webhooks add column revoked_at timestamptz, add column revoked_by integer;
        `.execute(db);
      },
    },
  ],
  [
    '2026-12-10-1200-refused-attempts-untimed',
    {
      // An attempt refused by the outbound guard (not a public address) records no time.
      async up(db: Kysely<unknown>) {
        await sql`alter table webhook_attempts alter column response_ms drop not null`.execute(db);
      },
    },
  ],
  [
    '2026-12-12-0910-keys-confirm-signatures',
    {
      // A write key an admin trusts to have confirmed its signers' addresses: the signatures it
      // records are stored confirmed, with no confirmation email.
      async up(db: Kysely<unknown>) {
        await sql`alter table api_tokens add column confirms_signatures boolean not null default false`.execute(db);
      },
    },
  ],
];
