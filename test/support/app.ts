import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { buildApp } from '../../src/app.ts';
import { BrandCache } from '../../src/coalition/brand.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { AppContext } from '../../src/context.ts';
import { allJobs } from '../../src/jobs.ts';
import { runDueJobs } from '../../src/platform/jobs/jobs.ts';
import { createMailer } from '../../src/platform/mail/transport.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  database: TestDatabase;
  /** Runs every queued job that is due (email sending, counting...), as the worker would. */
  runJobs(): Promise<void>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Extra environment for loadConfig (SMTP_URL, BASE_URL...). */
  env?: Record<string, string>;
}

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ LOG_LEVEL: 'silent', BASE_URL: 'http://chorus.test', CHORUS_SECRET: 'test-secret-that-is-long-enough-0123456789', ...env });
}

/** A real Chorus app on a fresh database of its own; requests go through app.inject(). */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = testConfig({ DATABASE_URL: database.url, ...options.env });
  const ctx: AppContext = {
    config,
    db: database.db,
    pool: database.pool,
    secret: config.CHORUS_SECRET!,
    log: pino({ level: 'silent' }),
    mailer: createMailer(config.SMTP_URL),
    brand: new BrandCache(database.db, 0),
  };
  const app = await buildApp(ctx);
  await app.ready();
  return {
    app,
    ctx,
    database,
    runJobs: () => runDueJobs(ctx, allJobs),
    async close() {
      await app.close();
      ctx.mailer.close();
      await database.drop();
    },
  };
}
