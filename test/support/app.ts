import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import pino from 'pino';
import { buildApp } from '../../src/app.ts';
import { BrandCache } from '../../src/coalition/brand.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { AppContext } from '../../src/context.ts';
import type { Database } from '../../src/schema.ts';
import { allJobs } from '../../src/jobs.ts';
import { runDueJobs } from '../../src/platform/jobs/jobs.ts';
import { createMailer } from '../../src/platform/mail/transport.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext<Database>;
  database: TestDatabase;
  /** Runs every queued job that is due (email sending, counting...), as the worker would. */
  runJobs(): Promise<void>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Extra environment for loadConfig (SMTP_URL, BASE_URL...). */
  env?: Record<string, string>;
  /** Adds test-only routes to this app instance (never to the product) before it starts. */
  routes?: (app: FastifyInstance) => void;
  /** How long the brand is kept before it is read again (0, the default: read for every page, so a test's edit shows at once). */
  brandMaxAgeMs?: number;
}

/** The stories key tests run with (a real deployment must set its own: the tests' databases are "real"). */
export const TEST_STORIES_KEY = Buffer.from('chorus-test-stories-key-32-bytes').toString('base64');

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ LOG_LEVEL: 'silent', BASE_URL: 'http://chorus.test', CHORUS_SECRET: 'test-secret-that-is-long-enough-0123456789', STORIES_KEY: TEST_STORIES_KEY, ...env });
}

/**
 * graphile-worker's one-shot run can return just before it has recorded a job's outcome (a retry
 * time after a failure, the removal of a finished job); wait for that, so tests see settled state.
 */
async function jobOutcomesRecorded(database: TestDatabase): Promise<void> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const locked = await sql`select 1 from graphile_worker._private_jobs where locked_at is not null limit 1`.execute(database.db);
    if (locked.rows.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('Jobs were still locked 5 s after the run finished');
}

/** A real Chorus app on a fresh database of its own; requests go through app.inject(). */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = testConfig({ DATABASE_URL: database.url, ...options.env });
  const ctx: AppContext<Database> = {
    config,
    db: database.db,
    pool: database.pool,
    secret: config.CHORUS_SECRET!,
    log: pino({ level: 'silent' }),
    mailer: createMailer(config.SMTP_URL),
    brand: new BrandCache(database.db, options.brandMaxAgeMs ?? 0),
  };
  const app = await buildApp(ctx);
  options.routes?.(app);
  await app.ready();
  return {
    app,
    ctx,
    database,
    async runJobs() {
      await runDueJobs(ctx, allJobs);
      await jobOutcomesRecorded(database);
    },
    async close() {
      await app.close();
      ctx.mailer.close();
      await database.drop();
    },
  };
}
