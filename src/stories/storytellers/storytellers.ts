import { sql } from 'kysely';
import { groupIdsFor } from '../../coalition/index.ts';
import { forbidden, notFound, recordAudit, type KeyRing, type Viewer } from '../../platform/index.ts';
import type { Q } from '../tables.ts';
import type { StorytellerStage } from './tables.ts';

/** Every sealed column's purpose: a value copied into another column does not open there. */
export const SEALED = {
  name: 'storytellers.name',
  email: 'storytellers.email',
  phone: 'storytellers.phone',
  postcode: 'storytellers.postcode',
  note: 'storyteller_notes.note',
  requester: 'speaking_opportunities.requester',
  outcome: 'opportunity_asks.outcome',
} as const;

/** Every sealed column of the storyteller tables with its purpose, for re-sealing under a new key (a rotation). */
export const SEALED_COLUMNS = [
  { table: 'storytellers', column: 'name_sealed', purpose: SEALED.name },
  { table: 'storytellers', column: 'email_sealed', purpose: SEALED.email },
  { table: 'storytellers', column: 'phone_sealed', purpose: SEALED.phone },
  { table: 'storytellers', column: 'postcode_sealed', purpose: SEALED.postcode },
  { table: 'storyteller_notes', column: 'note_sealed', purpose: SEALED.note },
  { table: 'speaking_opportunities', column: 'requester_sealed', purpose: SEALED.requester },
  { table: 'opportunity_asks', column: 'outcome_sealed', purpose: SEALED.outcome },
] as const;

/** A storyteller as the pages that may show them see them (contact details opened). */
export interface Storyteller {
  id: number;
  publicId: string;
  personId: number | null;
  name: string;
  email: string;
  phone: string | null;
  postcode: string | null;
  constituencyCode: string | null;
  regionCode: string | null;
  stage: StorytellerStage;
  stamps: Record<StorytellerStage, Date | null>;
  groupIds: number[];
  topicIds: number[];
}

/** Which groups' storytellers the viewer may see: admins and moderators all, organisers their groups'. */
export async function storytellerScope(q: Q, viewer: Viewer): Promise<number[] | 'all'> {
  if (viewer.role === 'admin' || viewer.role === 'moderator') return 'all';
  return groupIdsFor(q, viewer);
}

/** SQL: the storyteller (by the given id column) belongs to one of these groups. */
export function inScope(scope: number[] | 'all', idColumn = 'storytellers.id') {
  if (scope === 'all') return sql<boolean>`true`;
  if (scope.length === 0) return sql<boolean>`false`;
  return sql<boolean>`exists (select 1 from storyteller_groups sg where sg.storyteller_id = ${sql.ref(idColumn)} and sg.group_id in (${sql.join(scope)}))`;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function findStoryteller(q: Q, ring: KeyRing, publicId: string): Promise<Storyteller | undefined> {
  if (!uuid.test(publicId)) return undefined;
  const row = await q.selectFrom('storytellers').selectAll().where('public_id', '=', publicId.toLowerCase()).executeTakeFirst();
  if (!row) return undefined;
  const [groups, topics] = await Promise.all([
    q.selectFrom('storyteller_groups').select('group_id').where('storyteller_id', '=', row.id).execute(),
    q.selectFrom('storyteller_topics').select('topic_id').where('storyteller_id', '=', row.id).execute(),
  ]);
  return {
    id: row.id,
    publicId: row.public_id,
    personId: row.person_id === null ? null : Number(row.person_id),
    name: ring.openText(row.name_sealed, SEALED.name),
    email: ring.openText(row.email_sealed, SEALED.email),
    phone: ring.openOptional(row.phone_sealed, SEALED.phone),
    postcode: ring.openOptional(row.postcode_sealed, SEALED.postcode),
    constituencyCode: row.constituency_code,
    regionCode: row.region_code,
    stage: row.stage,
    stamps: { recruited: row.recruited_at, consented: row.consented_at, trained: row.trained_at, ready: row.ready_at, spoke: row.spoke_at },
    groupIds: groups.map((g) => g.group_id),
    topicIds: topics.map((t) => t.topic_id),
  };
}

/**
 * Loads a storyteller for someone about to see or change their record: 404 when there is none;
 * 403 for an organiser of none of their groups, recorded in the audit log (a look where it should
 * not be is worth knowing about), before the refusal is sent.
 */
export async function storytellerFor(q: Q, ring: KeyRing, viewer: Viewer, publicId: string): Promise<Storyteller> {
  const found = await findStoryteller(q, ring, publicId);
  if (!found) throw notFound('storyteller');
  const scope = await storytellerScope(q, viewer);
  if (scope !== 'all' && !found.groupIds.some((g) => scope.includes(g))) {
    await recordAudit(q, { actor: viewer, action: 'storyteller.access.refused', subjectType: 'storyteller', subjectId: found.publicId });
    throw forbidden('This storyteller belongs to a group you do not organise for.');
  }
  return found;
}

export interface StorytellerListRow {
  publicId: string;
  name: string;
  stage: StorytellerStage;
  constituencyCode: string | null;
  recruitedAt: Date;
}

/** The storytellers the viewer may see, newest first, optionally at one stage. */
export async function listStorytellers(q: Q, ring: KeyRing, scope: number[] | 'all', options: { stage?: StorytellerStage | undefined; page: number; perPage: number }) {
  let query = q.selectFrom('storytellers').where(inScope(scope));
  if (options.stage) query = query.where('stage', '=', options.stage);
  const [rows, total] = await Promise.all([
    query
      .select(['public_id', 'name_sealed', 'stage', 'constituency_code', 'recruited_at'])
      .orderBy('recruited_at', 'desc')
      .orderBy('id', 'desc')
      .limit(options.perPage)
      .offset((options.page - 1) * options.perPage)
      .execute(),
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const items: StorytellerListRow[] = rows.map((r) => ({ publicId: r.public_id, name: ring.openText(r.name_sealed, SEALED.name), stage: r.stage, constituencyCode: r.constituency_code, recruitedAt: r.recruited_at }));
  return { items, total: Number(total.n) };
}

export interface StorytellerNote {
  authorName: string;
  text: string;
  createdAt: Date;
}

export async function notesOf(q: Q, ring: KeyRing, storytellerId: number): Promise<StorytellerNote[]> {
  const rows = await q.selectFrom('storyteller_notes').select(['author_name', 'note_sealed', 'created_at']).where('storyteller_id', '=', storytellerId).orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => ({ authorName: r.author_name, text: ring.openText(r.note_sealed, SEALED.note), createdAt: r.created_at }));
}

export async function trainingOf(q: Q, storytellerId: number) {
  return q
    .selectFrom('training_attendance')
    .innerJoin('training_sessions', 'training_sessions.id', 'training_attendance.session_id')
    .select(['training_sessions.id', 'training_sessions.title', 'training_sessions.starts_at'])
    .where('training_attendance.storyteller_id', '=', storytellerId)
    .orderBy('training_sessions.starts_at')
    .execute();
}

export interface Outcome {
  withWhom: string;
  where: string;
  links: string[];
}

export interface AskOnRecord {
  id: number;
  opportunityId: number;
  outlet: string;
  askedAt: Date;
  answer: 'yes' | 'no' | null;
  answeredAt: Date | null;
  outcome: Outcome | null;
  outcomeAt: Date | null;
}

export async function asksOf(q: Q, ring: KeyRing, storytellerId: number): Promise<AskOnRecord[]> {
  const rows = await q
    .selectFrom('opportunity_asks')
    .innerJoin('speaking_opportunities', 'speaking_opportunities.id', 'opportunity_asks.opportunity_id')
    .select(['opportunity_asks.id', 'opportunity_asks.opportunity_id', 'speaking_opportunities.outlet', 'opportunity_asks.asked_at', 'opportunity_asks.answer', 'opportunity_asks.answered_at', 'opportunity_asks.outcome_sealed', 'opportunity_asks.outcome_at'])
    .where('opportunity_asks.storyteller_id', '=', storytellerId)
    .orderBy('opportunity_asks.asked_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    opportunityId: r.opportunity_id,
    outlet: r.outlet,
    askedAt: r.asked_at,
    answer: r.answer,
    answeredAt: r.answered_at,
    outcome: r.outcome_sealed ? ring.openJson<Outcome>(r.outcome_sealed, SEALED.outcome) : null,
    outcomeAt: r.outcome_at,
  }));
}

export async function listTopics(q: Q) {
  return q.selectFrom('speaking_topics').select(['id', 'name']).orderBy('name').execute();
}
