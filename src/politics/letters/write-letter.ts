import type { AppContext as AnyAppContext } from '../../context.ts';
import { hitRateLimits, isUniqueViolation, problemsFromZod, type FieldProblem } from '../../platform/index.ts';
import { personForUnprovenAction, recordAction, splitName } from '../../supporters/index.ts';
import { resolvePostcodes } from '../postcodes.ts';
import { politicsQ, type Q, type Tx } from '../tables.ts';
import { isPast } from './campaign-form.ts';
import type { LetterCampaign } from './campaigns.ts';
import { queueConfirmationEmail } from './confirmation-email.ts';
import { letterFormSchema, type LetterForm } from './letter-form.ts';
import { fingerprint, SIMILARITY_LIMIT, type Fingerprint } from './similarity.ts';
import { closestEarlierLetter, mpsForSeats, type Mp } from './store.ts';
import type { HeldReason } from './tables.ts';

/** Letters one address may write per hour (all campaigns). */
export const LETTERS_PER_ADDRESS_PER_HOUR = 30;

export type WriteOutcome =
  | { kind: 'invalid'; problems: FieldProblem[] }
  | { kind: 'closed' }
  | { kind: 'rate-limited'; retryAfterSeconds: number }
  /** `held`: why the letter waits (too like an earlier one, or very short); null when it goes once the email is confirmed. */
  | { kind: 'written'; publicId: string; held: HeldReason | null };

export interface Judgement {
  state: 'held' | 'ready';
  heldReason: HeldReason | null;
  similarity: number | null;
}

/** WriteToThem's rule: very short, or more than half like an earlier letter of the campaign, and it is held. */
export async function judgeLetter(q: Q, campaignId: number, fp: Fingerprint, except: { letterIds?: number[]; personId?: number | null }): Promise<Judgement> {
  const closest = await closestEarlierLetter(q, campaignId, fp, except);
  const similarity = closest?.similarity ?? null;
  if (similarity !== null && similarity > SIMILARITY_LIMIT) return { state: 'held', heldReason: 'similar', similarity };
  if (fp.short) return { state: 'held', heldReason: 'short', similarity };
  return { state: 'ready', heldReason: null, similarity };
}

/** Whom this writer's letter goes to: their own MP (from their postcode), or the MPs the campaign chose. */
async function recipients(q: Q, campaign: LetterCampaign, form: LetterForm): Promise<{ mps: Mp[]; constituency: string; postcode: string } | FieldProblem> {
  const place = (await resolvePostcodes(q, [form.postcode])).get(form.postcode)!;
  if (place.status !== 'found') return { field: 'postcode', message: place.message };
  if (!place.constituencyCode) return { field: 'postcode', message: `We could not find the constituency of ${place.postcode}: check it is your postcode` };
  const seats = campaign.target === 'own_mp' ? [place.constituencyCode] : campaign.chosenSeats;
  const mps = await mpsForSeats(q, seats);
  if (mps.length === 0) return { field: 'postcode', message: `We do not know the MP for ${place.constituencyName ?? place.postcode} yet, so we cannot send your letter` };
  if (form.delivery === 'email' && mps.some((m) => !m.email)) {
    return { field: 'delivery', message: `We have no email address for ${mps.find((m) => !m.email)!.name}: choose to print and post your letter` };
  }
  return { mps, constituency: place.constituencyCode, postcode: place.postcode };
}

export interface WriteLetterProps {
  campaign: LetterCampaign;
  /** The letter form's fields as sent, not yet checked. */
  fields: unknown;
  ip: string | null;
}

/**
 * A writer's letter: checked, addressed to their MP (or the campaign's chosen MPs), judged
 * against the campaign's earlier letters, stored (one per writer, MP and campaign), and a
 * confirmation email queued. It is delivered once the email is confirmed, unless it is held.
 */
export async function writeLetter(ctx: AnyAppContext<Record<never, never>>, props: WriteLetterProps): Promise<WriteOutcome> {
  const db = politicsQ(ctx.db);
  const { campaign } = props;
  if (isPast(campaign.deadline)) return { kind: 'closed' };
  const parsed = letterFormSchema.safeParse(props.fields ?? {});
  if (!parsed.success) return { kind: 'invalid', problems: problemsFromZod(parsed.error) };
  const form = parsed.data;
  const to = await recipients(db, campaign, form);
  if ('field' in to) return { kind: 'invalid', problems: [to] };
  const limited = await hitRateLimits(ctx.db, [{ bucket: 'letters.write.address', key: props.ip ?? 'unknown', limit: LETTERS_PER_ADDRESS_PER_HOUR, windowSeconds: 3600 }]);
  if (!limited.allowed) return { kind: 'rate-limited', retryAfterSeconds: limited.retryAfterSeconds };
  const fp = fingerprint(campaign.id, form.body);
  try {
    return await db.transaction().execute(async (tx) => {
      const name = splitName(form.name);
      const person = await personForUnprovenAction(tx, { email: form.email, givenName: name.givenName || null, familyName: name.familyName, postcode: to.postcode, constituencyCode: to.constituency, source: { method: `letter:${campaign.id}` } });
      const already = await tx.selectFrom('letters').select('mp_name').where('campaign_id', '=', campaign.id).where('person_id', '=', person.id).where('mp_seat_code', 'in', to.mps.map((m) => m.seatCode)).executeTakeFirst();
      if (already) return duplicate(already.mp_name);
      const judged = await judgeLetter(tx, campaign.id, fp, { personId: person.id });
      const ids = await insertLetters(tx, campaign, form, to, person.id, fp, judged);
      await recordAction(tx, person.id, { kind: 'letter.written', subjectType: 'letter-campaign', subjectId: campaign.id, groupId: campaign.groupId, detail: { campaign: campaign.title, to: to.mps.map((m) => m.name) } });
      await queueConfirmationEmail(ctx, tx, { publicId: ids[0]!, to: form.email, name: form.name, campaign, mps: to.mps });
      return { kind: 'written' as const, publicId: ids[0]!, held: judged.heldReason };
    });
  } catch (error) {
    // Two submissions at once from one writer: the unique index keeps one.
    if (isUniqueViolation(error)) return duplicate(to.mps[0]!.name);
    throw error;
  }
}

const duplicate = (mpName: string): WriteOutcome => ({
  kind: 'invalid',
  problems: [{ field: 'email', message: `You have already written to ${mpName} in this campaign (one letter per person per MP): the link to it is in your email` }],
});

async function insertLetters(tx: Tx, campaign: LetterCampaign, form: LetterForm, to: { mps: Mp[]; constituency: string; postcode: string }, personId: number, fp: Fingerprint, judged: Judgement): Promise<string[]> {
  const rows = await tx
    .insertInto('letters')
    .values(
      to.mps.map((mp) => ({
        campaign_id: campaign.id,
        person_id: personId,
        writer_name: form.name,
        writer_email: form.email,
        writer_address: form.address,
        writer_postcode: to.postcode,
        writer_constituency: to.constituency,
        mp_seat_code: mp.seatCode,
        mp_name: mp.name,
        body: form.body,
        delivery: form.delivery,
        state: judged.state,
        held_reason: judged.heldReason,
        similarity: judged.similarity,
        minhash: fp.minhash,
        bands: fp.bands,
      })),
    )
    .returning('public_id')
    .execute();
  return rows.map((r) => r.public_id);
}
