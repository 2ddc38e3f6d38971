import { z } from 'zod';
import { lookupPostcode } from '../politics/index.ts';
import { checkbox, emailAddress, type Brand, type FieldErrors } from '../platform/index.ts';
import type { Q } from './tables.ts';
import { findWording, purposeFor, type Purpose, type Wording } from './consent.ts';
import type { SignUpRequest } from './sign-up.ts';
import { currentWording } from './wordings.ts';

/** A name is text: no markup, no web addresses, no control characters. */
const personName = z
  .string({ message: 'Enter your name' })
  .trim()
  .min(1, { message: 'Enter your name' })
  .max(255, { message: 'Name must be 255 characters or fewer' })
  .refine((v) => !/[<>]/.test(v), { message: 'Enter your name without < or > characters' })
  .refine((v) => !/(https?:\/\/|www\.)/i.test(v), { message: 'Enter your name without a web address' })
  // eslint-disable-next-line no-control-regex
  .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), { message: 'Enter your name without control characters' });

/** Hidden fields filled in by our own pages: anything odd in them is dropped, not shown as an error. */
const hiddenText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .catch(undefined)
    .transform((v) => v || null);

const hiddenUrl = hiddenText(1000).transform((v) => {
  if (!v) return null;
  try {
    const url = new URL(v);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : null;
  } catch {
    return null;
  }
});

const hiddenId = z.coerce.number().int().positive().optional().catch(undefined);

export const signUpFormSchema = z.object({
  name: personName,
  email: emailAddress(),
  postcode: z.string().trim().max(16, { message: 'Enter a real UK postcode, like SW1A 1AA' }).optional(),
  consent_coalition: checkbox(),
  consent_group: checkbox(),
  wording_coalition: hiddenId,
  wording_group: hiddenId,
  utm_source: hiddenText(200),
  utm_campaign: hiddenText(200),
  referrer: hiddenUrl,
});

export type SignUpForm = z.output<typeof signUpFormSchema>;

/** One consent box on a form: its field, purpose and the exact words beside it. */
export interface ConsentBox {
  field: 'consent_coalition' | 'consent_group';
  purpose: Purpose;
  wording: Wording;
}

/** The boxes a form shows: the group's (when there is one) and the coalition's. */
export async function consentBoxes(q: Q, brand: Brand, groupId: number | null): Promise<ConsentBox[]> {
  const boxes: ConsentBox[] = [];
  if (groupId !== null) {
    const purpose = await purposeFor(q, { groupId });
    boxes.push({ field: 'consent_group', purpose, wording: await currentWording(q, purpose, brand) });
  }
  const coalition = await purposeFor(q, { groupId: null });
  boxes.push({ field: 'consent_coalition', purpose: coalition, wording: await currentWording(q, coalition, brand) });
  return boxes;
}

/** Where the visitor came from: campaign tags in the address and the page that linked here. */
export function arrivalSource(query: unknown, referer: string | undefined): Record<string, string> {
  const params = (query ?? {}) as Record<string, unknown>;
  const pick = (name: string) => (typeof params[name] === 'string' ? (params[name] as string).slice(0, 200) : '');
  return { utm_source: pick('utm_source'), utm_campaign: pick('utm_campaign'), referrer: (referer ?? '').slice(0, 1000) };
}

export type CheckedSignUp = { ok: true; request: Omit<SignUpRequest, 'method' | 'ip'> } | { ok: false; errors: FieldErrors };

/** What the box and postcode checks read: the ticks and the postcode, even from a form that failed its other checks. */
const boxesAndPlace = signUpFormSchema.pick({ postcode: true, consent_coalition: true, consent_group: true });

/**
 * The checks after the form's shape is right: at least one box ticked, and a postcode we know.
 * The words recorded are the version the page showed (named in a hidden field), so a wording
 * changed while the page was open is still recorded as the words the person saw.
 */
export async function checkSignUp(q: Q, form: SignUpForm, boxes: ConsentBox[]): Promise<CheckedSignUp> {
  const checked = await checkBoxesAndPlace(q, form, boxes);
  if (!checked.ok) return checked;
  const ticked = boxes.filter((b) => form[b.field]);
  const consents = [];
  for (const box of ticked) {
    const shownId = box.field === 'consent_group' ? form.wording_group : form.wording_coalition;
    const shown = shownId === undefined ? undefined : await findWording(q, box.purpose.id, shownId);
    consents.push({ purpose: box.purpose, wording: shown ?? box.wording });
  }
  return {
    ok: true,
    request: {
      email: form.email,
      name: form.name.replace(/\s+/g, ' '),
      place: checked.place,
      consents,
      source: { utmSource: form.utm_source, utmCampaign: form.utm_campaign, referrer: form.referrer },
    },
  };
}

/**
 * Every problem with a sign-up form at once: the fields' own (name, email) and, beside them, an
 * unticked box and an unknown postcode, so nobody has to submit three times to see them all.
 */
export async function signUpProblems(q: Q, body: unknown, fieldErrors: FieldErrors, boxes: ConsentBox[]): Promise<FieldErrors> {
  const parsed = boxesAndPlace.safeParse(body);
  if (!parsed.success) return fieldErrors;
  const checked = await checkBoxesAndPlace(q, parsed.data, boxes);
  // In the page's order: the fields' own problems, then the postcode, then the boxes.
  return checked.ok ? fieldErrors : { ...fieldErrors, ...checked.errors, ...fieldErrors };
}

async function checkBoxesAndPlace(
  q: Q,
  form: Pick<SignUpForm, 'postcode' | 'consent_coalition' | 'consent_group'>,
  boxes: ConsentBox[],
): Promise<{ ok: true; place: SignUpRequest['place'] } | { ok: false; errors: FieldErrors }> {
  const errors: FieldErrors = {};
  let place: SignUpRequest['place'] = null;
  if (form.postcode) {
    const found = await lookupPostcode(q, form.postcode);
    if (found.status !== 'found') errors.postcode = found.message;
    else place = { postcode: found.postcode, constituencyCode: found.constituencyCode, regionCode: found.regionCode };
  }
  if (!boxes.some((b) => form[b.field])) errors[boxes[0]!.field] = 'Tick the box to say you want to get emails from us';
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, place };
}
