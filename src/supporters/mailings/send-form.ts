import { z } from 'zod';
import { formValues, parseForm, type FieldErrors, type FormValues } from '../../platform/index.ts';
import { fromLondonInput } from './london-time.ts';
import type { SendWhen } from './schedule-mailing.ts';

const form = z.object({
  when: z.enum(['now', 'later'], { message: 'Choose when the mailing should go' }),
  send_at: z.string().trim().optional(),
  confirmed: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number)
    .optional(),
});

export type SendFormResult =
  | { ok: true; value: { when: SendWhen; sendAt: string; confirmed: number | undefined } }
  | { ok: false; errors: FieldErrors; values: FormValues };

const YEAR_MS = 366 * 24 * 3600 * 1000;

/** "Now", or a UK date and time at least a minute ahead and within a year. */
export function parseSendForm(body: unknown, now: Date): SendFormResult {
  const parsed = parseForm(form, body);
  if (!parsed.ok) return parsed;
  const { when, send_at: sendAt = '', confirmed } = parsed.value;
  if (when === 'now') return { ok: true, value: { when: { now: true }, sendAt: '', confirmed } };
  const fail = (message: string) => ({ ok: false as const, errors: { send_at: message }, values: formValues(body) });
  if (!sendAt) return fail('Enter the date and time to send it');
  const at = fromLondonInput(sendAt);
  if (!at) return fail('Enter a real date and time, like 2026-12-01 10:00');
  if (at.getTime() < now.getTime() + 60_000) return fail('The time must be at least a minute from now');
  if (at.getTime() > now.getTime() + YEAR_MS) return fail('The time must be within a year from now');
  return { ok: true, value: { when: { now: false, at }, sendAt, confirmed } };
}
