import { z } from 'zod';
import { checkbox, formatNumber, type UploadedFile } from '../platform/index.ts';
import { closingDateProblem } from './closing-date.ts';
import { defaultMilestones, type Milestone } from './milestones.ts';

export const ACTION_MAX = 80;
export const BACKGROUND_MAX = 300;
export const DETAILS_MAX = 800;
export const TARGET_MAX = 200;
export const IMAGE_ALT_MAX = 250;
export const MILESTONE_LABEL_MAX = 120;
export const MILESTONE_MAX = 100_000_000;

export type MilestoneInput = Omit<Milestone, 'reachedAt'>;

/** Browsers send line breaks as CRLF; a limit counts each break once, as the person sees it. */
const typed = (v: unknown) => (typeof v === 'string' ? v.replace(/\r\n?/g, '\n') : v);

const text = (name: string, max: number, required: boolean) =>
  z.preprocess(
    typed,
    z
      .string()
      .optional()
      .transform((v) => (v ?? '').trim())
      .superRefine((v, ctx) => {
        if (required && v.length === 0) ctx.addIssue({ code: 'custom', message: `Enter ${name}` });
        else if (v.length > max) ctx.addIssue({ code: 'custom', message: `${capitalise(name)} must be ${max} characters or fewer` });
      }),
  );

function capitalise(name: string): string {
  const bare = name.replace(/^(an?|the|your) /, '');
  return bare.charAt(0).toUpperCase() + bare.slice(1);
}

const groupIds = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
  .transform((v) => [...new Set(v.map((id) => Number.parseInt(id, 10)).filter((id) => Number.isSafeInteger(id) && id > 0))])
  .refine((v) => v.length > 0, { message: 'Choose at least one group' });

const threshold = (name: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const bare = (v ?? '').replace(/[\s,]/g, '');
      if (bare === '') return undefined;
      const n = /^\d+$/.test(bare) ? Number(bare) : NaN;
      if (!Number.isSafeInteger(n) || n < 1 || n > MILESTONE_MAX) {
        ctx.addIssue({ code: 'custom', message: `${name} must be a whole number of signatures between 1 and ${formatNumber(MILESTONE_MAX)}` });
        return z.NEVER;
      }
      return n;
    });

/** "25000 Hand in at the council meeting", one per line → custom milestones. */
export function parseCustomMilestones(lines: string): { milestones: MilestoneInput[]; problem?: string } {
  const milestones: MilestoneInput[] = [];
  const rows = lines.split('\n').map((l) => l.trim());
  for (const [index, line] of rows.entries()) {
    if (line === '') continue;
    const match = /^([\d,]+)\s+(.+)$/.exec(line);
    const n = match ? Number(match[1]!.replace(/,/g, '')) : NaN;
    if (!match || !Number.isSafeInteger(n) || n < 1 || n > MILESTONE_MAX) {
      return { milestones, problem: `Line ${index + 1} of the other milestones must be a number of signatures then what happens, like 25000 Hand it in at the council meeting` };
    }
    const label = match[2]!.trim();
    if (label.length > MILESTONE_LABEL_MAX) {
      return { milestones, problem: `Line ${index + 1} of the other milestones must be ${MILESTONE_LABEL_MAX} characters or fewer after the number` };
    }
    milestones.push({ threshold: n, kind: 'custom', label });
  }
  return { milestones };
}

/** A chosen closing date must be in the future and within a year; the one already set may stay as it is. */
const closingDate = (current: string | null) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .superRefine((v, ctx) => {
      const problem = v === undefined || v === current ? undefined : closingDateProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

/** An uploaded image, or undefined when none was chosen (browsers still send an empty file part then). */
const imageFile = z.preprocess(
  (v) => (typeof v === 'object' && v !== null && Buffer.isBuffer((v as UploadedFile).data) ? v : undefined),
  z.custom<UploadedFile | undefined>(() => true),
);

/** What can still change once people have signed: closing date, milestones, image. */
const settingsShape = (currentClosingDate: string | null) => ({
  closing_date: closingDate(currentClosingDate),
  response_threshold: threshold('The response milestone'),
  debate_threshold: threshold('The debate milestone'),
  custom_milestones: z.preprocess(typed, z.string().optional().transform((v) => v ?? '')),
  image: imageFile.optional(),
  image_alt: text('a description of the image', IMAGE_ALT_MAX, false),
  remove_image: checkbox(),
});

/** The wording people sign, and the groups behind it: fixed once the petition opens. */
const wordingShape = {
  groups: groupIds,
  target: text('who the petition is addressed to', TARGET_MAX, true),
  action: text('the action', ACTION_MAX, true),
  background: text('the background', BACKGROUND_MAX, true),
  additional_details: text('more details', DETAILS_MAX, false),
};

interface SettingsValues {
  response_threshold?: number | undefined;
  debate_threshold?: number | undefined;
  custom_milestones: string;
  image?: UploadedFile | undefined;
  image_alt: string;
}

function checkSettings(value: SettingsValues, ctx: z.RefinementCtx, hadImage: boolean) {
  const custom = parseCustomMilestones(value.custom_milestones);
  if (custom.problem) ctx.addIssue({ code: 'custom', path: ['custom_milestones'], message: custom.problem });
  const thresholds = [value.response_threshold, value.debate_threshold, ...custom.milestones.map((m) => m.threshold)].filter((n) => n !== undefined);
  if (new Set(thresholds).size !== thresholds.length) {
    ctx.addIssue({ code: 'custom', path: ['custom_milestones'], message: 'Each milestone needs a different number of signatures' });
  }
  if (value.image && !value.image_alt) {
    ctx.addIssue({ code: 'custom', path: ['image_alt'], message: 'Enter a description of the image for people who cannot see it' });
  }
  if (!value.image && !hadImage && value.image_alt) {
    ctx.addIssue({ code: 'custom', path: ['image'], message: 'Choose an image, or leave its description empty' });
  }
}

/** What the form is editing: whether there is an image already, and the closing date set now. */
export interface FormStart {
  hadImage: boolean;
  closingDate: string | null;
}

const blank: FormStart = { hadImage: false, closingDate: null };

/** The whole form: creating, or editing before the petition opens. */
export function wordingFormSchema(start: FormStart = blank) {
  return z.object({ ...wordingShape, ...settingsShape(start.closingDate) }).superRefine((v, ctx) => checkSettings(v, ctx, start.hadImage));
}

/** The form once the petition has opened. */
export function settingsFormSchema(start: FormStart = blank) {
  return z.object(settingsShape(start.closingDate)).superRefine((v, ctx) => checkSettings(v, ctx, start.hadImage));
}

export type WordingForm = z.output<ReturnType<typeof wordingFormSchema>>;
export type SettingsForm = z.output<ReturnType<typeof settingsFormSchema>>;

/** The milestones a valid form describes: the response and debate ones (if kept), then the others. */
export function milestonesFrom(form: SettingsForm): MilestoneInput[] {
  const [response, debate] = defaultMilestones as [MilestoneInput, MilestoneInput];
  const list: MilestoneInput[] = [];
  if (form.response_threshold !== undefined) list.push({ ...response, threshold: form.response_threshold });
  if (form.debate_threshold !== undefined) list.push({ ...debate, threshold: form.debate_threshold });
  list.push(...parseCustomMilestones(form.custom_milestones).milestones);
  return list.sort((a, b) => a.threshold - b.threshold);
}

/** Form values for an existing set of milestones (to fill the edit form). */
export function milestoneFormValues(milestones: MilestoneInput[]): Record<string, string> {
  const response = milestones.find((m) => m.kind === 'response');
  const debate = milestones.find((m) => m.kind === 'debate');
  return {
    response_threshold: response ? String(response.threshold) : '',
    debate_threshold: debate ? String(debate.threshold) : '',
    custom_milestones: milestones
      .filter((m) => m.kind === 'custom')
      .map((m) => `${m.threshold} ${m.label}`)
      .join('\n'),
  };
}
