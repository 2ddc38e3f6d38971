import { sql, type Kysely, type Migration } from 'kysely';

/** News links, searched with PostgreSQL full-text search over a generated, weighted tsvector. */
export const libraryMigrations: Array<[string, Migration]> = [
  [
    '2027-01-13-1800-library-links',
    {
      async up(db: Kysely<unknown>) {
        await sql`
          create table links (
            id integer generated always as identity primary key,
            url text not null,
            canonical_url text not null,
            title text not null,
            source text not null default '',
            published_on date,
            summary text not null default '',
            tags text[] not null default '{}',
            constituency_codes text[] not null default '{}',
            region_codes text[] not null default '{}',
            group_id integer references groups (id) on delete set null,
            added_by integer references organisers (id) on delete set null,
            added_by_name text not null default '',
            created_at timestamptz not null default now(),
            updated_at timestamptz not null default now(),
            search tsvector generated always as (
              setweight(to_tsvector('english', title), 'A') ||
              setweight(to_tsvector('english', summary), 'B') ||
              setweight(to_tsvector('english', source), 'C')
            ) stored
          );
          create unique index links_canonical_url on links (canonical_url);
          create index links_search on links using gin (search);
          create index links_tags on links using gin (tags);
          create index links_region_codes on links using gin (region_codes);
          create index links_published on links (published_on desc nulls last, id desc);
          create index links_source on links (lower(source));
          create index links_group on links (group_id);
        `.execute(db);
      },
    },
  ],
];
