import { createHash, randomBytes } from 'node:crypto';

/** A random token for a link, and the hash we store: a leaked database holds no usable links. */
export function newToken(): { token: string; id: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, id: tokenId(token) };
}

export function tokenId(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
