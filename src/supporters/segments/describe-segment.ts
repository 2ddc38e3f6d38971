import { sql } from 'kysely';
import { findPetition } from '../../petitions/index.ts';
import { andList, formatCalendarDate, personActionLabel, personCondition } from '../../platform/index.ts';
import { constituencyNames } from '../../politics/index.ts';
import { listPurposes } from '../consent.ts';
import type { Q } from '../tables.ts';
import type { Condition, SegmentDefinition } from './definition.ts';
import { regions } from './regions.ts';

/** What people did, in words (the timeline's kinds of action). */
const actionLabels: Record<string, string> = {
  'petition.signed': 'Signed a petition',
  'mailing.clicked': 'Clicked a link in a mailing',
  'signup.requested': 'Signed up (waiting for email confirmation)',
  'signup.confirmed': 'Confirmed a subscription by email',
  'signup.api': 'Signed up through the API',
  'consent.withdrawn': 'Unsubscribed with an email link',
  'consent.withdrawn-all': 'Unsubscribed from everything',
  'preferences.changed': 'Changed their email preferences',
  'person.merged': 'Had another record merged into theirs',
  'person.edited': 'Had their details edited by an organiser',
  'import.people': 'Was imported from a file',
};

/** "Signed a petition" for `petition.signed` (another capability's kinds in its words); a kind with no words yet is shown as it is. */
export function actionLabel(kind: string): string {
  return actionLabels[kind] ?? personActionLabel(kind) ?? kind;
}

/** Names of what definitions refer to by code or id, looked up once for all of them. */
export interface SegmentNames {
  constituencies: Map<string, string>;
  tags: Map<number, string>;
  lists: Map<number, string>;
  purposes: Map<number, string>;
  petitions: Map<string, string>;
  /** Subjects of other capabilities' conditions, by condition key then id ("event.booked" → 12 → "Hustings"). */
  activities: Map<string, Map<number, string>>;
}

async function namesById(q: Q, table: 'tags' | 'lists', ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql<{ id: number; name: string }>`select id, name from ${sql.table(table)} where id = any(${[...new Set(ids)]}::int[])`.execute(q);
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Names of the subjects of other capabilities' conditions, each capability asked once for its own. */
async function activityNames(q: Q, conditions: Condition[]): Promise<Map<string, Map<number, string>>> {
  const byKey = new Map<string, number[]>();
  for (const c of conditions) if (c.kind === 'activity' && c.subjectId !== undefined) byKey.set(c.activity, [...(byKey.get(c.activity) ?? []), c.subjectId]);
  const found = await Promise.all([...byKey].map(async ([key, ids]) => [key, (await personCondition(key)?.names(q, [...new Set(ids)])) ?? new Map<number, string>()] as const));
  return new Map(found);
}

/** The names the definitions need: constituencies (politics), petitions (petitions), tags, lists and purposes. */
export async function segmentNames(q: Q, definitions: SegmentDefinition[]): Promise<SegmentNames> {
  const conditions = definitions.flatMap((d) => d.conditions);
  const codes = conditions.flatMap((c) => (c.kind === 'constituency' ? c.codes : []));
  const petitionIds = [
    ...new Set(conditions.flatMap((c) => (c.kind === 'action' && c.action.startsWith('petition.') && c.subjectId && /^\d{1,9}$/.test(c.subjectId) ? [c.subjectId] : []))),
  ];
  const purposeIds = conditions.flatMap((c) => (c.kind === 'consent' ? [c.purposeId] : []));
  const [constituencies, tags, lists, purposes, petitions] = await Promise.all([
    constituencyNames(q, codes),
    namesById(q, 'tags', conditions.flatMap((c) => (c.kind === 'tags' ? c.tagIds : []))),
    namesById(q, 'lists', conditions.flatMap((c) => (c.kind === 'lists' ? c.listIds : []))),
    listPurposes(q, { ids: [...new Set(purposeIds)] }),
    // One look-up each: a definition has at most 20 conditions.
    Promise.all(petitionIds.map(async (id) => [id, (await findPetition(q, Number(id)))?.action] as const)),
  ]);
  return {
    constituencies: new Map([...constituencies].map(([code, c]) => [code, c.name])),
    tags,
    lists,
    purposes: new Map(purposes.map((p) => [p.id, p.name])),
    petitions: new Map(petitions.flatMap(([id, title]) => (title ? [[id, title] as [string, string]] : []))),
    activities: await activityNames(q, conditions),
  };
}

const orList = (items: string[]) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)!}`);

function dates(c: { since?: string | undefined; before?: string | undefined }): string {
  const parts = [c.since ? `on or after ${formatCalendarDate(c.since)}` : '', c.before ? `before ${formatCalendarDate(c.before)}` : ''].filter(Boolean);
  return parts.length ? ` ${parts.join(' and ')}` : '';
}

/** One condition in words: "Lives in Hendon or Finchley and Golders Green", "Signed the petition “Save our unit”". */
export function describeCondition(c: Condition, names: SegmentNames): string {
  const quoted = (text: string) => `“${text}”`;
  let text: string;
  switch (c.kind) {
    case 'constituency':
      text = `Lives in ${orList(c.codes.map((code) => names.constituencies.get(code) ?? code))}`;
      break;
    case 'region':
      text = `Lives in ${orList(c.codes.map((code) => regions.find((r) => r.code === code)?.name ?? code))}`;
      break;
    case 'tags': {
      const tags = c.tagIds.map((id) => quoted(names.tags.get(id) ?? `tag ${id}`));
      text = c.match === 'all' ? `Has all of the tags ${andList(tags)}` : c.match === 'none' ? `Has none of the tags ${orList(tags)}` : `Has the tag ${orList(tags)}`;
      break;
    }
    case 'lists':
      text = `Is on the list ${orList(c.listIds.map((id) => quoted(names.lists.get(id) ?? `list ${id}`)))}`;
      break;
    case 'action': {
      const petition = c.subjectId && c.action.startsWith('petition.') ? names.petitions.get(c.subjectId) : undefined;
      if (c.action === 'petition.signed' && c.subjectId) text = `Signed the petition ${quoted(petition ?? `number ${c.subjectId}`)}`;
      else text = `${actionLabel(c.action)}${c.subjectId ? ` (${petition ? quoted(petition) : c.subjectId})` : ''}`;
      text += dates(c);
      break;
    }
    case 'consent':
      text = `Agreed to hear about ${quoted(names.purposes.get(c.purposeId) ?? `purpose ${c.purposeId}`)}`;
      break;
    case 'created':
      text = `Added${dates(c)}`;
      break;
    case 'activity': {
      const label = personCondition(c.activity)?.label ?? c.activity;
      text = c.subjectId === undefined ? label : `${label}: ${quoted(names.activities.get(c.activity)?.get(c.subjectId) ?? `number ${c.subjectId}`)}`;
      break;
    }
  }
  return c.not ? `Not: ${text.charAt(0).toLowerCase()}${text.slice(1)}` : text;
}

/** The whole definition in words, for the segment's page and list. */
export function describeDefinition(definition: SegmentDefinition, names: SegmentNames): { match: string; conditions: string[] } {
  if (definition.conditions.length === 0) return { match: 'Everyone you can see', conditions: [] };
  const match = definition.conditions.length === 1 ? 'People who match' : definition.match === 'all' ? 'People who match all of' : 'People who match any of';
  return { match, conditions: definition.conditions.map((c) => describeCondition(c, names)) };
}
