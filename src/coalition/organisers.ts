import { sql, type Selectable } from 'kysely';
import { DomainError, gone, invalidField, isUniqueViolation, recordAudit, type Viewer } from '../platform/index.ts';
import type { OrganisersTable, Q, Role } from './tables.ts';
import { hashPassword } from './passwords.ts';
import { newToken, tokenId } from './tokens.ts';

export interface Organiser {
  id: number;
  /** Unguessable id for page addresses. */
  publicId: string;
  email: string;
  name: string;
  role: Role;
  hasPassword: boolean;
  disabled: boolean;
  lastSignInAt: Date | null;
  groupIds: number[];
}

export const roles: Role[] = ['admin', 'organiser', 'moderator'];

export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

export async function findOrganiserByEmail(q: Q, email: string) {
  return q
    .selectFrom('organisers')
    .selectAll()
    .where(sql<string>`lower(email)`, '=', emailKey(email))
    .executeTakeFirst();
}

type OrganiserRow = Selectable<OrganisersTable>;

function toOrganiser(row: OrganiserRow, groupIds: number[]): Organiser {
  return {
    id: row.id,
    publicId: row.public_id,
    email: row.email,
    name: row.name,
    role: row.role,
    hasPassword: row.password_hash !== null,
    disabled: row.disabled_at !== null,
    lastSignInAt: row.last_sign_in_at,
    groupIds,
  };
}

async function withGroups(q: Q, rows: OrganiserRow[]): Promise<Organiser[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const memberships = await q.selectFrom('organiser_groups').selectAll().where('organiser_id', 'in', ids).execute();
  return rows.map((row) => toOrganiser(row, memberships.filter((m) => m.organiser_id === row.id).map((m) => m.group_id)));
}

export async function getOrganiser(q: Q, id: number): Promise<Organiser | undefined> {
  const row = await q.selectFrom('organisers').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? (await withGroups(q, [row]))[0] : undefined;
}

/** An organiser by the unguessable id used in admin page addresses. */
export async function findOrganiserByPublicId(q: Q, publicId: string): Promise<Organiser | undefined> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(publicId)) return undefined;
  const row = await q.selectFrom('organisers').selectAll().where('public_id', '=', publicId).executeTakeFirst();
  return row ? (await withGroups(q, [row]))[0] : undefined;
}

export async function listOrganisers(q: Q): Promise<Organiser[]> {
  return withGroups(q, await q.selectFrom('organisers').selectAll().orderBy('name').execute());
}

/** One page of organiser accounts by name, with the total. */
export async function listOrganiserPage(q: Q, page: number, perPage: number): Promise<{ organisers: Organiser[]; total: number }> {
  const [count, rows] = await Promise.all([
    q.selectFrom('organisers').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    q
      .selectFrom('organisers')
      .selectAll()
      .orderBy('name')
      .orderBy('id')
      .limit(perPage)
      .offset((page - 1) * perPage)
      .execute(),
  ]);
  return { organisers: await withGroups(q, rows), total: Number(count.n) };
}

export interface CreateOrganiserProps {
  email: string;
  name: string;
  role: Role;
  groupIds?: number[];
  password?: string;
  /** Who is adding the account, for the audit log. */
  actor: Viewer | string;
}

const EMAIL_TAKEN = 'An organiser with this email address already exists';

/** Adds an organiser account; throws `invalid` on the email field if the address is taken. */
export async function createOrganiser(q: Q, props: CreateOrganiserProps): Promise<number> {
  const existing = await findOrganiserByEmail(q, props.email);
  if (existing) throw invalidField('email', EMAIL_TAKEN);
  const row = await q
    .insertInto('organisers')
    .values({
      email: props.email.trim(),
      name: props.name.trim(),
      role: props.role,
      password_hash: props.password ? await hashPassword(props.password) : null,
      disabled_at: null,
      last_sign_in_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
    .catch((error: unknown) => {
      // Two admins adding the same address at once: the unique index decides, and says so plainly.
      if (isUniqueViolation(error)) throw invalidField('email', EMAIL_TAKEN);
      throw error;
    });
  const groupIds = props.role === 'organiser' ? (props.groupIds ?? []) : [];
  if (groupIds.length > 0) {
    await q
      .insertInto('organiser_groups')
      .values(groupIds.map((group_id) => ({ organiser_id: row.id, group_id })))
      .execute();
  }
  await recordAudit(q, {
    actor: props.actor,
    action: 'organiser.create',
    subjectType: 'organiser',
    subjectId: row.id,
    after: { email: props.email.trim(), name: props.name.trim(), role: props.role, groupIds },
  });
  return row.id;
}

export async function setOrganiserPassword(q: Q, organiserId: number, password: string): Promise<void> {
  await q.updateTable('organisers').set({ password_hash: await hashPassword(password) }).where('id', '=', organiserId).execute();
}

/** A single-use link token: 'sign-in' links (first sign-in, CLI) and 'password-reset' links. */
export async function issueOrganiserToken(
  q: Q,
  organiserId: number,
  purpose: 'sign-in' | 'password-reset',
  ttlMs: number,
): Promise<string> {
  const { token, id } = newToken();
  await q
    .insertInto('organiser_tokens')
    .values({ id, organiser_id: organiserId, purpose, expires_at: new Date(Date.now() + ttlMs), used_at: null })
    .execute();
  return token;
}

/** Checks a link token without using it up (the page that shows the form). */
export async function peekOrganiserToken(q: Q, token: string, purpose: 'sign-in' | 'password-reset') {
  const row = await q
    .selectFrom('organiser_tokens')
    .innerJoin('organisers', 'organisers.id', 'organiser_tokens.organiser_id')
    .select(['organiser_tokens.organiser_id', 'organiser_tokens.expires_at', 'organiser_tokens.used_at', 'organisers.disabled_at', 'organisers.email'])
    .where('organiser_tokens.id', '=', tokenId(token))
    .where('organiser_tokens.purpose', '=', purpose)
    .executeTakeFirst();
  if (!row || row.disabled_at) throw new DomainError('not_found', 'This link is not valid. Ask for a new one.');
  if (row.used_at) throw gone('This link has already been used. Ask for a new one.');
  if (row.expires_at.getTime() < Date.now()) throw gone('This link has expired. Ask for a new one.');
  return { organiserId: row.organiser_id, email: row.email };
}

/** Uses up a link token; a second use fails even when two requests race. */
export async function consumeOrganiserToken(q: Q, token: string, purpose: 'sign-in' | 'password-reset'): Promise<number> {
  const { organiserId } = await peekOrganiserToken(q, token, purpose);
  const used = await q
    .updateTable('organiser_tokens')
    .set({ used_at: new Date() })
    .where('id', '=', tokenId(token))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (Number(used.numUpdatedRows) !== 1) throw gone('This link has already been used. Ask for a new one.');
  return organiserId;
}

export async function deleteOldSignInFailures(q: Q): Promise<void> {
  await q.deleteFrom('sign_in_failures').where('at', '<', sql<Date>`now() - interval '1 day'`).execute();
}
