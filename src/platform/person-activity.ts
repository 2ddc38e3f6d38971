import type { RawBuilder } from 'kysely';
import type { Handle } from './db/view.ts';

/**
 * What people did in one capability, as the capability that owns it words and counts it: the
 * words of its timeline entries (person_actions kinds, such as `event.booked`), and conditions a
 * segment can use ("booked on an event") as SQL over the caller's column of people's ids, so the
 * supporters capability can build on another capability's records without naming its tables (as
 * `hears-from.ts` lets petitions use consent). Each manifest gives its own (`personActivity`);
 * `src/capabilities.ts` installs them all.
 */

/** A timeline entry as the words are built from it. */
export interface ActionEntry {
  kind: string;
  subjectId: string | null;
  detail: Record<string, unknown>;
}

export interface PersonActionWords {
  /** A short label ("Booked on an event"), for the segment builder's list of actions. */
  label: string;
  /** The entry as a sentence for the person's timeline ("Booked 2 places at …"). */
  sentence?: (entry: ActionEntry) => string;
}

export interface PersonCondition {
  /** Stored in segment definitions: 'event.booked'. */
  key: string;
  /** "Booked on an event". */
  label: string;
  /** The label of the choice of one subject ("Which event") and of not choosing one ("Any event"). */
  subjectLabel: string;
  anySubject: string;
  /** People who match, as SQL over their id (`person`, e.g. sql.ref('p.id')); one subject, or any. */
  matches: (person: RawBuilder<unknown>, subjectId: number | null) => RawBuilder<boolean>;
  /** The subjects these groups may build on ('all': every one), newest first, for the builder. */
  choices: (q: Handle, groupIds: number[] | 'all') => Promise<Array<{ id: number; name: string }>>;
  /** Names of subjects, for describing a segment in words. */
  names: (q: Handle, ids: number[]) => Promise<Map<number, string>>;
  /** Of these subject ids, those none of these groups may use (missing ones included). */
  outOfReach: (q: Handle, ids: number[], groupIds: number[]) => Promise<Set<number>>;
}

export interface PersonActivity {
  actions?: Readonly<Record<string, PersonActionWords>>;
  conditions?: readonly PersonCondition[];
}

let actions = new Map<string, PersonActionWords>();
let conditions = new Map<string, PersonCondition>();

export function installPersonActivity(list: readonly PersonActivity[]): void {
  actions = new Map(list.flatMap((a) => Object.entries(a.actions ?? {})));
  conditions = new Map(list.flatMap((a) => (a.conditions ?? []).map((c) => [c.key, c] as const)));
}

/** The label of an action kind another capability words; undefined when none does. */
export function personActionLabel(kind: string): string | undefined {
  return actions.get(kind)?.label;
}

/** A timeline entry in the words of the capability it came from; undefined when none words it. */
export function personActionSentence(entry: ActionEntry): string | undefined {
  const words = actions.get(entry.kind);
  if (!words) return undefined;
  return words.sentence ? words.sentence(entry) : words.label;
}

/** The segment conditions other capabilities offer, in the order installed. */
export function personConditions(): PersonCondition[] {
  return [...conditions.values()];
}

export function personCondition(key: string): PersonCondition | undefined {
  return conditions.get(key);
}
