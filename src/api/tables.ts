import type { ColumnType, Generated } from 'kysely';
import type { AppContext as AnyAppContext } from '../context.ts';
import { viewOf, type Handle, type View, type ViewDb, type ViewTx } from '../platform/index.ts';

type Maybe<T> = ColumnType<T | null, T | null | undefined, T | null>;

/** What an API key may do: read everything in its scope, or read and write. */
export type TokenScope = 'read' | 'write';
export type WebhookEvent = 'signature' | 'signup';
/** A delivery's lifecycle: waiting for its (next) attempt, accepted by the receiver, or given up. */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed';
export type DeliveryKind = WebhookEvent | 'test';

export interface ApiTokensTable {
  id: Generated<number>;
  public_id: Generated<string>;
  /** The group whose data the key sees; null for a coalition key (admins only). */
  group_id: Maybe<number>;
  name: string;
  scope: TokenScope;
  /**
   * Trusted by an admin to have confirmed its signers' email addresses itself (write keys only):
   * the signatures it records are stored confirmed, with no confirmation email.
   */
  confirms_signatures: Generated<boolean>;
  /** The first characters of the key, so people can tell keys apart; the key itself is never stored. */
  token_prefix: string;
  /** SHA-256 of the key (keys are 256 random bits, so a fast hash is enough). */
  token_hash: string;
  requests_per_second: Generated<number>;
  window_started_at: Maybe<Date>;
  window_requests: Generated<number>;
  created_by: Maybe<number>;
  created_at: Generated<Date>;
  last_used_at: Maybe<Date>;
  revoked_at: Maybe<Date>;
  revoked_by: Maybe<number>;
}

export interface WebhooksTable {
  id: Generated<number>;
  public_id: Generated<string>;
  group_id: Maybe<number>;
  url: string;
  events: ColumnType<WebhookEvent[], WebhookEvent[], WebhookEvent[]>;
  /** Signs every delivery (HMAC-SHA256); shown once when made. */
  secret: string;
  created_by: Maybe<number>;
  created_at: Generated<Date>;
  /** Confirmed signatures are sent from here (minus a margin for late commits). */
  signatures_seen_until: Date;
  /** Consent events with ids above this floor are looked at; the floor trails the newest id by a grace period. */
  signups_floor_id: number;
  signups_next_floor_id: number;
  signups_floor_moved_at: Date;
  /** Set when the organiser who made it lost access to its group: it sends nothing more. */
  revoked_at: Maybe<Date>;
  revoked_by: Maybe<number>;
}

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  public_id: Generated<string>;
  webhook_id: number;
  kind: DeliveryKind;
  /** The exact bytes sent (and signed). */
  body: string;
  event_count: number;
  status: ColumnType<DeliveryStatus, DeliveryStatus | undefined, DeliveryStatus>;
  attempts: Generated<number>;
  last_status_code: Maybe<number>;
  last_error: Maybe<string>;
  last_response_ms: Maybe<number>;
  next_attempt_at: Maybe<Date>;
  created_at: Generated<Date>;
  delivered_at: Maybe<Date>;
  failed_at: Maybe<Date>;
}

export interface WebhookAttemptsTable {
  id: Generated<number>;
  delivery_id: number;
  attempt: number;
  at: Generated<Date>;
  status_code: Maybe<number>;
  error: Maybe<string>;
  response_ms: Maybe<number>;
}

/** Which events a webhook has already been sent: nothing goes twice, whatever the sweep re-reads. */
export interface WebhookDeliveryItemsTable {
  webhook_id: number;
  kind: WebhookEvent;
  subject_key: string;
  delivery_id: number;
  /** Whose data the delivery carries, so an erasure can find it. */
  canonical_email: Maybe<string>;
}

/** Tables owned by the API capability. */
export interface ApiTables {
  api_tokens: ApiTokensTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  webhook_delivery_items: WebhookDeliveryItemsTable;
}

/** The api capability's view of the database: its own tables only (see platform/db/view.ts). */
export type ApiView = ApiTables;
export type Db = ViewDb<ApiView>;
export type Tx = ViewTx<ApiView>;
/** The database or an open transaction, as the api capability sees it. */
export type Q = View<ApiView>;
/** The app context as the api capability sees it: `db` shows its own tables only. */
export type AppContext = AnyAppContext<ApiView>;
/** A handle from another capability (or the platform), seen through this capability's view. */
export const apiQ = (q: Handle): Q => viewOf<ApiView>(q);
