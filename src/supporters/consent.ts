import { sql } from 'kysely';
import { findGroupById, findGroupsByIds } from '../coalition/index.ts';
import type { Handle } from '../platform/index.ts';
import { supportersQ, type ConsentStatus, type Q } from './tables.ts';

/**
 * Consent per purpose: the current state of each person × purpose (`consents`) and the
 * append-only proof of how it got there (`consent_events`), each with the exact words shown.
 */

/** Named state sets: who may be emailed, and whose consent is still open to confirm. */
export const LIVE_CONSENT_STATES: readonly ConsentStatus[] = ['given'];
export const WITHDRAWABLE_STATES: readonly ConsentStatus[] = ['given', 'pending'];

/**
 * The condition for "may be emailed for this purpose", for queries that join `consents`
 * (mailings, segments): `consents.status = 'given'`.
 */
export const liveConsentCondition = sql<boolean>`consents.status = 'given'`;

export interface Purpose {
  id: number;
  key: string;
  groupId: number | null;
  /** Shown to people: "Coalition updates" or "<group name> updates". */
  name: string;
}

export const COALITION_PURPOSE_KEY = 'coalition.updates';
export const groupPurposeKey = (groupId: number) => `group.${groupId}.updates`;

/**
 * The purpose for the coalition's updates (groupId null) or one group's updates, created the
 * first time it is needed.
 */
export async function purposeFor(handle: Handle, target: { groupId: number | null }): Promise<Purpose> {
  const q = supportersQ(handle);
  const groupId = target.groupId;
  const key = groupId === null ? COALITION_PURPOSE_KEY : groupPurposeKey(groupId);
  const existing = await purposeByKey(q, key);
  if (existing) return existing;
  let name = 'Coalition updates';
  if (groupId !== null) {
    const group = await findGroupById(q, groupId);
    if (!group) throw new Error(`No group ${groupId}`);
    name = `${group.name} updates`;
  }
  await q
    .insertInto('consent_purposes')
    .values({ key, group_id: groupId, name })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return (await purposeByKey(q, key))!;
}

async function purposeByKey(q: Q, key: string): Promise<Purpose | undefined> {
  return (await listPurposes(q, { key }))[0];
}

/** Purposes with their current names (a group's purpose follows the group's name). */
export async function listPurposes(handle: Handle, filter: { ids?: number[]; groupIds?: number[] | 'all'; key?: string } = {}): Promise<Purpose[]> {
  const q = supportersQ(handle);
  let query = q
    .selectFrom('consent_purposes')
    .select(['consent_purposes.id', 'consent_purposes.key', 'consent_purposes.group_id', 'consent_purposes.name'])
    .orderBy('consent_purposes.id');
  if (filter.key !== undefined) query = query.where('consent_purposes.key', '=', filter.key);
  if (filter.ids !== undefined) {
    if (filter.ids.length === 0) return [];
    query = query.where('consent_purposes.id', 'in', filter.ids);
  }
  if (filter.groupIds !== undefined && filter.groupIds !== 'all') {
    if (filter.groupIds.length === 0) return [];
    query = query.where('consent_purposes.group_id', 'in', filter.groupIds);
  }
  const rows = await query.execute();
  // The coalition's purposes first, then by group name (as coalition sorts them), then by id.
  const groups = await findGroupsByIds(q, rows.flatMap((r) => (r.group_id === null ? [] : [r.group_id])));
  const rank = new Map<number, number>();
  groups.forEach((g, i) => rank.set(g.id, i > 0 && groups[i - 1]!.name === g.name ? rank.get(groups[i - 1]!.id)! : i));
  const names = new Map(groups.map((g) => [g.id, g.name]));
  const order = (groupId: number | null) => (groupId === null ? -1 : (rank.get(groupId) ?? groups.length));
  return rows
    .sort((a, b) => order(a.group_id) - order(b.group_id))
    .map((r) => {
      const groupName = r.group_id === null ? undefined : names.get(r.group_id);
      return { id: r.id, key: r.key, groupId: r.group_id, name: groupName ? `${groupName} updates` : r.name };
    });
}

export interface Wording {
  id: number;
  purposeId: number;
  version: number;
  text: string;
}

/**
 * The version of a purpose's wording with exactly these words: the same words are the same
 * version; different words become the next version.
 */
export async function wordingFor(handle: Handle, purposeId: number, text: string): Promise<Wording> {
  const q = supportersQ(handle);
  for (let attempt = 0; attempt < 3; attempt++) {
    const found = await q
      .selectFrom('consent_wordings')
      .select(['id', 'version'])
      .where('purpose_id', '=', purposeId)
      .where('wording', '=', text)
      .executeTakeFirst();
    if (found) return { id: found.id, purposeId, version: found.version, text };
    // Two processes may add a new wording at once: the unique keys make one of them retry.
    const inserted = await sql<{ id: number; version: number }>`
      insert into consent_wordings (purpose_id, version, wording)
      select ${purposeId}, coalesce(max(version), 0) + 1, ${text} from consent_wordings where purpose_id = ${purposeId}
      on conflict do nothing
      returning id, version`.execute(q);
    const row = inserted.rows[0];
    if (row) return { id: row.id, purposeId, version: row.version, text };
  }
  throw new Error('Could not record the consent wording');
}

/** A wording by id, only if it belongs to the purpose (form fields are not trusted). */
export async function findWording(q: Q, purposeId: number, wordingId: number): Promise<Wording | undefined> {
  const row = await q
    .selectFrom('consent_wordings')
    .select(['id', 'purpose_id', 'version', 'wording'])
    .where('id', '=', wordingId)
    .where('purpose_id', '=', purposeId)
    .executeTakeFirst();
  return row ? { id: row.id, purposeId: row.purpose_id, version: row.version, text: row.wording } : undefined;
}

export interface ConsentChange {
  personId: number;
  purposeId: number;
  wordingId: number | null;
  /** How: 'form:join', 'petition:12', 'preferences', 'unsubscribe-link', 'import:<file>'. */
  method: string;
  /** Where: the mailing of an unsubscribe link, the signature of a petition consent... */
  source?: string | null;
  ip?: string | null;
  at?: Date;
}

async function addEvent(q: Q, change: ConsentChange, event: 'requested' | 'given' | 'withdrawn'): Promise<void> {
  await q
    .insertInto('consent_events')
    .values({
      person_id: change.personId,
      purpose_id: change.purposeId,
      event,
      wording_id: change.wordingId,
      method: change.method,
      source: change.source ?? null,
      ip: change.ip ?? null,
      occurred_at: change.at ?? new Date(),
    })
    .execute();
}

async function currentStatus(q: Q, personId: number, purposeId: number): Promise<ConsentStatus | undefined> {
  const row = await sql<{ status: ConsentStatus }>`
    select status from consents where person_id = ${personId} and purpose_id = ${purposeId} for update`.execute(q);
  return row.rows[0]?.status;
}

/**
 * Double opt-in, first step: the consent waits ('pending') until the person confirms by email.
 * A consent already given stays given.
 */
export async function requestConsent(q: Q, change: ConsentChange): Promise<'requested' | 'already-given'> {
  if ((await currentStatus(q, change.personId, change.purposeId)) === 'given') return 'already-given';
  const at = change.at ?? new Date();
  await sql`
    insert into consents (person_id, purpose_id, status, wording_id, method, source, requested_at)
    values (${change.personId}, ${change.purposeId}, 'pending', ${change.wordingId}, ${change.method}, ${change.source ?? null}, ${at})
    on conflict (purpose_id, person_id) do update set status = 'pending', wording_id = excluded.wording_id,
      method = excluded.method, source = excluded.source, requested_at = excluded.requested_at`.execute(q);
  await addEvent(q, { ...change, at }, 'requested');
  return 'requested';
}

/**
 * Consent given outright (the email address was proven by the same action, e.g. a confirmed
 * signature). A withdrawal made after `at` wins: returns false and changes nothing then.
 */
export async function giveConsent(handle: Handle, change: ConsentChange): Promise<boolean> {
  const q = supportersQ(handle);
  const at = change.at ?? new Date();
  const result = await sql`
    insert into consents (person_id, purpose_id, status, wording_id, method, source, requested_at, given_at)
    values (${change.personId}, ${change.purposeId}, 'given', ${change.wordingId}, ${change.method}, ${change.source ?? null}, ${at}, ${at})
    on conflict (purpose_id, person_id) do update set status = 'given', wording_id = excluded.wording_id,
      method = excluded.method, source = excluded.source, given_at = excluded.given_at, withdrawn_at = null
    where consents.withdrawn_at is null or consents.withdrawn_at <= excluded.given_at`.execute(q);
  if (Number(result.numAffectedRows ?? 0) === 0) return false;
  await addEvent(q, { ...change, at }, 'given');
  return true;
}

/** Double opt-in, second step: a pending consent becomes given, with the words and method of the request. */
export async function confirmPendingConsent(
  q: Q,
  personId: number,
  purposeId: number,
  how: { source?: string | null; ip?: string | null; at?: Date },
): Promise<boolean> {
  const at = how.at ?? new Date();
  const updated = await sql<{ wording_id: number | null; method: string }>`
    update consents set status = 'given', given_at = ${at}, withdrawn_at = null
    where person_id = ${personId} and purpose_id = ${purposeId} and status = 'pending'
    returning wording_id, method`.execute(q);
  const row = updated.rows[0];
  if (!row) return false;
  await addEvent(q, { personId, purposeId, wordingId: row.wording_id, method: row.method, source: how.source ?? null, ip: how.ip ?? null, at }, 'given');
  return true;
}

/** Withdraws a given or pending consent; false when there was nothing to withdraw. */
export async function withdrawConsent(handle: Handle, change: Omit<ConsentChange, 'wordingId'>): Promise<boolean> {
  const q = supportersQ(handle);
  const at = change.at ?? new Date();
  const updated = await sql<{ wording_id: number | null }>`
    update consents set status = 'withdrawn', withdrawn_at = ${at}
    where person_id = ${change.personId} and purpose_id = ${change.purposeId} and status = any(${WITHDRAWABLE_STATES}::text[])
    returning wording_id`.execute(q);
  const row = updated.rows[0];
  if (!row) return false;
  await addEvent(q, { ...change, wordingId: row.wording_id, at }, 'withdrawn');
  return true;
}

/** True when the person may be emailed for this purpose now. */
export async function hasLiveConsent(handle: Handle, personId: number, purposeId: number): Promise<boolean> {
  const q = supportersQ(handle);
  const row = await q
    .selectFrom('consents')
    .select('status')
    .where('person_id', '=', personId)
    .where('purpose_id', '=', purposeId)
    .where(liveConsentCondition)
    .executeTakeFirst();
  return row !== undefined;
}

/** A person's consent for one purpose, with the words it was given on. */
export interface ConsentRecord {
  purpose: Purpose;
  status: ConsentStatus;
  wording: { version: number; text: string } | null;
  method: string;
  source: string | null;
  requestedAt: Date;
  givenAt: Date | null;
  withdrawnAt: Date | null;
}

export interface ConsentEventRecord {
  purposeId: number;
  purposeKey: string;
  event: string;
  wording: { version: number; text: string } | null;
  method: string;
  source: string | null;
  ip: string | null;
  occurredAt: Date;
}

/** A person's consents, limited to some purposes (a group organiser sees only their groups'). */
export async function consentsOf(q: Q, personId: number, purposeIds: number[] | 'all' = 'all'): Promise<ConsentRecord[]> {
  const rows = await q
    .selectFrom('consents')
    .leftJoin('consent_wordings', 'consent_wordings.id', 'consents.wording_id')
    .select([
      'consents.purpose_id',
      'consents.status',
      'consents.method',
      'consents.source',
      'consents.requested_at',
      'consents.given_at',
      'consents.withdrawn_at',
      'consent_wordings.version',
      'consent_wordings.wording',
    ])
    .where('consents.person_id', '=', personId)
    .$if(purposeIds !== 'all', (qb) => qb.where('consents.purpose_id', 'in', purposeIds === 'all' || purposeIds.length === 0 ? [-1] : purposeIds))
    .execute();
  const purposes = new Map((await listPurposes(q, { ids: rows.map((r) => r.purpose_id) })).map((p) => [p.id, p]));
  return rows
    .filter((r) => purposes.has(r.purpose_id))
    .map((r) => ({
      purpose: purposes.get(r.purpose_id)!,
      status: r.status,
      wording: r.version !== null && r.wording !== null ? { version: r.version, text: r.wording } : null,
      method: r.method,
      source: r.source,
      requestedAt: r.requested_at,
      givenAt: r.given_at,
      withdrawnAt: r.withdrawn_at,
    }))
    .sort((a, b) => (a.purpose.groupId ?? 0) - (b.purpose.groupId ?? 0) || a.purpose.id - b.purpose.id);
}

/** The proof: every request, confirmation and withdrawal, oldest first. */
export async function consentEventsOf(q: Q, personId: number, purposeIds: number[] | 'all' = 'all'): Promise<ConsentEventRecord[]> {
  const rows = await q
    .selectFrom('consent_events')
    .innerJoin('consent_purposes', 'consent_purposes.id', 'consent_events.purpose_id')
    .leftJoin('consent_wordings', 'consent_wordings.id', 'consent_events.wording_id')
    .select([
      'consent_events.purpose_id',
      'consent_purposes.key',
      'consent_events.event',
      'consent_events.method',
      'consent_events.source',
      sql<string | null>`host(consent_events.ip)`.as('ip'),
      'consent_events.occurred_at',
      'consent_wordings.version',
      'consent_wordings.wording',
    ])
    .where('consent_events.person_id', '=', personId)
    .$if(purposeIds !== 'all', (qb) => qb.where('consent_events.purpose_id', 'in', purposeIds === 'all' || purposeIds.length === 0 ? [-1] : purposeIds))
    .orderBy('consent_events.occurred_at')
    .orderBy('consent_events.id')
    .execute();
  return rows.map((r) => ({
    purposeId: r.purpose_id,
    purposeKey: r.key,
    event: r.event,
    wording: r.version !== null && r.wording !== null ? { version: r.version, text: r.wording } : null,
    method: r.method,
    source: r.source,
    ip: r.ip,
    occurredAt: r.occurred_at,
  }));
}
