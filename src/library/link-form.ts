import { z } from 'zod';
import { requiredText } from '../platform/index.ts';
import { unsafeLinks } from '../supporters/index.ts';
import { canonicalUrl, parseWebAddress } from './canonical-url.ts';
import { dateOnly } from './page-metadata.ts';
import type { Link, LinkInput } from './store.ts';

export const TITLE_MAX = 300;
export const SOURCE_MAX = 120;
export const SUMMARY_MAX = 5000;
export const TAG_MAX = 60;
export const TAGS_MAX = 20;

/** Characters that have no place in stored text (and two the search highlighter uses as markers). */
// eslint-disable-next-line no-control-regex -- the control characters are spelled out on purpose
const withoutControls = (text: string) => text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');

const one = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const text = (max: number, label: string) =>
  z.preprocess(
    (v) => (typeof one(v) === 'string' ? withoutControls(one(v) as string) : ''),
    z.string().trim().max(max, { message: `${label} must be ${max} characters or fewer` }),
  );
const list = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined || v === '' ? [] : [v]).filter((x): x is string => typeof x === 'string');

/** "NHS cuts, A&E; maternity" → ["nhs cuts", "a&e", "maternity"] (lower case, unique, in order). */
export function tagsFrom(typed: string): string[] {
  return [...new Set(typed.split(/[,;\n]/).map((t) => withoutControls(t).replace(/\s+/g, ' ').trim().toLowerCase()).filter(Boolean))];
}

export const webAddress = z.preprocess(
  (v) => (typeof one(v) === 'string' ? (one(v) as string).trim() : ''),
  z
    .string()
    .min(1, { message: 'Enter the link’s address, like https://www.example.com/news/story' })
    .max(2000, { message: 'The address must be 2000 characters or fewer' })
    .refine((v) => parseWebAddress(v) !== null, { message: 'Enter a web address starting with https:// or http://' })
    .transform((v) => parseWebAddress(v)!.href),
);

/** The add and edit form (places and the group are checked against what exists by the command). */
export const linkFormSchema = z.object({
  url: webAddress,
  title: z.preprocess((v) => (typeof one(v) === 'string' ? withoutControls(one(v) as string) : ''), requiredText('the title', TITLE_MAX)),
  source: text(SOURCE_MAX, 'Source'),
  published_on: z.preprocess(
    (v) => (typeof one(v) === 'string' ? (one(v) as string).trim() : ''),
    z.string().refine((v) => v === '' || dateOnly(v) === v, { message: 'Date published must be a real date, like 2025-03-14' }).refine((v) => v === '' || (v >= '1990-01-01' && v <= '2100-12-31'), { message: 'Date published must be between 1990 and 2100' }),
  ),
  summary: text(SUMMARY_MAX, 'Summary').refine((v) => unsafeLinks(v).length === 0, { message: 'Links in the summary must be web addresses starting with https:// or http://' }),
  tags: text(1000, 'Tags')
    .transform(tagsFrom)
    .refine((v) => v.length <= TAGS_MAX, { message: `Give at most ${TAGS_MAX} tags` })
    .refine((v) => v.every((t) => t.length <= TAG_MAX), { message: `Each tag must be ${TAG_MAX} characters or fewer` }),
  regions: z.preprocess(list, z.array(z.string().regex(/^[A-Z]\d{8}$/, { message: 'Choose regions from the list' })).max(20, { message: 'Choose at most 20 regions' })),
  constituencies: text(2000, 'Constituencies')
    .transform((v) => [...new Set(v.split(/[\s,;]+/).filter(Boolean).map((c) => c.toUpperCase()))])
    .refine((v) => v.every((c) => /^[EWSN]\d{8}$/.test(c)), { message: 'Constituencies must be constituency codes like E14001234, separated by commas' })
    .refine((v) => v.length <= 50, { message: 'Give at most 50 constituencies' }),
  group: z.preprocess((v) => (typeof one(v) === 'string' ? one(v) : ''), z.string().regex(/^(\d{1,9})?$/, { message: 'Choose a group from the list' })),
});
export type LinkForm = z.output<typeof linkFormSchema>;

export function linkInputOf(form: LinkForm): LinkInput {
  return {
    url: form.url,
    title: form.title,
    source: form.source,
    publishedOn: form.published_on === '' ? null : form.published_on,
    summary: form.summary,
    tags: form.tags,
    constituencyCodes: form.constituencies,
    regionCodes: [...new Set(form.regions)],
    groupId: form.group === '' ? null : Number(form.group),
  };
}

export const canonicalOf = (input: Pick<LinkInput, 'url'>) => canonicalUrl(input.url);

/** A stored link as the edit form's values. */
export function linkFormValues(link: Link): Record<string, string> {
  return {
    url: link.url,
    title: link.title,
    source: link.source,
    published_on: link.publishedOn ?? '',
    summary: link.summary,
    tags: link.tags.join(', '),
    constituencies: link.constituencyCodes.join(', '),
    group: link.groupId === null ? '' : String(link.groupId),
  };
}
