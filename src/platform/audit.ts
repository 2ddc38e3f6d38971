import type { Handle as Q } from './db/view.ts';
import type { Viewer } from './web/context.ts';

export interface AuditEntry {
  /** Who did it: the signed-in organiser, or a label such as 'cli' or 'system'. */
  actor: Viewer | string;
  /** A dotted verb, e.g. 'group.update', 'organiser.role.change'. */
  action: string;
  subjectType: string;
  subjectId: string | number | null;
  /** Plain values for people to read; secret-looking keys are removed before storing. */
  before?: unknown;
  after?: unknown;
}

/**
 * Keys whose values must never reach the audit log, whatever a caller passes: passwords and
 * their hashes, link and session tokens, secrets. Matched without case, dashes or underscores.
 */
const secretKey = /password|passwd|token|secret|hash$|^hash|apikey|csrf/;

export function isSecretKey(key: string): boolean {
  return secretKey.test(key.toLowerCase().replace(/[-_\s]/g, ''));
}

/** A copy of a value with every secret-looking key removed, at any depth. */
export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      if (!isSecretKey(key) && inner !== undefined) copy[key] = withoutSecrets(inner);
    }
    return copy;
  }
  return value;
}

/** Writes one audit record; call it in the same transaction as the change it describes. */
export async function recordAudit(q: Q, entry: AuditEntry): Promise<void> {
  const actor = typeof entry.actor === 'string' ? { id: null, label: entry.actor } : { id: entry.actor.id, label: `${entry.actor.name} <${entry.actor.email}>` };
  await q
    .insertInto('audit_log')
    .values({
      actor_id: actor.id,
      actor_label: actor.label,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId === null ? null : String(entry.subjectId),
      before: entry.before === undefined ? null : JSON.stringify(withoutSecrets(entry.before)),
      after: entry.after === undefined ? null : JSON.stringify(withoutSecrets(entry.after)),
    })
    .execute();
}

export interface AuditChange {
  field: string;
  before: unknown;
  after: unknown;
  changed: boolean;
}

/**
 * Field-by-field view of a before/after pair, for people to read. Objects are compared by key;
 * any other value is shown as a single "value" row.
 */
export function auditChanges(before: unknown, after: unknown): AuditChange[] {
  const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  if (!isRecord(before) && !isRecord(after)) {
    if (before == null && after == null) return [];
    return [{ field: 'value', before, after, changed: JSON.stringify(before) !== JSON.stringify(after) }];
  }
  const b = isRecord(before) ? before : {};
  const a = isRecord(after) ? after : {};
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return fields
    .filter((field) => !isSecretKey(field))
    .map((field) => ({
      field,
      before: b[field],
      after: a[field],
      changed: before != null && after != null && JSON.stringify(b[field] ?? null) !== JSON.stringify(a[field] ?? null),
    }));
}

export interface AuditFilter {
  action?: string | undefined;
  subjectType?: string | undefined;
  actor?: string | undefined;
}

export interface AuditRecord {
  id: number;
  at: Date;
  actorId: number | null;
  actorLabel: string;
  action: string;
  subjectType: string;
  subjectId: string | null;
  before: unknown;
  after: unknown;
}

/** One page of the audit log, newest first, with the total matching the filter. */
export async function listAuditEntries(q: Q, filter: AuditFilter, page: number, perPage: number): Promise<{ entries: AuditRecord[]; total: number }> {
  let query = q.selectFrom('audit_log');
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.subjectType) query = query.where('subject_type', '=', filter.subjectType);
  if (filter.actor) query = query.where('actor_label', '=', filter.actor);
  const [count, rows] = await Promise.all([
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    query
      .selectAll()
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(perPage)
      .offset((page - 1) * perPage)
      .execute(),
  ]);
  return {
    total: Number(count.n),
    entries: rows.map((row) => ({
      id: Number(row.id),
      at: row.at,
      actorId: row.actor_id,
      actorLabel: row.actor_label,
      action: row.action,
      subjectType: row.subject_type,
      subjectId: row.subject_id,
      before: row.before,
      after: row.after,
    })),
  };
}

/** The actions, subject types and actors that occur in the log, for filter choices. */
export async function auditFilterChoices(q: Q): Promise<{ actions: string[]; subjectTypes: string[]; actors: string[] }> {
  const [actions, subjectTypes, actors] = await Promise.all([
    q.selectFrom('audit_log').select('action').distinct().orderBy('action').limit(500).execute(),
    q.selectFrom('audit_log').select('subject_type').distinct().orderBy('subject_type').limit(500).execute(),
    q.selectFrom('audit_log').select('actor_label').distinct().orderBy('actor_label').limit(500).execute(),
  ]);
  return {
    actions: actions.map((r) => r.action),
    subjectTypes: subjectTypes.map((r) => r.subject_type),
    actors: actors.map((r) => r.actor_label),
  };
}
