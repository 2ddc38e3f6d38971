import type { Brand } from '../platform/index.ts';
import type { Q } from './tables.ts';
import type { Person } from './person-record.ts';
import { savePreferences, withdrawAll } from './preferences.ts';

export interface UpdatePreferencesProps {
  person: Person;
  brand: Brand;
  /** "Save my preferences", or "Unsubscribe from everything". */
  action: 'save' | 'withdraw-all';
  /** Purpose ids ticked, each with the id of the wording shown beside it (when the form sent one). */
  chosen: Map<number, number | undefined>;
  ip: string | null;
}

/** The preferences form (run in a transaction): saves the ticked purposes, or withdraws every consent. Returns how many changed. */
export async function updatePreferences(tx: Q, props: UpdatePreferencesProps): Promise<number> {
  if (props.action === 'withdraw-all') return withdrawAll(tx, props.person, props.ip);
  return savePreferences(tx, props.person, props.brand, props.chosen, props.ip);
}
