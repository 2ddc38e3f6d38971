import { conflict } from '../../platform/index.ts';
import type { Q } from '../tables.ts';
import { markQueued, type PeopleImport } from './import-store.ts';
import { queuePeopleImport } from './jobs.ts';

/**
 * Starts a checked import (run in a transaction): the worker adds its people. Asking again while
 * it is queued or running changes nothing; an import that cannot run now is a conflict.
 */
export async function queueImport(tx: Q, plan: PeopleImport): Promise<void> {
  if (await markQueued(tx, plan.id)) return queuePeopleImport(tx, plan.id);
  if (plan.state === 'checked') throw conflict('This import cannot run now.');
}
