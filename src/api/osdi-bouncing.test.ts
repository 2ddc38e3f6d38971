import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import type { Agent } from '../../test/support/agent.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import { SmtpSink } from '../../test/support/smtp.ts';
import { addPerson, addPurpose } from '../supporters/mailings/test-support.ts';
import { makeAdminViewer, makeGroup, makeKey, osdiClient, type OsdiClient } from './test-support.ts';

/**
 * README (API): a person's email status is `bouncing` when mail to them fails. Here mail really
 * fails: a mailing goes to the SMTP server, which refuses one address for good (550), and the
 * API then reports that person as bouncing, to the coalition's key and to their group's.
 */
let t: TestApp;
let sink: SmtpSink;
let admin: Agent;
let coalitionKey: OsdiClient;
let groupKey: OsdiClient;
const people: Record<string, { id: number; publicId: string }> = {};

beforeAll(async () => {
  sink = await new SmtpSink({
    refuse: (to) => (to.includes('bounces@example.org') ? { code: 550, message: '5.1.1 <bounces@example.org>: no such mailbox' } : undefined),
  }).start();
  t = await createTestApp({ env: { SMTP_URL: sink.url } });
  admin = (await signedInAgent(t.app, t.ctx, { role: 'admin' })).agent;
  const viewer = await makeAdminViewer(t);
  const group = await makeGroup(t, 'Save Our Hospital');
  coalitionKey = osdiClient(t, await makeKey(t, viewer, { groupId: null, scope: 'read', perSecond: 1000 }));
  groupKey = osdiClient(t, await makeKey(t, viewer, { groupId: group, scope: 'read', perSecond: 1000 }));
  const purpose = await addPurpose(t.ctx.db, { key: 'coalition.updates', name: 'Coalition updates' });
  people.bounces = await addPerson(t.ctx.db, { email: 'bounces@example.org', givenName: 'Bea', consents: [purpose], groups: [group] });
  people.fine = await addPerson(t.ctx.db, { email: 'fine@example.org', givenName: 'Fin', consents: [purpose], groups: [group] });

  await admin.get('/admin/mailings/new');
  const created = await admin.post('/admin/mailings', { purpose_id: String(purpose), segment_id: '', subject: 'News', body: 'Hello {{first_name}}', rate_per_second: '100' });
  expect(created.statusCode).toBe(303);
  const id = Number(/\/admin\/mailings\/(\d+)/.exec(created.headers.location as string)![1]);
  await admin.get(`/admin/mailings/${id}/send`);
  expect((await admin.post(`/admin/mailings/${id}/send`, { when: 'now', send_at: '', confirmed: '2' })).statusCode).toBe(303);
  await t.runJobs();
  expect(sink.to('fine@example.org')).toHaveLength(1);
  expect(sink.to('bounces@example.org')).toHaveLength(0);
});
afterAll(async () => {
  await t.close();
  await sink.stop();
});

const statusIn = (person: Record<string, unknown>) => (person.email_addresses as Array<{ address: string; status: string }>)[0]!;

describe('the API’s email status', () => {
  it('is bouncing for a person whose mail was refused for good, whichever key asks, and not for one who got it', async () => {
    // Both consented to the coalition's updates only: the group may not email them (unsubscribed to its key).
    for (const [key, fineStatus] of [[coalitionKey, 'subscribed'], [groupKey, 'unsubscribed']] as const) {
      const bounced = await key.get(`/api/v1/people/${people.bounces!.publicId}`);
      expect(bounced.status).toBe(200);
      expect(statusIn(bounced.body)).toMatchObject({ address: 'bounces@example.org', status: 'bouncing' });
      const fine = await key.get(`/api/v1/people/${people.fine!.publicId}`);
      expect(statusIn(fine.body)).toMatchObject({ address: 'fine@example.org', status: fineStatus });
    }
  });

  it('says bouncing in the people collection too', async () => {
    const list = await coalitionKey.get(`/api/v1/people?filter=${encodeURIComponent("email_address eq 'bounces@example.org'")}`);
    expect(list.status).toBe(200);
    const found = (list.body._embedded as Record<string, Array<Record<string, unknown>>>)['osdi:people']!;
    expect(found).toHaveLength(1);
    expect(statusIn(found[0]!).status).toBe('bouncing');
  });
});
