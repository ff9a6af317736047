// Settings of the Resource Sharing emulator. Facts cite docs/cloudflare-resource-sharing-api.md (§n).
// Every default that settles an [UNCONFIRMED] point of the reference says so on its line.

import { RESOURCE_TYPES } from "./wire";

/** A duration in ms; a `[min, max]` pair is drawn per object (or per request for latency) with the seeded RNG. */
export type Range = number | readonly [min: number, max: number];

/** Recursive partial used by `configure()`; `null` resets an optional setting (e.g. `auth.tokens`) to "unset". */
export type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends readonly unknown[]
    ? T[K] | (undefined extends T[K] ? null : never)
    : T[K] extends object
      ? DeepPartial<T[K]> | (undefined extends T[K] ? null : never)
      : T[K] | (undefined extends T[K] ? null : never);
};

/** How long each asynchronous step takes (§7). All values are ms. */
export interface EmulatorTimings {
  /** Recipient `associating` → `associated`. */
  recipientAssociateMs: Range;
  /** Recipient `disassociating` → `disassociated`. */
  recipientDisassociateMs: Range;
  /** Share `deleting` → `deleted` (its resources and recipients settle at the same moment). */
  shareDeleteMs: Range;
  /** Share resource `deleting` → `deleted`. */
  resourceDeleteMs: Range;
  /** PUT share: the new name shows in GET/list only after this delay ("Updating is not immediate", §3.4). */
  shareUpdateMs: Range;
  /** PUT resource: the new meta shows (and `resource_version` increments) only after this delay (§3.14). */
  resourceUpdateMs: Range;
  /** Window after create during which GET-by-id of the new object answers 404 / 1004 while lists show it. */
  createPropagationMs: Range;
  /** How long a `deleted` share stays visible before GET answers 404 / 1004. */
  deletedShareRetentionMs: Range;
  /** How long a `deleted` share resource stays visible before it disappears. */
  deletedResourceRetentionMs: Range;
}

/** Choices on points the reference leaves open, plus documented server rules. */
export interface EmulatorBehaviour {
  /** Create share with an empty `recipients` or `resources` list → 400 (§3.1, §12.3). */
  requireNonEmptyCreateLists: boolean;
  /** Deleting the last non-deleted resource of a share (§3.15, §9.1). */
  lastResourceDeletion: "reject" | "allow";
  /** Both `page` and `per_page` omitted → the whole list in one response (§3.2, §8). */
  unpaginatedWhenNoPageParams: boolean;
  /** What `account_id` holds for a recipient that targets an organization (§4.2, §12.12). */
  organizationRecipientAccountId: "organization" | "owner";
  /** A recipient input with both `recipient_account_id` and `organization_id` (§3.1). */
  bothRecipientTargets: "reject" | "prefer-account";
  /** Adding an account that already has a non-`disassociated` recipient on the share. */
  duplicateRecipient: "reject" | "allow";
  /** Adding the same resource_type + resource_id twice (non-deleted) to one share. */
  duplicateResource: "reject" | "allow";
  /** A recipient that targets the share owner's own account. */
  selfRecipient: "reject" | "allow";
  /** Status of a share right after create (§7, §12.11). */
  shareStatusAfterCreate: "active";
  /** HTTP status of the create endpoints #2, #7, #12 (§3.1, §3.7, §3.12, §12.8). */
  createStatusCode: 200 | 201;
  /** Accepted `resource_type` values (§5). */
  resourceTypes: readonly string[];
  /**
   * Which field of a recipient answer names its account (§4.2, §3.1, §11): `account_id` (the reference),
   * `recipient_account_id` (the body field's new name, echoed), or both. Optional: unset = `account_id`.
   */
  recipientAccountIdField?: "account_id" | "recipient_account_id" | "both";
  /**
   * The deprecated body alias `account_id` of a recipient input (§3.1: accepted until 2027-05-26):
   * `accept`, or `reject` (400 naming the field, as after the sunset). Optional: unset = `accept`.
   */
  deprecatedAccountIdInput?: "accept" | "reject";
  /**
   * What an `associated` recipient reports while an object added to its share reaches it (§4.2, §7:
   * `association_status` is the current state, unconfirmed here): `stays-associated`, or `reassociates`
   * (`associating` until the object's first version reaches it, and for as long as it reports an error
   * for that object). Optional: unset = `stays-associated`.
   */
  recipientOnNewResource?: "stays-associated" | "reassociates";
}

/**
 * How far reads trail writes (§7: "not immediate"; §12.11). Lists are a view `listLagMs` behind: a new
 * object is missing from lists, a status change shows late, and a purged object stays listed for that long.
 * Every value is ms; 0 = consistent at once (the default).
 */
export interface ConsistencySettings {
  /** Lag of the list endpoints (#1, #6, #11, #16 and `include_resources` of a share list), drawn per object. */
  listLagMs: Range;
  /**
   * Lag of a recipient's per-object `resources[].resource_version` (§4.2) behind the share resource's own
   * version, drawn per change; a just-added resource is missing from a recipient's `resources[]` for as long.
   */
  recipientResourceVersionLagMs: Range;
}

/** Cloudflare's global API rate limit (§9.2), counted per credential over a rolling window. */
export interface RateLimitSettings {
  enabled: boolean;
  /** Requests allowed per window. */
  limit: number;
  /** Rolling window, ms. */
  windowMs: number;
  /** Once exceeded, every request of that credential answers 429 for this long, ms. */
  blockMs: number;
  /**
   * A second policy beside `default`, named `burst` in the headers: at most `limit` requests per
   * rolling `windowMs`, counted on the same requests. Absent: one policy only.
   */
  burst?: { limit: number; windowMs: number };
  /**
   * Also send `X-RateLimit-Limit`, `X-RateLimit-Remaining` and, on a 429, `X-RateLimit-Reset`. Cloudflare
   * documents only `Ratelimit`, `Ratelimit-Policy` and `Retry-After` (§9.2); some proxies add these.
   */
  legacyHeaders: boolean;
  /**
   * Send `Ratelimit` and `Ratelimit-Policy` (default true). False: as through a proxy that strips them,
   * only a 429 and its `Retry-After` tell a client about the limit.
   */
  countHeaders?: boolean;
  /**
   * Cloudflare's per-IP client limit (§9.2: 200 requests a second): at most this many accepted
   * requests from one client address in any rolling second, whatever its credential. The request
   * beyond it answers 429 with `Retry-After: 1` and blocks nothing further (the reference says no
   * more); it is not among the `Ratelimit` items. Absent or 0: not enforced.
   */
  perSecond?: number;
}

/** Random faults, drawn per request with the seeded RNG; only /client/v4 routes are affected. */
export interface FaultSettings {
  /** Extra latency before the request is handled. */
  latencyMs: Range;
  /** Rate (0..1) of 500/502/503 answers; nothing is applied. */
  serverErrorRate: number;
  /** Rate (0..1) of spurious 429 answers; nothing is applied. */
  rateLimitRate: number;
  /** `Retry-After` (s) of the spurious 429s. */
  rateLimitRetryAfterS: number;
  /** Rate (0..1) of sockets destroyed before anything is applied. */
  connectionResetRate: number;
  /** Rate (0..1) of POSTs fully applied whose response is then lost (socket destroyed). */
  lostPostResponseRate: number;
  /** The methods whose fully applied requests `lostPostResponseRate` loses the response of; POST when unset (e.g. `["DELETE"]`). */
  lostResponseMethods?: readonly string[];
  /** Restrict faults to these HTTP methods (upper case); unset = all methods. */
  methods?: readonly string[];
}

/** Credentials (§1). Unset lists mean "any non-empty credential is accepted". */
export interface AuthSettings {
  /** Accepted API tokens (`Authorization: Bearer <token>`). */
  tokens?: readonly string[];
  /** Accepted legacy `X-Auth-Email` + `X-Auth-Key` pairs. */
  keys?: readonly { email: string; key: string }[];
  /** Tokens that may read but not write: writes answer 403 / 10000 (§1, §9.1). Always accepted for reads. */
  readOnlyTokens?: readonly string[];
}

export interface AccountInfo {
  name: string;
  organizationId: string;
}

export interface AccountSettings {
  /** Organization of every account not listed in `accounts`. */
  defaultOrganizationId: string;
  /** Known accounts; unknown ids are accepted and named "Account <first 8 chars>". */
  accounts: Readonly<Record<string, AccountInfo>>;
}

/** Every knob of the emulator. */
export interface EmulatorSettings {
  timings: EmulatorTimings;
  behaviour: EmulatorBehaviour;
  consistency: ConsistencySettings;
  rateLimit: RateLimitSettings;
  faults: FaultSettings;
  auth: AuthSettings;
  accounts: AccountSettings;
}

/** The defaults: faithful to the reference, with real-world timings. */
export const DEFAULT_SETTINGS: EmulatorSettings = {
  timings: {
    recipientAssociateMs: [1000, 3000],
    recipientDisassociateMs: [1000, 3000],
    shareDeleteMs: [1000, 3000],
    resourceDeleteMs: [1000, 3000],
    shareUpdateMs: [500, 1500],
    resourceUpdateMs: [500, 1500],
    // [UNCONFIRMED] no source reports read-after-create lag; 0 = consistent, a setting lets tests exercise it.
    createPropagationMs: 0,
    // [UNCONFIRMED §12.11] deleted shares do eventually 404 (ALCHEMY); 60 s of visible `deleted` status first.
    deletedShareRetentionMs: 60_000,
    // [UNCONFIRMED] same retention as shares, for symmetry.
    deletedResourceRetentionMs: 60_000,
  },
  behaviour: {
    // [UNCONFIRMED §12.3] ALCHEMY observed the live API rejecting empty lists.
    requireNonEmptyCreateLists: true,
    // [3P §3.15] ALCHEMY: the last resource cannot be deleted; delete the share instead.
    lastResourceDeletion: "reject",
    // Newest DOCS (§3.2): no page params → non-paginated response.
    unpaginatedWhenNoPageParams: true,
    // [UNCONFIRMED §12.12] the organization id is the only id such a recipient naturally has.
    organizationRecipientAccountId: "organization",
    // [3P] ALCHEMY treats the two targets as mutually exclusive.
    bothRecipientTargets: "reject",
    // [UNCONFIRMED] a second live association of the same account would be meaningless; 409 like Cloudflare conflicts.
    duplicateRecipient: "reject",
    // [UNCONFIRMED] same reasoning as duplicateRecipient.
    duplicateResource: "reject",
    // [UNCONFIRMED] no source forbids it; lenient so callers are not blocked by an invented rule.
    selfRecipient: "allow",
    // [UNCONFIRMED §7] every example shows `active`.
    shareStatusAfterCreate: "active",
    // SPEC-2026-02 gives 201 for every create (§3.1, §3.7, §3.12).
    createStatusCode: 201,
    // §5 current enum plus "trust-grant" ([UNCONFIRMED §12.5]: DISTILLED and the cloudflare 7.3.0 typings list it).
    resourceTypes: RESOURCE_TYPES,
    // §4.2 names the field `account_id`; the body's new name is not echoed.
    recipientAccountIdField: "account_id",
    // §3.1: the deprecated alias is accepted until 2027-05-26.
    deprecatedAccountIdInput: "accept",
  },
  // [UNCONFIRMED §7] no source reports lagging lists; 0 = every read sees every write at once.
  consistency: { listLagMs: 0, recipientResourceVersionLagMs: 0 },
  rateLimit: { enabled: true, limit: 1200, windowMs: 300_000, blockMs: 300_000, legacyHeaders: true, perSecond: 200 },
  faults: {
    latencyMs: 0,
    serverErrorRate: 0,
    rateLimitRate: 0,
    rateLimitRetryAfterS: 1,
    connectionResetRate: 0,
    lostPostResponseRate: 0,
  },
  auth: {},
  accounts: {
    defaultOrganizationId: "4f1c2d3e5a6b7c8d9e0fa1b2c3d4e5f6",
    accounts: {},
  },
} satisfies EmulatorSettings;

/** Timings about 10–20× shorter than the defaults, for tests and `--fast`. */
export const FAST_TIMINGS: EmulatorTimings = {
  recipientAssociateMs: [50, 150],
  recipientDisassociateMs: [50, 150],
  shareDeleteMs: [50, 150],
  resourceDeleteMs: [50, 150],
  shareUpdateMs: [25, 75],
  resourceUpdateMs: [25, 75],
  createPropagationMs: 0,
  deletedShareRetentionMs: 1000,
  deletedResourceRetentionMs: 1000,
} satisfies EmulatorTimings;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Returns `base` with `patch` deep-merged into it (neither is modified). Arrays and ranges are
 * replaced whole, `undefined` leaves a value alone, `null` removes an optional setting.
 * `accounts.accounts` merges per account id.
 */
export function mergeSettings(base: EmulatorSettings, patch: DeepPartial<EmulatorSettings> | undefined): EmulatorSettings {
  const merged = mergeValue(base, patch) as EmulatorSettings;
  validateSettings(merged);
  return merged;
}

function mergeValue(base: unknown, patch: unknown): unknown {
  if (patch === undefined) return structuredClone(base);
  if (patch === null) return undefined;
  if (!isPlainObject(patch) || !isPlainObject(base)) return structuredClone(patch);
  const out: Record<string, unknown> = structuredClone(base);
  for (const [key, value] of Object.entries(patch)) {
    const next = mergeValue(out[key], value);
    if (next === undefined) delete out[key];
    else out[key] = next;
  }
  return out;
}

/** Throws a readable error on a nonsensical setting (negative time, rate outside 0..1). */
export function validateSettings(settings: EmulatorSettings): void {
  for (const [name, range] of Object.entries(settings.timings)) assertRange(`timings.${name}`, range);
  for (const [name, range] of Object.entries(settings.consistency ?? {})) assertRange(`consistency.${name}`, range);
  assertRange("faults.latencyMs", settings.faults.latencyMs);
  for (const name of ["serverErrorRate", "rateLimitRate", "connectionResetRate", "lostPostResponseRate"] as const) {
    const rate = settings.faults[name];
    if (typeof rate !== "number" || !(rate >= 0 && rate <= 1)) throw new Error(`faults.${name} must be a number in 0..1`);
  }
  const { limit, windowMs, blockMs } = settings.rateLimit;
  if (!(limit >= 1 && windowMs >= 1 && blockMs >= 0)) throw new Error("rateLimit needs limit >= 1, windowMs >= 1, blockMs >= 0");
  const { burst } = settings.rateLimit;
  if (burst && !(burst.limit >= 1 && burst.windowMs >= 1)) throw new Error("rateLimit.burst needs limit >= 1 and windowMs >= 1");
}

function assertRange(name: string, range: unknown): void {
  const ok =
    (typeof range === "number" && range >= 0) ||
    (Array.isArray(range) && range.length === 2 && range.every((v) => typeof v === "number" && v >= 0) && range[0] <= range[1]);
  if (!ok) throw new Error(`${name} must be a number >= 0 or a [min, max] pair`);
}
