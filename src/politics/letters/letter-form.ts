import { z } from 'zod';
import { emailAddress } from '../../platform/index.ts';

export const NAME_MAX = 200;
export const ADDRESS_MAX = 500;
export const BODY_MAX = 10_000;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const lines = (v: unknown) => (typeof v === 'string' ? v.replace(/\r\n?/g, '\n') : v);

/** A writer's name: text, no markup or web addresses (it goes in an email's From and the letter's signature). */
export const writerName = z
  .string({ message: 'Enter your name' })
  .trim()
  .min(1, { message: 'Enter your name' })
  .max(NAME_MAX, { message: `Your name must be ${NAME_MAX} characters or fewer` })
  .refine((v) => !/[<>"\\]/.test(v), { message: 'Enter your name without < > " or \\ characters' })
  .refine((v) => !/(https?:\/\/|www\.)/i.test(v), { message: 'Enter your name without a web address' })
  .refine((v) => !CONTROL.test(v) && !v.includes('\n'), { message: 'Enter your name on one line, without control characters' });

/** The letter box: the writer's own words. */
export const letterBody = z.preprocess(
  lines,
  z
    .string({ message: 'Write your letter' })
    .trim()
    .min(1, { message: 'Write your letter' })
    .max(BODY_MAX, { message: `Your letter must be ${BODY_MAX.toLocaleString('en-GB')} characters or fewer` })
    .refine((v) => !CONTROL.test(v), { message: 'Your letter has characters we cannot send: take out any control characters' }),
);

export const letterFormSchema = z.object({
  name: writerName,
  email: emailAddress().refine((v) => !CONTROL.test(v), { message: 'Enter an email address in the correct format, like name@example.com' }),
  address: z.preprocess(
    lines,
    z
      .string({ message: 'Enter your address' })
      .trim()
      .min(3, { message: 'Enter your address' })
      .max(ADDRESS_MAX, { message: `Your address must be ${ADDRESS_MAX} characters or fewer` })
      .refine((v) => !CONTROL.test(v) && !/[<>]/.test(v), { message: 'Enter your address without < or > or control characters' })
      .transform((v) => v.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 8).join('\n')),
  ),
  postcode: z.string({ message: 'Enter your postcode' }).trim().min(1, { message: 'Enter your postcode' }).max(16, { message: 'Enter a real UK postcode, like SW1A 1AA' }),
  delivery: z.enum(['email', 'post'], { message: 'Choose how your letter goes to your MP' }),
  body: letterBody,
});
export type LetterForm = z.output<typeof letterFormSchema>;

export const rewriteSchema = z.object({ body: letterBody });
