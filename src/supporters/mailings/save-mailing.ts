import { z } from 'zod';
import { conflict, invalidFields, recordAudit, requiredText, type FieldProblem, type Viewer } from '../../platform/index.ts';
import type { Q } from '../tables.ts';
import { purposeChoices, segmentChoices, segmentFits, type GroupScope } from './access.ts';
import { snapshotSegment, type SegmentSnapshot } from './audience.ts';
import { unsafeLinks } from './markdown.ts';
import { checkPlaceholders } from './placeholders.ts';
import { EDITABLE_STATES } from './tables.ts';

const wholeNumber = /^\d{1,9}$/;

/** The compose form; `maxRate` is MAILING_RATE, the fastest a mailing may go. */
export function mailingForm(maxRate: number) {
  return z.object({
    purpose_id: z
      .string({ message: 'Choose who the mailing is from' })
      .regex(wholeNumber, { message: 'Choose who the mailing is from' })
      .transform(Number),
    segment_id: z
      .string()
      .optional()
      .refine((v) => !v || wholeNumber.test(v), { message: 'Choose a saved segment from the list, or everyone' })
      .transform((v) => (v ? Number(v) : null)),
    subject: requiredText('a subject', 200),
    body: requiredText('the message', 50_000),
    rate_per_second: z
      .string()
      .trim()
      .optional()
      .refine((v) => !v || (wholeNumber.test(v) && Number(v) >= 1 && Number(v) <= maxRate), {
        message: `Enter a sending speed from 1 to ${maxRate} messages a second`,
      })
      .transform((v) => (v ? Number(v) : maxRate)),
  });
}

export type MailingInput = z.output<ReturnType<typeof mailingForm>>;

/** Problems with the words themselves: unknown placeholders, links we will not send. */
function contentProblems(input: MailingInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const subject = checkPlaceholders(input.subject);
  if (!subject.ok) problems.push({ field: 'subject', message: subject.message });
  const body = checkPlaceholders(input.body);
  if (!body.ok) problems.push({ field: 'body', message: body.message });
  else {
    const unsafe = unsafeLinks(input.body);
    if (unsafe.length > 0) {
      problems.push({
        field: 'body',
        message: `Links must be full web addresses starting with https:// or http://, or email addresses starting with mailto: – change “${unsafe[0]}”`,
      });
    }
  }
  return problems;
}

export interface SaveMailingProps {
  actor: Viewer;
  scope: GroupScope;
  /** Absent for a new mailing. */
  id?: number;
  input: MailingInput;
}

/** Creates a draft or changes one, after checking who it is from, who it goes to and its words. */
export async function saveMailing(q: Q, props: SaveMailingProps): Promise<number> {
  const { input } = props;
  const problems = contentProblems(input);
  const purpose = (await purposeChoices(q, props.scope)).find((p) => p.id === input.purpose_id);
  if (!purpose) problems.unshift({ field: 'purpose_id', message: 'Choose who the mailing is from' });
  let segment: SegmentSnapshot | null = null;
  if (input.segment_id !== null) {
    const chosen = (await segmentChoices(q, props.scope)).find((s) => s.id === input.segment_id);
    if (!chosen) problems.push({ field: 'segment_id', message: 'Choose a saved segment from the list, or everyone' });
    else if (purpose && !segmentFits(chosen, purpose.groupId)) {
      problems.push({ field: 'segment_id', message: 'Choose one of the sending group’s own segments, a coalition-wide one, or everyone' });
    } else segment = await snapshotSegment(q, chosen.id);
  }
  if (problems.length > 0) throw invalidFields(problems);

  const values = {
    purpose_id: input.purpose_id,
    segment_id: input.segment_id,
    segment_snapshot: segment && JSON.stringify(segment),
    subject: input.subject,
    body: input.body,
    rate_per_second: input.rate_per_second,
  };
  // The sending speed is the coalition's to set (it protects its mail server): an organiser's
  // changes leave the speed the mailing had (a new one starts at the highest allowed).
  const { rate_per_second: _speed, ...unchangedSpeed } = values;
  const changes = props.actor.role === 'admin' ? values : unchangedSpeed;
  let id: number;
  if (props.id === undefined) {
    const row = await q
      .insertInto('mailings')
      .values({ ...values, created_by: props.actor.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    id = row.id;
  } else {
    const row = await q
      .updateTable('mailings')
      .set({ ...changes, updated_at: new Date() })
      .where('id', '=', props.id)
      .where('status', 'in', EDITABLE_STATES)
      .returning('id')
      .executeTakeFirst();
    if (!row) throw conflict('This mailing can no longer be changed: it has been scheduled or sent.');
    id = row.id;
  }
  await recordAudit(q, {
    actor: props.actor,
    action: props.id === undefined ? 'mailing.create' : 'mailing.update',
    subjectType: 'mailing',
    subjectId: id,
    after: { purposeId: values.purpose_id, segmentId: values.segment_id, subject: values.subject, ratePerSecond: values.rate_per_second },
  });
  return id;
}
