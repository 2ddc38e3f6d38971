import { z } from 'zod';
import { requiredText, type FormValues } from '../../platform/index.ts';
import type { LetterCampaign } from './campaigns.ts';

export const TITLE_MAX = 150;
export const ABOUT_MAX = 3000;
export const POINTS_MAX = 3000;

const ukToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());

/** The organisers' campaign form: what it is about, the talking points (one a line), the deadline, whose it is and which MPs. */
export const campaignSchema = z
  .object({
    title: requiredText('a title', TITLE_MAX),
    about: requiredText('what the campaign is about', ABOUT_MAX),
    talking_points: requiredText('at least one talking point', POINTS_MAX),
    deadline: z
      .string({ message: 'Enter the deadline as a date, like 2027-03-31' })
      .trim()
      .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'Enter the deadline as a date, like 2027-03-31' })
      .refine((v) => !Number.isNaN(Date.parse(`${v}T12:00:00Z`)) && new Date(`${v}T12:00:00Z`).toISOString().startsWith(v), { message: 'Enter a real date, like 2027-03-31' }),
    group: z
      .string({ message: 'Choose whose campaign it is' })
      .regex(/^(\d{1,9})?$/, { message: 'Choose whose campaign it is' })
      .transform((v) => (v === '' ? null : Number(v))),
    target: z.enum(['own_mp', 'chosen'], { message: 'Choose who the letters go to' }).catch('own_mp'),
    /** Seats (names or codes), one a line or comma-separated, for 'chosen'. */
    seats: z
      .string()
      .max(5000, { message: 'List at most 50 seats' })
      .optional()
      .transform((v) => [...new Set((v ?? '').split(/[\n,;]+/).map((s) => s.trim()).filter(Boolean))])
      .refine((list) => list.length <= 50, { message: 'List at most 50 seats' }),
  })
  .superRefine((v, ctx) => {
    if (v.target === 'chosen' && v.seats.length === 0) ctx.addIssue({ code: 'custom', path: ['seats'], message: 'Name at least one seat whose MP the letters go to' });
  });
export type CampaignInput = z.output<typeof campaignSchema>;

export const isPast = (deadline: string) => deadline < ukToday();
export { ukToday };

export function campaignValues(c: LetterCampaign, seatNames: ReadonlyMap<string, string>): FormValues {
  return {
    title: c.title,
    about: c.about,
    talking_points: c.talkingPoints.join('\n'),
    deadline: c.deadline,
    group: c.groupId === null ? '' : String(c.groupId),
    target: c.target,
    seats: c.chosenSeats.map((code) => seatNames.get(code) ?? code).join('\n'),
  };
}
