import type { Handle } from './db/view.ts';
import type { AuditRecord } from './audit.ts';

/** What an audit sentence is made from: the entry, and its subject's name where one is known. */
export interface AuditSentenceInput {
  entry: AuditRecord;
  /** The subject's name ("Hendon Save Our NHS", "Jo Bloggs"), or a plain fallback ("a person"). */
  subject: string;
  /** The recorded values after the change, as an object (empty when none). */
  after: Record<string, unknown>;
}

/** One action in words: a short label (for the filter) and, where the label alone says too little, a sentence. */
export interface AuditActionWords {
  label: string;
  sentence?: (input: AuditSentenceInput) => string;
}

export interface AuditSubjectName {
  name: string;
  href?: string;
}

/**
 * How a capability's audit entries read: its actions (a key ending in `.*` covers every action
 * with that prefix) and the names of its subjects, looked up for the ids on one page of the log.
 */
export interface AuditWords {
  actions: Readonly<Record<string, AuditActionWords>>;
  subjects?: Readonly<Record<string, (q: Handle, ids: string[]) => Promise<Map<string, AuditSubjectName>>>>;
}

let installed: AuditWords[] = [];

/** Installed once from the capability list (`src/capabilities.ts`), like the personal-data registry. */
export function installAuditWords(list: readonly AuditWords[]): void {
  installed = [...list];
}

function wordsFor(action: string): AuditActionWords | undefined {
  for (const words of installed) {
    const exact = words.actions[action];
    if (exact) return exact;
  }
  for (const words of installed) {
    for (const [key, value] of Object.entries(words.actions)) if (key.endsWith('.*') && action.startsWith(key.slice(0, -1))) return value;
  }
  return undefined;
}

/** An action the capabilities do not word: its id made readable ("test.bulk" → "Test bulk"). */
function readableId(action: string): string {
  const words = action.replace(/[._-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The label of an action, for the audit log's filter. */
export function auditActionLabel(action: string): string {
  return wordsFor(action)?.label ?? readableId(action);
}

export interface DescribedAuditEntry {
  sentence: string;
  subject?: AuditSubjectName | undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Each entry as a sentence for people, with its subject named (and linked) where its capability knows it. */
export async function describeAuditEntries(q: Handle, entries: readonly AuditRecord[]): Promise<DescribedAuditEntry[]> {
  const idsByType = new Map<string, Set<string>>();
  for (const e of entries) if (e.subjectId) (idsByType.get(e.subjectType) ?? idsByType.set(e.subjectType, new Set()).get(e.subjectType)!).add(e.subjectId);
  const names = new Map<string, Map<string, AuditSubjectName>>();
  for (const [type, ids] of idsByType) {
    const resolve = installed.map((w) => w.subjects?.[type]).find((f) => f !== undefined);
    if (resolve) names.set(type, await resolve(q, [...ids]));
  }
  return entries.map((entry) => {
    const subject = entry.subjectId ? names.get(entry.subjectType)?.get(entry.subjectId) : undefined;
    // A subject gone since (a deleted group) is named as the entry recorded it, else by its type and id.
    const recorded = [entry.before, entry.after].map((v) => (isRecord(v) && typeof v.name === 'string' ? v.name : undefined)).find(Boolean);
    const fallback = recorded ?? (entry.subjectId ? `${entry.subjectType.replace(/_/g, ' ')} ${entry.subjectId}` : '');
    const input = { entry, subject: subject?.name ?? fallback, after: isRecord(entry.after) ? entry.after : {} };
    const words = wordsFor(entry.action);
    const label = words?.label ?? readableId(entry.action);
    const sentence = words?.sentence ? words.sentence(input) : input.subject ? `${label} ${input.subject}` : label;
    return { sentence, subject };
  });
}

/** "1 person" / "3 people". */
export function countOf(n: unknown, one: string, many: string): string {
  const value = typeof n === 'number' ? n : Array.isArray(n) ? n.length : 0;
  return `${value} ${value === 1 ? one : many}`;
}
