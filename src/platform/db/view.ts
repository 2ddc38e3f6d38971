import type { Kysely, Transaction } from 'kysely';
import type { PlatformTables } from '../tables.ts';

/**
 * How a capability sees the database. Each capability's code is typed against a view holding only
 * its own tables (and the platform's), so a query naming another capability's table does not
 * type-check: it has to go through a function that capability exports.
 *
 * The view is a type, not a second connection: every view of one handle runs on the same pool or
 * the same open transaction.
 */
export type ViewDb<Tables> = Kysely<Tables & PlatformTables>;
export type ViewTx<Tables> = Transaction<Tables & PlatformTables>;
/** The database or an open transaction, seeing `Tables`. */
export type View<Tables> = ViewDb<Tables> | ViewTx<Tables>;

/**
 * A handle one capability passes to another (or to the platform): the database or an open
 * transaction, seeing only the platform's tables. Every capability's view is one, so a caller
 * hands over its own connection or transaction and the callee looks at it through its own view.
 */
export type Handle = View<Record<never, never>>;

/** Looks at a handle through a capability's view (same connection, same transaction). */
export function viewOf<Tables>(q: Handle): View<Tables> {
  return q as unknown as View<Tables>;
}

/** Looks at the database (not a transaction) through a capability's view. */
export function dbViewOf<Tables>(db: ViewDb<Record<never, never>>): ViewDb<Tables> {
  return db as unknown as ViewDb<Tables>;
}

/** Looks at an open transaction through a capability's view. */
export function txViewOf<Tables>(tx: ViewTx<Record<never, never>>): ViewTx<Tables> {
  return tx as unknown as ViewTx<Tables>;
}

/** The platform's own view: its tables only (settings, media, audit, mail). */
export type PlatformDb = ViewDb<Record<never, never>>;
