import type { PersonalDataProvider } from './capability.ts';

let installed: readonly PersonalDataProvider[] | undefined;

/**
 * The personal-data registry, built once from the capability list (src/capabilities.ts installs
 * every manifest's providers), never from modules registering themselves as they are imported.
 */
export function installPersonalData(providers: readonly PersonalDataProvider[]): void {
  const names = providers.map((p) => p.name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice) throw new Error(`Two personal-data providers are named ${twice}`);
  installed = providers;
}

/** Every capability's provider; erasing with an empty registry would silently keep data, so it throws. */
export function personalDataProviders(): readonly PersonalDataProvider[] {
  if (!installed) throw new Error('The personal-data registry is not installed: import src/capabilities.ts first.');
  return installed;
}
