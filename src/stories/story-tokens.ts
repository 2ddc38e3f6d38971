import { createHash, randomBytes } from 'node:crypto';

/** A link's token (only ever in an email) and the hash we keep of it. */
export function newToken(): { token: string; hash: string } {
  const token = randomBytes(24).toString('base64url');
  return { token, hash: hashToken(token) };
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** A token from a URL: the shape ours have, or nothing (never a lookup of arbitrary text). */
export const tokenShape = /^[A-Za-z0-9_-]{32}$/;

export const storyLinks = (base: string) => ({
  confirm: (token: string) => `${base}/stories/confirm/${token}`,
  guardian: (token: string) => `${base}/stories/guardian/${token}`,
  mine: (token: string) => `${base}/stories/mine/${token}`,
  withdraw: (token: string) => `${base}/stories/withdraw/${token}`,
  renew: (token: string) => `${base}/stories/renew/${token}`,
});
