/**
 * Per-IP, per-petition limits (the UK Parliament site's defaults: a burst of 1 a minute, 5 per
 * 5 minutes). Signatures over the limit are kept but held as suspect: not counted until a
 * moderator decides. They are never refused outright, because a shared address (a library, a
 * hospital ward, a mobile network) can be honest.
 */
export interface RateLimits {
  burst: number;
  burstSeconds: number;
  sustained: number;
  sustainedSeconds: number;
}

export const defaultRateLimits: RateLimits = { burst: 1, burstSeconds: 60, sustained: 5, sustainedSeconds: 300 };

export interface RecentFromAddress {
  /** Signatures already made from this address on this petition within the burst period. */
  inBurst: number;
  /** ... and within the sustained period. */
  inSustained: number;
}

/** True when one more signature from this address would exceed either limit. */
export function overRateLimit(recent: RecentFromAddress, limits: RateLimits): boolean {
  return recent.inBurst + 1 > limits.burst || recent.inSustained + 1 > limits.sustained;
}
