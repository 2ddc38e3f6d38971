import { sql } from 'kysely';
import { assertGroupsExist } from '../../coalition/index.ts';
import { forbidden, invalidField, recordAudit, type Viewer } from '../../platform/index.ts';
import type { Q, Tx } from '../tables.ts';
import type { CampaignInput } from './campaign-form.ts';
import { campaignFor, findCampaign, mayManage, type LetterCampaign } from './campaigns.ts';

const snapshot = (c: LetterCampaign) => ({ title: c.title, deadline: c.deadline, groupId: c.groupId, target: c.target, chosenSeats: c.chosenSeats });

async function assertMayOwn(q: Q, viewer: Viewer, groupId: number | null): Promise<void> {
  if (groupId !== null) await assertGroupsExist(q, 'group', [groupId]);
  if (await mayManage(q, viewer, groupId)) return;
  if (viewer.role !== 'admin' && viewer.role !== 'organiser') throw forbidden('Your role does not allow changing letter campaigns.');
  throw invalidField('group', groupId === null ? 'Only coalition admins make coalition-wide campaigns: choose one of your groups' : 'Choose one of the groups you organise for');
}

/** The seats typed (names or codes), as codes of seats that have an MP; an unknown one names the field. */
async function seatCodes(q: Q, typed: readonly string[]): Promise<string[]> {
  const codes: string[] = [];
  for (const text of typed) {
    const row = await q
      .selectFrom('constituencies as c')
      .innerJoin('mps as m', 'm.constituency_code', 'c.code')
      .select('c.code')
      .where((eb) => eb.or([eb('c.code', '=', text.toUpperCase()), eb(sql`lower(c.name)`, '=', text.toLowerCase())]))
      .executeTakeFirst();
    if (!row) throw invalidField('seats', `We could not find an MP for “${text.slice(0, 80)}”: check the constituency’s name, or use its code (like E14001279)`);
    codes.push(row.code);
  }
  return [...new Set(codes)];
}

async function valuesOf(q: Q, input: CampaignInput) {
  const chosen = input.target === 'chosen' ? await seatCodes(q, input.seats) : [];
  return { title: input.title, about: input.about, talking_points: input.talking_points, deadline: input.deadline, group_id: input.group, target: input.target, chosen_seats: chosen };
}

/** Makes a letter campaign (a group's, or coalition-wide for admins) and records it in the audit log. */
export async function createCampaign(tx: Tx, viewer: Viewer, input: CampaignInput): Promise<number> {
  await assertMayOwn(tx, viewer, input.group);
  const { id } = await tx.insertInto('letter_campaigns').values(await valuesOf(tx, input)).returning('id').executeTakeFirstOrThrow();
  await recordAudit(tx, { actor: viewer, action: 'letter-campaign.create', subjectType: 'letter-campaign', subjectId: id, after: snapshot((await findCampaign(tx, id))!) });
  return id;
}

export async function updateCampaign(tx: Tx, viewer: Viewer, id: number, input: CampaignInput): Promise<void> {
  const before = await campaignFor(tx, viewer, id, 'manage');
  if (input.group !== before.groupId) await assertMayOwn(tx, viewer, input.group);
  await tx.updateTable('letter_campaigns').set({ ...(await valuesOf(tx, input)), updated_at: sql`now()` }).where('id', '=', id).execute();
  await recordAudit(tx, { actor: viewer, action: 'letter-campaign.update', subjectType: 'letter-campaign', subjectId: id, before: snapshot(before), after: snapshot((await findCampaign(tx, id))!) });
}
