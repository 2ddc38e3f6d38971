import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import { addGroup, addPetition, addSignature } from '../supporters/test-support.ts';
import { addPerson, addPurpose } from '../supporters/mailings/test-support.ts';

let t: TestApp;
let hendon: number;
let bristol: number;

/** The figures at the top of the dashboard, as `label → { value, href }`. */
function figuresOn(body: string): Record<string, { value: number; href: string }> {
  const figures: Record<string, { value: number; href: string }> = {};
  for (const m of body.matchAll(/<a href="([^"]+)" class="dashboard-figure"><span class="dashboard-figure__value">([\d,]+)<\/span> <span class="dashboard-figure__label">([^<]+)<\/span><\/a>/g)) {
    figures[m[3]!] = { value: Number(m[2]!.replace(/,/g, '')), href: m[1]!.replace(/&amp;/g, '&') };
  }
  return figures;
}

async function addMailing(purposeId: number, status: 'draft' | 'sending' | 'preparing' | 'sent') {
  await t.ctx.db.insertInto('mailings').values({ purpose_id: purposeId, subject: `A ${status} mailing`, body: 'Hello', status, rate_per_second: 10 }).execute();
}

beforeAll(async () => {
  t = await createTestApp();
  const db = t.ctx.db;
  hendon = await addGroup(db, 'hendon-dash', 'Hendon Dash');
  bristol = await addGroup(db, 'bristol-dash', 'Bristol Dash');
  const hendonPetition = await addPetition(db, 'Keep Hendon open', [hendon]);
  const bristolPetition = await addPetition(db, 'Keep Bristol open', [bristol]);
  for (let i = 0; i < 2; i++) await addSignature(db, hendonPetition, { name: `H ${i}`, email: `h${i}@example.org` });
  await addSignature(db, hendonPetition, { name: 'Unconfirmed', email: 'pending@example.org', state: 'pending' });
  const old = await addSignature(db, hendonPetition, { name: 'Yesterday', email: 'old@example.org' });
  await db.updateTable('signatures').set({ validated_at: sql<Date>`now() - interval '2 days'` }).where('public_id', '=', old).execute();
  for (let i = 0; i < 3; i++) await addSignature(db, bristolPetition, { name: `B ${i}`, email: `b${i}@example.org` });

  await addPetition(db, 'Hendon petition still open', [hendon]);
  for (const id of [await addPetition(db, 'Bristol awaiting one', [bristol]), await addPetition(db, 'Bristol awaiting two', [bristol]), await addPetition(db, 'Hendon awaiting', [hendon])]) {
    await db.updateTable('petitions').set({ state: 'awaiting_moderation' }).where('id', '=', id).execute();
  }

  await addPerson(db, { email: 'new-hendon-1@example.org', groups: [hendon] });
  await addPerson(db, { email: 'new-hendon-2@example.org', groups: [hendon] });
  await addPerson(db, { email: 'new-bristol@example.org', groups: [bristol] });
  const longAgo = await addPerson(db, { email: 'long-ago@example.org', groups: [hendon] });
  await db.updateTable('people').set({ created_at: sql<Date>`now() - interval '30 days'` }).where('id', '=', longAgo.id).execute();
  await db.updateTable('person_groups').set({ first_at: sql<Date>`now() - interval '30 days'` }).where('person_id', '=', longAgo.id).execute();

  const coalitionPurpose = await addPurpose(db, { key: 'dash-coalition', name: 'Coalition news' });
  const hendonPurpose = await addPurpose(db, { key: 'dash-hendon', name: 'Hendon news', groupId: hendon });
  await addMailing(hendonPurpose, 'sending');
  await addMailing(hendonPurpose, 'draft');
  await addMailing(hendonPurpose, 'sent');
  await addMailing(coalitionPurpose, 'preparing');
});
afterAll(() => t.close());

describe('the dashboard’s figures', () => {
  it('shows an admin the whole coalition’s figures, each linking to the page behind it', async () => {
    const admin = await signedInAgent(t.app, t.ctx, { role: 'admin' });
    const figures = figuresOn((await admin.agent.get('/admin')).body);
    expect(figures).toEqual({
      'signatures confirmed today': { value: 5, href: '/admin/petitions?state=open' },
      'new supporters in the last 7 days': { value: 3, href: '/admin/people' },
      'petitions awaiting moderation': { value: 3, href: '/admin/moderation' },
      'mailings sending now': { value: 2, href: '/admin/mailings' },
    });
    for (const { href } of Object.values(figures)) expect((await admin.agent.get(href)).statusCode).toBe(200);
  });

  it('cannot show a group organiser another group’s figures: theirs are counted on the server for their groups only', async () => {
    const organiser = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [hendon] });
    const figures = figuresOn((await organiser.agent.get('/admin')).body);
    expect(figures).toEqual({
      'signatures confirmed today': { value: 2, href: '/admin/petitions?state=open' },
      'new supporters in the last 7 days': { value: 2, href: '/admin/people' },
      'petition awaiting moderation': { value: 1, href: '/admin/petitions?state=awaiting_moderation' },
      'mailing sending now': { value: 1, href: '/admin/mailings' },
    });
    for (const { href } of Object.values(figures)) expect((await organiser.agent.get(href)).statusCode).toBe(200);

    const ofNoGroup = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [] });
    expect(Object.values(figuresOn((await ofNoGroup.agent.get('/admin')).body)).map((f) => f.value)).toEqual([0, 0, 0, 0]);
  });

  it('shows a moderator the petitions’ figures and none about supporters', async () => {
    const moderator = await signedInAgent(t.app, t.ctx, { role: 'moderator' });
    expect(figuresOn((await moderator.agent.get('/admin')).body)).toEqual({
      'signatures confirmed today': { value: 5, href: '/admin/petitions?state=open' },
      'petitions awaiting moderation': { value: 3, href: '/admin/moderation' },
    });
  });

  it('gives every dashboard card a one-line description, for every role', async () => {
    for (const role of ['admin', 'organiser', 'moderator'] as const) {
      const viewer = await signedInAgent(t.app, t.ctx, { role, groupIds: role === 'organiser' ? [bristol] : undefined });
      const body = (await viewer.agent.get('/admin')).body;
      const cards = [...body.matchAll(/<ul class="dashboard-links">([\s\S]*?)<\/ul>/g)][0]![1]!.split('<li>').slice(1);
      expect(cards.length).toBeGreaterThan(1);
      for (const card of cards) expect(card).toMatch(/<a href="[^"]+">[^<]+<\/a><p class="hint">[^<]{10,}<\/p>/);
      if (role !== 'moderator') for (const label of ['People', 'Segments', 'Mailings', 'API and webhooks']) expect(cards.some((c) => c.includes(`>${label}</a><p class="hint">`))).toBe(true);
    }
  });
});
