import { notFound, type Brand } from '../platform/index.ts';
import type { ConsentStatus, Q } from './tables.ts';
import { WITHDRAWABLE_STATES, findWording, giveConsent, listPurposes, purposeFor, withdrawConsent, type Purpose, type Wording } from './consent.ts';
import { recordAction } from './people.ts';
import { findPersonById, findPersonByPublicId, type Person } from './person-record.ts';
import { readPreferencesToken, readUnsubscribeToken, type UnsubscribeGrant } from './subscriber-tokens.ts';
import { currentWording } from './wordings.ts';

/** One line of the preferences page: a purpose, the person's consent, and the words to agree to. */
export interface PreferenceLine {
  purpose: Purpose;
  status: ConsentStatus | null;
  wording: Wording;
}

/** The live person behind a preferences link (following a merge), or not found. */
export async function personForPreferences(q: Q, secret: string, token: string): Promise<Person> {
  const publicId = readPreferencesToken(secret, token);
  return livePerson(q, publicId ? await findPersonByPublicId(q, publicId) : undefined);
}

async function livePerson(q: Q, person: Person | undefined): Promise<Person> {
  let current = person;
  for (let hops = 0; current?.mergedIntoId && hops < 20; hops++) current = await findPersonById(q, current.mergedIntoId);
  if (!current || current.erasedAt || current.mergedIntoId) throw notFound('page (the link may be incomplete: try copying the whole link from the email)');
  return current;
}

/** The coalition's updates, and every purpose the person has ever been asked about. */
export async function preferencesOf(q: Q, personId: number, brand: Brand): Promise<PreferenceLine[]> {
  const coalition = await purposeFor(q, { groupId: null });
  const rows = await q.selectFrom('consents').select(['purpose_id', 'status']).where('person_id', '=', personId).execute();
  const status = new Map(rows.map((r) => [r.purpose_id, r.status]));
  const purposes = await listPurposes(q, { ids: [...new Set([coalition.id, ...status.keys()])] });
  const lines: PreferenceLine[] = [];
  for (const purpose of purposes) {
    lines.push({ purpose, status: status.get(purpose.id) ?? null, wording: await currentWording(q, purpose, brand) });
  }
  return lines;
}

/**
 * Saves the preferences form: ticked purposes are given (with the words shown beside them),
 * unticked ones withdrawn. Returns how many consents changed.
 */
export async function savePreferences(
  q: Q,
  person: Person,
  brand: Brand,
  chosen: Map<number, number | undefined>,
  ip: string | null,
): Promise<number> {
  let changed = 0;
  for (const line of await preferencesOf(q, person.id, brand)) {
    const wantsIt = chosen.has(line.purpose.id);
    if (wantsIt && line.status !== 'given') {
      const shownId = chosen.get(line.purpose.id);
      const shown = shownId === undefined ? undefined : await findWording(q, line.purpose.id, shownId);
      const wording = shown ?? line.wording;
      await giveConsent(q, { personId: person.id, purposeId: line.purpose.id, wordingId: wording.id, method: 'preferences', ip });
      changed++;
    } else if (!wantsIt && (line.status === 'given' || line.status === 'pending')) {
      if (await withdrawConsent(q, { personId: person.id, purposeId: line.purpose.id, method: 'preferences', ip })) changed++;
    }
  }
  if (changed > 0) await recordAction(q, person.id, { kind: 'preferences.changed', detail: { changed } });
  return changed;
}

/** "Unsubscribe from everything" on the preferences page. */
export async function withdrawAll(q: Q, person: Person, ip: string | null): Promise<number> {
  const rows = await q
    .selectFrom('consents')
    .select('purpose_id')
    .where('person_id', '=', person.id)
    .where('status', 'in', WITHDRAWABLE_STATES)
    .execute();
  let changed = 0;
  for (const row of rows) {
    if (await withdrawConsent(q, { personId: person.id, purposeId: row.purpose_id, method: 'preferences:withdraw-all', ip })) changed++;
  }
  if (changed > 0) await recordAction(q, person.id, { kind: 'consent.withdrawn-all', detail: { purposes: changed } });
  return changed;
}

export interface Unsubscription {
  person: Person;
  purpose: Purpose;
  grant: UnsubscribeGrant;
}

/** Reads a one-click unsubscribe link (nothing changes). */
export async function readUnsubscribe(q: Q, secret: string, token: string): Promise<Unsubscription> {
  const grant = readUnsubscribeToken(secret, token);
  const person = await livePerson(q, grant ? await findPersonByPublicId(q, grant.personPublicId) : undefined);
  const purpose = (await listPurposes(q, { ids: [grant!.purposeId] }))[0];
  if (!purpose) throw notFound('list');
  return { person, purpose, grant: grant! };
}

/**
 * One-click unsubscribe (RFC 8058): withdraws the link's purpose at once. The mailing the link
 * came in is recorded as the event's source, for that mailing's report.
 */
export async function unsubscribe(q: Q, secret: string, token: string, ip: string | null): Promise<Unsubscription & { changed: boolean }> {
  const found = await readUnsubscribe(q, secret, token);
  const changed = await withdrawConsent(q, {
    personId: found.person.id,
    purposeId: found.purpose.id,
    method: 'unsubscribe-link',
    source: found.grant.mailingId > 0 ? `mailing:${found.grant.mailingId}` : null,
    ip,
  });
  if (changed) {
    await recordAction(q, found.person.id, {
      kind: 'consent.withdrawn',
      subjectType: 'purpose',
      subjectId: found.purpose.id,
      groupId: found.purpose.groupId,
      detail: { method: 'unsubscribe-link', ...(found.grant.mailingId > 0 ? { mailingId: found.grant.mailingId } : {}) },
    });
  }
  return { ...found, changed };
}
