import { z } from 'zod';
import { isRealDay } from '../segments/definition.ts';
import { formatLondon } from '../../platform/index.ts';

function today(): string {
  return formatLondon(new Date(), 'iso-date');
}

/** What an organiser states about an import besides the file, from the web form or the command line. */
export const importOptionsSchema = z.object({
  agreedOn: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || isRealDay(v), {
      message: 'Enter the day they agreed as a real date, like 2024-01-31',
    })
    .refine((v) => v === undefined || v <= today(), { message: 'The day they agreed cannot be in the future' }),
  tags: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => {
      const names = (Array.isArray(v) ? v : [v ?? '']).flatMap((t) => t.split(',')).map((t) => t.trim().replace(/\s+/g, ' ')).filter(Boolean);
      return [...new Map(names.map((n) => [n.toLowerCase(), n])).values()];
    })
    .refine((tags) => tags.every((t) => t.length <= 100), { message: 'Each tag must be 100 characters or fewer' })
    .refine((tags) => tags.length <= 20, { message: 'Give at most 20 tags' }),
});
