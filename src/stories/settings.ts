import { z } from 'zod';
import { parseKeyText, positiveInt, setting, type SettingValues } from '../platform/index.ts';

const KEY_MESSAGE = 'must be base64 of exactly 32 random bytes (make one with: openssl rand -base64 32)';
const isKey = (text: string) => {
  try {
    parseKeyText(text, 'key');
    return true;
  } catch {
    return false;
  }
};
const keyText = z.string().refine(isKey, { message: KEY_MESSAGE });
const keyList = z.string().refine((text) => text.split(',').every((part) => isKey(part)), { message: `must be keys separated by commas; each ${KEY_MESSAGE}` });

/** The environment settings stories reads (listed in its manifest, validated with the rest). */
export const storySettings = {
  STORIES_KEY: setting(
    keyText.optional(),
    'Key that encrypts stories and their tellers’ details at rest: base64 of 32 random bytes (openssl rand -base64 32). Required with DATABASE_URL; unset with the embedded database, one is made once in CHORUS_DATA_DIR/stories.key. Back it up apart from the database.',
  ),
  STORIES_OLD_KEYS: setting(
    keyList.optional(),
    'Earlier stories keys still readable during a key rotation, comma-separated base64; remove them once `chorus stories rotate-key` has finished.',
  ),
  STORIES_SAFEGUARDING_LEAD_EMAIL: setting(
    z.string().trim().email({ message: 'must be an email address' }).optional(),
    'The coalition’s named safeguarding lead: a story flagged for safeguarding is emailed to this address and hidden from everyone but the organiser account with it until they act.',
  ),
  STORIES_RETENTION_DAYS: setting(positiveInt(30, 3650), 'Days a story is kept after its consent lapsed or was withdrawn; then a daily job deletes it, keeping only anonymous counts.'),
};

declare module '../platform/config.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- adds these settings to Config
  interface CapabilitySettings extends SettingValues<typeof storySettings> {}
}
