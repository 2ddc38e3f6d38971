import type { Generated } from 'kysely';
import { viewOf, type Handle, type Timestamp, type View, type ViewDb, type ViewTx } from '../platform/index.ts';
import type { AppContext as AnyAppContext } from '../context.ts';

export type Role = 'admin' | 'organiser' | 'moderator';

export interface GroupsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  description: Generated<string>;
  website: string | null;
  contact_email: string | null;
  logo_media_id: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface OrganisersTable {
  id: Generated<number>;
  /** Unguessable id for admin page addresses. */
  public_id: Generated<string>;
  email: string;
  name: string;
  role: Role;
  password_hash: string | null;
  disabled_at: Date | null;
  created_at: Generated<Date>;
  last_sign_in_at: Date | null;
}

export interface OrganiserGroupsTable {
  organiser_id: number;
  group_id: number;
}

export interface SessionsTable {
  id: string;
  organiser_id: number;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  expires_at: Timestamp;
}

export interface OrganiserTokensTable {
  id: string;
  organiser_id: number;
  purpose: 'sign-in' | 'password-reset';
  created_at: Generated<Date>;
  expires_at: Timestamp;
  used_at: Date | null;
}

export interface SignInFailuresTable {
  id: Generated<number>;
  email_key: string;
  ip: string;
  at: Generated<Date>;
}

/** Client addresses an organiser has signed in from (a new one needs a second factor under attack). */
export interface OrganiserSignInAddressesTable {
  organiser_id: number;
  ip: string;
  last_at: Generated<Date>;
}

export interface CoalitionTables {
  groups: GroupsTable;
  organisers: OrganisersTable;
  organiser_groups: OrganiserGroupsTable;
  sessions: SessionsTable;
  organiser_tokens: OrganiserTokensTable;
  sign_in_failures: SignInFailuresTable;
  organiser_sign_in_addresses: OrganiserSignInAddressesTable;
}

/** The coalition capability's view of the database: its own tables only (see platform/db/view.ts). */
export type CoalitionView = CoalitionTables;
export type Db = ViewDb<CoalitionView>;
export type Tx = ViewTx<CoalitionView>;
/** The database or an open transaction, as the coalition capability sees it. */
export type Q = View<CoalitionView>;
/** The app context as the coalition capability sees it: `db` shows its own tables only. */
export type AppContext = AnyAppContext<CoalitionView>;
/** A handle from another capability (or the platform), seen through this capability's view. */
export const coalitionQ = (q: Handle): Q => viewOf<CoalitionView>(q);
