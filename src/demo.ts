import { sql } from 'kysely';
import { capabilities } from './capabilities.ts';
import type { CoalitionDemo } from './coalition/demo.ts';
import type { DemoFacts } from './platform/capability.ts';
import type { ViewDb } from './platform/db/view.ts';

export interface DemoResult {
  /** False when the demo was loaded by an earlier start. */
  loaded: boolean;
  adminEmail?: string;
  signInToken?: string;
}

/**
 * Loads the demo coalition once per database: each capability's demo loader in list order
 * (a capability comes after those it depends on), each given what its dependencies' loaders
 * returned, by name. The marker row and the content commit together, so two processes starting
 * at once cannot both load it.
 */
export async function loadDemoOnce(db: ViewDb<Record<never, never>>): Promise<DemoResult> {
  return db.transaction().execute(async (tx) => {
    const claimed = await sql`insert into settings (key, value) values ('demo_loaded_at', to_jsonb(now())) on conflict (key) do nothing`.execute(tx);
    if (Number(claimed.numAffectedRows ?? 0) === 0) return { loaded: false };
    const facts: Record<string, unknown> = {};
    for (const c of capabilities) {
      if (!c.demo) continue;
      const given: DemoFacts = Object.fromEntries(c.dependsOn.map((name) => [name, facts[name]]));
      facts[c.name] = await c.demo(tx, given);
    }
    // The sign-in link for the demo admin is the coalition's to give.
    const coalition = facts.coalition as CoalitionDemo | undefined;
    return { loaded: true, adminEmail: coalition?.adminEmail, signInToken: coalition?.signInToken };
  });
}
