import type { Selectable } from 'kysely';
import type { KeyRing } from '../../platform/index.ts';
import { openFor, openOptionalFor, purposeOf } from '../sealed-columns.ts';
import type { IdentifyAs, Q, StoriesTable } from '../tables.ts';
import type { StoryPublicationsTable } from './tables.ts';

export type PublicationRow = Selectable<StoryPublicationsTable>;
type PublicationColumn = 'title_sealed' | 'text_sealed' | 'redactions_sealed' | 'changes_wanted_sealed' | 'safeguarding_note_sealed';

export const sealPublication = (ring: KeyRing, column: PublicationColumn, plain: string) => ring.sealText(plain, purposeOf('story_publications', column));
export const openPublication = (ring: KeyRing, column: PublicationColumn, sealed: string | null) => ring.openOptional(sealed, purposeOf('story_publications', column));

/** What replaces each word or phrase a moderator redacts. */
export const REDACTED = '[removed]';

/**
 * The published text with every redacted phrase replaced, whatever its case; longer phrases first,
 * so "Dr Anna Smith" goes whole before "Anna" is looked for.
 */
export function applyRedactions(text: string, redactions: readonly string[]): string {
  const phrases = [...new Set(redactions.map((r) => r.trim()).filter((r) => r.length > 0))].sort((a, b) => b.length - a.length);
  let out = text;
  for (const phrase of phrases) out = out.replace(new RegExp(phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'giu'), REDACTED);
  return out;
}

const MONTHS = 'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const EXACT_DATE = new RegExp(`\\b(\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?(?:${MONTHS})\\b|(?:${MONTHS})\\s+\\d{1,2}(?:st|nd|rd|th)?\\b|\\d{1,2}[/.-]\\d{1,2}[/.-]\\d{2,4})`, 'iu');

/** An exact date ("14 March", "14/03/2026") in the published version, which could identify someone; or null. */
export function exactDateIn(text: string): string | null {
  return EXACT_DATE.exec(text)?.[0] ?? null;
}

/** How the public page names the teller: only as they chose. */
export function bylineOf(identifyAs: IdentifyAs, name: string, town: string | null): string {
  const first = name.trim().split(/\s+/)[0] ?? '';
  if (identifyAs === 'anonymous' || first === '') return 'Anonymous';
  if (identifyAs === 'first_name') return first;
  if (identifyAs === 'first_name_town') return town ? `${first}, ${town}` : first;
  return name.trim();
}

export const IDENTIFY_WORDS: Record<IdentifyAs, string> = {
  anonymous: 'anonymously',
  first_name: 'by your first name',
  first_name_town: 'by your first name and town',
  full_name: 'by your full name',
};

/** A readable address part from a title: "Eleven hours on a trolley" → "eleven-hours-on-a-trolley". */
export function slugOf(title: string): string {
  return (
    title
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/&/g, ' and ')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
      .replace(/-+$/, '') || 'story'
  );
}

export interface OpenedPublication {
  title: string;
  text: string;
  redactions: string[];
  byline: string;
}

/** The publication's words, opened, with the byline the teller chose. */
export function openedPublication(ring: KeyRing, story: Pick<Selectable<StoriesTable>, 'identify_as' | 'name_sealed' | 'town_sealed'>, p: Pick<PublicationRow, 'title_sealed' | 'text_sealed' | 'redactions_sealed'>): OpenedPublication {
  return {
    title: openPublication(ring, 'title_sealed', p.title_sealed) ?? '',
    text: openPublication(ring, 'text_sealed', p.text_sealed) ?? '',
    redactions: JSON.parse(openPublication(ring, 'redactions_sealed', p.redactions_sealed) ?? '[]') as string[],
    byline: bylineOf(story.identify_as, openFor(ring, 'name_sealed', story.name_sealed), openOptionalFor(ring, 'town_sealed', story.town_sealed)),
  };
}

export async function publicationOf(q: Q, storyId: number): Promise<PublicationRow | undefined> {
  return q.selectFrom('story_publications').selectAll().where('story_id', '=', storyId).executeTakeFirst();
}

/** The row a flag or hold is recorded on, made (empty, drafting) when the story has none yet. */
export async function ensurePublication(q: Q, storyId: number): Promise<PublicationRow> {
  await q.insertInto('story_publications').values({ story_id: storyId }).onConflict((oc) => oc.column('story_id').doNothing()).execute();
  return q.selectFrom('story_publications').selectAll().where('story_id', '=', storyId).forUpdate().executeTakeFirstOrThrow();
}

/** Whether the teller agreed to publication on the hub (the only use the published version is for). */
export async function agreedToPublish(q: Q, storyId: number): Promise<boolean> {
  const row = await q.selectFrom('story_consents').select('id').where('story_id', '=', storyId).where('kind', '=', 'use').where('use', '=', 'publish_hub').where('given', '=', true).executeTakeFirst();
  return row !== undefined;
}
