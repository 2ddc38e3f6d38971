import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import type { Agent } from '../../test/support/agent.ts';
import { createOrganiser, getOrganiser } from '../coalition/organisers.ts';
import type { Role } from '../coalition/tables.ts';
import { confirmationToken } from '../petitions/confirmation-emails.ts';
import { confirmSignature } from '../petitions/confirm-signature.ts';
import type { Viewer } from '../platform/web/context.ts';
import { addPostcode, makeGroup, makeKey, makePetition, osdiClient, WebhookReceiver, type OsdiClient } from './test-support.ts';
import { sweepWebhooks } from './webhooks/sweep.ts';
import { createWebhook } from './webhooks/webhooks.ts';

/** Keys and webhooks do not outlive their organiser's access: disabling or narrowing it revokes them. */
let t: TestApp;
let admin: { agent: Agent; id: number };
let groupA: number;
let groupB: number;
let petitionA: number;
let adminKeyA: OsdiClient;
let receiver: WebhookReceiver;

const API = '/api/v1';

beforeAll(async () => {
  t = await createTestApp({ env: { OUTBOUND_ALLOW_HOSTS: '127.0.0.1' } });
  admin = await signedInAgent(t.app, t.ctx, { role: 'admin' });
  groupA = await makeGroup(t, 'Keys Group A');
  groupB = await makeGroup(t, 'Keys Group B');
  petitionA = await makePetition(t, { action: 'Keep the night buses', groupIds: [groupA] });
  await addPostcode(t, 'SW1A 1AA', { code: 'E14001172', name: 'Cities of London and Westminster' });
  const adminViewer = (await getOrganiser(t.ctx.db, admin.id))!;
  adminKeyA = osdiClient(t, await makeKey(t, { ...adminViewer, role: 'admin' }, { groupId: groupA, scope: 'write', perSecond: 1000 }));
  receiver = await new WebhookReceiver().start();
});
afterAll(async () => {
  await receiver.stop();
  await t.close();
});

let n = 0;
async function organiser(role: Role, groupIds: number[]): Promise<Viewer & { publicId: string }> {
  const email = `maker${++n}@example.org`;
  const id = await createOrganiser(t.ctx.db, { email, name: `Maker ${n}`, role, groupIds, password: 'a long enough password', actor: 'test' });
  return { id, name: `Maker ${n}`, email, role, publicId: (await getOrganiser(t.ctx.db, id))!.publicId };
}

async function signAndConfirm(email: string): Promise<void> {
  const res = await adminKeyA.post(`${API}/petitions/${petitionA}/signatures`, {
    person: { given_name: 'Sam', family_name: 'Signer', email_addresses: [{ address: email }], postal_addresses: [{ postal_code: 'SW1A 1AA' }] },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const publicId = (res.body.identifiers as string[])[0]!.replace('chorus:', '');
  await confirmSignature(t.ctx.db, t.ctx.secret, publicId, confirmationToken(t.ctx.secret, publicId));
}

async function auditOf(action: string, subjectId: string) {
  return t.ctx.db.selectFrom('audit_log').select(['actor_id', 'before', 'after']).where('action', '=', action).where('subject_id', '=', subjectId).execute();
}

describe('an organiser losing a group', () => {
  it('revokes the keys and webhooks they made for it (and only those): 401, no more deliveries, listed as revoked, audited', async () => {
    const maker = await organiser('organiser', [groupA, groupB]);
    const keyA = osdiClient(t, await makeKey(t, maker, { groupId: groupA, scope: 'read', perSecond: 1000 }));
    const keyB = osdiClient(t, await makeKey(t, maker, { groupId: groupB, scope: 'read', perSecond: 1000 }));
    const hook = await createWebhook(t.ctx.db, { actor: maker, groupId: groupA, url: receiver.url, events: ['signature'] });
    expect((await keyA.get(`${API}/people`)).status).toBe(200);

    // A delivery is waiting when the access goes.
    await signAndConfirm('before-revoke@example.org');
    expect(await sweepWebhooks(t.ctx)).toBe(1);

    const page = `/admin/organisers/${maker.publicId}`;
    await admin.agent.get(page);
    expect((await admin.agent.post(page, { role: 'organiser', groups: [String(groupB)] })).statusCode).toBe(303);

    const refused = await keyA.get(`${API}/people`);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe('API Key invalid or not present');
    expect((await keyB.get(`${API}/people`)).status).toBe(200);
    expect((await adminKeyA.get(`${API}/people`)).status).toBe(200);

    // The waiting delivery is given up, and new events are not sent.
    await t.runJobs();
    await signAndConfirm('after-revoke@example.org');
    expect(await sweepWebhooks(t.ctx)).toBe(0);
    await t.runJobs();
    expect(receiver.received.filter((d) => d.body.includes('revoke@example.org'))).toEqual([]);
    const deliveries = await t.ctx.db
      .selectFrom('webhook_deliveries')
      .innerJoin('webhooks', 'webhooks.id', 'webhook_deliveries.webhook_id')
      .select(['webhook_deliveries.status', 'webhook_deliveries.last_error'])
      .where('webhooks.public_id', '=', hook.publicId)
      .execute();
    expect(deliveries).toEqual([{ status: 'failed', last_error: 'Not sent: the webhook was revoked' }]);

    // Listed as revoked; a test delivery is refused.
    const list = await admin.agent.get('/admin/api');
    const row = new RegExp(`<a href="/admin/api/webhooks/${hook.publicId}">[\\s\\S]*?</tr>`).exec(list.body)?.[0];
    expect(row).toContain('Revoked');
    const hookPage = await admin.agent.get(`/admin/api/webhooks/${hook.publicId}`);
    expect(hookPage.body).toContain('This webhook was revoked on');
    expect((await admin.agent.post(`/admin/api/webhooks/${hook.publicId}/test`, {})).statusCode).toBe(409);

    const keyRow = await t.ctx.db.selectFrom('api_tokens').select(['public_id', 'revoked_by']).where('created_by', '=', maker.id).where('group_id', '=', groupA).executeTakeFirstOrThrow();
    expect(keyRow.revoked_by).toBe(admin.id);
    expect(await auditOf('api.key.revoke', keyRow.public_id)).toEqual([
      { actor_id: admin.id, before: { name: expect.any(String), groupId: groupA }, after: { reason: 'The organiser who made it no longer manages its group' } },
    ]);
    expect(await auditOf('api.webhook.revoke', hook.publicId)).toEqual([
      { actor_id: admin.id, before: { url: receiver.url, groupId: groupA, events: ['signature'] }, after: { reason: 'The organiser who made it no longer manages its group' } },
    ]);
  });

  it('revokes a coalition key when its admin becomes a group organiser', async () => {
    const former = await organiser('admin', []);
    const coalitionKey = osdiClient(t, await makeKey(t, former, { groupId: null, scope: 'read', perSecond: 1000 }));
    const groupKey = osdiClient(t, await makeKey(t, former, { groupId: groupA, scope: 'read', perSecond: 1000 }));
    const page = `/admin/organisers/${former.publicId}`;
    await admin.agent.get(page);
    expect((await admin.agent.post(page, { role: 'organiser', groups: [String(groupA)] })).statusCode).toBe(303);
    expect((await coalitionKey.get(`${API}/people`)).status).toBe(401);
    expect((await groupKey.get(`${API}/people`)).status).toBe(200);
  });
});

describe('an organiser being disabled', () => {
  it('revokes every key and webhook they made, with an audit entry each', async () => {
    const maker = await organiser('organiser', [groupA]);
    const key = osdiClient(t, await makeKey(t, maker, { groupId: groupA, scope: 'write', perSecond: 1000 }));
    const hook = await createWebhook(t.ctx.db, { actor: maker, groupId: groupA, url: receiver.url, events: ['signature', 'signup'] });
    expect((await key.get(`${API}/people`)).status).toBe(200);

    const page = `/admin/organisers/${maker.publicId}`;
    await admin.agent.get(page);
    expect((await admin.agent.post(`${page}/disable`, {})).statusCode).toBe(303);

    expect((await key.get(`${API}/people`)).status).toBe(401);
    await signAndConfirm('after-disable@example.org');
    expect(await sweepWebhooks(t.ctx)).toBe(0);
    await t.runJobs();
    expect(receiver.received.filter((d) => d.body.includes('after-disable@example.org'))).toEqual([]);
    const reason = { reason: 'The organiser who made it was disabled' };
    const keyRow = await t.ctx.db.selectFrom('api_tokens').select('public_id').where('created_by', '=', maker.id).executeTakeFirstOrThrow();
    expect((await auditOf('api.key.revoke', keyRow.public_id)).map((a) => a.after)).toEqual([reason]);
    expect((await auditOf('api.webhook.revoke', hook.publicId)).map((a) => a.after)).toEqual([reason]);

    // Enabling the account again does not bring them back.
    await admin.agent.get(page);
    expect((await admin.agent.post(`${page}/enable`, {})).statusCode).toBe(303);
    expect((await key.get(`${API}/people`)).status).toBe(401);
  });
});
