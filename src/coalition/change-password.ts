import { invalidField, recordAudit, type Viewer } from '../platform/index.ts';
import type { Db } from './tables.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { endAllSessions } from './sessions.ts';

export interface ChangeOwnPasswordProps {
  viewer: Viewer;
  /** Required when the account already has a password. */
  current: string | undefined;
  password: string;
  /** The session in use stays signed in; every other one ends. */
  keepSessionToken: string | undefined;
}

/**
 * Sets the signed-in organiser's password (their first, or a change that needs the current
 * one). Their other sessions end and unused reset links stop working. Returns whether this was
 * their first password.
 */
export async function changeOwnPassword(db: Db, props: ChangeOwnPasswordProps): Promise<{ first: boolean }> {
  const { viewer } = props;
  const row = await db.selectFrom('organisers').select('password_hash').where('id', '=', viewer.id).executeTakeFirstOrThrow();
  if (row.password_hash && !(await verifyPassword(row.password_hash, props.current ?? ''))) {
    throw invalidField('current', 'Your current password is not correct');
  }
  const hash = await hashPassword(props.password);
  await db.transaction().execute(async (tx) => {
    await tx.updateTable('organisers').set({ password_hash: hash }).where('id', '=', viewer.id).execute();
    await endAllSessions(tx, viewer.id, props.keepSessionToken);
    await tx.updateTable('organiser_tokens').set({ used_at: new Date() }).where('organiser_id', '=', viewer.id).where('used_at', 'is', null).execute();
    await recordAudit(tx, { actor: viewer, action: row.password_hash ? 'organiser.password.change' : 'organiser.password.choose', subjectType: 'organiser', subjectId: viewer.id });
  });
  return { first: !row.password_hash };
}
