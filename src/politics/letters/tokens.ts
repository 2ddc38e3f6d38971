import { createHmac, timingSafeEqual } from 'node:crypto';
import { notFound } from '../../platform/index.ts';

/** What a writer's link lets them do: see and rewrite their letter, confirm their email, answer the questionnaire. */
export type LinkPurpose = 'letter' | 'confirm' | 'questionnaire';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function letterToken(secret: string, purpose: LinkPurpose, publicId: string): string {
  return createHmac('sha256', secret).update(`letter-${purpose}:${publicId}`).digest('base64url').slice(0, 32);
}

/** 404 unless the link is whole and signed for this purpose (no sign-in: the link is the key). */
export function checkLetterLink(secret: string, purpose: LinkPurpose, publicId: string, token: string): void {
  const ok = UUID.test(publicId) && (() => {
    const expected = Buffer.from(letterToken(secret, purpose, publicId));
    const given = Buffer.from(token);
    return expected.length === given.length && timingSafeEqual(expected, given);
  })();
  if (!ok) throw notFound('letter (the link may be incomplete: try copying the whole link from the email)');
}

export const letterPath = (secret: string, publicId: string) => `/letters/mine/${publicId}/${letterToken(secret, 'letter', publicId)}`;
export const confirmPath = (secret: string, publicId: string) => `/letters/confirm/${publicId}/${letterToken(secret, 'confirm', publicId)}`;
export const questionnairePath = (secret: string, publicId: string) => `/letters/questionnaire/${publicId}/${letterToken(secret, 'questionnaire', publicId)}`;
