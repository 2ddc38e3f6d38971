import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import { confirmationToken } from '../petitions/confirmation-emails.ts';
import { confirmSignature } from '../petitions/confirm-signature.ts';
import type { Viewer } from '../platform/web/context.ts';
import { purposeFor, wordingFor } from '../supporters/consent.ts';
import { erasePerson, exportPersonalData } from '../supporters/personal-data.ts';
import { confirmSignUp, signUp } from '../supporters/sign-up.ts';
import { signUpConfirmationToken } from '../supporters/subscriber-tokens.ts';
import { addPostcode, makeAdminViewer, makeGroup, makeKey, makePetition, osdiClient, WebhookReceiver, type OsdiClient, type ReceivedDelivery } from './test-support.ts';
import { MAX_DELIVERY_ATTEMPTS, queueTestDelivery, retryDelaySeconds } from './webhooks/deliver.ts';
import { deleteOldDeliveries } from './webhooks/retention.ts';
import { verifyDelivery } from './webhooks/signing.ts';
import { sweepWebhooks } from './webhooks/sweep.ts';
import { createWebhook } from './webhooks/webhooks.ts';

let t: TestApp;
let admin: Viewer;
let groupA: number;
let groupB: number;
let keyA: OsdiClient;
let keyB: OsdiClient;
let petitionA: number;
let petitionB: number;

const API = '/api/v1';

beforeAll(async () => {
  // The test receivers listen on loopback: this hub is told it may reach it.
  t = await createTestApp({ env: { OUTBOUND_ALLOW_HOSTS: '127.0.0.1' } });
  admin = await makeAdminViewer(t);
  groupA = await makeGroup(t, 'Webhook Group A');
  groupB = await makeGroup(t, 'Webhook Group B');
  keyA = osdiClient(t, await makeKey(t, admin, { groupId: groupA, scope: 'write', perSecond: 1000 }));
  keyB = osdiClient(t, await makeKey(t, admin, { groupId: groupB, scope: 'write', perSecond: 1000 }));
  petitionA = await makePetition(t, { action: 'Save the walk-in centre', groupIds: [groupA] });
  petitionB = await makePetition(t, { action: 'Group B’s petition', groupIds: [groupB] });
  await addPostcode(t, 'SW1A 1AA', { code: 'E14001172', name: 'Cities of London and Westminster' });
});
afterAll(() => t.close());

/** What a receiver would do, written independently of our signing code. */
function receiverAccepts(secret: string, delivery: ReceivedDelivery): boolean {
  const timestamp = String(delivery.headers['x-chorus-timestamp']);
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${delivery.body}`).digest('hex')}`;
  const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
  return fresh && expected === delivery.headers['x-chorus-signature'];
}

async function signAndConfirm(client: OsdiClient, petitionId: number, email: string): Promise<string> {
  const res = await client.post(`${API}/petitions/${petitionId}/signatures`, {
    person: { given_name: 'Sam', family_name: 'Signer', email_addresses: [{ address: email }], postal_addresses: [{ postal_code: 'SW1A 1AA' }] },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const publicId = (res.body.identifiers as string[])[0]!.replace('chorus:', '');
  await confirmSignature(t.ctx.db, t.ctx.secret, publicId, confirmationToken(t.ctx.secret, publicId));
  return publicId;
}

async function deliveriesOf(webhookPublicId: string) {
  return t.ctx.db
    .selectFrom('webhook_deliveries')
    .innerJoin('webhooks', 'webhooks.id', 'webhook_deliveries.webhook_id')
    .select(['webhook_deliveries.id', 'webhook_deliveries.kind', 'webhook_deliveries.status', 'webhook_deliveries.attempts', 'webhook_deliveries.last_status_code', 'webhook_deliveries.next_attempt_at'])
    .where('webhooks.public_id', '=', webhookPublicId)
    .orderBy('webhook_deliveries.id')
    .execute();
}

/** Makes a delivery's waiting retry due now, as if its backoff had passed. */
async function makeRetryDue(deliveryId: number) {
  const job = await sql<{ id: number; run_at: Date }>`select id, run_at from graphile_worker.jobs where key = ${`api.webhooks.delivery:${deliveryId}`}`.execute(t.ctx.db);
  const row = job.rows[0]!;
  await sql`select graphile_worker.reschedule_jobs(array[${row.id}]::bigint[], run_at => now())`.execute(t.ctx.db);
  return row.run_at;
}

describe('webhooks', () => {
  it('sends a new confirmed signature on the group’s petitions, signed so the receiver can check it, once', async () => {
    const receiver = await new WebhookReceiver().start();
    const hook = await createWebhook(t.ctx.db, { actor: admin, groupId: groupA, url: receiver.url, events: ['signature'] });
    const signature = await signAndConfirm(keyA, petitionA, 'sam@example.org');
    await signAndConfirm(keyB, petitionB, 'not-for-a@example.org');
    // Not confirmed: not sent.
    await keyA.post(`${API}/petitions/${petitionA}/signatures`, {
      person: { given_name: 'Una', email_addresses: [{ address: 'unconfirmed@example.org' }], postal_addresses: [{ postal_code: 'SW1A 1AA' }] },
    });

    expect(await sweepWebhooks(t.ctx)).toBe(1);
    await t.runJobs();
    expect(receiver.received).toHaveLength(1);
    const delivery = receiver.received[0]!;
    expect(delivery.headers['content-type']).toBe('application/json');
    expect(delivery.headers['x-chorus-event']).toBe('signature');
    expect(receiverAccepts(hook.secret, delivery)).toBe(true);
    expect(verifyDelivery(hook.secret, { timestamp: String(delivery.headers['x-chorus-timestamp']), signature: String(delivery.headers['x-chorus-signature']) }, delivery.body)).toBe(true);
    // A changed body, another secret or an old timestamp fail the check.
    expect(receiverAccepts(hook.secret, { ...delivery, body: delivery.body.replace('sam@', 'eve@') })).toBe(false);
    expect(receiverAccepts('whsec_another', delivery)).toBe(false);
    const stale = Math.floor(Date.now() / 1000) - 600;
    expect(verifyDelivery(hook.secret, { timestamp: String(stale), signature: `sha256=${createHmac('sha256', hook.secret).update(`${stale}.${delivery.body}`).digest('hex')}` }, delivery.body)).toBe(false);

    const items = JSON.parse(delivery.body) as Array<Record<string, Record<string, unknown>>>;
    expect(items).toHaveLength(1);
    const sent = items[0]!['osdi:signature']!;
    expect(sent.identifiers).toEqual([`chorus:${signature}`]);
    expect(sent.person).toMatchObject({ given_name: 'Sam', family_name: 'Signer', email_addresses: [{ address: 'sam@example.org', primary: true }] });
    expect((sent._links as Record<string, { href: string }>)['osdi:petition']!.href).toBe(`http://chorus.test/api/v1/petitions/${petitionA}`);
    expect(items[0]!['chorus:petition']).toEqual({ identifiers: [`chorus:${petitionA}`], title: 'Save the walk-in centre' });

    // Nothing is sent twice.
    expect(await sweepWebhooks(t.ctx)).toBe(0);
    await t.runJobs();
    expect(receiver.received).toHaveLength(1);
    expect(await deliveriesOf(hook.publicId)).toMatchObject([{ kind: 'signature', status: 'delivered', attempts: 1, last_status_code: 200, next_attempt_at: null }]);

    // A confirmation whose transaction committed after the sweep had moved on is still sent
    // (by a webhook made an hour ago: confirmations from before a webhook existed are never sent).
    await t.ctx.db.updateTable('webhooks').set({ created_at: new Date(Date.now() - 3_600_000) }).where('public_id', '=', hook.publicId).execute();
    const late = await signAndConfirm(keyA, petitionA, 'late@example.org');
    const cursor = await t.ctx.db.selectFrom('webhooks').select('signatures_seen_until').where('public_id', '=', hook.publicId).executeTakeFirstOrThrow();
    await t.ctx.db.updateTable('signatures').set({ validated_at: new Date(cursor.signatures_seen_until.getTime() - 60_000) }).where('public_id', '=', late).execute();
    expect(await sweepWebhooks(t.ctx)).toBe(1);
    await t.runJobs();
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]!.body).toContain('late@example.org');
    await receiver.stop();
  });

  it('sends new sign-ups to the group’s webhook as osdi:submission items', async () => {
    const receiver = await new WebhookReceiver().start();
    const hook = await createWebhook(t.ctx.db, { actor: admin, groupId: groupA, url: receiver.url, events: ['signup'] });
    await keyA.post(`${API}/people`, { person: { given_name: 'Nia', family_name: 'Jones', email_addresses: [{ address: 'nia@example.org', status: 'subscribed' }] } });
    // Not a sign-up for group A: a person group B signed up, and one with no consent.
    await keyB.post(`${API}/people`, { person: { email_addresses: [{ address: 'b-fan@example.org', status: 'subscribed' }] } });
    await keyA.post(`${API}/people`, { person: { email_addresses: [{ address: 'no-consent@example.org' }] } });

    expect(await sweepWebhooks(t.ctx)).toBe(1);
    await t.runJobs();
    expect(receiver.received).toHaveLength(1);
    const delivery = receiver.received[0]!;
    expect(delivery.headers['x-chorus-event']).toBe('signup');
    expect(receiverAccepts(hook.secret, delivery)).toBe(true);
    const items = JSON.parse(delivery.body) as Array<Record<string, Record<string, unknown>>>;
    expect(items.map((i) => (i['osdi:submission']!.person as { email_addresses: Array<{ address: string }> }).email_addresses[0]!.address)).toEqual(['nia@example.org']);
    expect(items[0]!['osdi:submission']).toMatchObject({ person: { given_name: 'Nia', family_name: 'Jones' }, 'chorus:purpose': 'Webhook Group A updates' });
    expect(await sweepWebhooks(t.ctx)).toBe(0);
    await receiver.stop();
  });

  it('sends a sign-up through the group’s own form once the person confirms it by email', async () => {
    const receiver = await new WebhookReceiver().start();
    const groupF = await makeGroup(t, 'Form Group');
    const hook = await createWebhook(t.ctx.db, { actor: admin, groupId: groupF, url: receiver.url, events: ['signup'] });
    const purpose = await purposeFor(t.ctx.db, { groupId: groupF });
    const wording = await wordingFor(t.ctx.db, purpose.id, 'Email me about Form Group campaigns. I can unsubscribe at any time.');
    const request = { email: 'femi@example.org', name: 'Femi Form', place: null, consents: [{ purpose, wording }], method: 'form:group-subscribe', ip: null };
    const mail = { brand: t.ctx.brand.current(), baseUrl: t.ctx.config.BASE_URL, secret: t.ctx.secret };
    expect(await signUp(t.ctx.db, { ...request, source: { utmSource: null, utmCampaign: null, referrer: null } }, mail)).toBe('confirmation-sent');

    // Asked but not yet confirmed: not a sign-up yet.
    expect(await sweepWebhooks(t.ctx)).toBe(0);
    const asked = await t.ctx.db
      .selectFrom('person_actions')
      .innerJoin('people', 'people.id', 'person_actions.person_id')
      .select(['person_actions.id', 'people.public_id'])
      .where('people.canonical_email', '=', 'femi@example.org')
      .where('person_actions.kind', '=', 'signup.requested')
      .executeTakeFirstOrThrow();
    await confirmSignUp(t.ctx.db, t.ctx.secret, signUpConfirmationToken(t.ctx.secret, asked.public_id, asked.id), null);

    expect(await sweepWebhooks(t.ctx)).toBe(1);
    await t.runJobs();
    expect(receiver.received).toHaveLength(1);
    expect(receiverAccepts(hook.secret, receiver.received[0]!)).toBe(true);
    const items = JSON.parse(receiver.received[0]!.body) as Array<Record<string, Record<string, unknown>>>;
    expect(items).toHaveLength(1);
    expect(items[0]!['osdi:submission']).toMatchObject({
      person: { given_name: 'Femi', family_name: 'Form', email_addresses: [{ address: 'femi@example.org', status: 'subscribed' }] },
      'chorus:purpose': 'Form Group updates',
      'chorus:method': 'form:group-subscribe',
    });
    await receiver.stop();
  });

  it('retries a receiver that fails, after a backoff, and the log shows each attempt', async () => {
    const receiver = await new WebhookReceiver([500, 200]).start();
    const groupC = await makeGroup(t, 'Flaky Receiver Group');
    const keyC = osdiClient(t, await makeKey(t, admin, { groupId: groupC, scope: 'write', perSecond: 100 }));
    const hook = await createWebhook(t.ctx.db, { actor: admin, groupId: groupC, url: receiver.url, events: ['signup'] });
    await keyC.post(`${API}/people`, { person: { email_addresses: [{ address: 'retry@example.org', status: 'subscribed' }] } });
    await sweepWebhooks(t.ctx);
    await t.runJobs();
    expect(receiver.received).toHaveLength(1);
    const [failed] = await deliveriesOf(hook.publicId);
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, last_status_code: 500 });
    const wait = failed!.next_attempt_at!.getTime() - Date.now();
    expect(wait).toBeGreaterThan((retryDelaySeconds(1) - 5) * 1000);
    expect(wait).toBeLessThanOrEqual(retryDelaySeconds(1) * 1000);

    // Not due yet: running the jobs sends nothing.
    await t.runJobs();
    expect(receiver.received).toHaveLength(1);
    const runAt = await makeRetryDue(failed!.id);
    expect(Math.abs(runAt.getTime() - failed!.next_attempt_at!.getTime())).toBeLessThan(1000);
    await t.runJobs();
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received.map((r) => r.headers['x-chorus-attempt'])).toEqual(['1', '2']);
    expect(receiver.received[0]!.headers['x-chorus-delivery']).toBe(receiver.received[1]!.headers['x-chorus-delivery']);
    expect(receiverAccepts(hook.secret, receiver.received[1]!)).toBe(true);
    expect(await deliveriesOf(hook.publicId)).toMatchObject([{ status: 'delivered', attempts: 2, last_status_code: 200 }]);

    // The delivery log page shows both attempts.
    const { agent } = await signedInAgent(t.app, t.ctx, { role: 'admin' });
    const log = await agent.get(`/admin/api/webhooks/${hook.publicId}`);
    expect(log.statusCode).toBe(200);
    expect(log.body).toContain('Delivered');
    const deliveryLink = /href="(\/admin\/api\/webhooks\/[^"]+\/deliveries\/[^"]+)"/.exec(log.body)![1]!;
    const detail = await agent.get(deliveryLink);
    expect(detail.statusCode).toBe(200);
    const rows = [...detail.body.matchAll(/<tr><th scope="row" class="numeric">(\d)<\/th><td>.*?<\/td><td>([^<]*)<\/td>/g)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual([
      ['1', '500'],
      ['2', '200'],
    ]);
    expect(detail.body).toContain('The receiver answered 500');
    await receiver.stop();
  });

  it('gives up after 8 attempts, waiting longer each time, when the receiver cannot be reached', async () => {
    const closed = await new WebhookReceiver().start();
    const url = closed.url;
    await closed.stop();
    const groupD = await makeGroup(t, 'Unreachable Receiver Group');
    const keyD = osdiClient(t, await makeKey(t, admin, { groupId: groupD, scope: 'write', perSecond: 100 }));
    const hook = await createWebhook(t.ctx.db, { actor: admin, groupId: groupD, url, events: ['signup'] });
    await keyD.post(`${API}/people`, { person: { email_addresses: [{ address: 'nowhere@example.org', status: 'subscribed' }] } });
    await sweepWebhooks(t.ctx);
    const waits: number[] = [];
    for (let attempt = 1; attempt <= MAX_DELIVERY_ATTEMPTS; attempt++) {
      await t.runJobs();
      const [delivery] = await deliveriesOf(hook.publicId);
      expect(delivery!.attempts).toBe(attempt);
      if (attempt < MAX_DELIVERY_ATTEMPTS) {
        waits.push(Math.round((delivery!.next_attempt_at!.getTime() - Date.now()) / 1000));
        await makeRetryDue(delivery!.id);
      }
    }
    expect(waits.every((w, i) => i === 0 || w > waits[i - 1]!)).toBe(true);
    const [given] = await deliveriesOf(hook.publicId);
    expect(given).toMatchObject({ status: 'failed', attempts: MAX_DELIVERY_ATTEMPTS, last_status_code: null, next_attempt_at: null });
    const error = await t.ctx.db.selectFrom('webhook_deliveries').select('last_error').where('id', '=', given!.id).executeTakeFirstOrThrow();
    expect(error.last_error).toContain('Could not connect');
    const jobs = await sql<{ n: number }>`select count(*)::int as n from graphile_worker.jobs where key = ${`api.webhooks.delivery:${given!.id}`}`.execute(t.ctx.db);
    expect(jobs.rows[0]!.n).toBe(0);
  });

  it('keeps the delivery log only for a while, and answers subject access and erasure', async () => {
    const receiver = await new WebhookReceiver().start();
    const groupE = await makeGroup(t, 'Retention Group');
    const keyE = osdiClient(t, await makeKey(t, admin, { groupId: groupE, scope: 'write', perSecond: 100 }));
    const hook = await createWebhook(t.ctx.db, { actor: admin, groupId: groupE, url: receiver.url, events: ['signup'] });
    await keyE.post(`${API}/people`, { person: { email_addresses: [{ address: 'kept@example.org', status: 'subscribed' }] } });
    await sweepWebhooks(t.ctx);
    await t.runJobs();
    const person = await t.ctx.db.selectFrom('people').select('id').where('canonical_email', '=', 'kept@example.org').executeTakeFirstOrThrow();
    // The supporters' subject access copy includes what the API sent about the person.
    const copy = await exportPersonalData(t.ctx.db, person.id);
    expect(copy['webhook-deliveries']).toMatchObject([{ kind: 'signup', status: 'delivered', sent_to: receiver.url }]);

    const [delivery] = await deliveriesOf(hook.publicId);
    await t.ctx.db.updateTable('webhook_deliveries').set({ created_at: new Date(Date.now() - 29 * 86_400_000) }).where('id', '=', delivery!.id).execute();
    await deleteOldDeliveries(t.ctx.db);
    expect(await deliveriesOf(hook.publicId)).toHaveLength(1);
    await t.ctx.db.updateTable('webhook_deliveries').set({ created_at: new Date(Date.now() - 31 * 86_400_000) }).where('id', '=', delivery!.id).execute();
    await deleteOldDeliveries(t.ctx.db);
    expect(await deliveriesOf(hook.publicId)).toHaveLength(0);

    await keyE.post(`${API}/people`, { person: { email_addresses: [{ address: 'erase-me@example.org', status: 'subscribed' }] } });
    await sweepWebhooks(t.ctx);
    const erased = await t.ctx.db.selectFrom('people').select('id').where('canonical_email', '=', 'erase-me@example.org').executeTakeFirstOrThrow();
    expect(await deliveriesOf(hook.publicId)).toHaveLength(1);
    // Erasing the person (the supporters' erasure, which asks every registered source) drops the log entry.
    await t.ctx.db.transaction().execute((tx) => erasePerson(tx, erased.id, admin));
    expect(await deliveriesOf(hook.publicId)).toHaveLength(0);
    await receiver.stop();
  });
});

async function listen(host: string, handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

const close = (server: Server) => new Promise((resolve) => server.close(resolve));

async function attemptsOf(app: TestApp, webhookPublicId: string) {
  return app.ctx.db
    .selectFrom('webhook_attempts')
    .innerJoin('webhook_deliveries', 'webhook_deliveries.id', 'webhook_attempts.delivery_id')
    .innerJoin('webhooks', 'webhooks.id', 'webhook_deliveries.webhook_id')
    .select(['webhook_attempts.status_code', 'webhook_attempts.error', 'webhook_attempts.response_ms', 'webhook_deliveries.last_error', 'webhook_deliveries.last_response_ms', 'webhook_deliveries.last_status_code'])
    .where('webhooks.public_id', '=', webhookPublicId)
    .execute();
}

describe('webhooks to addresses that are not public', () => {
  let u: TestApp;
  let uAdmin: Viewer;
  let uGroup: number;
  beforeAll(async () => {
    // A hub with no allow-list: the default.
    u = await createTestApp();
    uAdmin = await makeAdminViewer(u);
    uGroup = await makeGroup(u, 'No Allow-list Group');
  });
  afterAll(() => u.close());

  it('cannot be made for a loopback, private or metadata address: 422 naming the url field', async () => {
    const { agent } = await signedInAgent(u.app, u.ctx, { role: 'admin' });
    for (const url of ['http://127.0.0.1:8080/', 'http://[::1]/', 'http://169.254.169.254/latest/meta-data/', 'http://10.0.0.1/', 'http://192.168.1.1/hook', 'http://[::ffff:127.0.0.1]/', 'http://2130706433/', 'http://localhost:3000/']) {
      await agent.get('/admin/api/webhooks/new');
      const res = await agent.post('/admin/api/webhooks/new', { url, group: String(uGroup), events: ['signature'] });
      expect(res.statusCode, url).toBe(422);
      expect(res.body, url).toContain('href="#field-url"');
      expect(res.body, url).toContain('The address must be a public one');
    }
    expect(await u.ctx.db.selectFrom('webhooks').select('id').execute()).toHaveLength(0);
    // A public address is accepted.
    await agent.get('/admin/api/webhooks/new');
    const made = await agent.post('/admin/api/webhooks/new', { url: 'https://crm.example.org/hook', group: String(uGroup), events: ['signature'] });
    expect(made.statusCode).toBe(200);
  });

  it('cannot deliver to a local receiver without the allow-list, and logs only that it was refused; with it, delivers', async () => {
    const receiver = await new WebhookReceiver().start();
    const port = new URL(receiver.url).port;
    // Made before the check existed, or a name that resolves to loopback only when sent.
    const literal = await createWebhook(u.ctx.db, { actor: uAdmin, groupId: uGroup, url: receiver.url, events: ['signup'] });
    const named = await createWebhook(u.ctx.db, { actor: uAdmin, groupId: uGroup, url: `http://localhost:${port}/hooks/chorus`, events: ['signup'] });
    for (const hook of [literal, named]) {
      const { id } = await u.ctx.db.selectFrom('webhooks').select('id').where('public_id', '=', hook.publicId).executeTakeFirstOrThrow();
      await queueTestDelivery(u.ctx.db, id, 'Test hub');
    }
    await u.runJobs();
    expect(receiver.received).toHaveLength(0);
    for (const hook of [literal, named]) {
      expect(await attemptsOf(u, hook.publicId)).toEqual([
        { status_code: null, error: 'refused: not a public address', response_ms: null, last_error: 'refused: not a public address', last_response_ms: null, last_status_code: null },
      ]);
    }
    const { agent } = await signedInAgent(u.app, u.ctx, { role: 'admin' });
    const log = await agent.get(`/admin/api/webhooks/${literal.publicId}`);
    const deliveryLink = /href="(\/admin\/api\/webhooks\/[^"]+\/deliveries\/[^"]+)"/.exec(log.body)![1]!;
    const detail = await agent.get(deliveryLink);
    expect(detail.body).toContain('refused: not a public address');
    expect(detail.body).not.toMatch(/[0-9] ms</);

    // The same receiver, from the hub whose OUTBOUND_ALLOW_HOSTS lists 127.0.0.1: delivered.
    const allowed = await createWebhook(t.ctx.db, { actor: admin, groupId: groupA, url: receiver.url, events: ['signup'] });
    const { id } = await t.ctx.db.selectFrom('webhooks').select('id').where('public_id', '=', allowed.publicId).executeTakeFirstOrThrow();
    await queueTestDelivery(t.ctx.db, id, 'Test hub');
    await t.runJobs();
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.headers['x-chorus-event']).toBe('test');
    expect(await attemptsOf(t, allowed.publicId)).toMatchObject([{ status_code: 200, error: null }]);
    await receiver.stop();
  });

  it('cannot be redirected from an allowed receiver to an address that is not public', async () => {
    const internalHits: string[] = [];
    const internal = await listen('127.0.0.2', (req, res) => {
      internalHits.push(req.url!);
      res.end('internal');
    });
    const redirector = await listen('127.0.0.1', (req, res) => {
      req.resume();
      res.writeHead(307, { location: `http://127.0.0.2:${internal.port}/admin` }).end();
    });
    const hook = await createWebhook(t.ctx.db, { actor: admin, groupId: groupA, url: `http://127.0.0.1:${redirector.port}/hook`, events: ['signup'] });
    const { id } = await t.ctx.db.selectFrom('webhooks').select('id').where('public_id', '=', hook.publicId).executeTakeFirstOrThrow();
    await queueTestDelivery(t.ctx.db, id, 'Test hub');
    await t.runJobs();
    expect(internalHits).toEqual([]);
    expect(await attemptsOf(t, hook.publicId)).toMatchObject([{ status_code: null, error: 'refused: not a public address', response_ms: null }]);
    await close(internal.server);
    await close(redirector.server);
  });
});
