import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.ts';
import { loadPoliticsDemo } from '../demo.ts';
import { mpResponsiveness } from './responsiveness.ts';
import { loadLettersDemo } from './demo.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

describe('letters demo data', () => {
  it('loads one open campaign with letters to demo MPs and their writers’ answers, once', async () => {
    await database.db.transaction().execute((tx) => loadPoliticsDemo(tx));
    expect(await database.db.transaction().execute((tx) => loadLettersDemo(tx))).toEqual({ campaigns: 1, letters: 12 });
    expect(await database.db.transaction().execute((tx) => loadLettersDemo(tx))).toEqual({ campaigns: 0, letters: 0 });
    const rows = await mpResponsiveness(database.db);
    expect(rows.reduce((n, r) => n + r.letters, 0)).toBe(12);
    expect(rows.reduce((n, r) => n + r.replies, 0)).toBe(8);
    expect(rows.some((r) => r.medianDaysToReply !== null)).toBe(true);
  });
});
