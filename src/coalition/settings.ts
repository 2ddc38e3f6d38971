import { positiveInt, setting, type SettingValues } from '../platform/index.ts';

/** The environment settings coalition reads (listed in its manifest, validated with the rest). */
export const coalitionSettings = {
  SIGN_IN_MAX_FAILURES: setting(positiveInt(5, 100), 'Failed sign-ins for one account from one client address within 15 minutes before sign-in to that account is paused from that address.'),
};

declare module '../platform/config.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- adds these settings to Config
  interface CapabilitySettings extends SettingValues<typeof coalitionSettings> {}
}
