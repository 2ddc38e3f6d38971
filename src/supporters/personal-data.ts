import { conflict, personalDataProviders, recordAudit, type Viewer } from '../platform/index.ts';
import type { Q } from './tables.ts';
import { findPersonById } from './person-record.ts';

/*
 * Where personal data about a supporter lives: each capability that keeps some (petitions,
 * mailings, API webhooks, bookings...) names a provider in its manifest, and the registry built
 * from the capability list (platform/personal-data.ts) holds them all, so a subject access
 * request finds all of it and an erasure removes all of it.
 */

/** Everything held about a person, by source: the subject access copy. */
export async function exportPersonalData(q: Q, personId: number): Promise<Record<string, unknown>> {
  const data: Record<string, unknown> = { exportedAt: new Date() };
  for (const source of personalDataProviders()) data[source.name] = await source.export(q, personId);
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
  const ordered = [...personalDataProviders()].sort((a, b) => Number(a.eraseLast ?? false) - Number(b.eraseLast ?? false));
  for (const source of ordered) await source.erase(q, personId);
  await recordAudit(q, { actor, action: 'person.erase', subjectType: 'person', subjectId: person.publicId });
}
