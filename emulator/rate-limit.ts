// Cloudflare's global API rate limit (§9.2): per credential, `limit` requests per rolling window; the
// request that exceeds it and every request for the next `blockMs` answer 429. Rejected requests are free.

import type { RateLimitSettings } from "./settings";

/** The outcome of one request against the limiter, with everything the headers need. */
export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until a slot frees (or the block ends). */
  resetSeconds: number;
  windowSeconds: number;
  /** Only when blocked: when the block ends (ms). */
  blockedUntil?: number;
}

interface Bucket {
  /** Times of accepted requests inside the window, oldest first. */
  accepted: number[];
  blockedUntil: number;
}

export class RateLimiter {
  private buckets = new Map<string, Bucket>();

  constructor(private readonly settings: () => RateLimitSettings) {}

  reset(): void {
    this.buckets.clear();
  }

  /** Counts one request of `credentialKey` at `now` (unless it is rejected). */
  take(credentialKey: string, now: number): RateLimitDecision {
    const { enabled, limit, windowMs, blockMs } = this.settings();
    const windowSeconds = Math.ceil(windowMs / 1000);
    let bucket = this.buckets.get(credentialKey);
    if (!bucket) this.buckets.set(credentialKey, (bucket = { accepted: [], blockedUntil: 0 }));
    while (bucket.accepted.length > 0 && bucket.accepted[0] <= now - windowMs) bucket.accepted.shift();

    const blocked = (until: number): RateLimitDecision => ({
      allowed: false,
      limit,
      remaining: 0,
      resetSeconds: Math.max(1, Math.ceil((until - now) / 1000)),
      windowSeconds,
      blockedUntil: until,
    });
    if (enabled && now < bucket.blockedUntil) return blocked(bucket.blockedUntil);
    if (enabled && bucket.accepted.length >= limit) {
      // The window is full: this request and the next `blockMs` are refused (§9.2 "blocked for the next five minutes").
      bucket.blockedUntil = now + Math.max(blockMs, 1);
      return blocked(bucket.blockedUntil);
    }
    bucket.accepted.push(now);
    const oldest = bucket.accepted[0];
    return {
      allowed: true,
      limit,
      remaining: Math.max(0, limit - bucket.accepted.length),
      resetSeconds: Math.max(0, Math.ceil((oldest + windowMs - now) / 1000)),
      windowSeconds,
    };
  }
}

/** The headers every /client/v4 response carries (§9.2), plus `Retry-After` / `X-RateLimit-Reset` on 429. */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  const headers: Record<string, string> = {
    "X-RateLimit-Limit": String(decision.limit),
    "X-RateLimit-Remaining": String(decision.remaining),
    Ratelimit: `"default";r=${decision.remaining};t=${decision.resetSeconds}`,
    "Ratelimit-Policy": `"default";q=${decision.limit};w=${decision.windowSeconds}`,
  };
  if (!decision.allowed && decision.blockedUntil !== undefined) {
    headers["Retry-After"] = String(decision.resetSeconds);
    headers["X-RateLimit-Reset"] = new Date(decision.blockedUntil).toUTCString();
  }
  return headers;
}
