// The Cloudflare Resource Sharing API client: one HTTP core, one module per API resource.
import type { Dispatcher } from "undici";
import type { Clock } from "./core/clock";
import type { Credentials } from "./core/credentials";
import type { ClientDefaults, DeepPartial } from "./core/defaults";
import type { ClientEvent } from "./core/http";
import { HttpCore } from "./core/http";
import type { RateBudget } from "./core/rate-budget";
import { Organizations } from "./organizations";
import { Recipients } from "./recipients";
import { Resources } from "./resources";
import { Shares } from "./shares";

/** Options of {@link CloudflareSharingClient}. */
export interface CloudflareSharingClientOptions {
  /** API token or global key + email, read at run time by the caller. Never logged, never in errors. */
  credentials: Credentials;
  /** API root; defaults to `https://api.cloudflare.com/client/v4`. */
  baseUrl?: string;
  /** Overrides of {@link CLIENT_DEFAULTS} (retries, backoff, timeouts, rate budget, page size…). */
  defaults?: DeepPartial<ClientDefaults>;
  /** Time source for every wait; inject a fake one in tests. */
  clock?: Clock;
  /** Progress hook: retries, rate-limit waits, recovered POSTs. Carries no secret. */
  onEvent?: (event: ClientEvent) => void;
  /** A private rate budget instead of the one shared per process, base URL and credential. */
  rateBudget?: RateBudget;
  /** undici dispatcher to send through (Agent, MockAgent…). */
  dispatcher?: Dispatcher;
  /** Random source in [0, 1) for backoff jitter; inject a fixed one in tests. */
  random?: () => number;
}

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
export type { ApiPage, ApiRequest, ClientEvent, HttpCoreOptions, HttpMethod, HttpStats } from "./core/http";
export { HttpCore, RETRY_COUNT_HEADER, collectAll, parseRetryAfter, retryPolicy, serializeQuery } from "./core/http";
export { path } from "./core/path";
export type { AcquireOptions, RateBudgetSettings, RatePermit, RateWaitInfo } from "./core/rate-budget";
export { RateBudget, parseRatelimitHeader, sharedRateBudget } from "./core/rate-budget";
export { Organizations } from "./organizations";
export { Recipients } from "./recipients";
export { Resources } from "./resources";
export { Shares } from "./shares";
export * from "./types";
export { VERSION } from "./version";
