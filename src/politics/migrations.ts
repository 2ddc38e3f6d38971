import { sql, type Kysely, type Migration } from 'kysely';
import { loadShippedNhsOrganisations } from './nhs-organisations.ts';
import type { Handle } from '../platform/index.ts';
import { politicsQ } from './tables.ts';
import { letterMigrations } from './letters/migrations.ts';

/**
 * UK reference data: postcodes (ONSPD/NSPL), constituencies with their 2024 result, MPs, and the
 * hex cartogram layout. No foreign keys between them: official files arrive in any order.
 */
export const politicsMigrations: Array<[string, Migration]> = [
  [
    '2026-11-22-0300-politics',
    {
      async up(db: Kysely<unknown>) {
        await sql`
          -- One row per postcode, keyed by its compact form ("AB101AB"): lookups ignore spacing and case.
          create table postcodes (
            compact text primary key,
            postcode text not null,
            country_code text,
            region_code text,
            constituency_code text,
            latitude double precision,
            longitude double precision,
            introduced_on date,
            terminated_on date,
            imported_at timestamptz not null default now()
          );
          create index postcodes_constituency on postcodes (constituency_code);

          create table constituencies (
            code text primary key,
            name text not null,
            region_code text,
            region_name text,
            country_name text,
            constituency_type text,
            member_name text,
            result text,
            first_party text,
            second_party text,
            electorate integer,
            valid_votes integer,
            invalid_votes integer,
            majority integer,
            votes_by_party jsonb,
            -- Majority as a share of valid votes: the smaller, the more marginal the seat.
            marginality double precision generated always as (
              case when valid_votes > 0 and majority is not null then majority::double precision / valid_votes end
            ) stored,
            updated_at timestamptz not null default now()
          );
          create index constituencies_marginality on constituencies (marginality) where marginality is not null;
          create index constituencies_region on constituencies (region_code);

          create table mps (
            constituency_code text primary key,
            name text not null,
            party text,
            party_name text,
            party_colour text,
            twfy_id text,
            twfy_url text,
            parliament_id text,
            start_date date,
            updated_at timestamptz not null default now()
          );

          create table constituency_hexes (
            constituency_code text primary key,
            name text,
            q integer not null,
            r integer not null,
            region_code text,
            colour text
          );
        `.execute(db);
      },
    },
  ],
  [
    '2026-12-21-0100-nhs-organisations',
    {
      async up(db: Kysely<unknown>) {
        await sql`
          -- NHS trusts and integrated care boards by ODS code: the list Chorus ships, then ODS imports.
          create table nhs_organisations (
            code text primary key,
            kind text not null check (kind in ('trust', 'icb')),
            name text not null,
            ods_name text not null,
            postcode text,
            icb_code text,
            opened_on date,
            closed_on date,
            source text not null check (source in ('shipped', 'import')),
            updated_at timestamptz not null default now()
          );
          create index nhs_organisations_icb on nhs_organisations (icb_code);
        `.execute(db);
        await loadShippedNhsOrganisations(politicsQ(db as unknown as Handle));
      },
    },
  ],
  [
    '2026-12-22-0100-targets',
    {
      async up(db: Kysely<unknown>) {
        await sql`
          -- Target lists: named, a coalition's (group_id null) or one group's, seats by rule and by hand.
          create table target_lists (
            id serial primary key,
            name text not null,
            description text not null default '',
            group_id integer,
            rule jsonb,
            evaluated_at timestamptz,
            created_at timestamptz not null default now(),
            updated_at timestamptz not null default now()
          );
          create unique index target_lists_name on target_lists (coalesce(group_id, 0), lower(name));

          create table target_list_seats (
            list_id integer not null references target_lists on delete cascade,
            constituency_code text not null,
            chosen text not null check (chosen in ('rule', 'hand', 'excluded')),
            added_at timestamptz not null default now(),
            primary key (list_id, constituency_code)
          );
          create index target_list_seats_constituency on target_list_seats (constituency_code);

          create table target_politicians (
            id serial primary key,
            list_id integer not null references target_lists on delete cascade,
            name text not null,
            role text not null check (role in ('minister', 'shadow_minister', 'committee_chair', 'party_leader', 'other')),
            role_title text not null default '',
            party text,
            constituency_code text,
            added_at timestamptz not null default now()
          );
          create index target_politicians_list on target_politicians (list_id);
          create index target_politicians_constituency on target_politicians (constituency_code);

          -- Democracy Club candidacies: one row per person on a ballot paper.
          create table candidates (
            ballot_paper_id text not null,
            dc_person_id text not null,
            election_id text not null,
            election_date date,
            person_name text not null,
            party_name text,
            party_id text,
            post_label text not null,
            constituency_code text,
            elected boolean,
            cancelled_poll boolean not null default false,
            imported_at timestamptz not null default now(),
            primary key (ballot_paper_id, dc_person_id)
          );
          create index candidates_constituency on candidates (constituency_code);
        `.execute(db);
      },
    },
  ],
  ...letterMigrations,
];
