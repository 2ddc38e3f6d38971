import { positiveInt, setting, type SettingValues } from '../platform/index.ts';

/** The environment settings supporters reads (listed in its manifest, validated with the rest). */
export const supporterSettings = {
  MAILING_RATE: setting(positiveInt(100, 100_000), 'Fastest a mailing may be sent, in messages per second (each mailing can be set slower); also the default speed.'),
};

declare module '../platform/config.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- adds these settings to Config
  interface CapabilitySettings extends SettingValues<typeof supporterSettings> {}
}
