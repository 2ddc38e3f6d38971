import type { ColumnType, Generated } from 'kysely';

export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type Json<T = unknown> = ColumnType<T, string | T, string | T>;

export interface SettingsTable {
  key: string;
  value: Json;
  updated_at: Timestamp;
}

export interface MediaTable {
  id: Generated<string>;
  content_type: string;
  bytes: Buffer;
  sha256: string;
  byte_size: number;
  created_at: Generated<Date>;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Generated<Date>;
  actor_id: number | null;
  actor_label: string;
  action: string;
  subject_type: string;
  subject_id: string | null;
  before: Json | null;
  after: Json | null;
}

export interface OutboundEmailsTable {
  id: Generated<number>;
  kind: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  headers: Json<Record<string, string>>;
  status: ColumnType<'queued' | 'sent' | 'kept' | 'failed', 'queued' | 'sent' | 'kept' | 'failed' | undefined>;
  attempts: Generated<number>;
  last_error: string | null;
  message_id: string | null;
  created_at: Generated<Date>;
  sent_at: Date | null;
  /** The secrets (link tokens) cut out of the bodies, until the message is sent; null after. */
  secrets: ColumnType<string[] | null, string | null | undefined, string | null>;
  /** When the message is deleted (once no longer waiting to be sent); null: kept by other rules. */
  delete_after: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** Files sent with the message (a calendar entry), as text; null: none. */
  attachments: ColumnType<MailAttachment[] | null, string | null | undefined, string | null>;
  /** A name shown in From with MAIL_FROM's address (a writer's letter to their MP); null: MAIL_FROM as it is. */
  from_name: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A file sent with a message: text content (a calendar entry), sent base64-encoded. */
export interface MailAttachment {
  filename: string;
  /** With its parameters, e.g. 'text/calendar; method=PUBLISH'. */
  contentType: string;
  content: string;
}

/** One fixed window of one rate limit (`rate-limit.ts`); the key is hashed, so no addresses are kept. */
export interface RateLimitsTable {
  key_hash: string;
  window_ends_at: Date;
  hits: number;
}

export interface PlatformTables {
  settings: SettingsTable;
  media: MediaTable;
  audit_log: AuditLogTable;
  outbound_emails: OutboundEmailsTable;
  rate_limits: RateLimitsTable;
}

/**
 * The platform's tables. Capabilities reach them only through the platform's functions (settings,
 * media, audit, the mail outbox, rate limits); outbound mail to a supporter is erased with them by the
 * supporters capability's provider, through the outbox's erasure function.
 */
export const platformTables = ['settings', 'media', 'audit_log', 'outbound_emails', 'rate_limits'] as const satisfies ReadonlyArray<keyof PlatformTables>;
