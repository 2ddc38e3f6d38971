import { sql } from 'kysely';
import { groupIdsFor } from '../../coalition/index.ts';
import { forbidden, notFound, type Viewer } from '../../platform/index.ts';
import type { Q } from '../tables.ts';
import type { LetterTarget } from './tables.ts';

export interface LetterCampaign {
  id: number;
  title: string;
  about: string;
  talkingPoints: string[];
  deadline: string;
  groupId: number | null;
  target: LetterTarget;
  chosenSeats: string[];
  /** Letters delivered, and replies the writers told us of. */
  sent: number;
  replies: number;
  held: number;
  updatedAt: Date;
}

export const campaignPath = (c: Pick<LetterCampaign, 'id' | 'title'>) => `/letters/${c.id}-${slugOf(c.title)}`;
export const adminCampaignPath = (id: number, rest = '') => `/admin/letters/${id}${rest ? `/${rest}` : ''}`;
const slugOf = (title: string) =>
  title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || 'campaign';

function campaignQuery(q: Q) {
  return q
    .selectFrom('letter_campaigns as c')
    .select([
      'c.id',
      'c.title',
      'c.about',
      'c.talking_points',
      sql<string>`to_char(c.deadline, 'YYYY-MM-DD')`.as('deadline'),
      'c.group_id',
      'c.target',
      'c.chosen_seats',
      'c.updated_at',
      sql<number>`(select count(*) from letters l where l.campaign_id = c.id and l.delivered_at is not null)::int`.as('sent'),
      sql<number>`(select count(*) from letters l where l.campaign_id = c.id and l.got_reply)::int`.as('replies'),
      sql<number>`(select count(*) from letters l where l.campaign_id = c.id and l.state = 'held')::int`.as('held'),
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof campaignQuery>['executeTakeFirstOrThrow']>>;
const campaignOf = (r: Row): LetterCampaign => ({
  id: r.id,
  title: r.title,
  about: r.about,
  talkingPoints: r.talking_points.split('\n').map((p) => p.trim()).filter(Boolean),
  deadline: r.deadline,
  groupId: r.group_id,
  target: r.target,
  chosenSeats: r.chosen_seats,
  sent: r.sent,
  replies: r.replies,
  held: r.held,
  updatedAt: r.updated_at,
});

export async function findCampaign(q: Q, id: number): Promise<LetterCampaign | undefined> {
  const row = await campaignQuery(q).where('c.id', '=', id).executeTakeFirst();
  return row ? campaignOf(row) : undefined;
}

/** Campaigns still taking letters (deadline today or later, UK time), newest first: the public list. */
export async function openCampaigns(q: Q): Promise<LetterCampaign[]> {
  const rows = await campaignQuery(q).where(sql<boolean>`c.deadline >= (now() at time zone 'Europe/London')::date`).orderBy('c.deadline').orderBy('c.id', 'desc').limit(100).execute();
  return rows.map(campaignOf);
}

/** Campaigns an organiser sees: coalition-wide ones and their groups' (admins and moderators see all). */
export async function visibleGroupIds(q: Q, viewer: Viewer): Promise<number[] | 'all'> {
  return viewer.role === 'organiser' ? groupIdsFor(q, viewer) : 'all';
}

export async function listCampaigns(q: Q, groupIds: number[] | 'all'): Promise<LetterCampaign[]> {
  let query = campaignQuery(q);
  if (groupIds !== 'all') query = query.where((eb) => eb.or([eb('c.group_id', 'is', null), ...(groupIds.length ? [eb('c.group_id', 'in', groupIds)] : [])]));
  return (await query.orderBy('c.deadline', 'desc').orderBy('c.id', 'desc').limit(500).execute()).map(campaignOf);
}

/** May this viewer change a campaign owned by `groupId`, and see its writers? Admins; organisers of that group. */
export async function mayManage(q: Q, viewer: Viewer, groupId: number | null): Promise<boolean> {
  if (viewer.role === 'admin') return true;
  if (viewer.role !== 'organiser' || groupId === null) return false;
  const allowed = await groupIdsFor(q, viewer);
  return allowed === 'all' || allowed.includes(groupId);
}

export type CampaignPower = 'view' | 'manage';

/**
 * A campaign for someone about to use a power on it: 404 when it is missing or another group's,
 * 403 when they may see it but not change it or see its writers. Checked for every organiser request.
 */
export async function campaignFor(q: Q, viewer: Viewer, id: number, power: CampaignPower): Promise<LetterCampaign> {
  const campaign = await findCampaign(q, id);
  if (!campaign) throw notFound('letter campaign');
  const visible = await visibleGroupIds(q, viewer);
  if (campaign.groupId !== null && visible !== 'all' && !visible.includes(campaign.groupId)) throw notFound('letter campaign');
  if (power === 'manage' && !(await mayManage(q, viewer, campaign.groupId))) {
    throw forbidden(campaign.groupId === null ? 'Only coalition admins manage coalition-wide letter campaigns.' : 'This campaign belongs to a group you do not organise for.');
  }
  return campaign;
}
