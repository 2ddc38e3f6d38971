import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import { Agent } from '../../test/support/agent.ts';
import { makeGroup, osdiClient, WebhookReceiver } from './test-support.ts';
import { hashToken } from './tokens.ts';
import { verifyDelivery } from './webhooks/signing.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInAgent>>;
let groupA: number;
let groupB: number;

beforeAll(async () => {
  // The test receivers listen on loopback: this hub is told it may reach it.
  t = await createTestApp({ env: { OUTBOUND_ALLOW_HOSTS: '127.0.0.1' } });
  admin = await signedInAgent(t.app, t.ctx, { role: 'admin' });
  groupA = await makeGroup(t, 'Admin Group A');
  groupB = await makeGroup(t, 'Admin Group B');
});
afterAll(() => t.close());

const tokenIn = (html: string) => /<code[^>]*>(chorus_[A-Za-z0-9_-]{40,})<\/code>/.exec(html)?.[1];
const secretIn = (html: string) => /<code[^>]*>(whsec_[A-Za-z0-9_-]{20,})<\/code>/.exec(html)?.[1];

describe('API keys in the admin area', () => {
  it('makes a key, shows it once, keeps only its hash, and revokes it', async () => {
    await admin.agent.get('/admin/api/keys/new');
    const made = await admin.agent.post('/admin/api/keys/new', { name: 'CRM sync', group: String(groupA), scope: 'write' });
    expect(made.statusCode).toBe(200);
    expect(made.headers['cache-control']).toBe('no-store');
    const token = tokenIn(made.body)!;
    expect(token).toBeDefined();
    const row = await t.ctx.db.selectFrom('api_tokens').selectAll().where('name', '=', 'CRM sync').executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row).toMatchObject({ group_id: groupA, scope: 'write', created_by: admin.id });

    const api = osdiClient(t, token);
    expect((await api.get('/api/v1/people')).status).toBe(200);

    const list = await admin.agent.get('/admin/api');
    expect(list.body).toContain('CRM sync');
    expect(list.body).toContain(row.token_prefix);
    expect(list.body).not.toContain(token);
    expect(list.body).toContain('Admin Group A');

    const revoked = await admin.agent.post(`/admin/api/keys/${row.public_id}/revoke`, {});
    expect(revoked.statusCode).toBe(303);
    const after = await admin.agent.get(revoked.headers.location as string);
    expect(after.body).toContain('The key has been revoked');
    expect(after.body).toContain('Revoked');
    expect((await api.get('/api/v1/people')).status).toBe(401);

    const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'after', 'before']).where('subject_type', '=', 'api_key').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['api.key.create', 'api.key.revoke']);
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it('lets an admin make a key whose signatures count as confirmed, and says so in the list', async () => {
    const form = await admin.agent.get('/admin/api/keys/new');
    expect(form.body).toContain('name="confirms_signatures"');
    const made = await admin.agent.post('/admin/api/keys/new', { name: 'Trusted signer tool', group: String(groupA), scope: 'write', confirms_signatures: 'yes' });
    expect(made.statusCode, made.body).toBe(200);
    const row = await t.ctx.db.selectFrom('api_tokens').select(['confirms_signatures', 'public_id']).where('name', '=', 'Trusted signer tool').executeTakeFirstOrThrow();
    expect(row.confirms_signatures).toBe(true);
    expect((await admin.agent.get('/admin/api')).body).toContain('its signatures count as confirmed');
    const audit = await t.ctx.db.selectFrom('audit_log').select('after').where('subject_id', '=', row.public_id).executeTakeFirstOrThrow();
    expect(audit.after).toMatchObject({ confirmsSignatures: true });

    const plain = await admin.agent.post('/admin/api/keys/new', { name: 'Plain signer tool', group: String(groupA), scope: 'write' });
    expect(plain.statusCode).toBe(200);
    expect((await t.ctx.db.selectFrom('api_tokens').select('confirms_signatures').where('name', '=', 'Plain signer tool').executeTakeFirstOrThrow()).confirms_signatures).toBe(false);
  });

  it('cannot make a read key that confirms signatures', async () => {
    const res = await admin.agent.post('/admin/api/keys/new', { name: 'Read but trusted', group: String(groupA), scope: 'read', confirms_signatures: 'yes' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('href="#field-confirms_signatures"');
    expect(await t.ctx.db.selectFrom('api_tokens').select('id').where('name', '=', 'Read but trusted').execute()).toHaveLength(0);
  });

  it('cannot let a group organiser make a key that confirms signatures', async () => {
    const organiser = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [groupB] });
    const form = await organiser.agent.get('/admin/api/keys/new');
    expect(form.body).not.toContain('name="confirms_signatures"');
    const res = await organiser.agent.post('/admin/api/keys/new', { name: 'Self-trusted', group: String(groupB), scope: 'write', confirms_signatures: 'yes' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Only an admin can let a key record signatures as confirmed');
    expect(await t.ctx.db.selectFrom('api_tokens').select('id').where('name', '=', 'Self-trusted').execute()).toHaveLength(0);
  });

  it('shows each problem beside its field and keeps what was typed', async () => {
    await admin.agent.get('/admin/api/keys/new');
    const res = await admin.agent.post('/admin/api/keys/new', { name: 'Half filled', group: '' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('href="#field-group"');
    expect(res.body).toContain('Choose whose data');
    expect(res.body).toContain('Choose what the key may do');
    expect(res.body).toContain('value="Half filled"');
    expect(await t.ctx.db.selectFrom('api_tokens').select('id').where('name', '=', 'Half filled').execute()).toHaveLength(0);
  });

  it('lets a group organiser manage only their own groups’ keys, never a coalition key', async () => {
    const organiser = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [groupB] });
    const form = await organiser.agent.get('/admin/api/keys/new');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Admin Group B');
    expect(form.body).not.toContain('Admin Group A');
    expect(form.body).not.toContain('Whole coalition');
    for (const group of ['coalition', String(groupA)]) {
      const refused = await organiser.agent.post('/admin/api/keys/new', { name: 'Sneaky', group, scope: 'read' });
      expect(refused.statusCode).toBe(422);
      expect(refused.body).toContain('Choose a group from the list');
    }
    const made = await organiser.agent.post('/admin/api/keys/new', { name: 'B reports', group: String(groupB), scope: 'read' });
    expect(tokenIn(made.body)).toBeDefined();

    await admin.agent.get('/admin/api/keys/new');
    await admin.agent.post('/admin/api/keys/new', { name: 'Coalition export', group: 'coalition', scope: 'read' });
    const coalitionKey = await t.ctx.db.selectFrom('api_tokens').select(['public_id', 'group_id']).where('name', '=', 'Coalition export').executeTakeFirstOrThrow();
    expect(coalitionKey.group_id).toBeNull();

    const page = await organiser.agent.get('/admin/api');
    expect(page.body).toContain('B reports');
    expect(page.body).not.toContain('CRM sync');
    expect(page.body).not.toContain('Coalition export');
    expect((await organiser.agent.post(`/admin/api/keys/${coalitionKey.public_id}/revoke`, {})).statusCode).toBe(404);
    const still = await t.ctx.db.selectFrom('api_tokens').select('revoked_at').where('public_id', '=', coalitionKey.public_id).executeTakeFirstOrThrow();
    expect(still.revoked_at).toBeNull();
  });

  it('keeps moderators and the public out', async () => {
    const moderator = await signedInAgent(t.app, t.ctx, { role: 'moderator' });
    expect((await moderator.agent.get('/admin/api')).statusCode).toBe(403);
    const visitor = await new Agent(t.app).get('/admin/api');
    expect(visitor.statusCode).toBe(303);
    expect(visitor.headers.location).toContain('/sign-in');
  });
});

describe('webhooks in the admin area', () => {
  it('refuses an address that is not a web address for another system, naming the field', async () => {
    const cases: Array<[string, string]> = [
      ['', 'Enter the address to send to'],
      ['not a url', 'Enter a full web address starting with https://'],
      ['ftp://files.example.org/in', 'must start with https:// or http://'],
      ['https://user:secret@crm.example.org/hook', 'Leave the user name and password out'],
      ['http://chorus.test/api/v1/people', 'not this hub’s own'],
      // Not on the allow-list (127.0.0.1 is): refused as it is entered.
      ['http://[::1]:8080/', 'The address must be a public one'],
      ['http://169.254.169.254/latest/meta-data/', 'The address must be a public one'],
      ['http://10.0.0.1/', 'The address must be a public one'],
    ];
    for (const [url, message] of cases) {
      await admin.agent.get('/admin/api/webhooks/new');
      const res = await admin.agent.post('/admin/api/webhooks/new', { url, group: String(groupA), events: ['signature'] });
      expect(res.statusCode, url).toBe(422);
      expect(res.body, url).toContain('href="#field-url"');
      expect(res.body, url).toContain(message);
    }
    const noEvents = await admin.agent.post('/admin/api/webhooks/new', { url: 'https://crm.example.org/hook', group: String(groupA) });
    expect(noEvents.statusCode).toBe(422);
    expect(noEvents.body).toContain('Choose what to send');
    expect(noEvents.body).toContain('value="https://crm.example.org/hook"');
    expect(await t.ctx.db.selectFrom('webhooks').select('id').execute()).toHaveLength(0);
  });

  it('adds a webhook, shows its secret once, sends a signed test on request, and deletes it', async () => {
    const receiver = await new WebhookReceiver().start();
    await admin.agent.get('/admin/api/webhooks/new');
    const made = await admin.agent.post('/admin/api/webhooks/new', { url: receiver.url, group: String(groupA), events: ['signature', 'signup'] });
    expect(made.statusCode).toBe(200);
    expect(made.headers['cache-control']).toBe('no-store');
    const secret = secretIn(made.body)!;
    expect(secret).toBeDefined();
    const page = /href="(\/admin\/api\/webhooks\/[0-9a-f-]{36})"/.exec(made.body)![1]!;
    const hookPage = await admin.agent.get(page);
    expect(hookPage.body).toContain(receiver.url);
    expect(hookPage.body).not.toContain(secret);
    expect(hookPage.body).toContain('Nothing has been sent yet');

    const test = await admin.agent.post(`${page}/test`, {});
    expect(test.statusCode).toBe(303);
    await t.runJobs();
    expect(receiver.received).toHaveLength(1);
    const delivery = receiver.received[0]!;
    expect(delivery.headers['x-chorus-event']).toBe('test');
    expect(verifyDelivery(secret, { timestamp: String(delivery.headers['x-chorus-timestamp']), signature: String(delivery.headers['x-chorus-signature']) }, delivery.body)).toBe(true);
    const log = await admin.agent.get(page);
    expect(log.body).toContain('A test');
    expect(log.body).toContain('Delivered');

    // Another group's organiser can neither see it, nor send it a test, nor delete it.
    const organiser = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [groupB] });
    expect((await organiser.agent.get(page)).statusCode).toBe(404);
    expect((await organiser.agent.get(`${page}/delete`)).statusCode).toBe(404);
    await organiser.agent.get('/admin/api');
    expect((await organiser.agent.post(`${page}/test`, {})).statusCode).toBe(404);
    expect((await organiser.agent.post(`${page}/delete`, {})).statusCode).toBe(404);
    await t.runJobs();
    expect(receiver.received).toHaveLength(1); // no second test was sent
    expect((await admin.agent.get(page)).statusCode).toBe(200); // still there

    expect((await admin.agent.get(`${page}/delete`)).body).toContain('Delete this webhook?');
    const deleted = await admin.agent.post(`${page}/delete`, {});
    expect(deleted.statusCode).toBe(303);
    expect((await admin.agent.get(page)).statusCode).toBe(404);
    expect(await t.ctx.db.selectFrom('webhook_deliveries').select('id').execute()).toHaveLength(0);
    await receiver.stop();
  });
});
