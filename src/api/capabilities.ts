import { sql } from 'kysely';
import { canonicalEmail } from '../petitions/canonical-email.ts';
import { isCountryCode, UK } from '../petitions/countries.ts';
import { queueConfirmationSender } from '../petitions/confirmation-emails.ts';
import { defaultRateLimits } from '../petitions/rate-limit.ts';
import { consentTextId, hearMoreWording, signFormSchema, toSignatureInput, type SignForm } from '../petitions/sign-petition.ts';
import { writeBatch, type SignOutcome } from '../petitions/signature-writer.ts';
import { findPetition, hydrate, type Petition } from '../petitions/store.ts';
import { resolvePostcodes, type PostcodePlace } from '../politics/postcodes.ts';
import type { Q, Tx } from '../schema.ts';
import { connectToGroups, recordAction, splitName, upsertPerson, type ActionProps, type PersonFacts, type PersonRef } from '../supporters/people.ts';

/**
 * Everything the API asks of other capabilities, in one place. Each function here is a thin
 * adapter over the owning capability's exported function. Where that capability had no such
 * function yet (marked MISSING), the adapter does the smallest honest thing against its tables,
 * so the owner's function can replace it here, and only here, when it lands.
 */

// ---- Supporters: people ----------------------------------------------------------------------

export type SupporterFacts = PersonFacts;

/** Creates or updates the one person with this canonical email (supporters' upsertPerson). */
export function saveSupporter(q: Q, facts: SupporterFacts): Promise<PersonRef> {
  return upsertPerson(q, facts);
}

/** Adds an entry to the person's timeline and connects them to its group (supporters' recordAction). */
export function recordSupporterAction(q: Q, personId: number, action: ActionProps): Promise<unknown> {
  return recordAction(q, personId, action);
}

/** Connects a person to groups, so those groups' organisers and API keys see them. */
export function connectSupporterToGroups(q: Q, personId: number, groupIds: number[]): Promise<void> {
  return connectToGroups(q, personId, groupIds);
}

export { canonicalEmail };

/** "Ada Lovelace King" → given "Ada", family "Lovelace King" (supporters' splitName). */
export const splitPersonName = splitName;

// ---- Supporters: tags ------------------------------------------------------------------------

/**
 * MISSING in supporters (expected: a tag lookup-or-create and a tagging function). Finds or
 * makes each tag in the group (null: the coalition's own tags) and tags the person with it.
 */
export async function tagSupporter(q: Q, personId: number, tagNames: string[], groupId: number | null): Promise<void> {
  const names = [...new Map(tagNames.map((n) => [n.trim().toLowerCase(), n.trim()])).values()].filter(Boolean);
  for (const name of names) {
    const existing = await sql<{ id: number }>`
      select id from tags where coalesce(group_id, 0) = ${groupId ?? 0} and lower(name) = lower(${name})`.execute(q);
    let tagId = existing.rows[0]?.id;
    if (tagId === undefined) {
      const made = await sql<{ id: number }>`
        insert into tags (name, group_id) values (${name}, ${groupId})
        on conflict (coalesce(group_id, 0), lower(name)) do update set modified_at = now()
        returning id`.execute(q);
      tagId = made.rows[0]!.id;
    }
    const tagged = await sql`insert into taggings (tag_id, person_id) values (${tagId}, ${personId}) on conflict do nothing`.execute(q);
    if (Number(tagged.numAffectedRows ?? 0) > 0) await sql`update tags set modified_at = now() where id = ${tagId}`.execute(q);
  }
}

// ---- Supporters: consent ---------------------------------------------------------------------

/** The purpose key for a group's updates, or the coalition's (as the supporters schema names them). */
export function purposeKeyFor(groupId: number | null): string {
  return groupId === null ? 'coalition.updates' : `group.${groupId}.updates`;
}

/** MISSING in supporters (expected: purposeFor). The consent purpose for a group's (or the coalition's) updates. */
export async function consentPurposeFor(q: Q, groupId: number | null): Promise<number> {
  const key = purposeKeyFor(groupId);
  const found = await q.selectFrom('consent_purposes').select('id').where('key', '=', key).executeTakeFirst();
  if (found) return found.id;
  let name = 'Coalition updates';
  if (groupId !== null) {
    const group = await q.selectFrom('groups').select('name').where('id', '=', groupId).executeTakeFirstOrThrow();
    name = `${group.name} updates`;
  }
  await q
    .insertInto('consent_purposes')
    .values({ key, group_id: groupId, name })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return (await q.selectFrom('consent_purposes').select('id').where('key', '=', key).executeTakeFirstOrThrow()).id;
}

/** MISSING in supporters (expected: wordingFor). The versioned wording with exactly these words. */
export async function consentWordingFor(q: Q, purposeId: number, text: string): Promise<number> {
  const found = await q.selectFrom('consent_wordings').select('id').where('purpose_id', '=', purposeId).where('wording', '=', text).executeTakeFirst();
  if (found) return found.id;
  await sql`
    insert into consent_wordings (purpose_id, version, wording)
    select ${purposeId}, coalesce(max(version), 0) + 1, ${text} from consent_wordings where purpose_id = ${purposeId}
    on conflict do nothing`.execute(q);
  return (await q.selectFrom('consent_wordings').select('id').where('purpose_id', '=', purposeId).where('wording', '=', text).executeTakeFirstOrThrow()).id;
}

export interface ApiConsentChange {
  personId: number;
  purposeId: number;
  wordingId: number | null;
  /** 'api:<key id>' */
  method: string;
  source: string | null;
}

/** MISSING in supporters (expected: giveConsent). Consent given, with its proof event; false when it already was. */
export async function giveSupporterConsent(q: Q, change: ApiConsentChange): Promise<boolean> {
  const current = await sql<{ status: string }>`
    select status from consents where person_id = ${change.personId} and purpose_id = ${change.purposeId} for update`.execute(q);
  if (current.rows[0]?.status === 'given') return false;
  await sql`
    insert into consents (person_id, purpose_id, status, wording_id, method, source, requested_at, given_at)
    values (${change.personId}, ${change.purposeId}, 'given', ${change.wordingId}, ${change.method}, ${change.source}, now(), now())
    on conflict (purpose_id, person_id) do update set status = 'given', wording_id = excluded.wording_id,
      method = excluded.method, source = excluded.source, given_at = excluded.given_at, withdrawn_at = null`.execute(q);
  await addConsentEvent(q, change, 'given');
  return true;
}

/** MISSING in supporters (expected: withdrawConsent). Withdraws a given or pending consent; false when there was none. */
export async function withdrawSupporterConsent(q: Q, change: ApiConsentChange): Promise<boolean> {
  const updated = await sql`
    update consents set status = 'withdrawn', withdrawn_at = now()
    where person_id = ${change.personId} and purpose_id = ${change.purposeId} and status in ('given', 'pending')`.execute(q);
  if (Number(updated.numAffectedRows ?? 0) === 0) return false;
  await addConsentEvent(q, change, 'withdrawn');
  return true;
}

async function addConsentEvent(q: Q, change: ApiConsentChange, event: 'given' | 'withdrawn'): Promise<void> {
  await q
    .insertInto('consent_events')
    .values({ person_id: change.personId, purpose_id: change.purposeId, event, wording_id: change.wordingId, method: change.method, source: change.source })
    .execute();
}

/** MISSING in supporters (expected: a batch form of hasLiveConsent). Which of these people may be emailed for the purpose. */
export async function peopleWithLiveConsent(q: Q, personIds: number[], purposeKey: string): Promise<Set<number>> {
  if (personIds.length === 0) return new Set();
  const rows = await q
    .selectFrom('consents')
    .innerJoin('consent_purposes', 'consent_purposes.id', 'consents.purpose_id')
    .select('consents.person_id')
    .where('consent_purposes.key', '=', purposeKey)
    .where('consents.status', '=', 'given')
    .where('consents.person_id', 'in', personIds)
    .execute();
  return new Set(rows.map((r) => r.person_id));
}

// ---- Supporters: personal data registry ------------------------------------------------------

export interface ApiPersonalDataSource {
  name: string;
  export(q: Q, personId: number): Promise<unknown>;
  erase(q: Q, personId: number): Promise<void>;
}

const apiPersonalData: ApiPersonalDataSource[] = [];

/**
 * MISSING in supporters (expected: registerPersonalData in src/supporters/personal-data.ts).
 * Until it exists the source is kept here; at merge, call the supporters' registerPersonalData.
 */
export function registerApiPersonalData(source: ApiPersonalDataSource): void {
  if (!apiPersonalData.some((s) => s.name === source.name)) apiPersonalData.push(source);
}

export function apiPersonalDataSources(): readonly ApiPersonalDataSource[] {
  return apiPersonalData;
}

// ---- Politics --------------------------------------------------------------------------------

export type { PostcodePlace };

/** Where each postcode is (politics' resolvePostcodes). */
export function placesOfPostcodes(q: Q, postcodes: string[]): Promise<Map<string, PostcodePlace>> {
  return resolvePostcodes(q, postcodes);
}

/** MISSING in politics (expected: constituency names by code). */
export async function constituencyNames(q: Q, codes: string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(codes)];
  if (wanted.length === 0) return new Map();
  const rows = await q.selectFrom('constituencies').select(['code', 'name']).where('code', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}

// ---- Petitions -------------------------------------------------------------------------------

export type { Petition, SignForm, SignOutcome };

/** ISO 3166 country codes the petitions capability knows ('GB' is the UK). */
export { isCountryCode, UK };

/** One petition with its groups and milestones (petitions' findPetition). */
export function petitionById(q: Q, id: number): Promise<Petition | undefined> {
  return findPetition(q, id);
}

/** Petition rows hydrated with their groups (petitions' hydrate). */
export const hydratePetitions = hydrate;

/** The public sign form's own rules (name, email, country, postcode), reused for API signers. */
export const petitionSignerSchema = signFormSchema;

export interface ApiSignature {
  petition: Petition;
  form: SignForm;
  coalitionName: string;
}

/**
 * Records a signature through the petitions capability's writer: the open-petition check, the
 * postcode lookup, the duplicate rule (a second signature for the same person is never stored)
 * and the confirmation email (the signature counts once the signer confirms it), exactly as the
 * public form. No client address is passed: the API key's own rate limit applies instead.
 */
export async function recordPetitionSignature(tx: Tx, signature: ApiSignature): Promise<SignOutcome> {
  const { petition, form } = signature;
  const wording = hearMoreWording(signature.coalitionName, petition.groups.map((g) => g.name));
  const consentId = form.hear_more ? await consentTextId(tx, wording) : null;
  const input = toSignatureInput(form, petition.id, null, consentId);
  const [outcome] = await writeBatch(tx, [input], {
    resolvePostcodes: (q, postcodes) => resolvePostcodes(q, postcodes),
    rateLimits: defaultRateLimits,
    onConfirmationsDue: (q) => queueConfirmationSender(q),
  });
  return outcome!;
}
