import type { Logger } from 'pino';
import type pg from 'pg';
import type { BrandCache } from './coalition/brand.ts';
import type { Config } from './config.ts';
import type { ViewDb } from './platform/db/view.ts';
import type { Mailer } from './platform/mail/transport.ts';

/**
 * What a running Chorus process hands to routes, rules and jobs. `Tables` is the capability's view
 * of the database: each capability has its own `AppContext` alias (in its `tables.ts`) that sees
 * its own tables only; the app builds one context and every capability's alias accepts it.
 */
export interface AppContext<Tables = Record<never, never>> {
  config: Config;
  db: ViewDb<Tables>;
  pool: pg.Pool;
  /** Secret for signing cookies and tokens (from CHORUS_SECRET or kept in the database). */
  secret: string;
  log: Logger;
  mailer: Mailer;
  /** The coalition's brand (name, logo, colours), cached for a couple of seconds. */
  brand: BrandCache;
}
