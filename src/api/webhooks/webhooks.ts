import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { findGroupsByIds } from '../../coalition/index.ts';
import { notFound, recordAudit, refusedAtEntry, type Viewer } from '../../platform/index.ts';
import type { Q, WebhookEvent } from '../tables.ts';
import { newestConsentEventId } from '../../supporters/index.ts';
import { isUuid } from '../tokens.ts';

export const WEBHOOK_EVENTS: Record<WebhookEvent, string> = {
  signature: 'New confirmed signatures on the group’s petitions',
  signup: 'New sign-ups: people who agree to hear from the group',
};

/**
 * A receiver's address: http or https only, no user name or password in it, and not this hub
 * itself (a webhook pointing back at Chorus would only make it talk to itself), and not an address
 * that is never public (loopback, private, link-local...) unless it is on OUTBOUND_ALLOW_HOSTS.
 * Host names are checked again each time a delivery is sent.
 */
export function webhookUrl(baseUrl: string, allowHosts: readonly string[] = []) {
  return z
    .string({ message: 'Enter the address to send to' })
    .trim()
    .min(1, { message: 'Enter the address to send to' })
    .max(2000, { message: 'The address must be 2000 characters or fewer' })
    .superRefine((value, ctx) => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'Enter a full web address starting with https://, like https://crm.example.org/hooks/chorus' });
        return;
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        ctx.addIssue({ code: 'custom', message: 'The address must start with https:// or http://' });
      } else if (url.username || url.password) {
        ctx.addIssue({ code: 'custom', message: 'Leave the user name and password out of the address; check deliveries with the signing secret instead' });
      } else if (url.origin === new URL(baseUrl).origin) {
        ctx.addIssue({ code: 'custom', message: 'The address must be another system’s, not this hub’s own' });
      } else if (refusedAtEntry(url, allowHosts)) {
        ctx.addIssue({ code: 'custom', message: 'The address must be a public one: webhooks are not sent to loopback, private or link-local addresses' });
      }
    });
}

export interface Webhook {
  id: number;
  publicId: string;
  groupId: number | null;
  groupName: string | null;
  url: string;
  events: WebhookEvent[];
  createdAt: Date;
  /** Set when the organiser who made it lost access: it sends nothing more. */
  revokedAt: Date | null;
}

export interface CreateWebhookProps {
  actor: Viewer;
  groupId: number | null;
  url: string;
  events: WebhookEvent[];
}

/**
 * Registers a webhook. It is sent only what happens from now on: its cursors start at the
 * newest signature confirmation and consent event.
 */
export async function createWebhook(q: Q, props: CreateWebhookProps): Promise<{ publicId: string; secret: string }> {
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  const floor = await newestConsentEventId(q);
  const row = await q
    .insertInto('webhooks')
    .values({
      group_id: props.groupId,
      url: props.url,
      events: props.events,
      secret,
      created_by: props.actor.id,
      signatures_seen_until: new Date(),
      signups_floor_id: floor,
      signups_next_floor_id: floor,
      signups_floor_moved_at: new Date(),
    })
    .returning('public_id')
    .executeTakeFirstOrThrow();
  await recordAudit(q, {
    actor: props.actor,
    action: 'api.webhook.create',
    subjectType: 'webhook',
    subjectId: row.public_id,
    after: { url: props.url, groupId: props.groupId, events: props.events },
  });
  return { publicId: row.public_id, secret };
}

/** Deletes a webhook with its delivery log; pending deliveries are dropped. */
export async function deleteWebhook(q: Q, actor: Viewer, hook: Webhook): Promise<void> {
  await q.deleteFrom('webhooks').where('id', '=', hook.id).execute();
  await recordAudit(q, { actor, action: 'api.webhook.delete', subjectType: 'webhook', subjectId: hook.publicId, before: { url: hook.url, groupId: hook.groupId, events: hook.events } });
}

function webhookQuery(q: Q) {
  return q
    .selectFrom('webhooks')
    .select(['webhooks.id', 'webhooks.public_id', 'webhooks.group_id', 'webhooks.url', 'webhooks.events', 'webhooks.created_at', 'webhooks.revoked_at']);
}

type WebhookRow = Awaited<ReturnType<ReturnType<typeof webhookQuery>['executeTakeFirstOrThrow']>>;

/** The webhooks, each with the name of its group (from the coalition's groups). */
async function toWebhooks(q: Q, rows: WebhookRow[]): Promise<Webhook[]> {
  const groups = await findGroupsByIds(
    q,
    rows.flatMap((r) => (r.group_id === null ? [] : [r.group_id])),
  );
  const names = new Map(groups.map((g) => [g.id, g.name]));
  return rows.map((r) => ({
    id: r.id,
    publicId: r.public_id,
    groupId: r.group_id,
    groupName: r.group_id === null ? null : (names.get(r.group_id) ?? null),
    url: r.url,
    events: r.events,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  }));
}

export async function listWebhooks(q: Q, groups: number[] | 'all'): Promise<Webhook[]> {
  if (groups !== 'all' && groups.length === 0) return [];
  let query = webhookQuery(q).orderBy('webhooks.created_at', 'desc').limit(500);
  if (groups !== 'all') query = query.where('webhooks.group_id', 'in', groups);
  return toWebhooks(q, await query.execute());
}

/** A webhook by its public id, if the viewer manages its group. */
export async function findWebhook(q: Q, publicId: string, groups: number[] | 'all'): Promise<Webhook> {
  if (!isUuid(publicId)) throw notFound('webhook');
  const row = await webhookQuery(q).where('webhooks.public_id', '=', publicId).executeTakeFirst();
  if (!row || (groups !== 'all' && (row.group_id === null || !groups.includes(row.group_id)))) throw notFound('webhook');
  return (await toWebhooks(q, [row]))[0]!;
}
