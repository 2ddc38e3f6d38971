import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Links in emails that act for a person without a password: their preferences page and one-click
 * unsubscribe. Each token is an HMAC over what it grants, so nothing secret is stored and a token
 * cannot be changed to act for someone else.
 */
function sign(secret: string, message: string): string {
  return createHmac('sha256', secret).update(message).digest('base64url').slice(0, 32);
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The person's preferences page: every purpose, their consent, and a way to change it. */
export function preferencesToken(secret: string, personPublicId: string): string {
  return `${personPublicId}.${sign(secret, `preferences:${personPublicId}`)}`;
}

export function readPreferencesToken(secret: string, token: string): string | undefined {
  const [personPublicId, mac] = token.split('.');
  if (!personPublicId || !mac) return undefined;
  return same(mac, sign(secret, `preferences:${personPublicId}`)) ? personPublicId : undefined;
}

export interface UnsubscribeGrant {
  personPublicId: string;
  purposeId: number;
  /** The mailing the link came in, for its report (0 when not from a mailing). */
  mailingId: number;
}

/** One-click unsubscribe from one purpose (RFC 8058), optionally naming the mailing it came in. */
export function unsubscribeToken(secret: string, grant: UnsubscribeGrant): string {
  const body = `${grant.personPublicId}.${grant.purposeId}.${grant.mailingId}`;
  return `${body}.${sign(secret, `unsubscribe:${body}`)}`;
}

export function readUnsubscribeToken(secret: string, token: string): UnsubscribeGrant | undefined {
  const parts = token.split('.');
  if (parts.length !== 4) return undefined;
  const [personPublicId, purpose, mailing, mac] = parts as [string, string, string, string];
  if (!same(mac, sign(secret, `unsubscribe:${personPublicId}.${purpose}.${mailing}`))) return undefined;
  const purposeId = Number(purpose);
  const mailingId = Number(mailing);
  if (!Number.isSafeInteger(purposeId) || !Number.isSafeInteger(mailingId)) return undefined;
  return { personPublicId, purposeId, mailingId };
}

export function preferencesUrl(baseUrl: string, secret: string, personPublicId: string): string {
  return `${baseUrl}/preferences/${preferencesToken(secret, personPublicId)}`;
}

export function unsubscribeUrl(baseUrl: string, secret: string, grant: UnsubscribeGrant): string {
  return `${baseUrl}/unsubscribe/${unsubscribeToken(secret, grant)}`;
}

/**
 * RFC 8058 headers: mail clients show an unsubscribe button that POSTs
 * `List-Unsubscribe=One-Click` to the URL, with no page to visit.
 */
export function unsubscribeHeaders(baseUrl: string, secret: string, grant: UnsubscribeGrant): Record<string, string> {
  return {
    'List-Unsubscribe': `<${unsubscribeUrl(baseUrl, secret, grant)}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}

/** The link in a double opt-in email: confirms the consents asked for in one sign-up. */
export function signUpConfirmationToken(secret: string, personPublicId: string, signUpId: number): string {
  const body = `${personPublicId}.${signUpId}`;
  return `${body}.${sign(secret, `signup:${body}`)}`;
}

export function readSignUpConfirmationToken(secret: string, token: string): { personPublicId: string; signUpId: number } | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [personPublicId, id, mac] = parts as [string, string, string];
  if (!same(mac, sign(secret, `signup:${personPublicId}.${id}`))) return undefined;
  const signUpId = Number(id);
  if (!Number.isSafeInteger(signUpId)) return undefined;
  return { personPublicId, signUpId };
}

export function signUpConfirmationUrl(baseUrl: string, secret: string, personPublicId: string, signUpId: number): string {
  return `${baseUrl}/subscribe/confirm/${signUpConfirmationToken(secret, personPublicId, signUpId)}`;
}
