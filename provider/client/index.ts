// The Cloudflare Resource Sharing API client: one HTTP core, one module per API resource.
import type { HttpCoreOptions } from "./core/http";
import { HttpCore } from "./core/http";
import { Organizations } from "./organizations";
import { Recipients } from "./recipients";
import { Resources } from "./resources";
import { Shares } from "./shares";

/**
 * Options of {@link CloudflareSharingClient}: those of its HTTP core (credentials read at run time by
 * the caller, `baseUrl`, `defaults`, `clock`, `onEvent`, `rateBudget`, `dispatcher`, `random`).
 */
export type CloudflareSharingClientOptions = HttpCoreOptions;

/**
 * Client for Cloudflare's Resource Sharing API.
 *
 * @example
 * const client = new CloudflareSharingClient({ credentials: { apiToken: process.env.CLOUDFLARE_API_TOKEN! } });
 * const shares = await client.shares.listAll(accountId, { kind: "sent" });
 */
export class CloudflareSharingClient {
  readonly http: HttpCore;
  readonly shares: Shares;
  readonly recipients: Recipients;
  readonly resources: Resources;
  readonly organizations: Organizations;

  constructor(options: CloudflareSharingClientOptions) {
    this.http = new HttpCore(options);
    this.shares = new Shares(this.http);
    this.recipients = new Recipients(this.http);
    this.resources = new Resources(this.http);
    this.organizations = new Organizations(this.http);
  }
}

export type { CallOptions } from "./core/call-options";
export type { Clock } from "./core/clock";
export { realClock } from "./core/clock";
export type { Credentials } from "./core/credentials";
export { credentialFingerprint } from "./core/credentials";
export type { ClientDefaults, DeepPartial } from "./core/defaults";
export { CLIENT_DEFAULTS, resolveDefaults } from "./core/defaults";
export * from "./core/errors";
export type { ApiPage, ApiRequest, ClientEvent, HttpCoreOptions, HttpMethod, HttpStats, ObservedResponse } from "./core/http";
export { HttpCore, RETRY_COUNT_HEADER, collectAll, parseRetryAfter, retryPolicy, serializeQuery } from "./core/http";
export { path } from "./core/path";
export type { AcquireOptions, RateBudgetSettings, RatePermit, RatePolicyInfo, RateWaitInfo } from "./core/rate-budget";
export { RateBudget, parseRatelimitHeader, parseRatelimitPolicyHeader, sharedRateBudget } from "./core/rate-budget";
export { Organizations } from "./organizations";
export { Recipients } from "./recipients";
export { Resources } from "./resources";
export { Shares } from "./shares";
export * from "./types";
export { VERSION } from "./version";
