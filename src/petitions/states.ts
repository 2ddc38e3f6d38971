import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { closingDateNotPassed, hasPassed } from './closing-date.ts';
import type { PetitionState } from './tables.ts';

/** Named state sets, used by every query and guard (as e-petitions does). */
export const SIGNABLE_STATES: readonly PetitionState[] = ['open'];
/** Shown to the public, with a page and JSON. Rejected ones show their reason. */
export const VISIBLE_STATES: readonly PetitionState[] = ['open', 'closed', 'rejected'];
/** Listed and counted publicly. */
export const PUBLISHED_STATES: readonly PetitionState[] = ['open', 'closed'];
export const MODERATABLE_STATES: readonly PetitionState[] = ['awaiting_moderation'];
/** Organisers may still change the wording. */
export const EDITABLE_STATES: readonly PetitionState[] = ['draft', 'awaiting_moderation'];
/** An admin may reopen these. */
export const REOPENABLE_STATES: readonly PetitionState[] = ['closed', 'rejected', 'hidden'];

export const stateLabels: Record<PetitionState, string> = {
  draft: 'Draft',
  awaiting_moderation: 'Awaiting moderation',
  open: 'Open',
  closed: 'Closed',
  rejected: 'Rejected',
  hidden: 'Hidden',
};

const columnOf = (table: string | undefined, column: string) => sql.ref(table ? `${table}.${column}` : column);
const signableStates = sql.join(SIGNABLE_STATES.map((s) => sql.lit(s)));

/** A petition can be signed while it is open and its closing date (if any) has not passed. */
export function isSignable(petition: { state: PetitionState; closingDate: string | null }, now: Date = new Date()): boolean {
  return SIGNABLE_STATES.includes(petition.state) && !(petition.closingDate !== null && hasPassed(petition.closingDate, now));
}

/** SQL form of isSignable, over `petitions` (or the petitions row named `table`). */
export function signablePetition(table?: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${columnOf(table, 'state')} in (${signableStates}) and ${closingDateNotPassed(table)})`;
}

/**
 * A signature counts (in totals, tallies, lists and exports) once its signer has confirmed it
 * and it is not held as suspect. SQL over `signatures` (or the signatures row named `table`).
 */
export function countedSignature(table?: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${columnOf(table, 'state')} = 'validated' and ${columnOf(table, 'held_reason')} is null)`;
}

/** Reasons a petition can be rejected, shown publicly with the details. */
export const rejectionReasons = {
  duplicate: 'There’s already a petition about this issue.',
  irrelevant: 'It’s not about something the coalition or its groups campaign on.',
  'no-action': 'It did not ask for a clear action.',
  'fake-name': 'It was not made by a real organiser or group.',
  offensive: 'It included offensive, false or defamatory content.',
  'confidential': 'It included confidential or personal information.',
  'foi': 'It asked for something better handled as a Freedom of Information request.',
} as const;

export type RejectionCode = keyof typeof rejectionReasons;
