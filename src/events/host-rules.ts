import { readSetting, recordAudit, writeSetting, type Handle, type Viewer } from '../platform/index.ts';

/**
 * The coalition's rule for "Host an event", set by an admin at `/admin/events/settings` and kept
 * in the settings table. Member groups' organisers may always submit; supporters only when allowed.
 */
export interface HostRules {
  supportersMayHost: boolean;
}

const KEY = 'events.supporters-may-host';

export const defaultHostRules: HostRules = { supportersMayHost: false };

export async function readHostRules(q: Handle): Promise<HostRules> {
  return { supportersMayHost: (await readSetting<unknown>(q, KEY)) === true };
}

/** Saves the rule (admins only: the route checks the role) and writes the audit log, in the caller's transaction. */
export async function saveHostRules(q: Handle, actor: Viewer, rules: HostRules): Promise<void> {
  const before = await readHostRules(q);
  await writeSetting(q, KEY, rules.supportersMayHost);
  await recordAudit(q, { actor, action: 'event.settings.update', subjectType: 'settings', subjectId: 'events', before, after: rules });
}
