import type { Logger } from 'pino';
import type pg from 'pg';
import type { BrandCache } from './coalition/brand.ts';
import type { Config } from './config.ts';
import type { Mailer } from './platform/mail/transport.ts';
import type { Db } from './schema.ts';

/** What a running Chorus process hands to routes, rules and jobs. */
export interface AppContext {
  config: Config;
  db: Db;
  pool: pg.Pool;
  /** Secret for signing cookies and tokens (from CHORUS_SECRET or kept in the database). */
  secret: string;
  log: Logger;
  mailer: Mailer;
  /** The coalition's brand (name, logo, colours), cached for a couple of seconds. */
  brand: BrandCache;
}
