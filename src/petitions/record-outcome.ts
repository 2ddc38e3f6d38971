import { z } from 'zod';
import { conflict, notFound, type Viewer } from '../platform/index.ts';
import type { Q } from './tables.ts';
import { lockPetition } from './admin-store.ts';
import { isIsoDate, londonToday } from './closing-date.ts';
import { petitionFor } from './petition-access.ts';
import { auditPetition } from './petition-audit.ts';
import { findPetition } from './store.ts';
import { OUTCOME_STATES } from './transitions.ts';

const MAX_LINKS = 10;

const optional = (label: string, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.replace(/\r\n?/g, '\n') : v),
    z
      .string()
      .trim()
      .max(max, { message: `${label} must be ${max} characters or fewer` })
      .optional()
      .transform((v) => (v ? v : null)),
  );

const date = (label: string, notAfterToday: boolean) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : null))
    .superRefine((v, ctx) => {
      if (v === null) return;
      if (!isIsoDate(v)) ctx.addIssue({ code: 'custom', message: `Enter the ${label} as a real date, like 2027-03-31` });
      else if (notAfterToday && v > londonToday()) ctx.addIssue({ code: 'custom', message: `The ${label} must be today or in the past` });
    });

function isWebAddress(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

const webAddress = (label: string) =>
  optional(label, 500).refine((v) => v === null || isWebAddress(v), { message: `Enter the ${label.toLowerCase()} as a full address starting with https://` });

/** The outcomes form: the target's response, the hand-in, and the debate or meeting. */
export const outcomeFormSchema = z
  .object({
    response_date: date('response date', true),
    response_summary: optional('The response summary', 500),
    response_details: optional('The response details', 5000),
    hand_in_date: date('hand-in date', false),
    hand_in_place: optional('The hand-in place', 200),
    hand_in_link: webAddress('Photo or video link'),
    debate_date: date('debate or meeting date', false),
    debate_links: optional('The links', 5000)
      .transform((v) => (v ?? '').split(/\s+/).filter(Boolean))
      .superRefine((links, ctx) => {
        if (links.length > MAX_LINKS) ctx.addIssue({ code: 'custom', message: `Give at most ${MAX_LINKS} links` });
        const bad = links.find((l) => !isWebAddress(l));
        if (bad) ctx.addIssue({ code: 'custom', message: 'Enter each link as a full address starting with https://, one per line' });
      }),
    debate_outcome: optional('The outcome', 5000),
  })
  .superRefine((v, ctx) => {
    if (!v.response_summary && (v.response_date || v.response_details)) {
      ctx.addIssue({ code: 'custom', path: ['response_summary'], message: 'Enter a summary of the response' });
    }
    if (!v.hand_in_date && !v.hand_in_place && v.hand_in_link) {
      ctx.addIssue({ code: 'custom', path: ['hand_in_date'], message: 'Enter the date or place of the hand-in' });
    }
  });

export type OutcomeForm = z.output<typeof outcomeFormSchema>;

/**
 * Records what happened next: the target's response, the hand-in and the debate or meeting.
 * Empty sections are cleared. Shown on the public page from these columns.
 */
export async function recordOutcome(q: Q, props: { actor: Viewer; petitionId: number; outcome: OutcomeForm }): Promise<void> {
  const { actor, petitionId, outcome } = props;
  if (!(await lockPetition(q, petitionId))) throw notFound('petition');
  const before = await petitionFor(q, actor, petitionId, 'outcomes');
  if (!OUTCOME_STATES.includes(before.state)) {
    throw conflict('Outcomes are recorded for open or closed petitions.');
  }
  await q
    .updateTable('petitions')
    .set({
      response_date: outcome.response_date,
      response_summary: outcome.response_summary,
      response_details: outcome.response_details,
      hand_in_date: outcome.hand_in_date,
      hand_in_place: outcome.hand_in_place,
      hand_in_link: outcome.hand_in_link,
      debate_date: outcome.debate_date,
      debate_links: outcome.debate_links.length > 0 ? outcome.debate_links.join('\n') : null,
      debate_outcome: outcome.debate_outcome,
      updated_at: new Date(),
    })
    .where('id', '=', petitionId)
    .execute();
  await auditPetition(q, actor, 'petition.outcomes.update', before, await findPetition(q, petitionId));
}
