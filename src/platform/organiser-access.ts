import type { Handle } from './db/view.ts';
import type { Viewer } from './web/context.ts';

/**
 * An organiser lost access: their account was disabled, or their role or groups changed. `keeps`
 * is what they may still manage: 'all' (an admin), the groups they still organise, or nothing.
 * The coalition capability, which owns organisers, announces it; capabilities that hold things an
 * organiser made for a group (the api's keys and webhooks) listen, in the same transaction, and
 * withdraw what the organiser may no longer manage.
 */
export interface AccessRemoval {
  organiserId: number;
  keeps: 'all' | readonly number[];
  reason: 'disabled' | 'access-changed';
  actor: Viewer;
}

export type AccessRemovalListener = (q: Handle, removal: AccessRemoval) => Promise<void>;

let listeners: readonly AccessRemovalListener[] = [];

/** Installed once from the capability list (`src/capabilities.ts`), like the personal-data registry. */
export function installAccessRemovalListeners(list: readonly AccessRemovalListener[]): void {
  listeners = list;
}

/** Tells every listening capability, in the caller's transaction, that an organiser lost access. */
export async function organiserAccessRemoved(q: Handle, removal: AccessRemoval): Promise<void> {
  for (const listener of listeners) await listener(q, removal);
}
