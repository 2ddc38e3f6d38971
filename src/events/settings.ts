import { positiveInt, setting, type SettingValues } from '../platform/index.ts';

/** The environment settings events reads (listed in its manifest, validated with the rest). */
export const eventSettings = {
  EVENT_BOOKING_RATE: setting(positiveInt(20, 1_000_000), 'Bookings and waiting-list joins one IP address may make per period (all events together); more are refused with 429 until the period ends.'),
  EVENT_BOOKING_RATE_SECONDS: setting(positiveInt(600, 86_400), 'The booking rate period, in seconds.'),
};

declare module '../platform/config.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- adds these settings to Config
  interface CapabilitySettings extends SettingValues<typeof eventSettings> {}
}
