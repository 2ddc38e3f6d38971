import pino, { type Logger } from 'pino';
import { BrandCache } from './coalition/brand.ts';
import { capabilities } from './capabilities.ts';
import type { Config } from './config.ts';
import type { AppContext } from './context.ts';
import { migrations } from './migrations.ts';
import { connectDatabase } from './platform/db/database.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './platform/db/embedded-postgres.ts';
import { migrateDatabase } from './platform/db/migrate.ts';
import { createMailer } from './platform/mail/transport.ts';
import { ensureSecret } from './platform/settings.ts';
import type { Database } from './schema.ts';
import { logSafetyHooks } from './platform/log-safety.ts';

export interface Runtime extends AppContext {
  /** The embedded server, when this process uses one. */
  embedded: EmbeddedPostgres | undefined;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Apply migrations before returning (serve, worker, import do; tools that only read need not). */
  migrate?: boolean;
  log?: Logger;
  applicationName?: string;
  poolSize?: number;
}

/**
 * Connects to PostgreSQL (DATABASE_URL, or the embedded server in CHORUS_DATA_DIR), applies
 * migrations and assembles what routes and jobs need.
 */
export async function openRuntime(config: Config, options: OpenOptions = {}): Promise<Runtime> {
  const log = options.log ?? pino({ level: config.LOG_LEVEL, hooks: logSafetyHooks });
  for (const capability of capabilities) await capability.prepare?.(config);
  let embedded: EmbeddedPostgres | undefined;
  let url = config.DATABASE_URL;
  if (!url) {
    embedded = await startEmbeddedPostgres({
      dataDir: config.CHORUS_DATA_DIR,
      port: config.EMBEDDED_PG_PORT,
      log: (line) => log.info(line),
    });
    url = embedded.url;
  }
  const handle = connectDatabase<Database>(url, options.poolSize ?? config.DB_POOL_SIZE, options.applicationName);
  try {
    if (options.migrate !== false) {
      const { applied } = await migrateDatabase(handle.db as never, handle.pool, migrations);
      if (applied.length > 0) log.info({ applied }, `applied ${applied.length} migration(s)`);
    }
    const secret = config.CHORUS_SECRET ?? (await ensureSecret(handle.db));
    const mailer = createMailer(config.SMTP_URL);
    let closing: Promise<void> | undefined;
    return {
      config,
      db: handle.db,
      pool: handle.pool,
      secret,
      log,
      mailer,
      brand: new BrandCache(handle.db),
      embedded,
      close() {
        closing ??= (async () => {
          mailer.close();
          await handle.close();
          if (embedded?.owned) await embedded.stop();
        })();
        return closing;
      },
    };
  } catch (error) {
    await handle.close();
    if (embedded?.owned) await embedded.stop();
    throw error;
  }
}
