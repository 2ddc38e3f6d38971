import type { RawBuilder } from 'kysely';

/**
 * "This person agreed to hear from one of these groups, and has not withdrawn", as a SQL
 * condition over the caller's own column of people's ids (`person`, e.g. sql.ref('s.person_id')),
 * so a capability that holds people's ids but not their consent (petitions: its signers) can
 * filter by it in one statement. The capability that owns consent (supporters) provides it in its
 * manifest (`hearsFrom`); `src/capabilities.ts` installs it, as it does the personal-data registry.
 */
export type HearsFromCondition = (person: RawBuilder<unknown>, groupIds: readonly number[]) => RawBuilder<boolean>;

let installed: HearsFromCondition | undefined;

export function installHearsFrom(providers: readonly HearsFromCondition[]): void {
  if (providers.length > 1) throw new Error('Two capabilities say who hears from a group: only the one owning consent may');
  installed = providers[0];
}

/** The installed condition; asking before it is installed (or with no capability owning consent) throws rather than guess. */
export function hearsFrom(person: RawBuilder<unknown>, groupIds: readonly number[]): RawBuilder<boolean> {
  if (!installed) throw new Error('No capability says who hears from a group: import src/capabilities.ts first.');
  return installed(person, groupIds);
}
