import { sql } from 'kysely';
import type { Viewer } from '../platform/index.ts';
import type { EventInput } from './event-form.ts';
import { updateEvent } from './save-event.ts';
import type { Tx } from './tables.ts';

export interface DemoVenueChange {
  venue: string;
  address: string;
  note: string;
  /** When the change was made, days before the demo was loaded. */
  daysAgo: number;
}

/** Moves a demo event through its changes of venue, as an organiser would, dated in the past. */
export async function applyDemoVenueChanges(tx: Tx, actor: Viewer, eventId: number, input: EventInput, changes: readonly DemoVenueChange[]): Promise<void> {
  for (const change of changes) {
    await updateEvent(tx, actor, eventId, { ...input, venueName: change.venue, address: change.address, changeNote: change.note });
    await sql`update event_changes set changed_at = now() - make_interval(days => ${change.daysAgo})
      where id = (select max(id) from event_changes where event_id = ${eventId})`.execute(tx);
  }
}
