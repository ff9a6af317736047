// Cloudflare's global API rate limit (§9.2): per credential, `limit` requests per rolling window; the
// request that exceeds it and every request for the next `blockMs` answer 429. An optional `burst`
// policy counts the same requests over a shorter window; exceeding it refuses requests only until a
// burst slot frees. Rejected requests are free. Beside it, each client address may send `perSecond`
// requests in any rolling second (§9.2's per-IP limit), whatever the credential.

import type { RateLimitSettings } from "./settings";

/** One policy's state after a request, as the `Ratelimit` and `Ratelimit-Policy` items tell it. */
export interface PolicyState {
  name: string;
  /** Quota per window (`q`). */
  limit: number;
  /** Requests left in the window (`r`). */
  remaining: number;
  /** Seconds until a slot frees or the block ends (`t`). */
  resetSeconds: number;
  /** Window length in seconds (`w`). */
  windowSeconds: number;
}

/** The outcome of one request against the limiter, with everything the headers need. */
export interface RateLimitDecision extends PolicyState {
  allowed: boolean;
  /** Every policy, `default` first; the fields above repeat `default`'s. */
  policies: PolicyState[];
  /** Only when blocked: when the block ends (ms). */
  blockedUntil?: number;
}

interface Bucket {
  /** Times of accepted requests inside the longest window, oldest first. */
  accepted: number[];
  blockedUntil: number;
}

interface Policy {
  name: string;
  limit: number;
  windowMs: number;
}

/**
 * Counts each credential's requests against the `default` (and optional `burst`) policy.
 *
 * @example
 * const limiter = new RateLimiter(() => settings.rateLimit);
 * const decision = limiter.take(credential.bucket, Date.now()); // decision.allowed, decision.policies
 */
export class RateLimiter {
  private buckets = new Map<string, Bucket>();

  constructor(private readonly settings: () => RateLimitSettings) {}

  /** Accepted requests per client address within the last second, oldest first. */
  private addresses = new Map<string, number[]>();

  reset(): void {
    this.buckets.clear();
    this.addresses.clear();
  }

  /**
   * Counts one request from `address` at `now` against the per-IP limit; false when the last
   * second already holds `perSecond` of its requests (then it is not counted).
   *
   * @example
   * if (!limiter.takeFromAddress(req.socket.remoteAddress ?? "", Date.now())) reply429({ "Retry-After": "1" });
   */
  takeFromAddress(address: string, now: number): boolean {
    const { enabled, perSecond } = this.settings();
    if (!enabled || !perSecond) return true;
    const recent = this.addresses.get(address) ?? [];
    while (recent.length > 0 && recent[0] <= now - 1_000) recent.shift();
    this.addresses.set(address, recent);
    if (recent.length >= perSecond) return false;
    recent.push(now);
    return true;
  }

  /** Counts one request of `credentialKey` at `now` (unless it is rejected). */
  take(credentialKey: string, now: number): RateLimitDecision {
    const { enabled, limit, windowMs, blockMs, burst } = this.settings();
    const policies: Policy[] = [{ name: "default", limit, windowMs }, ...(burst ? [{ name: "burst", ...burst }] : [])];
    const longestMs = Math.max(...policies.map((policy) => policy.windowMs));
    let bucket = this.buckets.get(credentialKey);
    if (!bucket) this.buckets.set(credentialKey, (bucket = { accepted: [], blockedUntil: 0 }));
    while (bucket.accepted.length > 0 && bucket.accepted[0] <= now - longestMs) bucket.accepted.shift();
    const inWindow = (policy: Policy) => bucket.accepted.filter((at) => at > now - policy.windowMs);

    const state = (policy: Policy, until?: number): PolicyState => {
      const accepted = inWindow(policy);
      const freesAt = until ?? (accepted.length > 0 ? accepted[0] + policy.windowMs : now);
      return {
        name: policy.name,
        limit: policy.limit,
        remaining: until !== undefined ? 0 : Math.max(0, policy.limit - accepted.length),
        resetSeconds: Math.max(until !== undefined ? 1 : 0, Math.ceil((freesAt - now) / 1000)),
        windowSeconds: Math.ceil(policy.windowMs / 1000),
      };
    };
    const decide = (allowed: boolean, blockedBy?: Policy, until?: number): RateLimitDecision => {
      const states = policies.map((policy) => state(policy, policy === blockedBy ? until : undefined));
      return { ...states[0], allowed, policies: states, ...(until !== undefined ? { blockedUntil: until } : {}) };
    };

    if (enabled && now < bucket.blockedUntil) return decide(false, policies[0], bucket.blockedUntil);
    const full = enabled ? policies.find((policy) => inWindow(policy).length >= policy.limit) : undefined;
    if (full === policies[0]) {
      // The window is full: this request and the next `blockMs` are refused (§9.2 "blocked for the next five minutes").
      bucket.blockedUntil = now + Math.max(blockMs, 1);
      return decide(false, full, bucket.blockedUntil);
    }
    if (full) return decide(false, full, inWindow(full)[0] + full.windowMs);
    bucket.accepted.push(now);
    return decide(true);
  }
}

/**
 * The headers every /client/v4 response carries (§9.2): `Ratelimit` and `Ratelimit-Policy` with one item
 * per policy (none with `countHeaders` false), `Retry-After` on a 429, and with `legacyHeaders` also `X-RateLimit-*`.
 *
 * @example
 * rateLimitHeaders(limiter.take(bucket, now), false);
 * // { Ratelimit: '"default";r=59;t=20', "Ratelimit-Policy": '"default";q=60;w=20' }
 */
export function rateLimitHeaders(decision: RateLimitDecision, legacyHeaders = true, countHeaders = true): Record<string, string> {
  const headers: Record<string, string> = {};
  if (countHeaders) {
    headers.Ratelimit = decision.policies.map((p) => `"${p.name}";r=${p.remaining};t=${p.resetSeconds}`).join(", ");
    headers["Ratelimit-Policy"] = decision.policies.map((p) => `"${p.name}";q=${p.limit};w=${p.windowSeconds}`).join(", ");
  }
  if (legacyHeaders) {
    headers["X-RateLimit-Limit"] = String(decision.limit);
    headers["X-RateLimit-Remaining"] = String(decision.remaining);
  }
  if (!decision.allowed && decision.blockedUntil !== undefined) {
    headers["Retry-After"] = String(Math.max(...decision.policies.map((p) => (p.remaining === 0 ? p.resetSeconds : 0)), 1));
    if (legacyHeaders) headers["X-RateLimit-Reset"] = new Date(decision.blockedUntil).toUTCString();
  }
  return headers;
}
