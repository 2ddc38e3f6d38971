import { positiveInt, setting, type SettingValues } from '../platform/index.ts';

/** The environment settings petitions reads (listed in its manifest, validated with the rest). */
export const petitionSettings = {
  UNCONFIRMED_SIGNATURE_DAYS: setting(positiveInt(14, 365), 'Days after which petition signatures nobody confirmed are deleted.'),
  SIGN_RATE_BURST: setting(positiveInt(1, 100_000), 'Signatures one address may make on one petition per burst period before further ones are held as suspect.'),
  SIGN_RATE_BURST_SECONDS: setting(positiveInt(60, 86_400), 'The burst period, in seconds.'),
  SIGN_RATE_SUSTAINED: setting(positiveInt(5, 100_000), 'Signatures one address may make on one petition per sustained period before further ones are held.'),
  SIGN_RATE_SUSTAINED_SECONDS: setting(positiveInt(300, 86_400), 'The sustained period, in seconds.'),
};

declare module '../platform/config.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- adds these settings to Config
  interface CapabilitySettings extends SettingValues<typeof petitionSettings> {}
}
