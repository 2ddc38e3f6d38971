import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/platform/db/embedded-postgres.ts';
import { withMailings } from '../src/supporters/mailings/tables.ts';
import { createTestApp, testConfig, type TestApp } from './support/app.ts';
import { startChorus, type RunningChorus } from './support/chorus-process.ts';
import { signedInAgent } from './support/organisers.ts';
import { createPetition, places, seedPlaces } from './support/public-petitions.ts';
import { linkIn, SmtpSink } from './support/smtp.ts';

/**
 * README (configuration): "Logs are JSON lines without personal data", at every LOG_LEVEL. A real
 * `chorus serve` (with its worker) at LOG_LEVEL=trace takes a petition signature, a sign-up and a
 * mailing, each confirmed through its email; the mail server refuses some messages for now (4xx)
 * and some for good (5xx), echoing the address as real servers do. Then the whole log (stdout and
 * stderr) is searched for the names, addresses and postcodes used.
 */
let t: TestApp;
let serve: RunningChorus | undefined;
let baseUrl: string;
const refusedOnce = new Set<string>();
const sink = new SmtpSink({
  refuse: (to) => {
    const address = to[0]!;
    if (address.startsWith('gone.')) return { code: 550, message: `5.1.1 <${address}>: Recipient address rejected: User unknown` };
    if (address.startsWith('busy.') && !refusedOnce.has(address)) {
      refusedOnce.add(address);
      return { code: 451, message: `4.2.1 <${address}>: Recipient address rejected: mailbox busy, try again later` };
    }
    return undefined;
  },
});

const signer = { name: 'Zebedee Quartermaine', email: 'zebedee.quartermaine@example.org', postcode: places.south.postcode };
const joiner = { name: 'Ottoline Fairweather', email: 'busy.ottoline.fairweather@example.org', postcode: places.west.postcode };
const bounced = { name: 'Bartholomew Nimmo', email: 'gone.bartholomew.nimmo@example.org' };

beforeAll(async () => {
  await sink.start();
  t = await createTestApp({ env: { MAILING_RATE: '100' } });
  await seedPlaces(t.ctx.db);
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  serve = startChorus(['serve'], {
    DATABASE_URL: t.database.url,
    PORT: String(port),
    BASE_URL: baseUrl,
    SMTP_URL: sink.url,
    CHORUS_SECRET: testConfig().CHORUS_SECRET!,
    LOG_LEVEL: 'trace',
  });
  await serve.waitFor(/Press Ctrl-C to stop/);
}, 60_000);
afterAll(async () => {
  await serve?.stop('SIGTERM');
  await t.close();
  await sink.stop();
});

/** Posts a form as a browser on the hub's own pages would (same Origin), to the real server. */
async function postForm(path: string, fields: Record<string, string>): Promise<Response> {
  return fetch(new URL(path, baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: baseUrl },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
}

async function confirmByLink(link: string): Promise<number> {
  const page = await fetch(link);
  const html = await page.text();
  const action = /<form[^>]*action="([^"]+)"/.exec(html)![1]!.replaceAll('&amp;', '&');
  const token = /name="token" value="([^"]*)"/.exec(html)?.[1];
  return (await postForm(action, token === undefined ? {} : { token })).status;
}

async function waitUntil(what: string, test: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > until) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the log at LOG_LEVEL=trace', () => {
  it('holds no name, email address or postcode of anyone who signed, signed up or was mailed', async () => {
    // A petition signature, confirmed.
    const petition = await createPetition(t.ctx.db, { action: 'Keep the walk-in centre open' });
    const signed = await postForm(`/petitions/${petition.id}/signatures`, { ...signer, country: 'GB', hear_more: 'yes' });
    expect(signed.status).toBe(303);
    const confirmation = await sink.waitFor((m) => m.to.includes(signer.email), 30_000);
    expect(await confirmByLink(linkIn(confirmation, `${baseUrl}/signatures/`))).toBe(303);

    // A sign-up to the coalition's updates, whose confirmation is refused once for now (451), then confirmed.
    const join = await fetch(new URL('/join', baseUrl));
    const wordingId = /name="wording_coalition" value="(\d+)"/.exec(await join.text())![1]!;
    const joined = await postForm('/join', { ...joiner, consent_coalition: 'yes', wording_coalition: wordingId });
    expect(joined.status).toBe(200);
    const subscribe = await sink.waitFor((m) => m.to.includes(joiner.email), 30_000);
    expect(refusedOnce.has(joiner.email)).toBe(true);
    expect(await confirmByLink(linkIn(subscribe, `${baseUrl}/subscribe/confirm/`))).toBe(200);

    // A mailing to everyone with the coalition's consent, one of whom bounces.
    const purpose = await t.ctx.db.selectFrom('consent_purposes').select('id').where('key', '=', 'coalition.updates').executeTakeFirstOrThrow();
    const person = await t.ctx.db
      .insertInto('people')
      .values({ email: bounced.email, canonical_email: bounced.email, email_status: 'verified', given_name: 'Bartholomew', family_name: 'Nimmo' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.ctx.db.insertInto('consents').values({ person_id: person.id, purpose_id: purpose.id, status: 'given', method: 'test', given_at: new Date() }).execute();
    const admin = (await signedInAgent(t.app, t.ctx, { role: 'admin' })).agent;
    await admin.get('/admin/mailings/new');
    const created = await admin.post('/admin/mailings', { purpose_id: String(purpose.id), subject: 'News for {{first_name}}', body: 'Dear {{first_name|friend}}, in {{constituency}}.', rate_per_second: '50' });
    expect(created.statusCode).toBe(303);
    const id = Number(/mailings\/(\d+)/.exec(created.headers.location as string)![1]);
    await admin.get(`/admin/mailings/${id}/send`);
    expect((await admin.post(`/admin/mailings/${id}/send`, { when: 'now', confirmed: '2' })).statusCode).toBe(303);
    await waitUntil('the mailing is sent', async () => {
      const row = await withMailings(t.ctx.db).selectFrom('mailings').select('status').where('id', '=', id).executeTakeFirstOrThrow();
      return row.status === 'sent';
    });
    expect(sink.to(joiner.email).some((m) => m.subject === 'News for Ottoline')).toBe(true);
    // Let the worker write what it writes after the work (job completion lines).
    await new Promise((resolve) => setTimeout(resolve, 1500));

    const log = `${serve!.stdout()}\n${serve!.stderr()}`;
    // The log is there, and detailed: request lines and job lines (debug), a failed attempt (error).
    expect(log).toMatch(/"level":20/);
    expect(log).toContain('/petitions/:ref/signatures');
    expect(log).toContain('platform.email.send');
    const personal = [signer.email, joiner.email, bounced.email, ...[signer, joiner, bounced].flatMap((p) => p.name.split(' '))];
    for (const postcode of [signer.postcode, joiner.postcode]) personal.push(postcode, postcode.replace(' ', ''));
    const found = personal.filter((value) => log.toLowerCase().includes(value.toLowerCase()));
    expect(found, found.map((value) => log.split('\n').find((line) => line.toLowerCase().includes(value.toLowerCase()))).join('\n')).toEqual([]);
  }, 120_000);
});
