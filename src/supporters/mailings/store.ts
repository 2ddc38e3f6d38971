import { groupNamesOf } from '../../coalition/index.ts';
import type { Q } from '../tables.ts';
import { readSnapshot, snapshotSegment, type SegmentSnapshot } from './audience.ts';
import type { MailingStatus } from './tables.ts';

/** A mailing with what its pages and its sender need to know about where it comes from. */
export interface Mailing {
  id: number;
  purposeId: number;
  purposeName: string;
  /** The group the purpose belongs to; null for the coalition's own purposes. */
  groupId: number | null;
  /** Who it is from, as people see it: the group's name, or null for the coalition (the brand). */
  groupName: string | null;
  /** The saved segment chosen (null once deleted, or for everyone). */
  segmentId: number | null;
  /** Who it goes to: the segment as last read, or null for everyone with a live consent. */
  segment: SegmentSnapshot | null;
  subject: string;
  body: string;
  status: MailingStatus;
  ratePerSecond: number;
  scheduledFor: Date | null;
  sendRequestedAt: Date | null;
  preparedThrough: number;
  recipientCount: number | null;
  sendingStartedAt: Date | null;
  finishedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

function baseQuery(q: Q) {
  return q
    .selectFrom('mailings as m')
    .innerJoin('consent_purposes as cp', 'cp.id', 'm.purpose_id')
    .select([
      'm.id',
      'm.purpose_id',
      'cp.name as purpose_name',
      'cp.group_id',
      'm.segment_id',
      'm.segment_snapshot',
      'm.subject',
      'm.body',
      'm.status',
      'm.rate_per_second',
      'm.scheduled_for',
      'm.send_requested_at',
      'm.prepared_through',
      'm.recipient_count',
      'm.sending_started_at',
      'm.finished_at',
      'm.created_at',
      'm.updated_at',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;

function toMailing(r: Row, groupNames: Map<number, string>): Mailing {
  return {
    id: r.id,
    purposeId: r.purpose_id,
    purposeName: r.purpose_name,
    groupId: r.group_id,
    groupName: r.group_id === null ? null : (groupNames.get(r.group_id) ?? null),
    segmentId: r.segment_id,
    segment: readSnapshot(r.segment_snapshot),
    subject: r.subject,
    body: r.body,
    status: r.status,
    ratePerSecond: r.rate_per_second,
    scheduledFor: r.scheduled_for,
    sendRequestedAt: r.send_requested_at,
    preparedThrough: r.prepared_through,
    recipientCount: r.recipient_count,
    sendingStartedAt: r.sending_started_at,
    finishedAt: r.finished_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** One mailing, with its segment as it is now (or as last read, if it has since been deleted). */
export async function getMailing(q: Q, id: number): Promise<Mailing | undefined> {
  const row = await baseQuery(q).where('m.id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const mailing = toMailing(row, await groupNamesOf(q, [row.group_id]));
  return mailing.segmentId === null ? mailing : { ...mailing, segment: await snapshotSegment(q, mailing.segmentId) };
}

/** Keeps the segment as it is at the moment sending starts, in case it is deleted while sending. */
export async function keepSegmentSnapshot(q: Q, mailing: Pick<Mailing, 'id' | 'segment'>): Promise<void> {
  await q
    .updateTable('mailings')
    .set({ segment_snapshot: mailing.segment && JSON.stringify(mailing.segment) })
    .where('id', '=', mailing.id)
    .execute();
}

/** Newest first; `groupIds` limits the list to those groups' purposes (organisers). */
export async function listMailings(q: Q, groupIds: number[] | 'all', page: number, perPage: number): Promise<{ items: Mailing[]; total: number }> {
  if (groupIds !== 'all' && groupIds.length === 0) return { items: [], total: 0 };
  let query = baseQuery(q);
  if (groupIds !== 'all') query = query.where('cp.group_id', 'in', groupIds);
  const rows = await query
    .orderBy('m.id', 'desc')
    .limit(perPage)
    .offset((page - 1) * perPage)
    .execute();
  let count = q.selectFrom('mailings as m').innerJoin('consent_purposes as cp', 'cp.id', 'm.purpose_id');
  if (groupIds !== 'all') count = count.where('cp.group_id', 'in', groupIds);
  const total = await count.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const groupNames = await groupNamesOf(q, rows.map((r) => r.group_id));
  return { items: rows.map((r) => toMailing(r, groupNames)), total: Number(total.n) };
}
