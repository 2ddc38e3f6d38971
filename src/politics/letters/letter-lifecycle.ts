import { sql } from 'kysely';
import { addJob, conflict, notFound, problemsFromZod, recordAudit, type FieldProblem, type Viewer } from '../../platform/index.ts';
import { recordAction } from '../../supporters/index.ts';
import type { Q, Tx } from '../tables.ts';
import { isPast } from './campaign-form.ts';
import { campaignFor, findCampaign } from './campaigns.ts';
import { deliverLetter } from './deliver-letter.ts';
import { rewriteSchema } from './letter-form.ts';
import { fingerprint } from './similarity.ts';
import { letterById, siblingLetters, type Letter } from './store.ts';
import type { HeldReason } from './tables.ts';
import { judgeLetter } from './write-letter.ts';

/** Queues delivery of those of these letters that may now go: confirmed, not held or rejected, not yet delivered. */
async function deliverWhenReady(tx: Tx, letterIds: number[]): Promise<void> {
  const ready = await tx.selectFrom('letters').select('id').where('id', 'in', letterIds).where('state', '=', 'ready').where('confirmed_at', 'is not', null).where('delivered_at', 'is', null).execute();
  for (const { id } of ready) await addJob(tx, deliverLetter, { letterId: id }, { jobKey: `politics.letters.deliver:${id}` });
}

/**
 * The writer confirmed their email from the link: their letters in this campaign are confirmed
 * and those not held go to the MP. Confirming twice is harmless.
 */
export async function confirmLetter(tx: Tx, letter: Letter): Promise<{ newlyConfirmed: boolean }> {
  const letters = await siblingLetters(tx, letter);
  const ids = letters.filter((l) => l.confirmedAt === null).map((l) => l.id);
  if (ids.length === 0) return { newlyConfirmed: false };
  const campaign = await findCampaign(tx, letter.campaignId);
  if (!campaign || isPast(campaign.deadline)) throw conflict('This campaign has closed, so letters can no longer be sent.');
  await tx.updateTable('letters').set({ confirmed_at: sql`now()`, updated_at: sql`now()` }).where('id', 'in', ids).execute();
  if (letter.personId !== null) await recordAction(tx, letter.personId, { kind: 'letter.confirmed', subjectType: 'letter-campaign', subjectId: campaign.id, groupId: campaign.groupId, detail: { campaign: campaign.title } });
  await deliverWhenReady(tx, ids);
  return { newlyConfirmed: true };
}

export type RewriteOutcome = { kind: 'invalid'; problems: FieldProblem[] } | { kind: 'rewritten'; held: HeldReason | null };

/** A held letter rewritten by its writer: judged again; if it now passes it goes (once the email is confirmed). */
export async function rewriteLetter(tx: Tx, letter: Letter, fields: unknown): Promise<RewriteOutcome> {
  if (letter.state !== 'held') throw conflict('This letter is no longer waiting to be rewritten.');
  const parsed = rewriteSchema.safeParse(fields ?? {});
  if (!parsed.success) return { kind: 'invalid', problems: problemsFromZod(parsed.error) };
  const held = (await siblingLetters(tx, letter)).filter((l) => l.state === 'held');
  const ids = held.map((l) => l.id);
  const fp = fingerprint(letter.campaignId, parsed.data.body);
  const judged = await judgeLetter(tx, letter.campaignId, fp, { letterIds: ids, personId: letter.personId });
  await tx
    .updateTable('letters')
    .set({ body: parsed.data.body, minhash: fp.minhash, bands: fp.bands, state: judged.state, held_reason: judged.heldReason, similarity: judged.similarity, updated_at: sql`now()` })
    .where('id', 'in', ids)
    .execute();
  await deliverWhenReady(tx, ids);
  return { kind: 'rewritten', held: judged.heldReason };
}

/** An organiser's decision on a held letter: release it to be delivered (once confirmed) or reject it. */
export async function reviewLetter(tx: Tx, viewer: Viewer, campaignId: number, letterId: number, decision: 'release' | 'reject'): Promise<Letter> {
  const campaign = await campaignFor(tx, viewer, campaignId, 'manage');
  const letter = await letterById(tx, letterId);
  if (!letter || letter.campaignId !== campaign.id) throw notFound('letter');
  if (letter.state !== 'held') throw conflict('This letter is not held for review.');
  await tx.updateTable('letters').set({ state: decision === 'release' ? 'ready' : 'rejected', updated_at: sql`now()` }).where('id', '=', letter.id).execute();
  await recordAudit(tx, { actor: viewer, action: `letter.${decision}`, subjectType: 'letter-campaign', subjectId: campaign.id, after: { mp: letter.mpName, reason: letter.heldReason } });
  if (decision === 'release') await deliverWhenReady(tx, [letter.id]);
  return letter;
}

export async function heldLetterCount(q: Q, campaignId: number): Promise<number> {
  const row = await q.selectFrom('letters').select(sql<number>`count(*)::int`.as('n')).where('campaign_id', '=', campaignId).where('state', '=', 'held').executeTakeFirstOrThrow();
  return row.n;
}

