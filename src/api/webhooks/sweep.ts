import { sql, type Selectable } from 'kysely';
import { findPetition, signaturesConfirmedAfter, type ConfirmedCursor, type SignatureRow } from '../../petitions/index.ts';
import { consentEventsAfter, newestConsentEventId, type SignUpEvent } from '../../supporters/index.ts';
import { identifier, isoDate } from '../osdi/hal.ts';
import { osdiPersonFields, personHref } from '../osdi/people.ts';
import { presentSignatures } from '../osdi/signatures.ts';
import type { AppContext, Q, Tx, WebhookEvent, WebhooksTable } from '../tables.ts';
import { queueDelivery } from './deliver.ts';

/** Most events in one delivery. */
const BATCH = 100;
/**
 * A confirmation is stamped with its transaction's start time, so one that commits late can
 * carry a time the sweep has already passed: each sweep looks back this far (events already sent
 * are skipped by the delivery items' key).
 */
const LATE_COMMIT_MARGIN_MS = 2 * 60 * 1000;
/** Consent events are read by id; the floor trails the newest id by this long, for the same reason. */
const FLOOR_GRACE_SECONDS = 120;

type HookRow = Selectable<WebhooksTable>;

/** Which of these events (by subject key) the webhook has already been sent. */
async function alreadySent(tx: Tx, hook: HookRow, kind: WebhookEvent, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await tx
    .selectFrom('webhook_delivery_items')
    .select('subject_key')
    .where('webhook_id', '=', hook.id)
    .where('kind', '=', kind)
    .where('subject_key', 'in', keys)
    .execute();
  return new Set(rows.map((r) => r.subject_key));
}

/**
 * Up to a batch of events not yet sent, read from the owner's cursor a batch at a time (events
 * already sent are skipped, however many there are); `caughtUp` when the owner had no more.
 */
async function unsent<R, C>(
  tx: Tx,
  hook: HookRow,
  kind: WebhookEvent,
  start: C,
  read: (cursor: C) => Promise<{ rows: R[]; next: C }>,
  keyOf: (row: R) => string,
): Promise<{ rows: R[]; caughtUp: boolean }> {
  const rows: R[] = [];
  let cursor = start;
  for (;;) {
    const batch = await read(cursor);
    const sent = await alreadySent(tx, hook, kind, batch.rows.map(keyOf));
    rows.push(...batch.rows.filter((r) => !sent.has(keyOf(r))));
    if (batch.rows.length < BATCH || rows.length >= BATCH) break;
    cursor = batch.next;
  }
  return { rows: rows.slice(0, BATCH), caughtUp: rows.length < BATCH };
}

async function petitionTitles(q: Q, ids: number[]): Promise<Map<number, string>> {
  const titles = new Map<number, string>();
  for (const id of new Set(ids)) titles.set(id, (await findPetition(q, id))?.action ?? '');
  return titles;
}

/** New confirmed signatures on the webhook's petitions, as one delivery of `osdi:signature` items. */
async function sweepSignatures(tx: Tx, baseUrl: string, hook: HookRow): Promise<number> {
  const since = new Date(Math.max(hook.signatures_seen_until.getTime() - LATE_COMMIT_MARGIN_MS, hook.created_at.getTime()));
  const { rows } = await unsent<SignatureRow, ConfirmedCursor>(
    tx,
    hook,
    'signature',
    { since },
    (cursor) => signaturesConfirmedAfter(tx, cursor, { groupId: hook.group_id, limit: BATCH }),
    (r) => r.public_id,
  );
  if (rows.length === 0) return 0;
  const [signatures, titles] = await Promise.all([presentSignatures(tx, baseUrl, rows), petitionTitles(tx, rows.map((r) => r.petition_id))]);
  const items = rows.map((row, i) => ({
    'osdi:signature': { ...signatures[i], add_tags: [] },
    'chorus:petition': { identifiers: [identifier(row.petition_id)], title: titles.get(row.petition_id) },
  }));
  const deliveryId = await queueDelivery(tx, { webhookId: hook.id, kind: 'signature', items });
  await tx
    .insertInto('webhook_delivery_items')
    .values(rows.map((r) => ({ webhook_id: hook.id, kind: 'signature' as const, subject_key: r.public_id, delivery_id: deliveryId, canonical_email: r.canonical_email })))
    .execute();
  const newest = rows.reduce((max, r) => (r.validated_at && r.validated_at > max ? r.validated_at : max), hook.signatures_seen_until);
  await tx.updateTable('webhooks').set({ signatures_seen_until: newest }).where('id', '=', hook.id).execute();
  return 1;
}

/**
 * New sign-ups: consent given to the group's own purposes (the coalition's, for a coalition
 * webhook), through its forms, petitions or the API, as `osdi:submission` items.
 */
async function sweepSignups(tx: Tx, baseUrl: string, hook: HookRow): Promise<number> {
  const { rows, caughtUp } = await unsent<SignUpEvent, number>(
    tx,
    hook,
    'signup',
    hook.signups_floor_id,
    async (afterId) => {
      const events = await consentEventsAfter(tx, afterId, { groupId: hook.group_id, limit: BATCH });
      return { rows: events, next: events.at(-1)?.event_id ?? afterId };
    },
    (r) => String(r.event_id),
  );
  await moveSignupFloor(tx, hook, caughtUp);
  if (rows.length === 0) return 0;
  const items = rows.map((row) => ({
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
    .values(rows.map((r) => ({ webhook_id: hook.id, kind: 'signup' as const, subject_key: String(r.event_id), delivery_id: deliveryId, canonical_email: r.canonical_email })))
    .execute();
  return 1;
}

/**
 * Raises the floor to the newest consent event id seen a grace period ago, but only once every
 * event above the floor has been handled (the sweep found less than a full batch).
 */
async function moveSignupFloor(tx: Tx, hook: HookRow, caughtUp: boolean): Promise<void> {
  if (!caughtUp || hook.signups_floor_moved_at.getTime() > Date.now() - FLOOR_GRACE_SECONDS * 1000) return;
  const newest = await newestConsentEventId(tx);
  await sql`update webhooks set signups_floor_id = signups_next_floor_id,
      signups_next_floor_id = ${newest}, signups_floor_moved_at = now()
    where id = ${hook.id}`.execute(tx);
}

/**
 * Looks for new events for every webhook and turns them into deliveries. Everything is read from
 * the database from the webhook's cursors, so a restart loses nothing; each webhook is swept in
 * its own transaction under a lock, so several workers never send an event twice.
 */
export async function sweepWebhooks(ctx: AppContext): Promise<number> {
  const hooks = await ctx.db.selectFrom('webhooks').select('id').where('revoked_at', 'is', null).orderBy('id').execute();
  let deliveries = 0;
  for (const { id } of hooks) {
    deliveries += await ctx.db.transaction().execute(async (tx) => {
      const locked = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(7402, ${id}) as ok`.execute(tx);
      if (!locked.rows[0]?.ok) return 0;
      const hook = await tx.selectFrom('webhooks').selectAll().where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
      if (!hook) return 0;
      let made = 0;
      if (hook.events.includes('signature')) made += await sweepSignatures(tx, ctx.config.BASE_URL, hook);
      if (hook.events.includes('signup')) made += await sweepSignups(tx, ctx.config.BASE_URL, hook);
      return made;
    });
  }
  return deliveries;
}
