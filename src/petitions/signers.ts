import { sql, type RawBuilder } from 'kysely';
import type { Handle } from '../platform/index.ts';
import type { StoredArrival } from './arrival.ts';
import { petitionsQ } from './tables.ts';
import { countedSignature } from './states.ts';
import { petitionPath } from './store.ts';

/**
 * What the petitions capability tells the supporters capability about the people who signed:
 * confirmed signatures not yet linked to a person, linking them, a person's signatures for
 * their data export, and erasing a signature's personal data. Erasing keeps the state, counted
 * flag, constituency, country and region, so a petition's totals and tallies never drop.
 */

/** A confirmed signature waiting to become (part of) a person. */
export interface SignerToLink {
  petitionId: number;
  signatureId: number;
  publicId: string;
  name: string;
  email: string;
  postcode: string | null;
  countryCode: string;
  constituencyCode: string | null;
  regionCode: string | null;
  ip: string | null;
  hearMore: boolean;
  /** The exact words next to the "hear more" box, when it was ticked. */
  consentWording: string | null;
  signedAt: Date;
  confirmedAt: Date;
  petitionAction: string;
  groupIds: number[];
  /** Where the signer came from (the petition page's utm_* tags and the other site that linked to it). */
  arrival: StoredArrival;
}

/**
 * Claims up to `limit` confirmed signatures that belong to no person yet. Call inside a
 * transaction: the rows stay locked (other workers skip them) until it commits.
 */
export async function confirmedUnlinkedSignatures(handle: Handle, limit: number): Promise<SignerToLink[]> {
  const q = petitionsQ(handle);
  const result = await sql<{
    petition_id: number;
    id: number;
    public_id: string;
    name: string;
    email: string;
    postcode: string | null;
    country_code: string;
    constituency_code: string | null;
    region_code: string | null;
    ip: string | null;
    hear_more: boolean;
    wording: string | null;
    created_at: Date;
    validated_at: Date | null;
    action: string;
    group_ids: number[];
    utm_source: string | null;
    utm_medium: string | null;
    utm_campaign: string | null;
    referrer: string | null;
  }>`
    with batch as (
      select petition_id, id from signatures
      where ${countedSignature()} and person_id is null and erased_at is null and email is not null
      order by petition_id, id
      limit ${limit}
      for update skip locked
    )
    select s.petition_id, s.id, s.public_id, s.name, s.email, s.postcode, s.country_code, s.constituency_code, s.region_code,
      host(s.ip) as ip, s.hear_more, t.wording, s.created_at, s.validated_at, p.action, s.utm_source, s.utm_medium, s.utm_campaign, s.referrer,
      array(select g.group_id from petition_groups g where g.petition_id = s.petition_id order by g.group_id) as group_ids
    from batch b
    join signatures s on s.petition_id = b.petition_id and s.id = b.id
    join petitions p on p.id = s.petition_id
    left join signature_consent_texts t on t.id = s.consent_text_id
    order by s.petition_id, s.id`.execute(q);
  return result.rows.map((r) => ({
    petitionId: r.petition_id,
    signatureId: r.id,
    publicId: r.public_id,
    name: r.name,
    email: r.email,
    postcode: r.postcode,
    countryCode: r.country_code,
    constituencyCode: r.constituency_code,
    regionCode: r.region_code,
    ip: r.ip,
    hearMore: r.hear_more,
    consentWording: r.hear_more ? r.wording : null,
    signedAt: r.created_at,
    confirmedAt: r.validated_at ?? r.created_at,
    petitionAction: r.action,
    groupIds: r.group_ids,
    arrival: { utmSource: r.utm_source, utmMedium: r.utm_medium, utmCampaign: r.utm_campaign, referrer: r.referrer },
  }));
}

/** Marks a signature as belonging to a person. */
export async function linkSignatureToPerson(handle: Handle, petitionId: number, signatureId: number, personId: number): Promise<void> {
  const q = petitionsQ(handle);
  await q.updateTable('signatures').set({ person_id: personId }).where('petition_id', '=', petitionId).where('id', '=', signatureId).execute();
}

/** Moves every signature of one person to another (when two records are merged). */
export async function moveSignatures(handle: Handle, fromPersonId: number, toPersonId: number): Promise<number> {
  const q = petitionsQ(handle);
  const result = await q.updateTable('signatures').set({ person_id: toPersonId }).where('person_id', '=', fromPersonId).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** How many signatures a person has (any state), for comparing two records before a merge. */
export async function signatureCountOfPerson(handle: Handle, personId: number): Promise<number> {
  const row = await petitionsQ(handle)
    .selectFrom('signatures')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('person_id', '=', personId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * "This person has signed something", as a condition over the caller's own rows (`person` names
 * its people id column, e.g. sql.ref('p.id')): set-based, for statements that run over many people
 * (retention deletes people who hold nothing, signatures included).
 */
export function hasSignaturesCondition(person: RawBuilder<unknown>): RawBuilder<boolean> {
  return sql<boolean>`exists (select 1 from signatures s where s.person_id = ${person})`;
}

/** A person's signature as their data export shows it. */
export interface SignatureRecord {
  petition: string;
  petitionUrl: string;
  state: string;
  name: string | null;
  email: string | null;
  postcode: string | null;
  countryCode: string;
  constituencyCode: string | null;
  hearMore: boolean;
  consentWording: string | null;
  ip: string | null;
  comments: string | null;
  referrerData: unknown;
  signedAt: Date;
  confirmedAt: Date | null;
  erasedAt: Date | null;
}

export async function signaturesOfPerson(handle: Handle, personId: number): Promise<SignatureRecord[]> {
  const q = petitionsQ(handle);
  const rows = await sql<{
    id: number;
    slug: string;
    action: string;
    state: string;
    name: string | null;
    email: string | null;
    postcode: string | null;
    country_code: string;
    constituency_code: string | null;
    hear_more: boolean;
    wording: string | null;
    ip: string | null;
    comments: string | null;
    referrer_data: unknown;
    created_at: Date;
    validated_at: Date | null;
    erased_at: Date | null;
    utm_source: string | null;
    utm_medium: string | null;
    utm_campaign: string | null;
    referrer: string | null;
  }>`
    select p.id, p.slug, p.action, s.state, s.name, s.email, s.postcode, s.country_code, s.constituency_code, s.hear_more,
      t.wording, host(s.ip) as ip, s.comments, s.referrer_data, s.created_at, s.validated_at, s.erased_at, s.utm_source, s.utm_medium, s.utm_campaign, s.referrer
    from signatures s join petitions p on p.id = s.petition_id
    left join signature_consent_texts t on t.id = s.consent_text_id
    where s.person_id = ${personId}
    order by s.created_at`.execute(q);
  return rows.rows.map((r) => ({
    petition: r.action,
    petitionUrl: petitionPath(r.id, r.slug),
    state: r.state,
    name: r.name,
    email: r.email,
    postcode: r.postcode,
    countryCode: r.country_code,
    constituencyCode: r.constituency_code,
    hearMore: r.hear_more,
    consentWording: r.hear_more ? r.wording : null,
    ip: r.ip,
    comments: r.comments,
    referrerData: r.referrer_data,
    cameFrom: { utmSource: r.utm_source, utmMedium: r.utm_medium, utmCampaign: r.utm_campaign, referrer: r.referrer },
    signedAt: r.created_at,
    confirmedAt: r.validated_at,
    erasedAt: r.erased_at,
  }));
}

/**
 * Removes the personal data of a person's signatures (name, email, postcode, address) and
 * marks them erased. The rows stay, counted as before, so no total or tally changes.
 */
export async function eraseSignaturesOfPerson(handle: Handle, personId: number): Promise<number> {
  const q = petitionsQ(handle);
  const result = await sql`
    update signatures set name = null, email = null, canonical_email = null, postcode = null, ip = null, comments = null, referrer_data = null, referrer = null,
      erased_at = coalesce(erased_at, now())
    where person_id = ${personId}`.execute(q);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * Retention: erases the personal data of signatures on petitions that closed more than
 * `months` months ago (counts stay as they are).
 */
export async function eraseSignaturesAfterClosing(handle: Handle, months: number, now: Date = new Date()): Promise<number> {
  const q = petitionsQ(handle);
  const result = await sql`
    update signatures s set name = null, email = null, canonical_email = null, postcode = null, ip = null, comments = null, referrer_data = null, referrer = null, erased_at = ${now}
    from petitions p
    where p.id = s.petition_id and p.state = 'closed' and p.closed_at < ${now}::timestamptz - make_interval(months => ${months})
      and s.erased_at is null`.execute(q);
  return Number(result.numAffectedRows ?? 0);
}
