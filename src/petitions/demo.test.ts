import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { seedPlaces } from '../../test/support/public-petitions.ts';
import { loadCoalitionDemo } from '../coalition/demo.ts';
import type { Db } from '../schema.ts';
import { loadPetitionDemo } from './demo.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function totals(db: Db, petitionIds: number[]) {
  return sql<{ id: number; state: string; signature_count: number; rows: number; by_constituency: number; by_country: number }>`
    select p.id, p.state, p.signature_count,
      (select count(*)::int from signatures s where s.petition_id = p.id and s.counted) as rows,
      (select coalesce(sum(count), 0)::int from petition_counts c where c.petition_id = p.id and c.dimension = 'constituency') as by_constituency,
      (select coalesce(sum(count), 0)::int from petition_counts c where c.petition_id = p.id and c.dimension = 'country') as by_country
    from petitions p where p.id = any(${petitionIds}::int[]) order by p.id`.execute(db);
}

describe('the petition demo', () => {
  it('loads counted signatures spread over the constituencies that exist, quickly', async () => {
    await seedPlaces(t.ctx.db);
    const started = Date.now();
    const { petitionIds, groupIds } = await t.ctx.db.transaction().execute(async (tx) => {
      const coalition = await loadCoalitionDemo(tx);
      return { ...(await loadPetitionDemo(tx, coalition.groupIds)), groupIds: coalition.groupIds };
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(Object.keys(groupIds).length).toBeGreaterThan(0);

    const rows = (await totals(t.ctx.db, petitionIds)).rows;
    expect(rows.map((r) => r.state)).toEqual(['open', 'open', 'open', 'closed', 'rejected']);
    // Every open demo petition says when it closes, as a real one would.
    const undated = await t.ctx.db.selectFrom('petitions').select('slug').where('id', 'in', petitionIds).where('state', '=', 'open').where('closing_date', 'is', null).execute();
    expect(undated).toEqual([]);
    for (const r of rows) {
      expect(r.signature_count).toBe(r.rows);
      expect(r.by_country).toBe(r.rows);
    }
    expect(rows[0]!.signature_count).toBeGreaterThan(1000);
    // Most signers are in constituencies; every seeded constituency gets some.
    const spread = await sql<{ code: string }>`
      select distinct key as code from petition_counts where petition_id = ${petitionIds[0]!} and dimension = 'constituency'`.execute(t.ctx.db);
    expect(spread.rows).toHaveLength(3);
    expect(rows[0]!.by_constituency).toBeGreaterThan(rows[0]!.rows * 0.9);

    // One is past its first milestone; the closed one has a response.
    const first = (await t.app.inject({ method: 'GET', url: `/petitions/${petitionIds[0]}.json` })).json().data.attributes;
    expect(first.milestones[0]).toMatchObject({ threshold: 1000 });
    expect(first.milestones[0].reached_at).not.toBeNull();
    const closed = (await t.app.inject({ method: 'GET', url: `/petitions/${petitionIds[3]}.json` })).json().data.attributes;
    expect(closed.government_response.summary).toContain('reopen');
    expect(closed.response_threshold_reached_at).not.toBeNull();
  });

  it('uses country-only signatures when no constituencies exist', async () => {
    const empty = await createTestApp();
    try {
      const { petitionIds } = await empty.ctx.db.transaction().execute((tx) => loadPetitionDemo(tx, {}));
      const rows = (await totals(empty.ctx.db, petitionIds)).rows;
      expect(rows[0]!.signature_count).toBeGreaterThan(1000);
      expect(rows[0]!.by_constituency).toBe(0);
      expect(rows[0]!.by_country).toBe(rows[0]!.rows);
      const page = await empty.app.inject({ method: 'GET', url: `/petitions/${petitionIds[0]}` });
      expect(page.statusCode).toBe(301);
    } finally {
      await empty.close();
    }
  });
});
