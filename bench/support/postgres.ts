import fs from 'node:fs';
import { sql } from 'kysely';
import path from 'node:path';
import { migrations } from '../../src/migrations.ts';
import { connectDatabase } from '../../src/platform/db/database.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/platform/db/embedded-postgres.ts';
import { migrateDatabase } from '../../src/platform/db/migrate.ts';
import type { Database } from '../../src/schema.ts';

export const benchRoot = path.resolve(import.meta.dirname, '..', '..', '.tmp', 'bench');

export interface BenchDatabase {
  url: string;
  server: EmbeddedPostgres;
  stop(): Promise<void>;
}

/**
 * A fresh embedded PostgreSQL for one benchmark run, with the same settings `npm start` uses
 * (durable commits: synchronous_commit on, fsync on), migrated.
 */
export async function freshDatabase(name: string): Promise<BenchDatabase> {
  const dir = path.join(benchRoot, name);
  fs.rmSync(dir, { recursive: true, force: true });
  let server = await startEmbeddedPostgres({ dataDir: dir, database: 'chorus' });
  let handle = connectDatabase<Database>(server.url, 2, 'bench-migrate');
  await migrateDatabase(handle.db as never, handle.pool, migrations);
  if (process.env.BENCH_PG_STATS) {
    // PostgreSQL's own timing of every statement (nested ones too: inside functions), read by statementStats.
    for (const setting of ["shared_preload_libraries = 'pg_stat_statements'", "pg_stat_statements.track = 'all'", 'track_io_timing = on', "track_wal_io_timing = on"]) {
      await sql.raw(`alter system set ${setting}`).execute(handle.db);
    }
    await handle.close();
    await server.stop();
    server = await startEmbeddedPostgres({ dataDir: dir, database: 'chorus' });
    handle = connectDatabase<Database>(server.url, 2, 'bench-migrate');
    await sql`create extension if not exists pg_stat_statements`.execute(handle.db);
  }
  await handle.close();
  return {
    url: server.url,
    server,
    async stop() {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Empties PostgreSQL's statement statistics (BENCH_PG_STATS), so what follows is one phase's alone. */
export async function resetStatementStats(url: string): Promise<void> {
  if (!process.env.BENCH_PG_STATS) return;
  const handle = connectDatabase<Database>(url, 1, 'bench-stats');
  await sql`select pg_stat_statements_reset()`.execute(handle.db);
  await handle.close();
}

/**
 * PostgreSQL's own time per statement since the last reset (BENCH_PG_STATS): for the statements
 * that took the most, calls, execution time and WAL written, each per signature stored.
 */
export async function statementStats(url: string, signatures: number, top = 14): Promise<string> {
  if (!process.env.BENCH_PG_STATS) return '';
  const handle = connectDatabase<Database>(url, 1, 'bench-stats');
  const rows = await sql<{ query: string; calls: number; total_ms: number; mean_ms: number; rows: number; wal_bytes: number; blk_read_ms: number; toplevel: boolean }>`
    select regexp_replace(query, '[[:space:]]+', ' ', 'g') as query, calls::int, total_exec_time as total_ms, mean_exec_time as mean_ms, rows::int,
      wal_bytes::float8 as wal_bytes, shared_blk_read_time as blk_read_ms, toplevel
    from pg_stat_statements where query not like '%pg_stat_statements%'
    order by total_exec_time desc limit ${top}`.execute(handle.db);
  await handle.close();
  const us = (ms: number) => ((ms * 1000) / signatures).toFixed(1).padStart(7);
  return rows.rows
    .map((r) => `${us(r.total_ms)} µs/sig  ${String(r.calls).padStart(7)} calls  mean ${r.mean_ms.toFixed(2).padStart(6)} ms  rows/call ${(r.rows / Math.max(1, r.calls)).toFixed(1).padStart(6)}  WAL ${(r.wal_bytes / signatures).toFixed(0).padStart(5)} B/sig${r.toplevel ? '' : ' (nested)'}  ${r.query.slice(0, 110)}`)
    .join('\n');
}

/** Statements PostgreSQL ran since the last reset (BENCH_PG_STATS): those sent by clients, and those run inside functions and checks. */
export async function statementTotals(url: string): Promise<{ toplevel: number; nested: number } | undefined> {
  if (!process.env.BENCH_PG_STATS) return undefined;
  const handle = connectDatabase<Database>(url, 1, 'bench-stats');
  const rows = await sql<{ toplevel: boolean; calls: number }>`
    select toplevel, sum(calls)::float8 as calls from pg_stat_statements where query not like '%pg_stat_statements%' group by toplevel`.execute(handle.db);
  await handle.close();
  return { toplevel: rows.rows.find((r) => r.toplevel)?.calls ?? 0, nested: rows.rows.find((r) => !r.toplevel)?.calls ?? 0 };
}
