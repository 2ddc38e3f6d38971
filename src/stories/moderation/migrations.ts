import { sql, type Kysely, type Migration } from 'kysely';

/** The published version of each story, with its moderation stamps, safeguarding flag and hold. */
export const moderationMigrations: Array<[string, Migration]> = [
  [
    '2027-01-06-0900-story-publications',
    {
      async up(db: Kysely<unknown>) {
        await sql`
          create table story_publications (
            id integer generated always as identity primary key,
            story_id integer not null unique references stories (id) on delete cascade,
            state text not null default 'drafting' check (state in ('drafting', 'awaiting_approval', 'changes_requested', 'approved')),
            title_sealed text,
            text_sealed text,
            redactions_sealed text,
            service text check (service in ('ae', 'ambulance', 'gp', 'hospital', 'maternity', 'mental_health', 'cancer', 'community', 'dental', 'social_care', 'other')),
            topic text check (topic in ('waiting', 'staffing', 'closure', 'access', 'good_care', 'funding', 'other')),
            approval_token_hash text unique,
            changes_wanted_sealed text,
            drafted_by integer references organisers (id) on delete set null,
            drafted_by_name text,
            created_at timestamptz not null default now(),
            drafted_at timestamptz,
            sent_for_approval_at timestamptz,
            changes_requested_at timestamptz,
            approved_at timestamptz,
            first_published_at timestamptz,
            safeguarding_flagged_at timestamptz,
            safeguarding_reason text check (safeguarding_reason in ('at_risk', 'child', 'abuse')),
            safeguarding_flagged_by integer references organisers (id) on delete set null,
            safeguarding_note_sealed text,
            safeguarding_cleared_at timestamptz,
            held_at timestamptz,
            held_reason text check (held_reason in ('complaint', 'legal')),
            released_at timestamptz,
            -- Nothing goes to the teller, or live, without a written version.
            check (state = 'drafting' or (title_sealed is not null and text_sealed is not null and service is not null and topic is not null)),
            check (state <> 'approved' or approved_at is not null)
          );
          create index story_publications_live on story_publications (first_published_at desc) where state = 'approved';
        `.execute(db);
      },
    },
  ],
];
