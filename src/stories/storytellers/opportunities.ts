import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { conflict, formatCalendarDate, invalidField, notFound, queueEmail, recordAudit, type KeyRing, type Viewer } from '../../platform/index.ts';
import type { AppContext, Q, Tx } from '../tables.ts';
import { MATCHABLE_STAGES } from './stages.ts';
import { moveStoryteller } from './change-storyteller.ts';
import { SEALED, inScope, type Outcome, type storytellerScope } from './storytellers.ts';
import type { AskAnswer, RequesterKind, StorytellerStage } from './tables.ts';

type Scope = Awaited<ReturnType<typeof storytellerScope>>;

export interface NewOpportunity {
  requesterKind: RequesterKind;
  requester: string;
  outlet: string;
  wanted: string;
  constituencyCode: string | null;
  regionCode: string | null;
  topicId: number;
  deadline: string;
}

export interface Opportunity extends Omit<NewOpportunity, 'requester'> {
  id: number;
  requester: string;
  topic: string;
  createdAt: Date;
}

export async function createOpportunity(tx: Tx, ring: KeyRing, viewer: Viewer, input: NewOpportunity): Promise<number> {
  const topic = await tx.selectFrom('speaking_topics').select('id').where('id', '=', input.topicId).executeTakeFirst();
  if (!topic) throw invalidField('topic', 'Choose a topic from the list');
  const row = await tx
    .insertInto('speaking_opportunities')
    .values({
      requester_kind: input.requesterKind,
      requester_sealed: ring.sealText(input.requester, SEALED.requester),
      outlet: input.outlet,
      wanted: input.wanted,
      constituency_code: input.constituencyCode,
      region_code: input.regionCode,
      topic_id: input.topicId,
      deadline: input.deadline,
      created_by: viewer.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(tx, { actor: viewer, action: 'opportunity.create', subjectType: 'opportunity', subjectId: row.id, after: { outlet: input.outlet, kind: input.requesterKind, topic: input.topicId, deadline: input.deadline } });
  return row.id;
}

export async function findOpportunity(q: Q, ring: KeyRing, id: number): Promise<Opportunity | undefined> {
  const r = await q
    .selectFrom('speaking_opportunities')
    .innerJoin('speaking_topics', 'speaking_topics.id', 'speaking_opportunities.topic_id')
    .selectAll('speaking_opportunities')
    .select('speaking_topics.name as topic')
    .where('speaking_opportunities.id', '=', id)
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    id: r.id,
    requesterKind: r.requester_kind,
    requester: ring.openText(r.requester_sealed, SEALED.requester),
    outlet: r.outlet,
    wanted: r.wanted,
    constituencyCode: r.constituency_code,
    regionCode: r.region_code,
    topicId: r.topic_id,
    topic: r.topic,
    deadline: r.deadline,
    createdAt: r.created_at,
  };
}

export async function listOpportunities(q: Q, page: number, perPage: number) {
  const [items, total] = await Promise.all([
    q
      .selectFrom('speaking_opportunities')
      .innerJoin('speaking_topics', 'speaking_topics.id', 'speaking_opportunities.topic_id')
      .select((eb) => [
        'speaking_opportunities.id',
        'speaking_opportunities.outlet',
        'speaking_opportunities.requester_kind',
        'speaking_opportunities.deadline',
        'speaking_topics.name as topic',
        eb.selectFrom('opportunity_asks').whereRef('opportunity_asks.opportunity_id', '=', 'speaking_opportunities.id').where('answer', '=', 'yes').select(eb.fn.countAll<string>().as('n')).as('yes'),
      ])
      .orderBy('speaking_opportunities.deadline', 'desc')
      .orderBy('speaking_opportunities.id', 'desc')
      .limit(perPage)
      .offset((page - 1) * perPage)
      .execute(),
    q.selectFrom('speaking_opportunities').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: items.map((i) => ({ ...i, deadline: i.deadline, yes: Number(i.yes ?? 0) })), total: Number(total.n) };
}

/** How well a storyteller's place fits the request: the ranking's first key. */
export type PlaceFit = 'constituency' | 'region' | 'anywhere';

/**
 * A storyteller as an opportunity's page shows them: never a name, email or phone. Those are
 * added (contact) only once that storyteller said yes to this very opportunity.
 */
export interface Match {
  storytellerId: number;
  publicId: string;
  /** "Storyteller 3": what the page calls someone who has not said yes. */
  label: string;
  stage: StorytellerStage;
  constituencyCode: string | null;
  fit: PlaceFit;
  answer: AskAnswer | null;
  asked: boolean;
  contact: { name: string; email: string; phone: string | null } | null;
}

/**
 * Ready storytellers who can speak on the topic, best first: same constituency, then same region,
 * then anywhere (the topic must match). Those already asked are listed too, with their answer.
 * Limited to the storytellers the viewer may see.
 */
export async function matchStorytellers(q: Q, ring: KeyRing, scope: Scope, opportunity: Opportunity): Promise<Match[]> {
  const fit = sql<PlaceFit>`case
      when ${opportunity.constituencyCode}::text is not null and storytellers.constituency_code = ${opportunity.constituencyCode}::text then 'constituency'
      when ${opportunity.regionCode}::text is not null and storytellers.region_code = ${opportunity.regionCode}::text then 'region'
      else 'anywhere' end`;
  const rows = await q
    .selectFrom('storytellers')
    .leftJoin('opportunity_asks', (join) => join.onRef('opportunity_asks.storyteller_id', '=', 'storytellers.id').on('opportunity_asks.opportunity_id', '=', opportunity.id))
    .select(['storytellers.id', 'storytellers.public_id', 'storytellers.stage', 'storytellers.constituency_code', 'opportunity_asks.id as ask_id', 'opportunity_asks.answer', fit.as('fit')])
    // Contact columns are read only for a yes to this opportunity: the query itself withholds them.
    .select(sql<string | null>`case when opportunity_asks.answer = 'yes' then storytellers.name_sealed end`.as('name_sealed'))
    .select(sql<string | null>`case when opportunity_asks.answer = 'yes' then storytellers.email_sealed end`.as('email_sealed'))
    .select(sql<string | null>`case when opportunity_asks.answer = 'yes' then storytellers.phone_sealed end`.as('phone_sealed'))
    .where((eb) => eb.or([eb('storytellers.stage', 'in', [...MATCHABLE_STAGES]), eb('opportunity_asks.id', 'is not', null)]))
    .where(sql<boolean>`exists (select 1 from storyteller_topics st where st.storyteller_id = storytellers.id and st.topic_id = ${opportunity.topicId})`)
    .where(inScope(scope))
    .orderBy(sql`case ${fit} when 'constituency' then 0 when 'region' then 1 else 2 end`)
    .orderBy('storytellers.ready_at')
    .orderBy('storytellers.id')
    .limit(200)
    .execute();
  return rows.map((r, i) => ({
    storytellerId: r.id,
    publicId: r.public_id,
    label: `Storyteller ${i + 1}`,
    stage: r.stage,
    constituencyCode: r.constituency_code,
    fit: r.fit,
    answer: r.answer,
    asked: r.ask_id !== null,
    contact: r.answer === 'yes' && r.name_sealed && r.email_sealed ? { name: ring.openText(r.name_sealed, SEALED.name), email: ring.openText(r.email_sealed, SEALED.email), phone: ring.openOptional(r.phone_sealed, SEALED.phone) } : null,
  }));
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
export const askPath = (token: string) => `/storytellers/asks/${token}`;

/**
 * Asks the chosen storytellers (ready, on the topic, ones the viewer may see, not asked before)
 * whether they will take part: each gets an email with yes and no links of their own. The email
 * says what is wanted and by whom, but nothing of anyone else.
 */
export async function askStorytellers(ctx: AppContext, tx: Tx, ring: KeyRing, viewer: Viewer, scope: Scope, opportunity: Opportunity, publicIds: string[]): Promise<number> {
  if (publicIds.length === 0) throw invalidField('storytellers', 'Choose at least one storyteller to ask');
  const matches = await matchStorytellers(tx, ring, scope, opportunity);
  const chosen = matches.filter((m) => publicIds.includes(m.publicId));
  if (chosen.length !== new Set(publicIds).size || chosen.some((m) => !MATCHABLE_STAGES.includes(m.stage))) throw invalidField('storytellers', 'Choose storytellers from the list');
  if (chosen.some((m) => m.asked)) throw invalidField('storytellers', 'Someone you chose has already been asked about this request');
  const emails = await tx.selectFrom('storytellers').select(['id', 'email_sealed', 'name_sealed']).where('id', 'in', chosen.map((c) => c.storytellerId)).execute();
  const brand = ctx.brand.current();
  for (const s of emails) {
    const token = randomBytes(24).toString('base64url');
    await tx.insertInto('opportunity_asks').values({ opportunity_id: opportunity.id, storyteller_id: s.id, token_hash: hashToken(token), asked_by: viewer.id }).execute();
    const link = `${ctx.config.BASE_URL}${askPath(token)}`;
    const name = ring.openText(s.name_sealed, SEALED.name).split(' ')[0];
    await queueEmail(tx, {
      kind: 'stories.storyteller.ask',
      to: ring.openText(s.email_sealed, SEALED.email),
      brand,
      baseUrl: ctx.config.BASE_URL,
      secrets: [token],
      content: {
        subject: `Would you speak to ${opportunity.outlet}?`,
        heading: `A request to speak, from ${opportunity.outlet}`,
        blocks: [
          { type: 'paragraph', text: `Hello ${name}. ${opportunity.requesterKind === 'press' ? 'A journalist' : 'A politician’s office'} at ${opportunity.outlet} would like to hear from someone about ${opportunity.topic}: ${opportunity.wanted}` },
          { type: 'paragraph', text: `They need an answer by ${formatCalendarDate(opportunity.deadline)}. Nothing about you has been shared with them. We will pass on your name and contact details only if you say yes.` },
          { type: 'button', href: `${link}?answer=yes`, label: 'Yes, share my details for this' },
          { type: 'link', href: `${link}?answer=no`, label: 'No thank you' },
          { type: 'small', text: 'Either link asks you to confirm with one more click. Saying no shares nothing, and you will still be asked about other requests.' },
        ],
      },
    });
  }
  await recordAudit(tx, { actor: viewer, action: 'opportunity.ask', subjectType: 'opportunity', subjectId: opportunity.id, after: { asked: chosen.map((c) => c.publicId) } });
  return chosen.length;
}

export interface AskByToken {
  id: number;
  answer: AskAnswer | null;
  opportunity: { outlet: string; wanted: string; requesterKind: RequesterKind; topic: string; deadline: string };
}

export async function findAskByToken(q: Q, token: string): Promise<AskByToken | undefined> {
  const r = await q
    .selectFrom('opportunity_asks')
    .innerJoin('speaking_opportunities', 'speaking_opportunities.id', 'opportunity_asks.opportunity_id')
    .innerJoin('speaking_topics', 'speaking_topics.id', 'speaking_opportunities.topic_id')
    .select(['opportunity_asks.id', 'opportunity_asks.answer', 'speaking_opportunities.outlet', 'speaking_opportunities.wanted', 'speaking_opportunities.requester_kind', 'speaking_opportunities.deadline', 'speaking_topics.name as topic'])
    .where('opportunity_asks.token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!r) return undefined;
  return { id: r.id, answer: r.answer, opportunity: { outlet: r.outlet, wanted: r.wanted, requesterKind: r.requester_kind, topic: r.topic, deadline: r.deadline } };
}

/** The storyteller's answer, from the link in their email (no sign-in: the token is the proof). Final once given. */
export async function answerAsk(tx: Tx, token: string, answer: AskAnswer): Promise<AskAnswer> {
  const ask = await findAskByToken(tx, token);
  if (!ask) throw notFound('request');
  if (ask.answer !== null) {
    if (ask.answer === answer) return answer;
    throw conflict(`You already answered ${ask.answer} to this request. If you have changed your mind, reply to the email and an organiser will sort it out.`);
  }
  await tx.updateTable('opportunity_asks').set({ answer, answered_at: new Date() }).where('id', '=', ask.id).where('answer', 'is', null).execute();
  await recordAudit(tx, { actor: 'storyteller', action: `opportunity.answer.${answer}`, subjectType: 'opportunity-ask', subjectId: ask.id });
  return answer;
}

/** Contact details of those who said yes, for the export (only them: no yes, no row). */
export async function yesContacts(q: Q, ring: KeyRing, scope: Scope, opportunity: Opportunity) {
  return (await matchStorytellers(q, ring, scope, opportunity)).filter((m) => m.contact !== null);
}

/**
 * What happened once someone said yes (with whom, where, coverage links): kept on their record,
 * and they move on to spoke (stamped the first time).
 */
export async function recordOutcome(tx: Tx, ring: KeyRing, viewer: Viewer, storyteller: { id: number; publicId: string; stage: StorytellerStage }, askId: number, outcome: Outcome): Promise<void> {
  const ask = await tx.selectFrom('opportunity_asks').select(['id', 'answer']).where('id', '=', askId).where('storyteller_id', '=', storyteller.id).executeTakeFirst();
  if (!ask) throw notFound('request');
  if (ask.answer !== 'yes') throw conflict('Only a request they said yes to can have an outcome.');
  await tx.updateTable('opportunity_asks').set({ outcome_sealed: ring.sealJson(outcome, SEALED.outcome), outcome_at: new Date() }).where('id', '=', askId).execute();
  await moveStoryteller(tx, storyteller.id, 'spoke', ['ready', 'spoke']);
  await recordAudit(tx, { actor: viewer, action: 'storyteller.outcome', subjectType: 'storyteller', subjectId: storyteller.publicId, before: { stage: storyteller.stage }, after: { stage: 'spoke', ask: askId } });
}
