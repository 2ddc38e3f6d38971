import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, settingDocs } from '../src/config.ts';
import { projectDir } from './support/chorus-process.ts';

const readme = fs.readFileSync(path.join(projectDir, 'README.md'), 'utf8');

/** Rows of the first table under a `## heading`, as arrays of cells. */
function tableUnder(heading: string): string[][] {
  const start = readme.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README has no "## ${heading}" section`);
  const section = readme.slice(start + 1).split(/\n## /)[0]!;
  const rows = section.split('\n').filter((line) => line.startsWith('|'));
  // Split on pipes that are not escaped (`admin\|organiser` stays one cell).
  return rows.slice(2).map((row) => row.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim()));
}

const settingsTable = tableUnder('Configuration');
const code = (cell: string) => /^`([^`]*)`$/.exec(cell)?.[1];

describe('README configuration table', () => {
  it('lists every setting Chorus reads, and nothing else', () => {
    const documented = settingsTable.map(([variable]) => code(variable ?? ''));
    expect(documented.toSorted()).toEqual(Object.keys(settingDocs).toSorted());
  });

  it("gives each setting's real default", () => {
    const defaults = loadConfig({});
    for (const [variable = '', shown = ''] of settingsTable) {
      const name = code(variable) as keyof typeof defaults;
      const actual = defaults[name];
      if (name === 'BASE_URL') expect(shown).toBe('`http://localhost:PORT`');
      else if (name === 'CHORUS_DATA_DIR') expect(path.resolve(code(shown) ?? '')).toBe(actual);
      else if (name === 'CHORUS_SECRET') expect(shown).toBe('generated');
      else if (actual === undefined) expect(shown, name).toBe('unset');
      else expect(code(shown), name).toBe(String(actual));
    }
    // The derived default really is built from PORT.
    expect(loadConfig({ PORT: '4321' }).BASE_URL).toBe('http://localhost:4321');
  });

  it('describes each setting', () => {
    for (const [variable = '', , description = ''] of settingsTable) expect(description.length, variable).toBeGreaterThan(10);
  });
});

describe('README command table', () => {
  it('lists each `chorus` command', () => {
    const commands = tableUnder('The `chorus` command').map(([command]) => /^`chorus (\w+(?: [\w-]+)?)/.exec(command ?? '')?.[1]);
    expect(commands).toEqual(['serve', 'worker', 'migrate', 'import', 'user add', 'user reset', 'stories rotate-key']);
  });
});
