import { deleteSetting, readSetting } from '../platform/index.ts';
import type { Q } from './tables.ts';

/** Settings row marking the constituency data as the demo set (see demo.ts); the results import clears it. */
export const DEMO_SETTING = 'politics.demo_loaded_at';

/** True while the constituencies shown are the demo set rather than imported official data. */
export async function isPoliticsDemo(q: Parameters<typeof readSetting>[0]): Promise<boolean> {
  return (await readSetting<string>(q, DEMO_SETTING)) !== undefined;
}

/** Official results replace the demo label. */
export async function clearPoliticsDemo(q: Q): Promise<void> {
  await deleteSetting(q, DEMO_SETTING);
}
