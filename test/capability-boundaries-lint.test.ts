import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The lint rule that holds capability boundaries (eslint/capability-boundaries.js), run through
 * the project's own ESLint config on code that would break them: `npm test` runs the linter over
 * the whole tree, so each of these would fail CI if someone wrote it.
 */
const root = path.resolve(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: root });

async function boundaryProblems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId === 'chorus/capability-boundaries').map((m) => m.message);
}

describe('capability boundaries lint rule', () => {
  it("refuses a capability importing another capability's internal file, and accepts its index.ts", async () => {
    const inside = await boundaryProblems('src/petitions/new-rule.ts', "import { upsertPerson } from '../supporters/people.ts';\nexport const f = upsertPerson;\n");
    expect(inside).toEqual([expect.stringContaining("inside the supporters capability")]);
    const viaIndex = await boundaryProblems('src/petitions/new-rule.ts', "import { upsertPerson } from '../supporters/index.ts';\nexport const f = upsertPerson;\n");
    expect(viaIndex).toEqual([]);
  });

  it("refuses another capability's tables and migrations too, from a nested folder", async () => {
    const problems = await boundaryProblems(
      'src/supporters/mailings/new-thing.ts',
      "import type { PetitionsTable } from '../../petitions/tables.ts';\nimport { petitionMigrations } from '../../petitions/migrations.ts';\nexport type T = PetitionsTable;\nexport const m = petitionMigrations;\n",
    );
    expect(problems).toHaveLength(2);
  });

  it('refuses re-exporting and dynamically importing internals', async () => {
    const problems = await boundaryProblems('src/api/new-thing.ts', "export { findPetition } from '../petitions/store.ts';\nexport const later = () => import('../coalition/groups.ts');\n");
    expect(problems).toHaveLength(2);
  });

  it('keeps the whole-database type and the capability list at app level', async () => {
    const problems = await boundaryProblems('src/coalition/new-thing.ts', "import type { Database } from '../schema.ts';\nimport { capabilities } from '../capabilities.ts';\nexport type D = Database;\nexport const c = capabilities;\n");
    expect(problems).toEqual([expect.stringContaining('app-level'), expect.stringContaining('app-level')]);
  });

  it('keeps platform free of any capability, index or not', async () => {
    const problems = await boundaryProblems('src/platform/web/new-thing.ts', "import { findPetition } from '../../petitions/index.ts';\nexport const f = findPetition;\n");
    expect(problems).toEqual([expect.stringContaining('platform must not depend')]);
  });

  it('lets a capability use its own files and the platform', async () => {
    const problems = await boundaryProblems('src/petitions/new-rule.ts', "import { findPetition } from './store.ts';\nimport { notFound } from '../platform/index.ts';\nexport const f = [findPetition, notFound];\n");
    expect(problems).toEqual([]);
  });
});
