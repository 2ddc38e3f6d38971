import { recordAudit } from '../platform/audit.ts';
import { conflict } from '../platform/http/errors.ts';
import type { Viewer } from '../platform/web/context.ts';
import type { Q } from '../schema.ts';
import { findPersonById } from './person-record.ts';
import { eraseSignatureData, eraseSupporterData, exportSignatureData, exportSupporterData } from './supporter-data.ts';

/**
 * Where personal data about a supporter lives. Each capability that keeps some (petitions,
 * mailings, API webhooks, bookings...) registers a source, so a subject access request finds
 * all of it and an erasure removes all of it:
 *
 *   registerPersonalData({ name: 'mailings', export: (q, id) => ..., erase: (q, id) => ... });
 *
 * `export` returns JSON-able data about that person only; `erase` removes what identifies them
 * while keeping anonymous counts. Both run in the caller's transaction.
 */
export interface PersonalDataSource {
  /** A short name, used as the key of this data in the export ('petition-signatures'). */
  name: string;
  export(q: Q, personId: number): Promise<unknown>;
  erase(q: Q, personId: number): Promise<void>;
}

const sources = new Map<string, PersonalDataSource>();

export function registerPersonalData(source: PersonalDataSource): void {
  sources.set(source.name, source);
}

export function personalDataSources(): PersonalDataSource[] {
  return [...sources.values()];
}

registerPersonalData({ name: 'supporter', export: exportSupporterData, erase: eraseSupporterData });
registerPersonalData({ name: 'petition-signatures', export: exportSignatureData, erase: eraseSignatureData });

/** Everything held about a person, by source: the subject access copy. */
export async function exportPersonalData(q: Q, personId: number): Promise<Record<string, unknown>> {
  const data: Record<string, unknown> = { exportedAt: new Date() };
  for (const source of sources.values()) data[source.name] = await source.export(q, personId);
  return data;
}

/**
 * Erases a person everywhere: every source removes its personal data (the supporters record
 * last, since others may look at it first). Audited without the erased data.
 */
export async function erasePerson(q: Q, personId: number, actor: Viewer | string): Promise<void> {
  const person = await findPersonById(q, personId);
  if (!person) throw conflict('This record no longer exists.');
  if (person.mergedIntoId) throw conflict('This record was merged into another: erase that one instead.');
  const ordered = [...sources.values()].sort((a, b) => Number(a.name === 'supporter') - Number(b.name === 'supporter'));
  for (const source of ordered) await source.erase(q, personId);
  await recordAudit(q, { actor, action: 'person.erase', subjectType: 'person', subjectId: person.publicId });
}
