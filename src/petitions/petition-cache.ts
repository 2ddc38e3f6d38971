import type { Db } from './tables.ts';
import { findPetition, type Petition } from './store.ts';

/**
 * Petitions as the hot public paths need them, cached for a second: under a spike every
 * signature and count request would otherwise read the same row. Correct across processes
 * because every entry expires quickly; rules that must be exact re-check in their transaction.
 */
export class PetitionCache {
  private entries = new Map<number, { at: number; value: Promise<Petition | undefined> }>();

  constructor(private readonly db: Db, private readonly maxAgeMs = 1000) {}

  get(id: number): Promise<Petition | undefined> {
    const now = Date.now();
    const entry = this.entries.get(id);
    if (entry && now - entry.at < this.maxAgeMs) return entry.value;
    const value = findPetition(this.db, id);
    this.entries.set(id, { at: now, value });
    value.catch(() => this.entries.delete(id));
    if (this.entries.size > 10_000) this.entries.clear();
    return value;
  }

  /** After a change made by this process: the next read goes to the database. */
  forget(id: number): void {
    this.entries.delete(id);
  }
}
