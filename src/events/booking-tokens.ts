import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A booking reference people can read out on the door: "EV-7K3QXP2M" (no I, L, O or U). */
export function newReference(): string {
  const bytes = randomBytes(8);
  return `EV-${[...bytes].map((b) => ALPHABET[b & 31]).join('')}`;
}

/** The manage link's token (only in the booker's email) and the hash we keep of it. */
export function newManageToken(): { token: string; hash: string } {
  const token = randomBytes(24).toString('base64url');
  return { token, hash: hashToken(token) };
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export const manageUrl = (baseUrl: string, token: string) => `${baseUrl}/bookings/${token}`;
