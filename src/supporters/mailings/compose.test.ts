import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../../test/support/agent.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signedInAgent } from '../../../test/support/organisers.ts';
import { SmtpSink } from '../../../test/support/smtp.ts';
import { defaultBrand, writeBrand } from '../../coalition/brand.ts';
import { TESTS_PER_ADDRESS } from './routes.tsx';
import { withMailings } from './tables.ts';
import { addConstituency, addPerson, addPurpose } from './test-support.ts';

/** Writing a mailing: the form's checks, the preview as a real recipient, and a test send. */
let t: TestApp;
let sink: SmtpSink;
let admin: Agent;
let purpose: number;

beforeAll(async () => {
  sink = await new SmtpSink({
    refuse: (to) => (to.includes('full@example.org') ? { code: 552, message: '5.2.2 Mailbox full' } : undefined),
  }).start();
  t = await createTestApp({ env: { SMTP_URL: sink.url, MAILING_RATE: '50' } });
  admin = (await signedInAgent(t.app, t.ctx, { role: 'admin', email: 'writer@example.org' })).agent;
  await writeBrand(t.ctx.db, { ...defaultBrand, name: 'Health Campaigns Together', primaryColour: '#7a0019' });
  purpose = await addPurpose(t.ctx.db, { key: 'coalition.updates', name: 'Coalition updates' });
  await addConstituency(t.ctx.db, 'E14000101', 'Bermondsey', 'Bea Member');
  await addPerson(t.ctx.db, { email: 'first@example.org', givenName: 'Fatima', constituencyCode: 'E14000101', consents: [purpose] });
  await addPerson(t.ctx.db, { email: 'second@example.org', givenName: 'Sam', consents: [purpose] });
  await addPerson(t.ctx.db, { email: 'outsider@example.org', givenName: 'Otto' });
});
afterAll(async () => {
  await t.close();
  await sink.stop();
});

const errorBeside = (body: string, field: string) =>
  new RegExp(`<p class="error-message" id="field-${field}-error"><span class="visually-hidden">Error:</span> ([^<]*)</p>`).exec(body)?.[1];

async function draft(fields: Record<string, string>): Promise<number> {
  await admin.get('/admin/mailings/new');
  const created = await admin.post('/admin/mailings', { purpose_id: String(purpose), segment_id: '', rate_per_second: '', ...fields });
  expect(created.statusCode).toBe(303);
  return Number(/\/admin\/mailings\/(\d+)/.exec(created.headers.location as string)![1]);
}

describe('composing a mailing', () => {
  it('names each field that is wrong, beside the field and in the summary, and keeps what was typed', async () => {
    await admin.get('/admin/mailings/new');
    const res = await admin.post('/admin/mailings', {
      purpose_id: String(purpose),
      segment_id: '',
      subject: '',
      body: 'Dear {{frist_name}}, see you soon',
      rate_per_second: '5000',
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('There is a problem');
    expect(errorBeside(res.body, 'subject')).toMatch(/subject/i);
    expect(errorBeside(res.body, 'rate_per_second')).toBe('Enter a sending speed from 1 to 50 messages a second');
    expect(res.body).toContain('href="#field-subject"');
    // Typed values come back: the message and the speed as written.
    expect(res.body).toContain('Dear {{frist_name}}, see you soon</textarea>');
    expect(res.body).toMatch(/name="rate_per_second" [^>]*value="5000"|value="5000"[^>]*name="rate_per_second"/);
    expect(await withMailings(t.ctx.db).selectFrom('mailings').select('id').execute()).toEqual([]);
  });

  it('catches an unknown placeholder and a link that is not a web page, naming the message field', async () => {
    await admin.get('/admin/mailings/new');
    const typo = await admin.post('/admin/mailings', { purpose_id: String(purpose), subject: 'Hello {{first_name}}', body: 'Dear {{frist_name}}' });
    expect(typo.statusCode).toBe(422);
    expect(errorBeside(typo.body, 'body')).toContain('{{frist_name}} is not a placeholder we know');
    expect(typo.body).toContain('value="Hello {{first_name}}"');

    const script = await admin.post('/admin/mailings', { purpose_id: String(purpose), subject: 'Links', body: '[Click](javascript:alert(1))' });
    expect(script.statusCode).toBe(422);
    expect(errorBeside(script.body, 'body')).toContain('Links must be full web addresses');
    expect(script.body).toContain('[Click](javascript:alert(1))</textarea>');
  });

  it('refuses a sender the organiser may not write as, naming the From field', async () => {
    await admin.get('/admin/mailings/new');
    const res = await admin.post('/admin/mailings', { purpose_id: '999999', subject: 'Hi', body: 'Hello' });
    expect(res.statusCode).toBe(422);
    expect(errorBeside(res.body, 'purpose_id')).toBe('Choose who the mailing is from');
  });

  it('saves a draft with the fastest allowed speed when none is given, and lets it be changed', async () => {
    const id = await draft({ subject: 'Draft one', body: 'First words' });
    const saved = await withMailings(t.ctx.db).selectFrom('mailings').select(['status', 'rate_per_second', 'body']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(saved).toEqual({ status: 'draft', rate_per_second: 50, body: 'First words' });
    await admin.get(`/admin/mailings/${id}/edit`);
    const changed = await admin.post(`/admin/mailings/${id}`, { purpose_id: String(purpose), subject: 'Draft one', body: 'Better words', rate_per_second: '10' });
    expect(changed.statusCode).toBe(303);
    const after = await withMailings(t.ctx.db).selectFrom('mailings').select(['rate_per_second', 'body']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(after).toEqual({ rate_per_second: 10, body: 'Better words' });
  });

  it('answers 404, not an error, for a mailing id that is not a whole number in range', async () => {
    for (const id of ['abc', '1.5', '99999999999', '-1']) {
      expect((await admin.get(`/admin/mailings/${id}`)).statusCode, id).toBe(404);
      expect((await admin.get(`/admin/mailings/${id}/progress.json`)).statusCode, id).toBe(404);
    }
  });
});

describe('preview and test send', () => {
  let id: number;
  beforeAll(async () => {
    id = await draft({
      subject: 'Hello {{first_name}}',
      body: 'Dear {{first_name|friend}}, **{{constituency}}** needs {{mp|your MP}}.\n\n[Sign up](https://example.org/join)',
    });
  });

  it('shows the message as the first person in the audience would get it, in the brand, with untracked links', async () => {
    const page = await admin.get(`/admin/mailings/${id}/preview`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('As first@example.org will get it.');
    expect(page.body).toContain('<p class="mailing-subject">Hello Fatima</p>');
    expect(page.body).toContain('Dear Fatima, Bermondsey needs Bea Member.');
    // The preview shows a person's details: audited with the viewer and the person's public id.
    const first = await t.ctx.db.selectFrom('people').select('public_id').where('email', '=', 'first@example.org').executeTakeFirstOrThrow();
    const audited = await t.ctx.db.selectFrom('audit_log').select(['actor_label', 'subject_id', 'after']).where('action', '=', 'mailing.preview').execute();
    expect(audited).toContainEqual({ actor_label: expect.stringContaining('writer@example.org'), subject_id: String(id), after: { person: first.public_id } });
    expect(page.body).toContain('Sign up (https://example.org/join)');
    const html = await admin.get(`/admin/mailings/${id}/preview.html`);
    expect(html.headers['content-security-policy']).toContain('sandbox');
    expect(html.body).toContain('<strong>Bermondsey</strong>');
    expect(html.body).toContain('href="https://example.org/join"');
    // The brand's header and the footer saying why they get it.
    expect(html.body).toContain('background:#7a0019');
    expect(html.body).toContain('Health Campaigns Together');
    expect(html.body).toContain(`You are getting this because you agreed to hear from ${(await t.ctx.brand.get()).name}.`);
  });

  it('previews as another person in the audience, and says so when the address is not in it', async () => {
    const as = await admin.get(`/admin/mailings/${id}/preview?as=second%40example.org`);
    expect(as.body).toContain('<p class="mailing-subject">Hello Sam</p>');
    expect(as.body).toContain('Dear Sam, your constituency needs your MP.');
    const outsider = await admin.get(`/admin/mailings/${id}/preview?as=outsider%40example.org`);
    expect(outsider.statusCode).toBe(422);
    expect(errorBeside(outsider.body, 'as')).toBe('Nobody with that email address would get this mailing');
    expect(outsider.body).toContain('value="outsider@example.org"');
  });

  it('sends a test, marked [Test], to the address given, as the person previewed', async () => {
    await admin.get(`/admin/mailings/${id}/preview?as=second%40example.org`);
    const res = await admin.post(`/admin/mailings/${id}/test?as=second%40example.org`, { to: 'checker@example.org' });
    expect(res.statusCode).toBe(303);
    const mail = await sink.waitFor((m) => m.to.includes('checker@example.org'));
    expect(mail.subject).toBe('[Test] Hello Sam');
    expect(mail.text).toContain('Dear Sam, your constituency needs your MP.');
    expect(mail.text).toContain('Sign up (https://example.org/join)');
    expect(mail.text).not.toContain('/m/');
    expect(mail.raw).toMatch(/^From: "Health Campaigns Together" </m);
    const after = await admin.get(res.headers.location as string);
    expect(after.body).toContain('A test has been sent to checker@example.org.');
    // Nobody in the audience got anything, and the mailing is still a draft.
    expect(sink.to('first@example.org')).toHaveLength(0);
    expect(sink.to('second@example.org')).toHaveLength(0);
    const row = await withMailings(t.ctx.db).selectFrom('mailings').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe('draft');
  });

  it('names the address field when it is not an email address, or the mail server refuses it, and keeps it', async () => {
    await admin.get(`/admin/mailings/${id}/preview`);
    const bad = await admin.post(`/admin/mailings/${id}/test`, { to: 'not an address' });
    expect(bad.statusCode).toBe(422);
    expect(errorBeside(bad.body, 'to')).toMatch(/email address/i);
    expect(bad.body).toContain('value="not an address"');
    await admin.get(`/admin/mailings/${id}/preview`);
    const refused = await admin.post(`/admin/mailings/${id}/test`, { to: 'full@example.org' });
    expect(refused.statusCode).toBe(502);
    expect(errorBeside(refused.body, 'to')).toContain('Mailbox full');
    expect(refused.body).toContain('value="full@example.org"');
  });
});

describe('test sends are limited per client address', () => {
  it(`cannot send more than ${TESTS_PER_ADDRESS} tests in 10 minutes from one address, even in parallel`, async () => {
    const id = await draft({ subject: 'Limited test', body: 'Just checking.' });
    const writer = await signedInAgent(t.app, t.ctx, { role: 'admin' });
    const at = async (ip: string) => {
      const agent = new Agent(t.app, 'http://chorus.test', ip);
      await agent.get('/sign-in');
      expect((await agent.post('/sign-in', { email: writer.email, password: writer.password })).statusCode).toBe(303);
      await agent.get(`/admin/mailings/${id}/preview`);
      return agent;
    };
    const agent = await at('198.51.100.30');
    const attempts = TESTS_PER_ADDRESS + 5;
    const answers = await Promise.all(Array.from({ length: attempts }, (_, i) => agent.post(`/admin/mailings/${id}/test`, { to: `limit-check-${i}@example.org` })));
    const statuses = answers.map((a) => a.statusCode);
    expect(statuses.filter((s) => s === 303)).toHaveLength(TESTS_PER_ADDRESS);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    const refused = answers.find((a) => a.statusCode === 429)!;
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(errorBeside(refused.body, 'to')).toMatch(/^Too many tests have been sent from your address/);
    const sent = Array.from({ length: attempts }, (_, i) => sink.to(`limit-check-${i}@example.org`).length).reduce((a, b) => a + b, 0);
    expect(sent).toBe(TESTS_PER_ADDRESS);
    // Another address is not held up.
    const elsewhere = await at('198.51.100.31');
    expect((await elsewhere.post(`/admin/mailings/${id}/test`, { to: 'limit-check-elsewhere@example.org' })).statusCode).toBe(303);
  });
});
