import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signedInAgent } from '../../../test/support/organisers.ts';
import { loadDemoOnce } from '../../demo.ts';
import { STAGES } from './stages.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('the storyteller demo', () => {
  it('loads storytellers at every pipeline stage and a press request one of them said yes to, whose page shows only that one’s details', async () => {
    expect((await loadDemoOnce(t.ctx.db)).loaded).toBe(true);
    const rows = await t.ctx.db.selectFrom('storytellers').select(['public_id', 'stage']).execute();
    expect(new Set(rows.map((r) => r.stage))).toEqual(new Set(STAGES));
    const yes = await t.ctx.db.selectFrom('opportunity_asks').select(['opportunity_id', 'answer']).where('answer', '=', 'yes').execute();
    expect(yes).toHaveLength(1);
    const { agent } = await signedInAgent(t.app, t.ctx, { role: 'admin' });
    const page = await agent.get(`/admin/opportunities/${yes[0]!.opportunity_id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('owen.hughes.storyteller@example.org');
    expect(page.body).not.toContain('fatima');
    expect(page.body).not.toContain('Fatima');
    for (const r of rows) expect((await agent.get(`/admin/storytellers/${r.public_id}`)).statusCode).toBe(200);
    expect((await agent.get('/admin/storytellers')).body).toContain('Daniel Brooks');
  });
});
