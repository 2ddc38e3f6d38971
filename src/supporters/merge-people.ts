import { sql } from 'kysely';
import { moveSignatures } from '../petitions/index.ts';
import { conflict, recordAudit, type Viewer } from '../platform/index.ts';
import type { Q } from './tables.ts';
import { recordAction } from './people.ts';
import { findPersonById, type Person } from './person-record.ts';

export interface MergePeopleProps {
  /** The record kept. */
  survivorId: number;
  /** The record folded into it (marked merged_into_id, never deleted). */
  mergedId: number;
  actor: Viewer | string;
}

/**
 * For each purpose both records have a consent for, which one stands: the most recent
 * decision (given or withdrawn) wins; a request still waiting never overrides a decision.
 */
async function mergeConsents(q: Q, survivorId: number, mergedId: number): Promise<void> {
  await sql`
    with pairs as (
      select m.purpose_id from consents m join consents s on s.purpose_id = m.purpose_id and s.person_id = ${survivorId}
      where m.person_id = ${mergedId}
        and (
          (s.status = 'pending' and m.status <> 'pending')
          or (s.status <> 'pending' and m.status <> 'pending'
              and greatest(m.given_at, m.withdrawn_at) > greatest(s.given_at, s.withdrawn_at))
          or (s.status = 'pending' and m.status = 'pending' and m.requested_at > s.requested_at)
        )
    ), dropped as (
      delete from consents s using pairs where s.person_id = ${survivorId} and s.purpose_id = pairs.purpose_id returning s.purpose_id
    )
    select count(*) from dropped`.execute(q);
  // The merged record's consents that now have no counterpart move; the rest were outweighed.
  await sql`update consents set person_id = ${survivorId}
    where person_id = ${mergedId} and purpose_id not in (select purpose_id from consents where person_id = ${survivorId})`.execute(q);
  await sql`delete from consents where person_id = ${mergedId}`.execute(q);
  await sql`update consent_events set person_id = ${survivorId} where person_id = ${mergedId}`.execute(q);
}

/** Moves rows of a (person, other key) table, dropping duplicates the survivor already has. */
async function moveMemberships(q: Q, survivorId: number, mergedId: number): Promise<void> {
  await sql`insert into person_groups (person_id, group_id, first_at)
    select ${survivorId}, group_id, first_at from person_groups where person_id = ${mergedId}
    on conflict (group_id, person_id) do update set first_at = least(person_groups.first_at, excluded.first_at)`.execute(q);
  await sql`delete from person_groups where person_id = ${mergedId}`.execute(q);
  await sql`insert into taggings (tag_id, person_id, created_at)
    select tag_id, ${survivorId}, created_at from taggings where person_id = ${mergedId} on conflict do nothing`.execute(q);
  await sql`delete from taggings where person_id = ${mergedId}`.execute(q);
  await sql`insert into list_members (list_id, person_id, added_at)
    select list_id, ${survivorId}, added_at from list_members where person_id = ${mergedId} on conflict do nothing`.execute(q);
  await sql`delete from list_members where person_id = ${mergedId}`.execute(q);
}

/**
 * Merges two records of one person. The survivor keeps the history of both: timeline,
 * consents and their proof, groups, tags, lists and petition signatures; facts it lacks are
 * taken from the other record, which is marked merged (so its address still finds the survivor).
 */
export async function mergePeople(q: Q, props: MergePeopleProps): Promise<Person> {
  const { survivorId, mergedId } = props;
  if (survivorId === mergedId) throw conflict('Choose two different records to merge.');
  const [survivor, merged] = await Promise.all([findPersonById(q, survivorId), findPersonById(q, mergedId)]);
  if (!survivor || !merged) throw conflict('One of these records no longer exists.');
  if (survivor.mergedIntoId || merged.mergedIntoId) throw conflict('One of these records has already been merged into another.');
  if (survivor.erasedAt || merged.erasedAt) throw conflict('An erased record cannot be merged.');
  // Lock both rows so two merges of the same records cannot interleave.
  await sql`select id from people where id in (${survivorId}, ${mergedId}) order by id for update`.execute(q);

  await sql`update person_actions set person_id = ${survivorId} where person_id = ${mergedId}`.execute(q);
  await mergeConsents(q, survivorId, mergedId);
  await moveMemberships(q, survivorId, mergedId);
  await moveSignatures(q, mergedId, survivorId);
  await sql`
    update people s set
      given_name = coalesce(s.given_name, m.given_name),
      family_name = case when s.given_name is null then m.family_name else s.family_name end,
      phone = coalesce(s.phone, m.phone),
      postcode = coalesce(s.postcode, m.postcode),
      constituency_code = case when s.postcode is null then m.constituency_code else s.constituency_code end,
      region_code = case when s.postcode is null then m.region_code else s.region_code end,
      country_code = coalesce(s.country_code, m.country_code),
      email_status = case when s.email_status = 'unverified' and m.email_status = 'verified' and s.canonical_email = m.canonical_email then 'verified' else s.email_status end,
      source_utm_source = case when m.created_at < s.created_at then coalesce(m.source_utm_source, s.source_utm_source) else coalesce(s.source_utm_source, m.source_utm_source) end,
      source_utm_campaign = case when m.created_at < s.created_at then coalesce(m.source_utm_campaign, s.source_utm_campaign) else coalesce(s.source_utm_campaign, m.source_utm_campaign) end,
      source_referrer = case when m.created_at < s.created_at then coalesce(m.source_referrer, s.source_referrer) else coalesce(s.source_referrer, m.source_referrer) end,
      source_method = case when m.created_at < s.created_at then coalesce(m.source_method, s.source_method) else coalesce(s.source_method, m.source_method) end,
      first_action_at = least(s.first_action_at, m.first_action_at),
      latest_action_at = greatest(s.latest_action_at, m.latest_action_at),
      modified_at = now()
    from people m where s.id = ${survivorId} and m.id = ${mergedId}`.execute(q);
  await sql`update people set merged_into_id = ${survivorId}, modified_at = now() where id = ${mergedId}`.execute(q);
  // Records merged earlier into the folded one now point straight at the survivor.
  await sql`update people set merged_into_id = ${survivorId} where merged_into_id = ${mergedId}`.execute(q);

  await recordAction(q, survivorId, {
    kind: 'person.merged',
    subjectType: 'person',
    subjectId: merged.publicId,
    byPerson: false,
  });
  await recordAudit(q, {
    actor: props.actor,
    action: 'person.merge',
    subjectType: 'person',
    subjectId: survivor.publicId,
    after: { merged: merged.publicId },
  });
  return (await findPersonById(q, survivorId))!;
}
