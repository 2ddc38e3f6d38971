import { Writable } from 'node:stream';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.ts';
import { describeError, isDatabaseUnavailable, logRequestFailure } from './server.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase(2);
});
afterAll(() => database.drop());

/** Runs `work` on a client whose server connection is cut from the other side first, and returns what each step threw. */
async function errorsFromACutConnection(): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: database.url });
  client.on('error', () => {}); // the cut itself, as a pool's 'error' handler sees it
  await client.connect();
  const errors: unknown[] = [];
  await client.query('begin');
  const pid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
  const killer = new pg.Client({ connectionString: database.url });
  await killer.connect();
  await killer.query('select pg_terminate_backend($1)', [pid]);
  await killer.end();
  // The statement in flight, then the writer's rollback on the same client.
  for (const sql of ['select 1', 'rollback']) {
    try {
      await client.query(sql);
    } catch (error) {
      errors.push(error);
    }
  }
  await client.end().catch(() => {});
  return errors;
}

describe('a database that goes away under a request', () => {
  it('every error node-postgres gives for a cut connection (the rollback’s “not queryable” included) answers 503 with Retry-After, not 500', async () => {
    const errors = await errorsFromACutConnection();
    expect(errors.length).toBe(2);
    expect(errors.map((e) => String((e as Error).message))).toContainEqual(expect.stringMatching(/not queryable|terminat/));
    for (const error of errors) {
      expect(isDatabaseUnavailable(error), String(error)).toBe(true);
      const answer = describeError(error);
      expect(answer.status).toBe(503);
      expect(answer.retryAfterSeconds).toBeGreaterThan(0);
      expect(answer.message).not.toMatch(/queryable|terminat|postgres/i);
    }
  });

  it('the server’s own words for shutting down and restarting, and an error wrapping one, answer 503', () => {
    const said = [
      Object.assign(new Error('terminating connection due to unexpected postmaster exit'), { code: '57P01' }),
      Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
      new Error('the database system is shutting down'),
      new Error('Client has encountered a connection error and is not queryable'),
      new Error('failed', { cause: new Error('Connection terminated unexpectedly') }),
    ];
    for (const error of said) expect(describeError(error).status, error.message).toBe(503);
    expect(describeError(new Error('column "x" does not exist')).status).toBe(500);
  });

  it('logs an outage once a second, without a stack, however many requests meet it', () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }));
    const error = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    const answer = describeError(error);
    const start = 1_000_000_000_000;
    for (let i = 0; i < 1000; i++) logRequestFailure(log, error, answer, start + i); // 1,000 requests in one second
    logRequestFailure(log, error, answer, start + 1500);
    expect(lines.length).toBe(2);
    for (const line of lines) {
      expect(line).toContain('database unavailable');
      expect(line).not.toContain('stack');
    }
    expect(JSON.parse(lines[1]!).requests).toBe(1000);
    // A real fault still logs every time, with its error.
    const fault = new Error('a bug');
    logRequestFailure(log, fault, describeError(fault), start + 1600);
    logRequestFailure(log, fault, describeError(fault), start + 1601);
    expect(lines.length).toBe(4);
    expect(lines[3]).toContain('a bug');
  });
});
