import { z } from 'zod';
import { listNhsOrganisations, lookupPostcode } from '../politics/index.ts';
import { andList, checkbox, emailAddress, formValues, parseForm, type FieldErrors, type FormValues, type Handle } from '../platform/index.ts';
import type { HappenedWhen, IdentifyAs, StoryUse } from './tables.ts';

export const STORY_WORDS_MAX = 1000;
const STORY_CHARS_MAX = 10_000;
const MEDIA_LINKS_MAX = 5;

/** The consent wording's version: change it whenever the words below change. */
export const CONSENT_VERSION = 'stories-consent-2027-01';

/** Each use a teller may agree to, one box each, none ticked in advance. */
export const STORY_USES: ReadonlyArray<{ use: StoryUse; action: string }> = [
  { use: 'publish_hub', action: 'publish my story on this website, named only as I choose below' },
  { use: 'journalists', action: 'share my story with journalists' },
  { use: 'politicians', action: 'share my story with politicians and their staff' },
  { use: 'social_media', action: 'use my story on social media' },
  { use: 'video', action: 'use my story in videos' },
];

/** The exact words beside one box, naming every controller (the coalition and each group chosen). */
export function consentWording(use: StoryUse, controllers: readonly string[]): string {
  const entry = STORY_USES.find((u) => u.use === use)!;
  return `I agree that ${andList([...controllers])} may ${entry.action}. I can withdraw this at any time.`;
}

/** What a parent or guardian confirms for a young person's story. */
export function guardianWording(youngPerson: string, controllers: readonly string[]): string {
  return `I am the parent or guardian of ${youngPerson}. I have read their story and I agree that ${andList([...controllers])} may use it in the ways they chose, and only those. I can withdraw this at any time.`;
}

/** What renewing says (shown on the renewal page and stored with the renewal). */
export function renewalWording(controllers: readonly string[]): string {
  return `I agree that ${andList([...controllers])} may keep using my story in the ways I chose for another 12 months.`;
}

export const happenedWhenOptions: ReadonlyArray<{ value: HappenedWhen; label: string }> = [
  { value: 'last_3_months', label: 'In the last 3 months' },
  { value: 'last_year', label: 'In the last year' },
  { value: 'one_to_five_years', label: '1 to 5 years ago' },
  { value: 'over_five_years', label: 'More than 5 years ago' },
];

export const identifyAsOptions: ReadonlyArray<{ value: IdentifyAs; label: string }> = [
  { value: 'anonymous', label: 'Do not name me (anonymous)' },
  { value: 'first_name', label: 'My first name only' },
  { value: 'first_name_town', label: 'My first name and town' },
  { value: 'full_name', label: 'My full name' },
];

// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const plainLine = (label: string, max: number, required: boolean) => {
  const base = z
    .string({ message: `Enter ${label}` })
    .trim()
    .max(max, { message: `${label.charAt(0).toUpperCase()}${label.slice(1).replace(/^(your|the) /, '')} must be ${max} characters or fewer` })
    .refine((v) => !/[\r\n]/.test(v) && !controlCharacters.test(v), { message: `Enter ${label} on one line` });
  return required ? base.refine((v) => v.length > 0, { message: `Enter ${label}` }) : base.optional().transform((v) => (v ? v : undefined));
};

export const wordCount = (text: string) => text.split(/\s+/).filter((w) => w !== '').length;

const mediaLinks = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== ''))
  .refine((links) => links.length <= MEDIA_LINKS_MAX, { message: `Give at most ${MEDIA_LINKS_MAX} links, one a line` })
  .refine(
    (links) =>
      links.every((link) => {
        if (link.length > 500) return false;
        try {
          const url = new URL(link);
          return url.protocol === 'https:' || url.protocol === 'http:';
        } catch {
          return false;
        }
      }),
    { message: 'Give each link as a full address starting with https://, one a line' },
  );

/** The story form's fields (the web form, and an organiser recording one taken by phone or on paper). */
export const storyFormSchema = z
  .object({
    story: z
      .string({ message: 'Tell us your story' })
      .trim()
      .min(1, { message: 'Tell us your story' })
      .max(STORY_CHARS_MAX, { message: `Your story must be ${STORY_WORDS_MAX} words or fewer` })
      .refine((v) => !controlCharacters.test(v), { message: 'Your story has characters we cannot keep: remove them and try again' })
      .refine((v) => wordCount(v) <= STORY_WORDS_MAX, { message: `Your story must be ${STORY_WORDS_MAX} words or fewer` }),
    service: plainLine('the service or place it is about', 200, true),
    nhs_body: plainLine('the NHS trust or ICB', 200, false),
    happened_when: z.enum(happenedWhenOptions.map((o) => o.value) as [HappenedWhen, ...HappenedWhen[]], { message: 'Choose roughly when it happened' }),
    postcode: plainLine('your postcode', 12, true),
    name: plainLine('your name', 100, true),
    email: emailAddress('your email address').refine((v) => !controlCharacters.test(v), { message: 'Enter an email address in the correct format, like name@example.com' }),
    phone: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? v : undefined))
      .refine((v) => v === undefined || /^[0-9+() -]{6,30}$/.test(v), { message: 'Enter a phone number, like 07700 900123' }),
    town: plainLine('your town', 100, false),
    identify_as: z.enum(identifyAsOptions.map((o) => o.value) as [IdentifyAs, ...IdentifyAs[]], { message: 'Choose how we may name you' }).default('anonymous'),
    speak_to_press: checkbox(),
    speak_to_politicians: checkbox(),
    media_links: mediaLinks,
    under_18: checkbox(),
    guardian_name: plainLine('your parent or guardian’s name', 100, false),
    guardian_email: z.string().optional(),
    ...Object.fromEntries(STORY_USES.map((u) => [`consent_${u.use}`, checkbox()])),
  });

/** Checks across fields, run on the raw form even when other fields fail, so every problem is named at once. */
function crossFieldProblems(body: Record<string, unknown>): FieldErrors {
  const errors = Object.create(null) as FieldErrors;
  const text = (name: string) => (typeof body[name] === 'string' ? String(body[name]).trim() : '');
  const ticked = (name: string) => body[name] !== undefined && body[name] !== '';
  if (body.identify_as === 'first_name_town' && !text('town')) errors.town = 'Enter your town, or choose another way to be named';
  if (ticked('under_18')) {
    if (!text('guardian_name')) errors.guardian_name = 'Enter your parent or guardian’s name';
    const email = emailAddress('your parent or guardian’s email address').safeParse(text('guardian_email'));
    if (!email.success) errors.guardian_email = email.error.issues[0]!.message;
    else if (email.data.toLowerCase() === text('email').toLowerCase()) errors.guardian_email = 'Enter your parent or guardian’s own email address, not yours';
  }
  return errors;
}

export interface StoryInput {
  story: string;
  service: string;
  nhsBody: string | undefined;
  /** The ODS code when the trust or ICB was chosen from the shipped list (its name typed exactly). */
  nhsBodyCode: string | null;
  happenedWhen: HappenedWhen;
  postcode: string;
  constituencyCode: string | null;
  regionCode: string | null;
  name: string;
  email: string;
  phone: string | undefined;
  town: string | undefined;
  identifyAs: IdentifyAs;
  speakToPress: boolean;
  speakToPoliticians: boolean;
  mediaLinks: string[];
  under18: boolean;
  guardian: { name: string; email: string } | undefined;
  /** The uses ticked (every box shown is recorded, ticked or not). */
  uses: Set<StoryUse>;
}

export type StoryForm = { ok: true; input: StoryInput } | { ok: false; values: FormValues; errors: FieldErrors };

/** Parses the form and finds the postcode's constituency; every field's problem is named at once. */
export async function parseStoryForm(handle: Handle, body: unknown): Promise<StoryForm> {
  const parsed = parseForm(storyFormSchema, body);
  const raw = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const errors: FieldErrors = Object.assign(Object.create(null) as FieldErrors, parsed.ok ? {} : parsed.errors, crossFieldProblems(raw));
  const rawPostcode = typeof (body as Record<string, unknown> | null)?.postcode === 'string' ? String((body as Record<string, unknown>).postcode) : '';
  let place: { postcode: string; constituencyCode: string | null; regionCode: string | null } | undefined;
  if (!errors.postcode && rawPostcode.trim() !== '' && rawPostcode.length <= 12) {
    const found = await lookupPostcode(handle, rawPostcode);
    if (found.status === 'found') place = { postcode: found.postcode, constituencyCode: found.constituencyCode, regionCode: found.regionCode };
    else errors.postcode = found.message;
  }
  if (!parsed.ok || !place || Object.keys(errors).length > 0) return { ok: false, values: formValues(body), errors };
  const form = parsed.value as z.output<typeof storyFormSchema> & Record<string, boolean>;
  const chosen = form.nhs_body ? (await listNhsOrganisations(handle)).find((o) => o.name.toLowerCase() === form.nhs_body!.trim().toLowerCase()) : undefined;
  return {
    ok: true,
    input: {
      story: form.story.replace(/\r\n/g, '\n'),
      service: form.service!,
      nhsBody: chosen ? chosen.name : form.nhs_body,
      nhsBodyCode: chosen?.code ?? null,
      happenedWhen: form.happened_when,
      postcode: place.postcode,
      constituencyCode: place.constituencyCode,
      regionCode: place.regionCode,
      name: form.name!.replace(/\s+/g, ' '),
      email: form.email,
      phone: form.phone,
      town: form.town,
      identifyAs: form.identify_as,
      speakToPress: form.speak_to_press,
      speakToPoliticians: form.speak_to_politicians,
      mediaLinks: form.media_links,
      under18: form.under_18,
      guardian: form.under_18 ? { name: form.guardian_name!, email: String(form.guardian_email).trim() } : undefined,
      uses: new Set(STORY_USES.filter((u) => form[`consent_${u.use}`] === true).map((u) => u.use)),
    },
  };
}

/** The trusts' and ICBs' names the form offers (politics' shipped or imported list). */
export async function nhsBodyNames(handle: Handle): Promise<string[]> {
  return (await listNhsOrganisations(handle)).map((o) => o.name);
}
