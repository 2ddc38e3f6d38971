import { readSetting, recordAudit, writeSetting, type Handle, type Viewer } from '../platform/index.ts';

/**
 * The coalition's own rules for petitions, set by an admin on the petition settings page
 * (`/admin/petitions/settings`) and kept in the settings table. Defaults are the strict ones.
 */
export interface PetitionRules {
  /** An admin may approve a petition they created themselves (otherwise another admin or a moderator must). */
  adminsApproveOwn: boolean;
  /**
   * Groups whose organisers see every signer of the group's petitions (names and email
   * addresses), not only those who agreed to hear from the group.
   */
  allSignersGroupIds: number[];
}

const KEYS = { adminsApproveOwn: 'petitions.admins-approve-own', allSignersGroupIds: 'petitions.all-signers-groups' } as const;

export const defaultPetitionRules: PetitionRules = { adminsApproveOwn: false, allSignersGroupIds: [] };

export async function readPetitionRules(q: Handle): Promise<PetitionRules> {
  const [approve, groups] = await Promise.all([readSetting<unknown>(q, KEYS.adminsApproveOwn), readSetting<unknown>(q, KEYS.allSignersGroupIds)]);
  return {
    adminsApproveOwn: approve === true,
    allSignersGroupIds: Array.isArray(groups) ? groups.filter((id): id is number => Number.isSafeInteger(id)) : [],
  };
}

/** Saves the rules (admins only: the route checks the role) and writes the audit log, in the caller's transaction. */
export async function savePetitionRules(q: Handle, actor: Viewer, rules: PetitionRules): Promise<void> {
  const before = await readPetitionRules(q);
  const after: PetitionRules = { adminsApproveOwn: rules.adminsApproveOwn, allSignersGroupIds: [...new Set(rules.allSignersGroupIds)].sort((a, b) => a - b) };
  await writeSetting(q, KEYS.adminsApproveOwn, after.adminsApproveOwn);
  await writeSetting(q, KEYS.allSignersGroupIds, after.allSignersGroupIds);
  await recordAudit(q, { actor, action: 'petition.settings.update', subjectType: 'settings', subjectId: 'petitions', before, after });
}
