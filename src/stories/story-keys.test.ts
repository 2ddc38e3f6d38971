import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../platform/config.ts';
import { generateKeyText, parseKeyText } from '../platform/sealed.ts';
import { createTestDatabase } from '../../test/support/db.ts';
import { startChorus } from '../../test/support/chorus-process.ts';
import { KEY_FILE_NAME, storiesKeyRing, writeKeyFile } from './story-keys.ts';

const folders: string[] = [];
const dataDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-keys-'));
  folders.push(dir);
  return path.join(dir, 'data');
};
afterAll(() => folders.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

describe('the stories key', () => {
  it('with the embedded database and no STORIES_KEY, is made once in the data folder, readable by its owner only', () => {
    const dir = dataDir();
    const ring = storiesKeyRing({ CHORUS_DATA_DIR: dir, DATABASE_URL: undefined, STORIES_KEY: undefined, STORIES_OLD_KEYS: undefined });
    const file = path.join(dir, KEY_FILE_NAME);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const again = storiesKeyRing({ CHORUS_DATA_DIR: dir, DATABASE_URL: undefined, STORIES_KEY: undefined, STORIES_OLD_KEYS: undefined });
    expect(again.current.id).toBe(ring.current.id);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^#.*\n[A-Za-z0-9+/=]{44}\n$/);
  });

  it('follows a key file rewritten while the process runs (a rotation), keeping the older keys readable', () => {
    const dir = dataDir();
    const config = { CHORUS_DATA_DIR: dir, DATABASE_URL: undefined, STORIES_KEY: undefined, STORIES_OLD_KEYS: undefined };
    const first = storiesKeyRing(config);
    const sealed = first.sealText('before', 'p');
    const newKey = generateKeyText();
    const [oldLine] = fs.readFileSync(path.join(dir, KEY_FILE_NAME), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    writeKeyFile(path.join(dir, KEY_FILE_NAME), [newKey, oldLine!]);
    const second = storiesKeyRing(config);
    expect(second.current.id).toBe(parseKeyText(newKey, 'k').id);
    expect(second.openText(sealed, 'p')).toBe('before');
  });

  it('STORIES_KEY and STORIES_OLD_KEYS make the ring when set, and no file is written', () => {
    const dir = dataDir();
    const [current, old] = [generateKeyText(), generateKeyText()];
    const ring = storiesKeyRing({ CHORUS_DATA_DIR: dir, DATABASE_URL: 'postgres://db.example.org/chorus', STORIES_KEY: current, STORIES_OLD_KEYS: old });
    expect(ring.ids).toEqual([parseKeyText(current, 'k').id, parseKeyText(old, 'k').id]);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('is required with DATABASE_URL: the message says how to make one', () => {
    const attempt = () => storiesKeyRing({ CHORUS_DATA_DIR: dataDir(), DATABASE_URL: 'postgres://db.example.org/chorus', STORIES_KEY: undefined, STORIES_OLD_KEYS: undefined });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/STORIES_KEY is not set.*openssl rand -base64 32/);
  });

  it('chorus serve on a real database without STORIES_KEY refuses to start, saying how to make one, and never serves', async () => {
    const database = await createTestDatabase();
    try {
      const serve = startChorus(['serve'], { DATABASE_URL: database.url, STORIES_KEY: '', PORT: '39517', BASE_URL: 'http://chorus.test' });
      const finished = await serve.exited;
      expect(finished.code).toBe(2);
      expect(finished.stderr).toContain('STORIES_KEY is not set');
      expect(finished.stderr).toContain('openssl rand -base64 32');
      expect(finished.stdout).not.toMatch(/listening|Chorus is running/i);
    } finally {
      await database.drop();
    }
  });

  it('a bad STORIES_KEY is named without echoing it', async () => {
    const serve = startChorus(['migrate'], { DATABASE_URL: 'postgres://127.0.0.1:1/none', STORIES_KEY: 'hunter2-not-a-key' });
    const finished = await serve.exited;
    expect(finished.code).toBe(2);
    expect(finished.stderr).toContain('STORIES_KEY must be base64 of exactly 32 random bytes');
    expect(finished.stderr).not.toContain('hunter2');
  });
});
