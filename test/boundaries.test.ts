import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capabilities } from '../src/capabilities.ts';
import { platformTables } from '../src/platform/tables.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';

const srcDir = path.resolve(import.meta.dirname, '..', 'src');

/** Table name → who owns it: a capability's name, or 'platform'. */
function owners(): Map<string, string> {
  const map = new Map<string, string>(platformTables.map((t) => [t, 'platform']));
  for (const c of capabilities) {
    for (const table of Object.keys(c.tables)) {
      expect(map.get(table), `${table} is claimed by ${map.get(table)} and ${c.name}`).toBeUndefined();
      map.set(table, c.name);
    }
  }
  return map;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** Code that may name any table: tests and their fixtures, and migrations (which run as the app). */
const isExempt = (file: string) => /\.test\.tsx?$|test-support\.tsx?$|migrations?\.ts$/.test(file);

/** Every table a file's SQL names: in raw sql`` text and in Kysely's table arguments. */
export function tablesNamed(source: string, known: ReadonlySet<string>): Array<{ table: string; line: number }> {
  const found: Array<{ table: string; line: number }> = [];
  const lineOf = (index: number) => source.slice(0, index).split('\n').length;
  for (const template of source.matchAll(/sql(?:<[^`]*?>)?`([^`]*)`/g)) {
    for (const m of template[1]!.matchAll(/\b(?:from|join|into|update|table|exists)\s+"?([a-z_]+)"?/gi)) {
      if (known.has(m[1]!)) found.push({ table: m[1]!, line: lineOf(template.index! + m.index!) });
    }
  }
  for (const m of source.matchAll(/\b(?:selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|rightJoin|fullJoin|mergeInto)\(\s*'([a-z_]+)/g)) {
    if (known.has(m[1]!)) found.push({ table: m[1]!, line: lineOf(m.index!) });
  }
  return found;
}

describe('capability boundaries', () => {
  it('finds another capability’s table in SQL text and in Kysely calls (the check itself)', () => {
    const known = new Set(['signatures', 'groups']);
    const source = "const a = sql`select 1 from signatures s join groups g on true`;\nq.selectFrom('groups').selectAll();\nconst note = 'from signatures';";
    expect(tablesNamed(source, known)).toEqual([
      { table: 'signatures', line: 1 },
      { table: 'groups', line: 1 },
      { table: 'groups', line: 2 },
    ]);
  });

  it('no capability’s SQL names a table it does not own (the platform’s included: those go through its functions)', () => {
    const owner = owners();
    const known = new Set(owner.keys());
    const crossings: string[] = [];
    for (const c of capabilities) {
      for (const file of sourceFiles(path.join(srcDir, c.name))) {
        if (isExempt(file)) continue;
        for (const { table, line } of tablesNamed(fs.readFileSync(file, 'utf8'), known)) {
          if (owner.get(table) !== c.name) crossings.push(`${path.relative(srcDir, file)}:${line} names ${table} (${owner.get(table)})`);
        }
      }
    }
    expect(crossings).toEqual([]);
  });
});

describe('the manifests and the database', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  async function columnsByTable(): Promise<Map<string, string[]>> {
    const rows = await sql<{ table_name: string; column_name: string }>`
      select c.table_name, c.column_name from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = 'public' and t.table_type = 'BASE TABLE'`.execute(db.db);
    const map = new Map<string, string[]>();
    for (const r of rows.rows) map.set(r.table_name, [...(map.get(r.table_name) ?? []), r.column_name]);
    return map;
  }

  it('every table the migrations make is owned by exactly one capability or the platform', async () => {
    const owner = owners();
    const tables = [...(await columnsByTable()).keys()].filter((t) => t !== 'schema_migrations' && t !== 'schema_migrations_lock');
    expect(tables.filter((t) => !owner.has(t)).sort()).toEqual([]);
    expect([...owner.keys()].filter((t) => !tables.includes(t)).sort()).toEqual([]);
  });

  it('every table holding personal data about supporters is covered by a personal-data provider of its owner', async () => {
    // Columns that identify a person: a table with any of them cannot say it holds nothing personal.
    const identifying = new Set(['person_id', 'email', 'canonical_email', 'given_name', 'family_name', 'phone', 'ip', 'email_key']);
    const columns = await columnsByTable();
    const problems: string[] = [];
    for (const c of capabilities) {
      const covered = new Set((c.personalData ?? []).flatMap((p) => p.tables));
      for (const [table, holds] of Object.entries(c.tables)) {
        if (holds === 'supporter' && !covered.has(table)) problems.push(`${c.name}.${table} holds supporters' data but no provider of ${c.name} covers it`);
        const who = (columns.get(table) ?? []).filter((column) => identifying.has(column));
        if (holds === 'none' && who.length > 0) problems.push(`${c.name}.${table} says it holds nothing personal, but has ${who.join(', ')}`);
      }
      for (const p of c.personalData ?? []) {
        for (const table of p.tables) if (!(table in c.tables)) problems.push(`${c.name}'s provider ${p.name} covers ${table}, which ${c.name} does not own`);
      }
    }
    expect(problems).toEqual([]);
  });
});
