// Every tunable of the API client in one typed literal (octokit style), with the reason for each value.
import { VERSION } from "../version";

/** All client settings. Pass a {@link DeepPartial} of this to override some of them. */
export interface ClientDefaults {
  /** API root, without a trailing slash. */
  baseUrl: string;
  /** Wall-clock limit for one HTTP attempt (connect, headers and body). Timed-out attempts are retried. */
  perAttemptTimeoutMs: number;
  /** Retries after the first attempt; so at most `maxRetries + 1` attempts per request. */
  maxRetries: number;
  /** Exponential backoff: `min(baseMs × factor^n, maxMs)`, then `jitter` subtracts up to that fraction at random. */
  backoff: {
    baseMs: number;
    factor: number;
    maxMs: number;
    /** Fraction (0–1) of the delay removed at random: `delay × (1 − random × jitter)`. 0 disables jitter. */
    jitter: number;
  };
  /**
   * Longest server-directed wait (Retry-After / retry-after-ms) the client sits through.
   * A longer one fails fast with a `RateLimitError` carrying `retryAfterMs`, so the caller decides.
   */
  maxServerWaitMs: number;
  /** Page size sent explicitly on every list request (the API's maximum is 100). */
  perPage: number;
  /** Most pages one list may take; a server whose `total_pages` never ends fails with a `PaginationError`. */
  maxPages: number;
  /** The client-side model of Cloudflare's rolling-window rate limit, shared per process and credential. */
  rateBudget: {
    /** Requests allowed per window. */
    limit: number;
    /** Length of the rolling window. */
    windowMs: number;
    /** Fraction of `limit` left unused, as headroom for the dashboard and other users of the same credential. */
    safetyMargin: number;
    /**
     * Fraction of the budget only writes may use: when the window is that close to full, status
     * looks wait and writes go first (see RateBudgetSettings.writeReserve).
     */
    writeReserve: number;
    /** How long after the last write the reserve stands; then looks may use it (see RateBudgetSettings.writeQuietMs). */
    writeQuietMs: number;
    /** Requests this machine sends in any one second at most (see RateBudgetSettings.perSecond). */
    perSecond: number;
  };
  /** Cap on requests in flight at once per budget (per process and credential). */
  maxConcurrentRequests: number;
  /**
   * How far before the create attempt started a found object's `created` time may lie and still count as
   * "ours" in natural-key recovery. Covers clock skew between this machine and Cloudflare.
   */
  naturalKeyClockSkewMs: number;
  /**
   * How long a list may trail a write. After an ambiguous POST the client keeps looking for the object
   * this long before it re-sends (absence from one list read proves nothing), and after a re-send it
   * waits this long before its last look for a copy made twice.
   */
  listLagMs: number;
  /** Sent as User-Agent. */
  userAgent: string;
}

/** Recursively optional version of `T`, for overriding some defaults. */
export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

export const CLIENT_DEFAULTS = {
  baseUrl: "https://api.cloudflare.com/client/v4",
  perAttemptTimeoutMs: 60_000, // 1 min, the Stainless SDK default
  // 1 + 2 + 4 + 8 + 16 s ≈ 31 s of backoff before jitter: between Stainless (0.5 s/8 s/2) and cloudflare-go (2 s/30 s/10).
  maxRetries: 5,
  backoff: { baseMs: 1_000, factor: 2, maxMs: 30_000, jitter: 0.25 },
  // cloudflare-go, Stainless ≤ v5 and Wrangler all stop honouring Retry-After at 60 s.
  maxServerWaitMs: 60_000,
  perPage: 100,
  maxPages: 1_000, // 100 000 objects a list: far beyond any account, small enough to stop a runaway server
  // 1200 requests per rolling 5 minutes per user; exceeding it blocks every call for 5 minutes.
  // The last 10 % of the budget is kept for writes: a run that sends none (a refresh, a drift job)
  // leaves it to the writes of the runs after it. A run that writes lets its own looks into it
  // whenever none of its writes waits (writeQuietMs 0): those looks are what finish its creates and
  // deletes, and what they finish starts the next writes (a Share's recipients wait for its id).
  // Held back until writes were quiet for 2 s, a 2100-object `up` sent a hundred shares' POSTs
  // while none of them could return, and took 52.6–60.3 s instead of 44.4–47.5 (bench/fleet.js --fleet large).
  // Cloudflare also allows one client IP 200 requests a second (§9.2): 190, the window's 5 % margin
  // under it. Without it, a destroy sent its first 1140 deletes at 250–400 a second.
  rateBudget: { limit: 1_200, windowMs: 300_000, safetyMargin: 0.05, writeReserve: 0.1, writeQuietMs: 0, perSecond: 190 },
  maxConcurrentRequests: 16,
  // Used only until a response's Date header tells the server's clock (then 2 s): the first request of a process.
  naturalKeyClockSkewMs: 300_000,
  // [UNCONFIRMED] the reference never says lists are consistent with writes; a margin over a lag of about a second.
  listLagMs: 5_000,
  userAgent: `pulumi-cloudflare-sharing/${VERSION}`,
} satisfies ClientDefaults;

/** Merges `overrides` onto {@link CLIENT_DEFAULTS} (or `base`), one level of nesting deep per object field. */
export function resolveDefaults(overrides?: DeepPartial<ClientDefaults>, base: ClientDefaults = CLIENT_DEFAULTS): ClientDefaults {
  return {
    ...base,
    ...definedOnly(overrides ?? {}),
    backoff: { ...base.backoff, ...definedOnly(overrides?.backoff ?? {}) },
    rateBudget: { ...base.rateBudget, ...definedOnly(overrides?.rateBudget ?? {}) },
  } as ClientDefaults;
}

// `{ maxRetries: undefined }` must not erase a default.
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
