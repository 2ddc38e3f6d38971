import { Writable } from 'node:stream';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.ts';
import { DatabaseOutageLog, isDatabaseUnavailable } from './errors.ts';
import { describeError, logRequestFailure } from './server.ts';

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
    let now = 0;
    const outage = new DatabaseOutageLog(1000, () => now);
    for (; now < 1000; now++) logRequestFailure(log, error, answer, outage); // 1,000 requests in one second
    now = 1500;
    logRequestFailure(log, error, answer, outage);
    expect(lines.length).toBe(2);
    for (const line of lines) {
      expect(line).toContain('database unavailable');
      expect(line).not.toContain('stack');
    }
    expect(JSON.parse(lines[1]!).alsoFailedSinceLastReport).toBe(999);
    // A real fault still logs every time, with its error.
    const fault = new Error('a bug');
    logRequestFailure(log, fault, describeError(fault), outage);
    logRequestFailure(log, fault, describeError(fault), outage);
    expect(lines.length).toBe(4);
    expect(lines[3]).toContain('a bug');
  });
});

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('an unavailable database is 503 with Retry-After, whatever words pg uses for it', () => {
  const gone: Array<[string, unknown]> = [
    ['57P01 admin shutdown', withCode('57P01', 'terminating connection due to unexpected postmaster exit')],
    ['57P02 crash shutdown', withCode('57P02', 'terminating connection because of crash of another server process')],
    ['57P03 cannot connect now', withCode('57P03', 'the database system is starting up')],
    ['08006 connection failure', withCode('08006')],
    ['08001 cannot connect', withCode('08001')],
    ['ECONNREFUSED', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['ECONNRESET', withCode('ECONNRESET', 'read ECONNRESET')],
    ['the writer’s rollback after a dropped connection', new Error('Client has encountered a connection error and is not queryable')],
    ['a closed client', new Error('Client was closed and is not queryable')],
    ['Connection terminated', new Error('Connection terminated unexpectedly')],
    ['Connection terminated due to connection timeout', new Error('Connection terminated due to connection timeout')],
    ['pool ended', new Error('Cannot use a pool after calling end on the pool')],
    ['pool connect timeout', new Error('timeout exceeded when trying to connect')],
    ['wrapped in a cause', new Error('query failed', { cause: withCode('57P01') })],
    ['every address of localhost refused', Object.assign(new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], ''), {})],
  ];
  for (const [name, error] of gone) {
    it(name, () => {
      expect(isDatabaseUnavailable(error)).toBe(true);
      expect(describeError(error)).toMatchObject({ status: 503, code: 'unavailable', retryAfterSeconds: 60 });
    });
  }

  it('is not claimed for faults of ours or of the request', () => {
    for (const error of [new Error('object[key].push is not a function'), withCode('23505'), withCode('22P02', 'invalid input syntax for type bigint'), withCode('42P01'), null, 'text']) {
      expect(isDatabaseUnavailable(error)).toBe(false);
      expect(describeError(error).status).not.toBe(503);
    }
  });
});

describe('the outage log', () => {
  it('says it once a second however many requests meet it, counting the rest, without a stack', () => {
    let now = 0;
    const lines: Array<{ bindings: Record<string, unknown>; message: string }> = [];
    const log = { warn: (bindings: object, message: string) => lines.push({ bindings: bindings as Record<string, unknown>, message }) };
    const outage = new DatabaseOutageLog(1000, () => now);
    for (let i = 0; i < 5000; i++) {
      now = i; // 5,000 failures over 5 seconds
      outage.report(log, withCode('57P01', 'terminating connection due to unexpected postmaster exit'), '/petitions/:ref/signatures');
    }
    expect(lines).toHaveLength(5);
    expect(lines[1]!.bindings).toMatchObject({ code: '57P01', alsoFailedSinceLastReport: 999 });
    expect(JSON.stringify(lines)).not.toContain('stack');
    expect(lines[0]!.message).toContain('database unavailable');
  });
});
