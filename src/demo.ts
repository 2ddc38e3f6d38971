import { sql } from 'kysely';
import { loadCoalitionDemo } from './coalition/demo.ts';
import { loadPetitionDemo } from './petitions/demo.ts';
import { loadPoliticsDemo } from './politics/demo.ts';
import type { Db } from './schema.ts';

export interface DemoResult {
  /** False when the demo was loaded by an earlier start. */
  loaded: boolean;
  adminEmail?: string;
  signInToken?: string;
}

/**
 * Loads the demo coalition once per database. The marker row and the content commit together,
 * so two processes starting at once cannot both load it.
 */
export async function loadDemoOnce(db: Db): Promise<DemoResult> {
  return db.transaction().execute(async (tx) => {
    const claimed = await sql`insert into settings (key, value) values ('demo_loaded_at', to_jsonb(now())) on conflict (key) do nothing`.execute(tx);
    if (Number(claimed.numAffectedRows ?? 0) === 0) return { loaded: false };
    const coalition = await loadCoalitionDemo(tx);
    await loadPoliticsDemo(tx);
    await loadPetitionDemo(tx, coalition.groupIds);
    return { loaded: true, adminEmail: coalition.adminEmail, signInToken: coalition.signInToken };
  });
}
