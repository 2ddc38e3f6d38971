import { positiveInt, setting, type SettingValues } from '../../platform/index.ts';

/** The environment settings letters to MPs read (in politics' manifest, validated with the rest). */
export const letterSettings = {
  LETTERS_RETENTION_DAYS: setting(positiveInt(30, 3650), 'Days a letter’s words and its writer’s address are kept after it was delivered; then a daily job deletes them, keeping the counts and the questionnaire answers.'),
};

declare module '../../platform/config.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- adds these settings to Config
  interface CapabilitySettings extends SettingValues<typeof letterSettings> {}
}
