import { sql } from 'kysely';
import { canonicalEmail } from '../petitions/index.ts';
import { queueEmails, type Handle, type QueueEmailOptions } from '../platform/index.ts';
import type { Purpose, Wording } from './consent.ts';
import { personForUnprovenAction, splitName } from './people.ts';
import { MAX_SIGN_UPS_PER_HOUR, alreadySubscribedEmail, confirmSignUpEmail, factsOf, sendersOf, type MailSettings, type SignUpOutcome } from './sign-up.ts';
import { supportersQ, type Q } from './tables.ts';

/** One person's action in a batch (a booking): who, what goes on their timeline, their groups, any "hear more" sign-up. */
export interface BatchedAction {
  email: string;
  /** As typed: split into given and family names for a person first seen here. */
  name: string;
  /** Where a person first seen here came from (`event:12`). */
  method: string;
  /** The timeline entry. */
  action: { kind: string; subjectType: string | null; subjectId: string | number | null; detail: Record<string, unknown> };
  /** Groups the person is connected to (their organisers then see them). */
  groupIds: readonly number[];
  /** A ticked "hear more" box: a double opt-in sign-up for these consents, with its own email. */
  signUp?: {
    consents: ReadonlyArray<{ purpose: Purpose; wording: Wording }>;
    source: { utmSource: string | null; utmCampaign: string | null; referrer: string | null };
    ip: string | null;
  };
}

export interface BatchedPerson {
  personId: number;
  /** The sign-up's outcome, when one was asked for. */
  signUp?: SignUpOutcome;
}

/**
 * What `personForUnprovenAction`, `recordAction`, `connectToGroups` and `requestSignUp` do for
 * one action, for many actions at once in the caller's transaction, in a fixed handful of
 * statements however many there are (a batch of bookings): the people found or made (a known
 * person's record is left as it is; merges followed), then one statement writing every timeline
 * entry, the people's action dates, their groups and the sign-ups' pending consents with their
 * proof, then the sign-ups' emails in one go. Several actions of one address (a double click)
 * land on the one person, each with its own entry, in order. Answers in the order given.
 */
export async function recordPeopleBatch(handle: Handle, actions: readonly BatchedAction[], mail: MailSettings, at: Date = new Date()): Promise<BatchedPerson[]> {
  if (actions.length === 0) return [];
  const q = supportersQ(handle);
  const people = await findOrMakePeople(q, actions, at);
  const signUps = actions.flatMap((a, index) => (a.signUp ? [{ index, action: a, signUp: a.signUp, personId: people[index]!.id }] : []));
  const checked = signUps.length > 0 ? await signUpState(q, signUps.map((s) => ({ personId: s.personId, purposeIds: s.signUp.consents.map((c) => c.purpose.id) }))) : undefined;

  // Each sign-up decided in turn, as one after another would be: too many this hour, or which consents are asked for.
  const recentOf = new Map(checked?.recent ?? []);
  const givenNow = new Set(checked?.given ?? []);
  const decided = signUps.map((s) => {
    const recent = recentOf.get(s.personId) ?? 0;
    if (recent >= MAX_SIGN_UPS_PER_HOUR) return { ...s, tooMany: true as const };
    recentOf.set(s.personId, recent + 1);
    const requested = s.signUp.consents.filter((c) => !givenNow.has(`${s.personId}:${c.purpose.id}`));
    return { ...s, tooMany: false as const, requested };
  });

  // Every timeline entry: the actions', then each sign-up's "signup.requested" (whose id its email's link names).
  interface Entry {
    personId: number;
    kind: string;
    subjectType: string | null;
    subjectId: string | null;
    detail: string;
  }
  const entries: Entry[] = actions.map((a, index) => ({
    personId: people[index]!.id,
    kind: a.action.kind,
    subjectType: a.action.subjectType,
    subjectId: a.action.subjectId === null ? null : String(a.action.subjectId),
    detail: JSON.stringify(a.action.detail),
  }));
  const signUpEntry = new Map<number, number>();
  for (const d of decided) {
    if (d.tooMany) continue;
    const groupIds = d.signUp.consents.map((c) => c.purpose.groupId).filter((id): id is number => id !== null);
    // The person exists by now, so (as signUp does for a known person) the facts wait for the confirmation.
    const facts = factsOf({ email: d.action.email, name: d.action.name, place: null, consents: [], method: d.action.method, source: d.signUp.source, ip: d.signUp.ip });
    signUpEntry.set(d.index, entries.length);
    entries.push({ personId: d.personId, kind: 'signup.requested', subjectType: 'form', subjectId: d.action.method, detail: JSON.stringify({ purposeIds: d.signUp.consents.map((c) => c.purpose.id), groupIds, facts }) });
  }
  const groups = new Map<string, { personId: number; groupId: number }>();
  actions.forEach((a, index) => {
    for (const groupId of a.groupIds) groups.set(`${people[index]!.id}:${groupId}`, { personId: people[index]!.id, groupId });
  });
  // Consents asked for: one row per person and purpose (the last request's words), and every request's proof.
  const consentRows = new Map<string, { personId: number; purposeId: number; wordingId: number; method: string; source: string | null }>();
  const proofs: Array<{ personId: number; purposeId: number; wordingId: number; method: string; source: string | null; ip: string | null }> = [];
  for (const d of decided) {
    if (d.tooMany) continue;
    const source = d.signUp.source.utmSource ? `utm:${d.signUp.source.utmSource}` : null;
    for (const c of d.requested) {
      consentRows.set(`${d.personId}:${c.purpose.id}`, { personId: d.personId, purposeId: c.purpose.id, wordingId: c.wording.id, method: d.action.method, source });
      proofs.push({ personId: d.personId, purposeId: c.purpose.id, wordingId: c.wording.id, method: d.action.method, source, ip: d.signUp.ip });
    }
  }
  const ids = await writeAll(q, entries, [...groups.values()], [...consentRows.values()], proofs, at);

  const emails: QueueEmailOptions[] = [];
  const outcomes: Array<SignUpOutcome | undefined> = new Array(actions.length);
  const sendersKept = new Map<string, Promise<string[]>>();
  const senders = (purposes: readonly Purpose[]) => {
    const key = purposes.map((p) => p.id).join(',');
    let found = sendersKept.get(key);
    if (!found) sendersKept.set(key, (found = sendersOf(q, purposes, mail.brand)));
    return found;
  };
  for (const d of decided) {
    const to = d.action.email.trim();
    const publicId = people[d.index]!.publicId;
    if (d.tooMany) outcomes[d.index] = 'too-many';
    else if (d.requested.length === 0) {
      outcomes[d.index] = 'already-subscribed';
      emails.push(alreadySubscribedEmail(mail, to, publicId, await senders(d.signUp.consents.map((c) => c.purpose))));
    } else {
      outcomes[d.index] = 'confirmation-sent';
      const signUpId = ids[signUpEntry.get(d.index)!]!;
      emails.push(confirmSignUpEmail(mail, to, { personPublicId: publicId, signUpId, requested: d.requested, senders: await senders(d.requested.map((c) => c.purpose)) }));
    }
  }
  await queueEmails(q, emails);
  return actions.map((_, index) => ({ personId: people[index]!.id, ...(outcomes[index] ? { signUp: outcomes[index] } : {}) }));
}

interface Found {
  id: number;
  publicId: string;
}

/**
 * The live person for each action's address (following merges), made when there is none; one
 * statement for all. An address another transaction made a moment ago (so this insert did
 * nothing) is looked up again on its own.
 */
async function findOrMakePeople(q: Q, actions: readonly BatchedAction[], at: Date): Promise<Found[]> {
  const byCanonical = new Map<string, BatchedAction>();
  for (const a of actions) {
    const canonical = canonicalEmail(a.email);
    if (!byCanonical.has(canonical)) byCanonical.set(canonical, a);
  }
  const list = [...byCanonical.entries()];
  const names = list.map(([, a]) => splitName(a.name.replace(/\s+/g, ' ')));
  const rows = await sql<{ canonical: string; id: number; public_id: string }>`
    with recursive v as (
      select * from unnest(${list.map(([, a]) => a.email.trim())}::text[], ${list.map(([c]) => c)}::text[], ${names.map((n) => n.givenName || null)}::text[],
        ${names.map((n) => n.familyName)}::text[], ${list.map(([, a]) => a.method)}::text[]) as v(email, canonical, given_name, family_name, method)
    ),
    chain as (
      select id, merged_into_id, canonical_email as canonical, 0 as depth from people where canonical_email = any(${list.map(([c]) => c)}::text[])
      union all
      select p.id, p.merged_into_id, chain.canonical, chain.depth + 1 from people p join chain on p.id = chain.merged_into_id where chain.depth < 20
    ),
    live as (
      select distinct on (canonical) canonical, id from chain where merged_into_id is null order by canonical, depth
    ),
    made as (
      insert into people (email, canonical_email, email_status, given_name, family_name, source_method, first_action_at, latest_action_at)
      select v.email, v.canonical, 'unverified', v.given_name, v.family_name, v.method, ${at}::timestamptz, ${at}::timestamptz
      from v where not exists (select 1 from live where live.canonical = v.canonical)
      on conflict (canonical_email) where canonical_email is not null and merged_into_id is null do nothing
      returning canonical_email as canonical, id, public_id
    )
    select live.canonical, live.id, p.public_id from live join people p on p.id = live.id
    union all
    select canonical, id, public_id from made`.execute(q);
  const found = new Map(rows.rows.map((r) => [r.canonical, { id: Number(r.id), publicId: r.public_id }]));
  for (const [canonical, a] of list) {
    if (found.has(canonical)) continue;
    const name = splitName(a.name);
    const person = await personForUnprovenAction(q, { email: a.email, givenName: name.givenName || null, familyName: name.familyName, source: { method: a.method } }, at);
    found.set(canonical, { id: person.id, publicId: person.publicId });
  }
  return actions.map((a) => found.get(canonicalEmail(a.email))!);
}

/** For the sign-ups' people: sign-ups this hour, and consents already given (locked, as requestConsent locks them). */
async function signUpState(q: Q, wanted: Array<{ personId: number; purposeIds: number[] }>): Promise<{ recent: Array<[number, number]>; given: string[] }> {
  const personIds = [...new Set(wanted.map((w) => w.personId))];
  const pairs = wanted.flatMap((w) => w.purposeIds.map((purposeId) => ({ personId: w.personId, purposeId })));
  const [recent, given] = await Promise.all([
    sql<{ person_id: number; n: number }>`
      select person_id, count(*)::int as n from person_actions
      where person_id = any(${personIds}::bigint[]) and kind = 'signup.requested' and occurred_at > now() - interval '1 hour'
      group by person_id`.execute(q),
    sql<{ person_id: number; purpose_id: number; status: string }>`
      select c.person_id, c.purpose_id, c.status from consents c
      join unnest(${pairs.map((p) => p.personId)}::bigint[], ${pairs.map((p) => p.purposeId)}::int[]) as v(person_id, purpose_id)
        on c.person_id = v.person_id and c.purpose_id = v.purpose_id
      order by c.purpose_id, c.person_id
      for update of c`.execute(q),
  ]);
  return {
    recent: recent.rows.map((r) => [Number(r.person_id), r.n]),
    given: given.rows.filter((r) => r.status === 'given').map((r) => `${Number(r.person_id)}:${r.purpose_id}`),
  };
}

/**
 * One statement: the timeline entries (ids taken first, so each is known by its place), the
 * people's first and latest action dates, their groups, the pending consents and their proof.
 * Returns the entries' ids in order.
 */
async function writeAll(
  q: Q,
  entries: Array<{ personId: number; kind: string; subjectType: string | null; subjectId: string | null; detail: string }>,
  groups: Array<{ personId: number; groupId: number }>,
  consents: Array<{ personId: number; purposeId: number; wordingId: number; method: string; source: string | null }>,
  proofs: Array<{ personId: number; purposeId: number; wordingId: number; method: string; source: string | null; ip: string | null }>,
  at: Date,
): Promise<number[]> {
  const personIds = [...new Set(entries.map((e) => e.personId))].sort((a, b) => a - b);
  const result = await sql<{ ord: number; id: number }>`
    with v as (
      select ord, nextval(pg_get_serial_sequence('person_actions', 'id')) as id, person_id, kind, subject_type, subject_id, detail
      from unnest(${entries.map((e) => e.personId)}::bigint[], ${entries.map((e) => e.kind)}::text[], ${entries.map((e) => e.subjectType)}::text[],
        ${entries.map((e) => e.subjectId)}::text[], ${entries.map((e) => e.detail)}::jsonb[]) with ordinality as v(person_id, kind, subject_type, subject_id, detail, ord)
    ),
    entered as (
      insert into person_actions (id, person_id, kind, subject_type, subject_id, group_id, occurred_at, detail)
      overriding system value
      select id, person_id, kind, subject_type, subject_id, null, ${at}::timestamptz, detail from v
    ),
    dated as (
      update people set first_action_at = least(coalesce(first_action_at, ${at}::timestamptz), ${at}::timestamptz),
        latest_action_at = greatest(coalesce(latest_action_at, ${at}::timestamptz), ${at}::timestamptz)
      where id = any(${personIds}::bigint[])
        -- A person made by this batch has these dates already: not written twice.
        and (first_action_at is null or first_action_at > ${at}::timestamptz or latest_action_at is null or latest_action_at < ${at}::timestamptz)
    ),
    grouped as (
      insert into person_groups (person_id, group_id, first_at)
      select person_id, group_id, ${at}::timestamptz from unnest(${groups.map((g) => g.personId)}::bigint[], ${groups.map((g) => g.groupId)}::int[]) as g(person_id, group_id)
      order by group_id, person_id
      on conflict (group_id, person_id) do nothing
    ),
    asked as (
      insert into consents (person_id, purpose_id, status, wording_id, method, source, requested_at)
      select person_id, purpose_id, 'pending', wording_id, method, source, ${at}::timestamptz
      from unnest(${consents.map((c) => c.personId)}::bigint[], ${consents.map((c) => c.purposeId)}::int[], ${consents.map((c) => c.wordingId)}::int[],
        ${consents.map((c) => c.method)}::text[], ${consents.map((c) => c.source)}::text[]) as c(person_id, purpose_id, wording_id, method, source)
      order by purpose_id, person_id
      on conflict (purpose_id, person_id) do update set status = 'pending', wording_id = excluded.wording_id,
        method = excluded.method, source = excluded.source, requested_at = excluded.requested_at
    ),
    proven as (
      insert into consent_events (person_id, purpose_id, event, wording_id, method, source, ip, occurred_at)
      select person_id, purpose_id, 'requested', wording_id, method, source, ip, ${at}::timestamptz
      from unnest(${proofs.map((p) => p.personId)}::bigint[], ${proofs.map((p) => p.purposeId)}::int[], ${proofs.map((p) => p.wordingId)}::int[],
        ${proofs.map((p) => p.method)}::text[], ${proofs.map((p) => p.source)}::text[], ${proofs.map((p) => p.ip)}::inet[]) as p(person_id, purpose_id, wording_id, method, source, ip)
    )
    select ord::int, id from v`.execute(q);
  const ids: number[] = new Array(entries.length);
  for (const r of result.rows) ids[r.ord - 1] = Number(r.id);
  return ids;
}
