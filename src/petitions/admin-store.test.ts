import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import type { Agent } from '../../test/support/agent.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import { insertGroup, insertPetition } from './admin/test-support.ts';

let t: TestApp;
let organiser: Agent;
let admin: Agent;
let moderator: Agent;

beforeAll(async () => {
  t = await createTestApp();
  const mine = await insertGroup(t.ctx.db, 'Ashworth Patients Group');
  const theirs = await insertGroup(t.ctx.db, 'Brockley Patients Group');
  ({ agent: organiser } = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [mine] }));
  ({ agent: admin } = await signedInAgent(t.app, t.ctx, { role: 'admin' }));
  ({ agent: moderator } = await signedInAgent(t.app, t.ctx, { role: 'moderator' }));
  for (let i = 1; i <= 27; i++) await insertPetition(t.ctx.db, { groupIds: [mine], state: 'open', action: `Ours open ${String(i).padStart(2, '0')}` });
  await insertPetition(t.ctx.db, { groupIds: [mine], state: 'draft', action: 'Ours draft' });
  await insertPetition(t.ctx.db, { groupIds: [theirs], state: 'closed', action: 'Theirs closed' });
});
afterAll(() => t.close());

describe('the petitions list', () => {
  it('filters by state, with how many are in each state', async () => {
    const drafts = await organiser.get('/admin/petitions?state=draft');
    expect(drafts.statusCode).toBe(200);
    expect(drafts.body).toContain('Ours draft');
    expect(drafts.body).not.toContain('Ours open 01');
    expect(drafts.body).toContain('<option value="draft" selected>Draft (1)</option>');
    expect(drafts.body).toContain('<option value="open">Open (27)</option>');
  });

  it('paginates', async () => {
    const first = await admin.get('/admin/petitions?state=open');
    expect(first.body).toContain('Page 1 of 2');
    expect((first.body.match(/Ours open \d\d/g) ?? []).length).toBe(25);
    const second = await admin.get('/admin/petitions?state=open&page=2');
    expect((second.body.match(/Ours open \d\d/g) ?? []).length).toBe(2);
    expect(second.body).toContain('rel="prev"');
  });

  it('shows organisers their groups’ petitions, and admins and moderators every one', async () => {
    expect((await organiser.get('/admin/petitions?state=closed')).body).not.toContain('Theirs closed');
    expect((await admin.get('/admin/petitions?state=closed')).body).toContain('Theirs closed');
    const forModerator = await moderator.get('/admin/petitions?state=closed');
    expect(forModerator.body).toContain('Theirs closed');
    expect(forModerator.body).not.toContain('Start a petition');
  });

  it('ignores a state it does not know, and a page that is not a number', async () => {
    const response = await admin.get('/admin/petitions?state=bogus&page=abc');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Theirs closed');
  });

  it('answers 404 for a petition that does not exist or an id that is not one', async () => {
    expect((await admin.get('/admin/petitions/999999')).statusCode).toBe(404);
    expect((await admin.get('/admin/petitions/12abc')).statusCode).toBe(404);
  });
});
