import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How receivers know a delivery came from us and is fresh. Each request carries
 *
 *   X-Chorus-Timestamp: <unix seconds when this attempt was sent>
 *   X-Chorus-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" with the webhook's secret>
 *
 * A receiver recomputes the HMAC over the timestamp header, a dot and the raw body bytes exactly
 * as received, compares in constant time, and refuses timestamps more than five minutes away
 * from its own clock, so a captured request cannot be replayed later.
 */
export const TIMESTAMP_HEADER = 'x-chorus-timestamp';
export const SIGNATURE_HEADER = 'x-chorus-signature';
export const REPLAY_TOLERANCE_SECONDS = 300;

export function signDelivery(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does (and what our docs show): true when the signature matches and is recent. */
export function verifyDelivery(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  rawBody: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): boolean {
  if (!headers.timestamp || !headers.signature || !/^[0-9]{1,12}$/.test(headers.timestamp)) return false;
  const timestamp = Number(headers.timestamp);
  if (Math.abs(nowSeconds - timestamp) > REPLAY_TOLERANCE_SECONDS) return false;
  const expected = Buffer.from(signDelivery(secret, timestamp, rawBody));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
