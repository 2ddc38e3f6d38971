import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.ts';
import { loadPoliticsDemo } from '../demo.ts';
import { seatsOfList } from './list-seats.ts';
import { rankSeats } from './ranking.ts';
import { NO_FIGURES } from './seat-figures.ts';
import { loadTargetsDemo } from './demo.ts';
import { politiciansOf } from './target-lists.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

describe('targets demo content', () => {
  it('makes a marginal-seats list ranked by the real 2024 figures (Hendon 15, Poole 18, Basildon and Billericay 20) and a high-profile politicians list, once', async () => {
    await database.db.transaction().execute(async (tx) => {
      await loadPoliticsDemo(tx);
      const loaded = await loadTargetsDemo(tx);
      expect(loaded.lists).toBe(2);
      // The later demo loaders get the list's seats, each with a postcode there, most marginal first.
      expect(loaded.seats.slice(0, 2).map((s) => s.constituencyCode)).toEqual(['E14001279', 'E14001429']);
      expect(loaded.seats.every((s) => s.postcode.length > 0)).toBe(true);
      expect(await loadTargetsDemo(tx)).toEqual({ lists: 0, seats: [] });
    });
    const lists = await database.db.selectFrom('target_lists').select(['id', 'name']).orderBy('id').execute();
    expect(lists.map((l) => l.name)).toEqual(['Election 2029: marginal seats', 'High-profile politicians']);
    const seats = rankSeats((await seatsOfList(database.db, lists[0]!.id)).map((s) => ({ ...s, figures: NO_FIGURES })), 'marginality');
    expect(seats.slice(0, 3).map((s) => [s.rank, s.name, s.majority, s.nationalRank])).toEqual([
      [1, 'Hendon', 15, 1],
      [2, 'Poole', 18, 2],
      [3, 'Basildon and Billericay', 20, 3],
    ]);
    expect(seats.every((s) => s.marginality! < 0.05)).toBe(true);
    const politicians = await politiciansOf(database.db, [lists[1]!.id]);
    expect(politicians.find((p) => p.name === 'Keir Starmer')).toMatchObject({ role: 'party_leader', constituency: { code: 'E14001290', name: 'Holborn and St Pancras' } });
    expect(politicians.find((p) => p.name === 'Wes Streeting')).toMatchObject({ role: 'minister', roleTitle: 'Secretary of State for Health and Social Care' });
  });
});
