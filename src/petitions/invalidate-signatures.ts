import { isIP } from 'node:net';
import { sql, type RawBuilder } from 'kysely';
import { z } from 'zod';
import { recordAudit, type Viewer } from '../platform/index.ts';
import type { Db, Q } from './tables.ts';
import { canonicalEmail } from './canonical-email.ts';
import { reconcileCounts, underCounterLock } from './count-signatures.ts';
import { countedSignature } from './states.ts';

/** Which signatures to invalidate: one address, everyone at a domain, one IP address, or a range. */
export type InvalidationCriterion =
  | { kind: 'email'; value: string }
  | { kind: 'domain'; value: string }
  | { kind: 'ip'; value: string }
  | { kind: 'range'; value: string };

export type InvalidationKind = InvalidationCriterion['kind'];

export const invalidationKinds: Record<InvalidationKind, { label: string; hint: string }> = {
  email: { label: 'Email address', hint: 'One person, like name@example.com (Gmail dots and +tags are ignored)' },
  domain: { label: 'Email domain', hint: 'Everyone whose address ends with it, like example.com' },
  ip: { label: 'IP address', hint: 'Like 203.0.113.7 or 2001:db8::1' },
  range: { label: 'IP address range', hint: 'In CIDR form, like 203.0.113.0/24 (IPv4 /8 or narrower, IPv6 /16 or narrower)' },
};

/** The domain of a signer's address; `coalesce` keeps erased rows (email removed) matchable by their canonical form. */
export const emailDomain = sql<string>`lower(split_part(coalesce(email, canonical_email), '@', 2))`;

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

/** Why a value cannot be used for this kind of match, or undefined when it can. */
function valueProblem(kind: InvalidationKind, value: string): string | undefined {
  switch (kind) {
    case 'email':
      return EMAIL.test(value) ? undefined : 'Enter an email address in the correct format, like name@example.com';
    case 'domain':
      return DOMAIN.test(value) ? undefined : 'Enter an email domain, like example.com';
    case 'ip':
      return isIP(value) ? undefined : 'Enter an IP address, like 203.0.113.7';
    case 'range': {
      const [address = '', prefix = '', ...rest] = value.split('/');
      const version = isIP(address);
      const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
      if (rest.length > 0 || version === 0 || Number.isNaN(bits)) return 'Enter an IP address range in CIDR form, like 203.0.113.0/24';
      if (version === 4 && (bits < 8 || bits > 32)) return 'An IPv4 range must be between /8 and /32';
      if (version === 6 && (bits < 16 || bits > 128)) return 'An IPv6 range must be between /16 and /128';
      return undefined;
    }
  }
}

function normalise(kind: InvalidationKind, value: string): string {
  const trimmed = value.trim();
  if (kind === 'email') return canonicalEmail(trimmed);
  if (kind === 'domain') return trimmed.toLowerCase().replace(/^@/, '').replace(/\.$/, '');
  return trimmed.toLowerCase();
}

export const invalidationFormSchema = z
  .object({
    kind: z.enum(['email', 'domain', 'ip', 'range'], { message: 'Choose what to match' }),
    value: z.string({ message: 'Enter what to match' }).trim().min(1, { message: 'Enter what to match' }).max(320, { message: 'That is too long to be an address' }),
    reason: z
      .string({ message: 'Enter a reason' })
      .trim()
      .min(1, { message: 'Enter a reason' })
      .max(500, { message: 'The reason must be 500 characters or fewer' }),
  })
  .transform((v, ctx) => {
    const value = normalise(v.kind, v.value);
    const problem = valueProblem(v.kind, value);
    if (problem) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: problem });
      return z.NEVER;
    }
    return { criterion: { kind: v.kind, value } as InvalidationCriterion, reason: v.reason };
  });

function matches(criterion: InvalidationCriterion): RawBuilder<boolean> {
  switch (criterion.kind) {
    case 'email':
      return sql<boolean>`canonical_email = ${criterion.value}`;
    case 'domain':
      return sql<boolean>`${emailDomain} = ${criterion.value}`;
    case 'ip':
      return sql<boolean>`ip = ${criterion.value}::inet`;
    case 'range':
      return sql<boolean>`ip <<= ${criterion.value}::inet`;
  }
}

export interface InvalidationPreview {
  /** Signatures that would be invalidated (confirmed, unconfirmed and held). */
  total: number;
  /** Of those, counted in the totals now. */
  counted: number;
  held: number;
}

/** How many signatures an invalidation would take, shown before anyone confirms it. */
export async function previewInvalidation(q: Q, petitionId: number, criterion: InvalidationCriterion): Promise<InvalidationPreview> {
  const result = await sql<InvalidationPreview>`
    select count(*)::int as total,
      count(*) filter (where ${countedSignature()})::int as counted,
      count(*) filter (where held_reason is not null)::int as held
    from signatures
    where petition_id = ${petitionId} and state <> 'invalidated' and ${matches(criterion)}`.execute(q);
  return result.rows[0] ?? { total: 0, counted: 0, held: 0 };
}

export interface InvalidateSignaturesProps {
  actor: Viewer;
  petitionId: number;
  criterion: InvalidationCriterion;
  reason: string;
}

/**
 * Invalidates matching signatures (unconfirmed ones too, so they cannot be confirmed later) and
 * recounts the petition under the counter lock, so its total and its constituency, country and
 * region tallies equal the remaining confirmed rows exactly. Access is checked by the caller.
 */
export async function invalidateSignatures(db: Db, props: InvalidateSignaturesProps): Promise<{ invalidated: number; signatureCount: number }> {
  return underCounterLock(db, async (tx) => {
    const before = await tx.selectFrom('petitions').select('signature_count').where('id', '=', props.petitionId).executeTakeFirstOrThrow();
    const updated = await sql`
      update signatures set state = 'invalidated', invalidated_at = now(), invalidation_reason = ${props.reason}, confirmation_due_at = null
      where petition_id = ${props.petitionId} and state <> 'invalidated' and ${matches(props.criterion)}`.execute(tx);
    const invalidated = Number(updated.numAffectedRows ?? 0);
    const signatureCount = await reconcileCounts(tx, props.petitionId);
    await recordAudit(tx, {
      actor: props.actor,
      action: 'petition.signatures.invalidate',
      subjectType: 'petition',
      subjectId: props.petitionId,
      before: { signatureCount: before.signature_count },
      after: { match: props.criterion, reason: props.reason, invalidated, signatureCount },
    });
    return { invalidated, signatureCount };
  });
}
