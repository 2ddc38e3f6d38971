import { sql } from 'kysely';
import { canonicalEmail, signatureCountOfPerson } from '../petitions/index.ts';
import type { FieldErrors } from '../platform/index.ts';
import type { Q } from './tables.ts';
import { livePersonIdFor } from './people.ts';
import { findPersonById, findPersonByPublicId, type Person } from './person-record.ts';

/** What an admin compares before choosing which of two records to keep. */
export interface RecordSummary {
  person: Person;
  actions: number;
  consents: number;
  signatures: number;
}

export async function summariseRecord(q: Q, person: Person): Promise<RecordSummary> {
  const counts = await sql<{ actions: number; consents: number }>`
    select (select count(*)::int from person_actions where person_id = ${person.id}) as actions,
      (select count(*)::int from consents where person_id = ${person.id}) as consents`.execute(q);
  return { person, ...counts.rows[0]!, signatures: await signatureCountOfPerson(q, person.id) };
}

/** A record named by its email address or its id (from its page's address). */
async function findRecord(q: Q, text: string): Promise<Person | undefined> {
  const trimmed = text.trim();
  if (trimmed.includes('@')) {
    const id = await livePersonIdFor(q, canonicalEmail(trimmed));
    return id === undefined ? undefined : findPersonById(q, id);
  }
  const person = await findPersonByPublicId(q, trimmed);
  return person && !person.mergedIntoId && !person.erasedAt ? person : undefined;
}

export interface RecordsToMerge {
  a: Person | undefined;
  b: Person | undefined;
  /** Beside the `first` and `second` fields: missing, no such live record, or the same record twice. */
  errors: FieldErrors;
}

/** The two live, different records an admin named (by email address or id) to merge. */
export async function findRecordsToMerge(q: Q, first: string | undefined, second: string | undefined): Promise<RecordsToMerge> {
  const errors: FieldErrors = {};
  const a = first?.trim() ? await findRecord(q, first) : undefined;
  const b = second?.trim() ? await findRecord(q, second) : undefined;
  if (!first?.trim()) errors.first = 'Enter the first record’s email address or id';
  else if (!a) errors.first = 'No live record has that email address or id';
  if (!second?.trim()) errors.second = 'Enter the second record’s email address or id';
  else if (!b) errors.second = 'No live record has that email address or id';
  if (a && b && a.id === b.id) errors.second = 'Choose a different record from the first';
  return { a, b, errors };
}
