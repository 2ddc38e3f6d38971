import { z } from 'zod';

/**
 * A saved segment's definition: conditions on people combined all-of or any-of, each of which
 * may be negated. Stored as JSON in `segments.definition`; always parsed with this schema before
 * it is compiled to SQL, so a stored definition can never inject anything.
 */

export const MAX_CONDITIONS = 20;

/** A calendar day written YYYY-MM-DD that exists (not 2026-02-30). */
export function isRealDay(text: string): boolean {
  const time = Date.parse(`${text}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(time) && new Date(time).toISOString().startsWith(text);
}

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'Enter a date like 2026-01-31' })
  .refine(isRealDay, { message: 'Enter a real date' });

/** ONS GSS codes: E14001234 (constituency), E12000007 (region), S92000003 (country)... */
export const gssCode = z.string().regex(/^[EWSNLM]\d{8}$/, { message: 'Enter codes like E14001234' });

const negatable = { not: z.boolean().default(false) };

/** Dates bounding when something happened: since is inclusive, before exclusive, both days in Europe/London. */
const dateRange = {
  since: isoDate.optional(),
  before: isoDate.optional(),
};

export const conditionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('constituency'), codes: z.array(gssCode).min(1, { message: 'Choose at least one constituency: find it by name or postcode, or add a region' }).max(650), ...negatable }),
  z.object({ kind: z.literal('region'), codes: z.array(gssCode).min(1, { message: 'Choose at least one region' }).max(20), ...negatable }),
  z.object({
    kind: z.literal('tags'),
    match: z.enum(['any', 'all', 'none']),
    tagIds: z.array(z.number().int().positive()).min(1, { message: 'Choose at least one tag' }).max(100),
    ...negatable,
  }),
  z.object({ kind: z.literal('lists'), listIds: z.array(z.number().int().positive()).min(1, { message: 'Choose at least one list' }).max(100), ...negatable }),
  z.object({
    kind: z.literal('action'),
    action: z
      .string()
      .trim()
      .min(1, { message: 'Enter the kind of action, like petition.signed' })
      .max(100, { message: 'Action must be 100 characters or fewer' })
      .regex(/^[a-z0-9_.:-]+$/i, { message: 'Enter the kind of action, like petition.signed' }),
    subjectId: z.string().trim().max(100, { message: 'Subject must be 100 characters or fewer' }).optional(),
    ...dateRange,
    ...negatable,
  }),
  z.object({ kind: z.literal('consent'), purposeId: z.number().int().positive({ message: 'Choose a purpose' }), ...negatable }),
  z.object({ kind: z.literal('created'), ...dateRange, ...negatable }),
  // What people did as another capability records it ("booked on an event"): platform/person-activity.ts.
  z.object({
    kind: z.literal('activity'),
    activity: z.string().regex(/^[a-z0-9_.:-]{1,100}$/i, { message: 'Choose what they did' }),
    subjectId: z.number().int().positive().optional(),
    ...negatable,
  }),
]);

export type Condition = z.infer<typeof conditionSchema>;
export type ConditionKind = Condition['kind'];

export const conditionKinds: Array<{ kind: ConditionKind; label: string }> = [
  { kind: 'constituency', label: 'Constituency' },
  { kind: 'region', label: 'Region or nation' },
  { kind: 'tags', label: 'Tags' },
  { kind: 'lists', label: 'Lists' },
  { kind: 'action', label: 'Action taken' },
  { kind: 'consent', label: 'Consent to hear from us' },
  { kind: 'created', label: 'Date added' },
  { kind: 'activity', label: 'Booked or took part (events)' },
];

export const definitionSchema = z
  .object({
    version: z.literal(1).default(1),
    match: z.enum(['all', 'any']).default('all'),
    conditions: z.array(conditionSchema).max(MAX_CONDITIONS, { message: `A segment can have at most ${MAX_CONDITIONS} conditions` }),
  })
  .superRefine((definition, context) => {
    definition.conditions.forEach((condition, index) => {
      if ((condition.kind === 'created' || condition.kind === 'action') && condition.since && condition.before && condition.since >= condition.before) {
        context.addIssue({ code: 'custom', path: ['conditions', index, 'before'], message: 'The "before" date must be after the "since" date' });
      }
      if (condition.kind === 'created' && !condition.since && !condition.before) {
        context.addIssue({ code: 'custom', path: ['conditions', index, 'since'], message: 'Enter a "since" date, a "before" date or both' });
      }
    });
  });

export type SegmentDefinition = z.infer<typeof definitionSchema>;

/** Everyone (in scope): no conditions. */
export const everyone: SegmentDefinition = { version: 1, match: 'all', conditions: [] };
