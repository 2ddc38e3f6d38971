import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/db.ts';
import { onspdFile, onspdRow, resultsFile, resultsRow } from './test-support.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

function chorus(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/chorus.js', ...args],
      // vitest sets BASE_URL to "/" for Vite; Chorus reads BASE_URL too, so give it a real one.
      { cwd: root, env: { ...process.env, BASE_URL: 'http://chorus.test', DATABASE_URL: database.url, LOG_LEVEL: 'warn' } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('chorus import (the command)', () => {
  it('imports a file and ends with its summary', async () => {
    const file = onspdFile('cli.csv', [onspdRow({ pcds: 'AB10 1AB' }), onspdRow({ pcds: 'AB10 1AA', doterm: '201610' }), onspdRow({ pcds: 'BAD' })]);
    const run = await chorus('import', 'onspd', file);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('onspd: 3 rows read, 2 loaded, 1 rejected, terminated: 1\n');
    expect(run.stderr).toContain('line 4: pcds "BAD" is not a postcode');
  });

  it('exits non-zero with one clear line, not a stack trace, for a missing file or the wrong kind of file', async () => {
    const missing = await chorus('import', 'results', '/no/such/file.csv');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('Cannot read /no/such/file.csv: there is no such file.\n');
    const results = resultsFile('cli-results.csv', [
      resultsRow({ code: 'E14001279', name: 'Hendon', result: 'Lab gain from Con', first: 'Lab', second: 'Con', electorate: 74865, valid: 41256, invalid: 190, majority: 15, votes: {} }),
    ]);
    const wrong = await chorus('import', 'onspd', results);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
    expect(wrong.stderr).toContain('does not look like an ONS Postcode Directory (ONSPD or NSPL) CSV');
    expect(wrong.stderr).not.toMatch(/\n\s+at /);
  });
});
