import { sql } from 'kysely';
import type { Handle, Viewer } from '../platform/index.ts';
import { regionsOfConstituencies } from '../politics/index.ts';
import { holdActive, publishedStory, safeguardingActive } from './moderation/states.ts';
import { usableStory } from './states.ts';
import { MATCHABLE_STAGES, stageLabels } from './storytellers/stages.ts';
import { inScope, storytellerScope } from './storytellers/storytellers.ts';
import type { StorytellerStage } from './storytellers/tables.ts';
import { storytellerPath } from './storytellers/views.tsx';
import { storiesQ } from './tables.ts';

/**
 * Stories and storytellers per constituency, for targeting. Counts only, from the open columns
 * (state, stamps, constituency code): nothing sealed is opened or read.
 */
export interface ConstituencyStoryCounts {
  constituencyCode: string;
  /**
   * Stories that may be used now (consented, not past their expiry), cleared (no safeguarding
   * flag or hold stands) and not published on the hub: ready for letters, briefings and visits.
   */
  storiesReady: number;
  /** Stories the public sees (publishedStory: approved by the teller, usable, agreed to publication). */
  storiesPublished: number;
  /** Storytellers ready to be asked to speak (ready, or spoke and may speak again). */
  storytellersReady: number;
}

/**
 * Without `since`, the figures as they stand; with it, those that arrived since then and still
 * count: stories consented, stories first published and storytellers made ready since `since`.
 */
export async function storyCountsByConstituency(handle: Handle, options: { since?: Date } = {}): Promise<ConstituencyStoryCounts[]> {
  const since = options.since ?? null;
  const after = (column: string) => sql<boolean>`(${since}::timestamptz is null or ${sql.ref(column)} >= ${since}::timestamptz)`;
  const published = sql<boolean>`coalesce(${publishedStory('s', 'p')}, false)`;
  const { rows } = await sql<ConstituencyStoryCounts>`
    with told as (
      select s.constituency_code as code,
        count(*) filter (where not ${published} and not coalesce(${holdActive('p')}, false) and ${after('s.consented_at')})::int as ready,
        count(*) filter (where ${published} and ${after('p.first_published_at')})::int as published
      from stories s left join story_publications p on p.story_id = s.id
      where s.constituency_code is not null and ${usableStory('s')} and not coalesce(${safeguardingActive('p')}, false)
      group by s.constituency_code
    ), tellers as (
      select t.constituency_code as code, count(*)::int as ready
      from storytellers t
      where t.constituency_code is not null and t.stage = any(${[...MATCHABLE_STAGES]}::text[]) and ${after('t.ready_at')}
      group by t.constituency_code
    )
    select coalesce(told.code, tellers.code) as "constituencyCode",
      coalesce(told.ready, 0)::int as "storiesReady",
      coalesce(told.published, 0)::int as "storiesPublished",
      coalesce(tellers.ready, 0)::int as "storytellersReady"
    from told full join tellers on tellers.code = told.code
    order by 1`.execute(storiesQ(handle));
  return rows;
}

/** A storyteller as the targeting pages show them: no name or contact, a link to their record. */
export interface StorytellerNearby {
  publicId: string;
  /** Their record in the stories admin (/admin/storytellers/<id>), where their details are. */
  path: string;
  stage: StorytellerStage;
  stageLabel: string;
  constituencyCode: string | null;
  topics: string[];
}

export interface StorytellersNear {
  constituencyCode: string;
  /** 'constituency': ready storytellers in the seat; 'region': none there, these are in its region; 'none': none in either. */
  near: 'constituency' | 'region' | 'none';
  storytellers: StorytellerNearby[];
}

/** At most this many storytellers listed per seat. */
const PER_SEAT = 5;

/**
 * The ready storytellers in each seat or, when a seat has none, in its region, marked which.
 * Only those the viewer may see: admins and moderators all, organisers their groups' (the same
 * scope as the storyteller pages).
 */
export async function storytellersReadyNear(handle: Handle, options: { constituencyCodes: readonly string[]; viewer: Viewer }): Promise<StorytellersNear[]> {
  const q = storiesQ(handle);
  const codes = [...new Set(options.constituencyCodes)];
  if (codes.length === 0) return [];
  const [regions, scope] = await Promise.all([regionsOfConstituencies(q, codes), storytellerScope(q, options.viewer)]);
  const regionCodes = [...new Set([...regions.values()].filter((r): r is string => r !== null))];
  const rows = await q
    .selectFrom('storytellers')
    .select(['storytellers.public_id', 'storytellers.stage', 'storytellers.constituency_code', 'storytellers.region_code'])
    .select(sql<string[]>`coalesce((select array_agg(t.name order by t.name) from storyteller_topics st join speaking_topics t on t.id = st.topic_id where st.storyteller_id = storytellers.id), '{}')`.as('topics'))
    .where('storytellers.stage', 'in', [...MATCHABLE_STAGES])
    .where((eb) => eb.or([eb('storytellers.constituency_code', 'in', codes), ...(regionCodes.length ? [eb('storytellers.region_code', 'in', regionCodes)] : [])]))
    .where(inScope(scope))
    .orderBy('storytellers.ready_at')
    .orderBy('storytellers.id')
    .limit(2000)
    .execute();
  const shown = (r: (typeof rows)[number]): StorytellerNearby => ({ publicId: r.public_id, path: storytellerPath(r.public_id), stage: r.stage, stageLabel: stageLabels[r.stage], constituencyCode: r.constituency_code, topics: r.topics });
  return codes.map((code) => {
    const inSeat = rows.filter((r) => r.constituency_code === code);
    if (inSeat.length > 0) return { constituencyCode: code, near: 'constituency' as const, storytellers: inSeat.slice(0, PER_SEAT).map(shown) };
    const region = regions.get(code) ?? null;
    const inRegion = region === null ? [] : rows.filter((r) => r.region_code === region);
    if (inRegion.length > 0) return { constituencyCode: code, near: 'region' as const, storytellers: inRegion.slice(0, PER_SEAT).map(shown) };
    return { constituencyCode: code, near: 'none' as const, storytellers: [] };
  });
}
