import { findEvent, type ChorusEvent } from './store.ts';
import type { Q } from './tables.ts';

/**
 * Events as the booking form's POST needs them, kept for a moment: under a booking spike every
 * request would otherwise read the same event, its groups, tiers and places (six queries) before
 * its transaction. A kept copy is only a first look: the booking takes its places under the
 * event's row lock, from the places as they are then, and a refusal the copy suggests is checked
 * against the database before anyone is turned away. Correct across processes because entries
 * expire quickly.
 */
export class EventCache {
  private entries = new Map<number, { at: number; value: Promise<ChorusEvent | undefined> }>();

  constructor(private readonly q: Q, private readonly maxAgeMs = 1000) {}

  get(id: number): Promise<ChorusEvent | undefined> {
    const now = Date.now();
    const entry = this.entries.get(id);
    if (entry && now - entry.at < this.maxAgeMs) return entry.value;
    return this.fresh(id);
  }

  /** Reads the event from the database (and keeps that copy). */
  fresh(id: number): Promise<ChorusEvent | undefined> {
    const value = findEvent(this.q, id);
    this.entries.set(id, { at: Date.now(), value });
    value.catch(() => this.entries.delete(id));
    if (this.entries.size > 10_000) this.entries.clear();
    return value;
  }
}
