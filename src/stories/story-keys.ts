import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, KeyRing, generateKeyText, parseKeyText, type Config, type SealingKey } from '../platform/index.ts';

/**
 * Where the stories key ring comes from. STORIES_KEY (with STORIES_OLD_KEYS during a rotation)
 * when set; otherwise, with the embedded database only, a key file made once in the data folder
 * (one base64 key a line, the current key first, older keys still readable below it). With
 * DATABASE_URL and no STORIES_KEY the process refuses to start: a real deployment keeps its key
 * in its own secret store, never beside a database that a backup might carry away with it.
 */
export const KEY_FILE_NAME = 'stories.key';

type StoryConfig = Pick<Config, 'STORIES_KEY' | 'STORIES_OLD_KEYS' | 'DATABASE_URL' | 'CHORUS_DATA_DIR'>;

export type KeySource = { kind: 'env' } | { kind: 'file'; file: string };

export const MISSING_KEY_MESSAGE =
  'STORIES_KEY is not set. With DATABASE_URL (a real deployment) Chorus needs a key of its own to encrypt stories at rest. ' +
  'Make one with `openssl rand -base64 32`, keep it in your secret store with a backup apart from the database backups, and set STORIES_KEY to it.';

export function keySourceFor(config: StoryConfig): KeySource {
  if (config.STORIES_KEY) return { kind: 'env' };
  if (config.DATABASE_URL) throw new ConfigError([MISSING_KEY_MESSAGE]);
  return { kind: 'file', file: path.join(config.CHORUS_DATA_DIR, KEY_FILE_NAME) };
}

const olderFromEnv = (config: StoryConfig): SealingKey[] =>
  (config.STORIES_OLD_KEYS ?? '')
    .split(',')
    .filter((part) => part.trim() !== '')
    .map((part, i) => parseKeyText(part, `STORIES_OLD_KEYS (key ${i + 1})`));

/** The keys of a key file, current first; comments (#) and blank lines are skipped. */
export function readKeyFile(file: string): SealingKey[] {
  const lines = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  if (lines.length === 0) throw new ConfigError([`The stories key file ${file} holds no key. Restore it from your backup.`]);
  return lines.map((line, i) => {
    try {
      return parseKeyText(line, `line ${i + 1} of ${file}`);
    } catch (error) {
      throw new ConfigError([(error as Error).message]);
    }
  });
}

/** Writes a key file (current key first) in one step: readers see the old file or the new one, never half. */
export function writeKeyFile(file: string, keys: readonly string[]): void {
  const text = `# Chorus stories key ring: the first key seals, every key here opens. Back this file up apart from the database.\n${keys.join('\n')}\n`;
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text, { mode: 0o600 });
  fs.renameSync(temporary, file);
}

/** Makes the key file when there is none (never replacing one another process made a moment ago). */
function ensureKeyFile(file: string): void {
  if (fs.existsSync(file)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const text = `# Chorus stories key ring: the first key seals, every key here opens. Back this file up apart from the database.\n${generateKeyText()}\n`;
  try {
    fs.writeFileSync(file, text, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

interface Cached {
  stamp: string;
  ring: KeyRing;
}
const cache = new Map<string, Cached>();

/**
 * The key ring this process seals and opens stories with. A key file is re-read when it changes
 * (a rotation by `chorus stories rotate-key` while the server runs), checked with one stat a call.
 */
export function storiesKeyRing(config: StoryConfig): KeyRing {
  const source = keySourceFor(config);
  if (source.kind === 'env') {
    const stamp = `${config.STORIES_KEY}\0${config.STORIES_OLD_KEYS ?? ''}`;
    const hit = cache.get('env');
    if (hit?.stamp === stamp) return hit.ring;
    const ring = new KeyRing(parseKeyText(config.STORIES_KEY!, 'STORIES_KEY'), olderFromEnv(config));
    cache.set('env', { stamp, ring });
    return ring;
  }
  ensureKeyFile(source.file);
  const stat = fs.statSync(source.file);
  const stamp = `${stat.mtimeMs}:${stat.size}:${stat.ino}\0${config.STORIES_OLD_KEYS ?? ''}`;
  const hit = cache.get(source.file);
  if (hit?.stamp === stamp) return hit.ring;
  const [current, ...older] = readKeyFile(source.file);
  const ring = new KeyRing(current!, [...older, ...olderFromEnv(config)]);
  cache.set(source.file, { stamp, ring });
  return ring;
}

let active: StoryConfig | undefined;

/**
 * Remembers this process's settings for code the platform calls without them (the personal-data
 * registry's export and erase). The manifest's prepare, routes and jobs each pass theirs in.
 */
export function useStoriesConfig(config: StoryConfig): void {
  active = config;
}

/** The key ring of the settings this process started with (see useStoriesConfig). */
export function activeKeyRing(): KeyRing {
  if (!active) throw new Error('The stories key ring is not set up: the stories capability was not started');
  return storiesKeyRing(active);
}
