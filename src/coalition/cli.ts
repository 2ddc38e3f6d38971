import type { AppContext, Role } from './tables.ts';
import { findGroupBySlug } from './groups.ts';
import { createOrganiser, findOrganiserByEmail, issueOrganiserToken } from './organisers.ts';
import { DomainError, recordAudit } from '../platform/index.ts';

const LINK_TTL_MS = 7 * 24 * 3600 * 1000;
const RESET_LINK_TTL_MS = 24 * 3600 * 1000;

/** `chorus user add`: creates the account and prints a one-time sign-in link. */
export async function addUser(ctx: AppContext, props: { email: string; name: string; role: Role; group?: string[] }): Promise<void> {
  const groupIds: number[] = [];
  for (const slug of props.group ?? []) {
    const group = await findGroupBySlug(ctx.db, slug);
    if (!group) throw new Error(`There is no group with the slug "${slug}"`);
    groupIds.push(group.id);
  }
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(props.email)) throw new Error(`"${props.email}" is not an email address`);
  const token = await ctx.db.transaction().execute(async (tx) => {
    try {
      const id = await createOrganiser(tx, { email: props.email, name: props.name, role: props.role, groupIds, actor: 'cli' });
      return issueOrganiserToken(tx, id, 'sign-in', LINK_TTL_MS);
    } catch (error) {
      if (error instanceof DomainError) throw new Error(error.message, { cause: error });
      throw error;
    }
  });
  console.log(`Added ${props.email} (${props.role}). One-time sign-in link, valid 7 days:\n  ${ctx.config.BASE_URL}/sign-in/link/${token}`);
}

/**
 * `chorus user reset`: a one-time link to set a new password, which then signs the person in.
 * (A plain sign-in link would not do for a lost password: changing a password asks for the
 * current one.)
 */
export async function resetUser(ctx: AppContext, email: string): Promise<void> {
  const organiser = await findOrganiserByEmail(ctx.db, email);
  if (!organiser) throw new Error(`There is no organiser with the email address ${email}`);
  if (organiser.disabled_at) throw new Error(`The account ${organiser.email} is disabled; an admin must enable it first`);
  const token = await ctx.db.transaction().execute(async (tx) => {
    await recordAudit(tx, { actor: 'cli', action: 'organiser.password.reset-link', subjectType: 'organiser', subjectId: organiser.id });
    return issueOrganiserToken(tx, organiser.id, 'password-reset', RESET_LINK_TTL_MS);
  });
  console.log(`One-time link for ${organiser.email} to set a password and sign in, valid 24 hours:\n  ${ctx.config.BASE_URL}/reset-password/${token}`);
}
