import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signedInAgent } from '../../../test/support/organisers.ts';
import { loadDemoOnce } from '../../demo.ts';
import { seatsOfList } from './list-seats.ts';
import { figuresByConstituency, type SeatFigure } from './seat-figures.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('the demo’s target seats', () => {
  it('have activity spread over them: signatures, events with the MP, stories and storytellers ready in several; the map and the opportunities show it', { timeout: 120_000 }, async () => {
    expect((await loadDemoOnce(t.ctx.db)).loaded).toBe(true);
    const list = await t.ctx.db.selectFrom('target_lists').select('id').where('name', '=', 'Election 2029: marginal seats').executeTakeFirstOrThrow();
    const seats = await seatsOfList(t.ctx.db, list.id);
    const figures = await figuresByConstituency(t.ctx.db);
    const seatsWith = (figure: SeatFigure) => seats.filter((s) => (figures.get(s.code)?.[figure] ?? 0) > 0).length;
    expect(seatsWith('signatures')).toBe(seats.length);
    expect(seatsWith('upcomingEvents')).toBeGreaterThanOrEqual(2);
    expect(seatsWith('storiesReady') + seatsWith('storiesPublished')).toBeGreaterThanOrEqual(2);
    expect(seatsWith('storytellersReady')).toBeGreaterThanOrEqual(2);

    const { agent } = await signedInAgent(t.app, t.ctx, { role: 'admin' });
    const opportunities = await agent.get(`/admin/targets/opportunities?list=${list.id}`);
    expect(opportunities.statusCode).toBe(200);
    expect(opportunities.body).toContain('Hustings: the NHS and social care');
    expect(opportunities.body).toContain('Meet your MP: the GP surgery closures');
    expect(opportunities.body).toContain('Storytellers ready to speak in Hendon:');
    const map = await agent.get(`/admin/targets/${list.id}/map.svg?figure=storytellersReady`);
    expect(map.body.match(/data-outline="/g)?.length).toBe(seats.length);
  });
});
