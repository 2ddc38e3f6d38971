import { z } from 'zod';
import { emailAddress, optionalText, requiredText } from '../../platform/index.ts';

const ids = (message: string) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .refine((list) => list.length <= 100 && list.every((id) => /^\d{1,9}$/.test(id)), { message })
    .transform((list) => [...new Set(list.map(Number))]);

const publicIds = (message: string) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .refine((list) => list.length <= 200 && list.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)), { message })
    .transform((list) => [...new Set(list.map((id) => id.toLowerCase()))]);

const day = (label: string) =>
  z
    .string({ message: `Enter the ${label}` })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { message: `Enter the ${label} as a date, like 2027-03-14` })
    .refine((v) => !Number.isNaN(new Date(`${v}T12:00:00Z`).getTime()) && new Date(`${v}T12:00:00Z`).toISOString().startsWith(v), { message: `Enter a real ${label}` });

export const storytellerForm = z.object({
  name: requiredText('their name', 200),
  email: emailAddress('their email address'),
  phone: optionalText('phone', 40),
  postcode: optionalText('postcode', 12),
  groups: ids('Choose groups from the list').refine((l) => l.length > 0, { message: 'Choose at least one group' }),
  topics: ids('Choose topics from the list'),
});

export const topicsForm = z.object({ topics: ids('Choose topics from the list') });

export const stageForm = z.object({ to: z.enum(['consented', 'ready'], { message: 'Choose a stage' }) });
export const noteForm = z.object({ note: requiredText('a note', 5000) });
export const topicForm = z.object({ name: requiredText('the topic', 100) });

export const trainingForm = z
  .object({
    event: z
      .string()
      .trim()
      .optional()
      .refine((v) => !v || /^\d{1,9}$/.test(v), { message: 'Enter the event’s number, like 12' })
      .transform((v) => (v ? Number(v) : undefined)),
    title: optionalText('title', 200),
    date: z.string().trim().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.event !== undefined) return;
    if (!v.title) ctx.addIssue({ code: 'custom', path: ['title'], message: 'Enter a title, or the number of a training event' });
    if (!v.date) ctx.addIssue({ code: 'custom', path: ['date'], message: 'Enter the date, or the number of a training event' });
    else if (!day('date').safeParse(v.date).success) ctx.addIssue({ code: 'custom', path: ['date'], message: 'Enter a real date, like 2027-03-14' });
  });

export const attendanceForm = z.object({ attended: publicIds('Choose people from the list').refine((l) => l.length > 0, { message: 'Choose who attended' }) });

export const opportunityForm = z.object({
  kind: z.enum(['press', 'politician'], { message: 'Choose who is asking' }),
  requester: requiredText('their name and how to reach them', 300),
  outlet: requiredText('the outlet or office', 200),
  wanted: requiredText('what they want', 2000),
  topic: z.string({ message: 'Choose a topic' }).regex(/^\d{1,9}$/, { message: 'Choose a topic' }).transform(Number),
  postcode: optionalText('postcode', 12),
  region: z
    .string()
    .trim()
    .optional()
    .refine((v) => !v || /^[A-Z]\d{8}$/.test(v), { message: 'Choose a region from the list' })
    .transform((v) => v || undefined),
  deadline: day('deadline'),
});

export const askForm = z.object({ storytellers: publicIds('Choose storytellers from the list').refine((l) => l.length > 0, { message: 'Choose at least one storyteller to ask' }) });

const link = z
  .string()
  .trim()
  .max(500, { message: 'Each link must be 500 characters or fewer' })
  .refine((v) => {
    try {
      const url = new URL(v);
      return url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      return false;
    }
  }, { message: 'Each coverage link must be a web address starting https://' });

export const outcomeForm = z.object({
  with_whom: requiredText('with whom they spoke', 300),
  where: requiredText('where', 300),
  links: z
    .string()
    .optional()
    .transform((v) => (v ?? '').split(/\r?\n/).map((l) => l.trim()).filter(Boolean))
    .refine((list) => list.length <= 10, { message: 'Give at most 10 links' })
    .refine((list) => list.every((l) => link.safeParse(l).success), { message: 'Each coverage link must be a web address starting https://, one a line' }),
});
