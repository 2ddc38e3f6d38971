import { sql, type Selectable } from 'kysely';
import type { AppContext } from '../../context.ts';
import type { Q, Tx } from '../../schema.ts';
import { findPetition } from '../../petitions/store.ts';
import { identifier, isoDate } from '../osdi/hal.ts';
import { osdiPersonFields, personHref, type PersonRow } from '../osdi/people.ts';
import { presentSignatures, reportedSignature, signatureColumns, type SignatureRow } from '../osdi/signatures.ts';
import type { WebhooksTable } from '../tables.ts';
import { queueDelivery } from './deliver.ts';

/** Most events in one delivery. */
const BATCH = 100;
/**
 * A confirmation is stamped with its transaction's start time, so one that commits late can
 * carry a time the sweep has already passed: each sweep looks back this far (events already sent
 * are skipped by the delivery items' key).
 */
const LATE_COMMIT_MARGIN = "interval '2 minutes'";
/** Consent events are read by id; the floor trails the newest id by this long, for the same reason. */
const FLOOR_GRACE_SECONDS = 120;

type HookRow = Selectable<WebhooksTable>;

function groupCondition(hook: HookRow, petitionColumn: string) {
  if (hook.group_id === null) return sql`true`;
  return sql`exists (select 1 from petition_groups pg where pg.petition_id = ${sql.ref(petitionColumn)} and pg.group_id = ${hook.group_id})`;
}

async function petitionTitles(q: Q, ids: number[]): Promise<Map<number, string>> {
  const titles = new Map<number, string>();
  for (const id of new Set(ids)) titles.set(id, (await findPetition(q, id))?.action ?? '');
  return titles;
}

/** New confirmed signatures on the webhook's petitions, as one delivery of `osdi:signature` items. */
async function sweepSignatures(tx: Tx, baseUrl: string, hook: HookRow): Promise<number> {
  const rows = await sql<SignatureRow>`
    select ${signatureColumns} from signatures s
    where s.validated_at > greatest(${hook.signatures_seen_until}::timestamptz - ${sql.raw(LATE_COMMIT_MARGIN)}, ${hook.created_at}::timestamptz)
      and ${reportedSignature}
      and ${groupCondition(hook, 's.petition_id')}
      and not exists (select 1 from webhook_delivery_items i
        where i.webhook_id = ${hook.id} and i.kind = 'signature' and i.subject_key = s.public_id::text)
    order by s.validated_at, s.id
    limit ${BATCH}`.execute(tx);
  if (rows.rows.length === 0) return 0;
  const [signatures, titles] = await Promise.all([presentSignatures(tx, baseUrl, rows.rows), petitionTitles(tx, rows.rows.map((r) => r.petition_id))]);
  const items = rows.rows.map((row, i) => ({
    'osdi:signature': { ...signatures[i], add_tags: [] },
    'chorus:petition': { identifiers: [identifier(row.petition_id)], title: titles.get(row.petition_id) },
  }));
  const deliveryId = await queueDelivery(tx, { webhookId: hook.id, kind: 'signature', items });
  await tx
    .insertInto('webhook_delivery_items')
    .values(rows.rows.map((r) => ({ webhook_id: hook.id, kind: 'signature' as const, subject_key: r.public_id, delivery_id: deliveryId, canonical_email: r.canonical_email })))
    .execute();
  const newest = rows.rows.reduce((max, r) => (r.validated_at && r.validated_at > max ? r.validated_at : max), hook.signatures_seen_until);
  await tx.updateTable('webhooks').set({ signatures_seen_until: newest }).where('id', '=', hook.id).execute();
  return 1;
}

interface SignupRow extends PersonRow {
  event_id: number;
  occurred_at: Date;
  method: string;
  purpose_name: string;
  canonical_email: string | null;
}

/**
 * New sign-ups: consent given to the group's own purposes (the coalition's, for a coalition
 * webhook), through its forms, petitions or the API, as `osdi:submission` items.
 */
async function sweepSignups(tx: Tx, baseUrl: string, hook: HookRow): Promise<number> {
  const purposeGroup = hook.group_id === null ? sql`cp.group_id is null` : sql`cp.group_id = ${hook.group_id}`;
  const rows = await sql<SignupRow>`
    select e.id as event_id, e.occurred_at, e.method, cp.name as purpose_name, p.canonical_email,
      p.id, p.public_id, p.email, p.email_status, p.given_name, p.family_name, p.phone, p.postcode,
      p.country_code, p.constituency_code, p.created_at, p.modified_at
    from consent_events e
      join consent_purposes cp on cp.id = e.purpose_id
      join people p on p.id = e.person_id
    where e.id > ${hook.signups_floor_id} and e.event = 'given' and ${purposeGroup}
      and p.erased_at is null and p.merged_into_id is null
      and not exists (select 1 from webhook_delivery_items i
        where i.webhook_id = ${hook.id} and i.kind = 'signup' and i.subject_key = e.id::text)
    order by e.id
    limit ${BATCH}`.execute(tx);
  await moveSignupFloor(tx, hook, rows.rows.length < BATCH);
  if (rows.rows.length === 0) return 0;
  const items = rows.rows.map((row) => ({
    'osdi:submission': {
      identifiers: [identifier(`consent-${row.event_id}`)],
      created_date: isoDate(row.occurred_at),
      modified_date: isoDate(row.occurred_at),
      person: osdiPersonFields({
        givenName: row.given_name,
        familyName: row.family_name,
        email: row.email,
        emailState: 'subscribed',
        postcode: row.postcode,
        countryCode: row.country_code,
        phone: row.phone,
        constituencyCode: row.constituency_code,
      }),
      'chorus:purpose': row.purpose_name,
      'chorus:method': row.method,
      _links: { 'osdi:person': { href: personHref(baseUrl, row.public_id) } },
    },
  }));
  const deliveryId = await queueDelivery(tx, { webhookId: hook.id, kind: 'signup', items });
  await tx
    .insertInto('webhook_delivery_items')
    .values(rows.rows.map((r) => ({ webhook_id: hook.id, kind: 'signup' as const, subject_key: String(r.event_id), delivery_id: deliveryId, canonical_email: r.canonical_email })))
    .execute();
  return 1;
}

/**
 * Raises the floor to the newest consent event id seen a grace period ago, but only once every
 * event above the floor has been handled (the sweep found less than a full batch).
 */
async function moveSignupFloor(tx: Tx, hook: HookRow, caughtUp: boolean): Promise<void> {
  if (!caughtUp || hook.signups_floor_moved_at.getTime() > Date.now() - FLOOR_GRACE_SECONDS * 1000) return;
  await sql`update webhooks set signups_floor_id = signups_next_floor_id,
      signups_next_floor_id = (select coalesce(max(id), 0) from consent_events), signups_floor_moved_at = now()
    where id = ${hook.id}`.execute(tx);
}

/**
 * Looks for new events for every webhook and turns them into deliveries. Everything is read from
 * the database from the webhook's cursors, so a restart loses nothing; each webhook is swept in
 * its own transaction under a lock, so several workers never send an event twice.
 */
export async function sweepWebhooks(ctx: AppContext): Promise<number> {
  const hooks = await ctx.db.selectFrom('webhooks').select('id').orderBy('id').execute();
  let deliveries = 0;
  for (const { id } of hooks) {
    deliveries += await ctx.db.transaction().execute(async (tx) => {
      const locked = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(7402, ${id}) as ok`.execute(tx);
      if (!locked.rows[0]?.ok) return 0;
      const hook = await tx.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
      if (!hook) return 0;
      let made = 0;
      if (hook.events.includes('signature')) made += await sweepSignatures(tx, ctx.config.BASE_URL, hook);
      if (hook.events.includes('signup')) made += await sweepSignups(tx, ctx.config.BASE_URL, hook);
      return made;
    });
  }
  return deliveries;
}
