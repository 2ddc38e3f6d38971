import { findEvent, placesLeft, type ChorusEvent } from './store.ts';
import type { Q } from './tables.ts';

interface Entry {
  at: number;
  value: Promise<ChorusEvent | undefined>;
  /** The copy, once read. */
  read?: ChorusEvent | undefined;
}

/**
 * Events as the booking form's POST needs them, kept for a moment (at most `maxAgeMs`, 1 s):
 * under a booking spike every request would otherwise read the same event, its groups, tiers and
 * places (six queries) before its transaction. A kept copy that has places is only a first look:
 * the booking takes its places under the event's row lock, from the places as they are then. A
 * kept copy that is full (`isFull`) is the answer for as long as it is kept: a booking is
 * refused, and the waiting list offered, without asking the database, so a place freed in
 * another process becomes bookable here within that moment (one freed in this process is at
 * once: `forget`). Correct across processes because entries expire quickly.
 */
export class EventCache {
  private entries = new Map<number, Entry>();

  constructor(private readonly q: Q, private readonly maxAgeMs = 1000) {}

  get(id: number): Promise<ChorusEvent | undefined> {
    const entry = this.entries.get(id);
    if (entry && Date.now() - entry.at < this.maxAgeMs) return entry.value;
    return this.fresh(id);
  }

  /** Reads the event from the database (and keeps that copy). */
  fresh(id: number): Promise<ChorusEvent | undefined> {
    const value = findEvent(this.q, id);
    const entry: Entry = { at: Date.now(), value };
    this.entries.set(id, entry);
    value.then(
      (event) => (entry.read = event),
      () => {
        if (this.entries.get(id) === entry) this.entries.delete(id);
      },
    );
    if (this.entries.size > 10_000) this.entries.clear();
    return value;
  }

  /** True while the kept copy (read less than `maxAgeMs` ago) has no places left on any ticket. */
  isFull(id: number): boolean {
    const entry = this.entries.get(id);
    if (!entry?.read || Date.now() - entry.at >= this.maxAgeMs) return false;
    return placesLeft(entry.read) === 0;
  }

  /** Drops the kept copy (places were freed here): the next booking reads the event again. */
  forget(id: number): void {
    this.entries.delete(id);
  }
}
