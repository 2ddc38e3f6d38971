import { sql } from 'kysely';
import { onePostcodePerConstituency } from '../politics/index.ts';
import type { PetitionState, Tx } from './tables.ts';
import { reconcileCounts } from './count-signatures.ts';
import { defaultMilestones, type Milestone } from './milestones.ts';
import { markReachedMilestones } from './store.ts';

interface DemoPetition {
  slug: string;
  action: string;
  background: string;
  additional: string;
  target: string;
  state: PetitionState;
  groups: string[];
  signatures: number;
  openedDaysAgo: number;
  closingInDays?: number;
  closedDaysAgo?: number;
  milestones: Array<Omit<Milestone, 'reachedAt'>>;
  response?: { summary: string; details: string; daysAgo: number };
  handIn?: { place: string; daysAgo: number };
  rejection?: { code: string; details: string };
}

const petitions: DemoPetition[] = [
  {
    slug: 'keep-our-maternity-unit-open',
    action: 'Keep our maternity unit open around the clock',
    background:
      'The health board plans to close the midwife-led maternity unit overnight from next spring. Families would face a journey of more than an hour in labour.\n\nWe ask the board to keep the unit open 24 hours a day and to publish its staffing plan.',
    additional: 'The unit delivered over 1,200 babies last year. Midwives, parents and local councillors support keeping it open.',
    target: 'The health board',
    state: 'open',
    groups: ['save-aberdeen-maternity', 'health-campaigns-together'],
    signatures: 3_412,
    openedDaysAgo: 21,
    closingInDays: 70,
    // A first milestone of 1,000 keeps the demo small and shows a milestone reached.
    milestones: [{ threshold: 1_000, kind: 'custom', label: 'We hand the petition to the health board' }, ...defaultMilestones],
  },
  {
    slug: 'no-more-gp-surgery-closures',
    action: 'Stop closing GP surgeries without asking patients',
    background: 'Three surgeries in our area closed last year with a month’s notice. Patients were not asked and now wait weeks for appointments.',
    additional: '',
    target: 'The integrated care board',
    state: 'open',
    groups: ['hendon-save-our-nhs', 'keep-our-nhs-public'],
    signatures: 1_870,
    openedDaysAgo: 12,
    closingInDays: 20,
    milestones: [{ threshold: 5_000, kind: 'response', label: 'The integrated care board must respond' }, ...defaultMilestones.filter((m) => m.kind === 'debate')],
  },
  {
    slug: 'fund-nhs-dentistry',
    action: 'Fund NHS dentistry so everyone can see a dentist',
    background: 'Millions of people cannot find an NHS dentist. We call for the dental contract to be reformed and properly funded.',
    additional: '',
    target: 'The Secretary of State for Health and Social Care',
    state: 'open',
    groups: ['just-treatment'],
    signatures: 640,
    openedDaysAgo: 3,
    closingInDays: 180,
    milestones: defaultMilestones,
  },
  {
    slug: 'restore-overnight-a-and-e',
    action: 'Restore the overnight A&E service at our community hospital',
    background: 'The A&E department has closed overnight “temporarily” for two years. We ask for it to reopen with safe staffing.',
    additional: '',
    target: 'The hospital trust board',
    state: 'closed',
    groups: ['health-campaigns-together'],
    signatures: 2_600,
    openedDaysAgo: 200,
    closedDaysAgo: 20,
    milestones: [{ threshold: 2_000, kind: 'response', label: 'The trust board must respond' }, { threshold: 10_000, kind: 'debate', label: 'We ask for a public meeting' }],
    response: {
      summary: 'The trust board will reopen the A&E overnight from April, with a recruitment plan for twelve more nurses.',
      details: 'The board thanked campaigners and committed to publishing monthly staffing figures.\n\nIt will review the service with patients after six months.',
      daysAgo: 10,
    },
    handIn: { place: 'the trust headquarters', daysAgo: 18 },
  },
  {
    slug: 'ban-hospital-parking-charges-again',
    action: 'Scrap hospital parking charges',
    background: 'Charging patients and visitors to park at hospitals is a tax on the sick.',
    additional: '',
    target: 'The government',
    state: 'rejected',
    groups: [],
    signatures: 0,
    openedDaysAgo: 5,
    milestones: [],
    rejection: { code: 'duplicate', details: 'Please sign “Free parking at every NHS hospital”, which asks for the same thing.' },
  },
];

const firstNames = ['Alex', 'Sam', 'Priya', 'Mohammed', 'Grace', 'Tom', 'Aisha', 'Eilidh', 'Rhys', 'Chloe', 'David', 'Fatima', 'Owen', 'Niamh', 'Yusuf', 'Ruth'];
const lastNames = ['Smith', 'Patel', 'Jones', 'Khan', 'Williams', 'Brown', 'Taylor', 'Campbell', 'Evans', 'Murphy', 'Ahmed', 'Wilson', 'Davies', 'Hughes'];
const abroad = ['IE', 'FR', 'ES', 'US', 'AU', 'DE', 'CA', 'NZ'];

/**
 * Demo petitions with confirmed signatures spread over the constituencies that exist (with their
 * postcodes), or from the UK and abroad without constituencies when none do. Signatures are made
 * by one generate_series insert each, then counted with reconcileCounts.
 */
export async function loadPetitionDemo(tx: Tx, groupIds: Record<string, number>): Promise<{ petitionIds: number[] }> {
  const ids: number[] = [];
  const fallbackGroups = Object.values(groupIds).slice(0, 1);
  for (const p of petitions) {
    const row = await tx
      .insertInto('petitions')
      .values({
        slug: p.slug,
        action: p.action,
        background: p.background,
        additional_details: p.additional,
        target: p.target,
        state: p.state,
        created_at: sql<Date>`now() - make_interval(days => ${p.openedDaysAgo + 2})`,
        submitted_at: sql<Date>`now() - make_interval(days => ${p.openedDaysAgo + 1})`,
        opened_at: p.state === 'rejected' ? null : sql<Date>`now() - make_interval(days => ${p.openedDaysAgo})`,
        closing_date: p.closingInDays ? sql<string>`(now() at time zone 'Europe/London')::date + ${p.closingInDays}::int` : null,
        closed_at: p.closedDaysAgo ? sql<Date>`now() - make_interval(days => ${p.closedDaysAgo})` : null,
        rejected_at: p.rejection ? sql<Date>`now() - make_interval(days => ${p.openedDaysAgo})` : null,
        rejection_code: p.rejection?.code ?? null,
        rejection_details: p.rejection?.details ?? null,
        response_date: p.response ? sql<string>`((now() at time zone 'Europe/London')::date - ${p.response.daysAgo}::int)` : null,
        response_summary: p.response?.summary ?? null,
        response_details: p.response?.details ?? null,
        hand_in_date: p.handIn ? sql<string>`((now() at time zone 'Europe/London')::date - ${p.handIn.daysAgo}::int)` : null,
        hand_in_place: p.handIn?.place ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = row.id;
    ids.push(id);
    const groups = p.groups.map((slug) => groupIds[slug]).filter((g): g is number => g !== undefined);
    const chosen = groups.length > 0 ? groups : p.groups.length > 0 ? fallbackGroups : [];
    if (chosen.length > 0) await tx.insertInto('petition_groups').values(chosen.map((group_id) => ({ petition_id: id, group_id }))).execute();
    if (p.milestones.length > 0) {
      await tx.insertInto('petition_milestones').values(p.milestones.map((m) => ({ petition_id: id, threshold: m.threshold, kind: m.kind, label: m.label }))).execute();
    }
    if (p.signatures > 0) await insertDemoSignatures(tx, id, p.signatures, p.openedDaysAgo - (p.closedDaysAgo ?? 0));
    await reconcileCounts(tx, id);
  }
  await markReachedMilestones(tx, ids);
  return { petitionIds: ids };
}

/**
 * `count` confirmed signatures in one statement. Places repeat unevenly (a golden-ratio sequence,
 * raised to a power) so the map has hot spots; one in twenty signers lives abroad.
 */
/**
 * The words beside the demo's "hear more" box: a third of the demo signers tick it, so once they
 * are people the demo's mailings reach someone. The words say plainly that nobody real agreed.
 */
export const DEMO_CONSENT_WORDING = 'Demo data: this made-up signer ticked “Keep me updated by email”. No real person gave this consent.';

async function insertDemoSignatures(tx: Tx, petitionId: number, count: number, overDays: number) {
  const one = await onePostcodePerConstituency(tx);
  const wording = await tx
    .insertInto('signature_consent_texts')
    .values({ wording: DEMO_CONSENT_WORDING })
    .onConflict((oc) => oc.column('wording').doUpdateSet({ wording: DEMO_CONSENT_WORDING }))
    .returning('id')
    .executeTakeFirstOrThrow();
  await sql`
    with places as (
      select (i - 1)::int as i, postcode, constituency_code, region_code
      from unnest(${one.map((p) => p.postcode)}::text[], ${one.map((p) => p.constituencyCode)}::text[], ${one.map((p) => p.regionCode)}::text[])
        with ordinality as t(postcode, constituency_code, region_code, i)
    ), total as (select count(*)::int as n from places)
    insert into signatures (petition_id, state, name, email, canonical_email, postcode, country_code, constituency_code, region_code,
      hear_more, consent_text_id, counted, created_at, validated_at)
    select ${petitionId}, 'validated',
      (${firstNames}::text[])[1 + g % ${firstNames.length}] || ' ' || (${lastNames}::text[])[1 + (g / 7) % ${lastNames.length}],
      'demo.' || ${petitionId} || '.' || g || '@example.invalid',
      'demo.' || ${petitionId} || '.' || g || '@example.invalid',
      pl.postcode,
      case when abroad then (${abroad}::text[])[1 + (g / 20) % ${abroad.length}] else 'GB' end,
      pl.constituency_code,
      pl.region_code,
      g % 3 = 0, case when g % 3 = 0 then ${wording.id}::int end, true, t.signed_at, t.signed_at + interval '10 minutes'
    from generate_series(1, ${count}) g
    cross join total
    cross join lateral (select g % 20 = 0 as abroad) a
    cross join lateral (select now() - interval '1 hour' - make_interval(secs => (${overDays}::int * 86400.0 * (${count} - g) / ${count})::int) as signed_at) t
    left join places pl on not abroad and pl.i = floor(total.n * power(((g * 0.6180339887) % 1), 1.6))::int`.execute(tx);
}
