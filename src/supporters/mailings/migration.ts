import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Mailings, who each one goes to (a row per person: the primary key is the guarantee that nobody
 * gets the same mailing twice), and tracked links with their clicks.
 */
export const mailingsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table mailings (
        id integer generated always as identity primary key,
        -- Who it is from: the coalition's or a group's purpose. Only people with a live consent for it get it.
        purpose_id integer not null references consent_purposes (id) on delete cascade,
        -- A saved segment, or null for everyone with a live consent for the purpose.
        segment_id integer references segments (id) on delete set null,
        -- The segment as read when the mailing was last saved or set going ({name, groupId,
        -- definition}); null means everyone. A segment deleted meanwhile never turns the mailing
        -- into one to everyone: its last conditions still apply.
        segment_snapshot jsonb,
        subject text not null,
        -- Markdown (no raw HTML) with {{first_name}}-style placeholders.
        body text not null,
        status text not null default 'draft'
          check (status in ('draft', 'scheduled', 'preparing', 'sending', 'sent', 'cancelled')),
        rate_per_second integer not null check (rate_per_second > 0),
        scheduled_for timestamptz,
        send_requested_at timestamptz,
        -- Recipients are copied into mailing_recipients in batches of people ordered by id; this is
        -- the last person id copied, so a restarted worker carries on where the last one stopped.
        prepared_through bigint not null default 0,
        recipient_count integer,
        -- When every remaining recipient waits for a retry (a temporary SMTP refusal): resume then.
        wake_at timestamptz,
        sending_started_at timestamptz,
        finished_at timestamptz,
        created_by integer references organisers (id) on delete set null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );
      create index mailings_purpose on mailings (purpose_id, id desc);
      create index mailings_active on mailings (status) where status in ('scheduled', 'preparing', 'sending');

      create table mailing_recipients (
        mailing_id integer not null references mailings (id) on delete cascade,
        person_id bigint not null references people (id) on delete cascade,
        -- queued → sending (handed to SMTP) → sent | failed; skipped (no live consent at send
        -- time, undeliverable, erased); unknown (a worker stopped while the message was with the
        -- SMTP server: not resent, so nobody gets it twice).
        status text not null default 'queued'
          check (status in ('queued', 'sending', 'sent', 'failed', 'skipped', 'unknown')),
        -- A sender claims a batch with a random token and a lease; only the claimant may send it.
        claim_token uuid,
        claimed_until timestamptz,
        retry_at timestamptz,
        attempts smallint not null default 0,
        reason text,
        sent_at timestamptz,
        primary key (mailing_id, person_id)
      );
      create index mailing_recipients_queued on mailing_recipients (mailing_id, person_id) where status = 'queued';
      create index mailing_recipients_person on mailing_recipients (person_id);

      create table mailing_links (
        id integer generated always as identity primary key,
        mailing_id integer not null references mailings (id) on delete cascade,
        token text not null unique,
        url text not null,
        unique (mailing_id, url)
      );

      create table link_clicks (
        id bigint generated always as identity primary key,
        link_id integer not null references mailing_links (id) on delete cascade,
        person_id bigint references people (id) on delete set null,
        clicked_at timestamptz not null default now()
      );
      create index link_clicks_link on link_clicks (link_id, person_id);
      create index link_clicks_person on link_clicks (person_id);

      -- A mailing's report counts the unsubscribes that came through its links.
      create index consent_events_withdrawn_source on consent_events (source) where event = 'withdrawn';
    `.execute(db);
  },
};
