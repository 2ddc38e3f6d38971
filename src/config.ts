import { capabilities } from './capabilities.ts';
import { platformSettings, readSettings, type Config, type SettingList } from './platform/config.ts';

export { ConfigError, type Config } from './platform/config.ts';

/**
 * Every setting Chorus reads, from environment variables only: the platform's and those each
 * capability's manifest lists. Each documents itself; the README's configuration table is checked
 * against this list by a test. A name claimed twice is a programming error, caught at start.
 */
export const allSettings: SettingList = (() => {
  const all: Record<string, SettingList[string]> = { ...platformSettings };
  for (const capability of capabilities) {
    for (const [name, entry] of Object.entries(capability.settings ?? {})) {
      if (Object.hasOwn(all, name)) throw new Error(`Setting ${name} is claimed twice (again by ${capability.name})`);
      all[name] = entry;
    }
  }
  return all;
})();

/** Setting name → its one-line description (the README's configuration table). */
export const settingDocs: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(allSettings).map(([name, s]) => [name, s.description]));

/** Reads and validates every setting; throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return readSettings(env, allSettings);
}
