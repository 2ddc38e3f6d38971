import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { addJob, conflict, defineJob, problemsFromZod, queueEmail, type FieldProblem } from '../../platform/index.ts';
import { politicsQ, type Tx } from '../tables.ts';
import type { Letter } from './store.ts';
import { questionnairePath } from './tokens.ts';

export const QUESTIONNAIRE_DAYS = 14;
export const QUESTIONNAIRE_KIND = 'politics.letters.questionnaire';
const BATCH = 200;

/** Sends one writer's questionnaire (once): did your MP reply? Was it a form letter? A link, no sign-in. */
export const sendQuestionnaire = defineJob('politics.letters.questionnaire.send', z.object({ letterId: z.number().int() }), async ({ letterId }, anyCtx: AppContext) => {
  const db = politicsQ(anyCtx.db);
  await db.transaction().execute(async (tx) => {
    const letter = await tx
      .updateTable('letters')
      .set({ questionnaire_sent_at: sql`now()` })
      .where('id', '=', letterId)
      .where('questionnaire_sent_at', 'is', null)
      .where('delivered_at', 'is not', null)
      .where('writer_email', 'is not', null)
      .returning(['public_id', 'writer_email', 'writer_name', 'mp_name'])
      .executeTakeFirst();
    if (!letter?.writer_email) return;
    const link = `${anyCtx.config.BASE_URL}${questionnairePath(anyCtx.secret, letter.public_id)}`;
    await queueEmail(tx, {
      kind: QUESTIONNAIRE_KIND,
      to: letter.writer_email,
      brand: anyCtx.brand.current(),
      baseUrl: anyCtx.config.BASE_URL,
      content: {
        subject: `Did ${letter.mp_name} reply to your letter?`,
        heading: `Did ${letter.mp_name} reply?`,
        blocks: [
          { type: 'paragraph', text: `Two weeks ago you wrote to ${letter.mp_name} MP. Two quick questions help us see which MPs listen: did you get a reply, and was it a form letter?` },
          { type: 'button', href: link, label: 'Answer two questions' },
          { type: 'small', text: 'No need to sign in. Your answers are kept as counts for each MP.' },
        ],
      },
      secrets: [link],
      keepDays: 30,
    });
  });
});

/**
 * Hourly: every letter delivered 14 days ago or more whose writer has not been asked yet gets its
 * questionnaire job (one pending job per letter: the job key; the job itself marks it sent).
 */
export const sweepQuestionnaires = defineJob('politics.letters.questionnaires.sweep', z.object({}).passthrough(), async (_payload, anyCtx: AppContext) => {
  const db = politicsQ(anyCtx.db);
  let after = 0;
  for (;;) {
    const due = await db
      .selectFrom('letters')
      .select('id')
      .where('questionnaire_sent_at', 'is', null)
      .where('delivered_at', '<=', sql<Date>`now() - make_interval(days => ${QUESTIONNAIRE_DAYS})`)
      .where('writer_email', 'is not', null)
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    for (const { id } of due) await addJob(db, sendQuestionnaire, { letterId: id }, { jobKey: `politics.letters.questionnaire:${id}`, jobKeyMode: 'preserve_run_at' });
    if (due.length < BATCH) return;
    after = due.at(-1)!.id;
  }
});

const yesNo = (message: string) => z.enum(['yes', 'no'], { message });
export const questionnaireSchema = z
  .object({
    got_reply: yesNo('Say whether you got a reply'),
    form_letter: z.enum(['yes', 'no', 'unsure'], { message: 'Say whether the reply was a form letter' }).optional(),
    reply_days: z
      .string()
      .trim()
      .max(4, { message: 'Enter the number of days as a whole number, like 10' })
      .optional()
      .transform((v) => (v ? v : undefined))
      .refine((v) => v === undefined || /^\d{1,3}$/.test(v), { message: 'Enter the number of days as a whole number, like 10' })
      .transform((v) => (v === undefined ? undefined : Number(v))),
  })
  .superRefine((v, ctx) => {
    if (v.got_reply === 'yes' && !v.form_letter) ctx.addIssue({ code: 'custom', path: ['form_letter'], message: 'Say whether the reply was a form letter' });
  });

export type AnswerOutcome = { kind: 'invalid'; problems: FieldProblem[] } | { kind: 'answered' };

/** The writer's answers, kept with the letter's counts (after its words are deleted). Answering again changes them. */
export async function answerQuestionnaire(tx: Tx, letter: Letter, fields: unknown): Promise<AnswerOutcome> {
  if (!letter.deliveredAt) throw conflict('This letter has not been delivered yet.');
  const parsed = questionnaireSchema.safeParse(fields ?? {});
  if (!parsed.success) return { kind: 'invalid', problems: problemsFromZod(parsed.error) };
  const a = parsed.data;
  const replied = a.got_reply === 'yes';
  const days = replied ? (a.reply_days ?? Math.max(0, Math.round((Date.now() - letter.deliveredAt.getTime()) / 86_400_000))) : null;
  await tx
    .updateTable('letters')
    .set({ answered_at: sql`now()`, got_reply: replied, form_letter: replied ? (a.form_letter ?? null) : null, reply_days: days, updated_at: sql`now()` })
    .where('id', '=', letter.id)
    .execute();
  return { kind: 'answered' };
}
