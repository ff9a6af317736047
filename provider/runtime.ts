// What a provider method needs at run time: an API client built from the credentials in force now,
// and the context of its waits. Built per call (cheap: the rate budget and the batchers are
// process-wide), so no client, and no credential, is ever captured by a serialized provider.

import { CloudflareSharingClient } from "./client";
import { realClock } from "./client/core/clock";
import { credentialFingerprint } from "./client/core/credentials";
import { CLIENT_DEFAULTS, ClientDefaults, DeepPartial } from "./client/core/defaults";
import type { BudgetMode } from "./client/core/budget-mode";
import type { RateBudget } from "./client/core/rate-budget";
import type { ClientEvent } from "./client/core/http";
import { currentCallContext } from "./call-context";
import { currentBaseUrl, currentCredentials } from "./config";
import type { WaitContext } from "./wait/waits";
import type { PollSchedule } from "./wait/waiter";

/** Every tunable of the providers in one place; the HTTP client's own are in CLIENT_DEFAULTS. */
export interface ProviderDefaults {
  /**
   * When to look again while waiting. The first look comes soon after the write, then the delay
   * grows slowly (a settle is seen soon after it happens) up to a cap (long waits stay cheap).
   * Looks are aligned to a 250 ms grid so waiters on one share are answered by one list call.
   */
  poll: PollSchedule;
  /** Answer concurrent lookups on one share (or account) with one list call. */
  coalesce: boolean;
  /** How long a batch of lookups stays open. */
  coalesceWindowMs: number;
  /**
   * Spend status looks on latency while the rate budget is far from binding (RateBudget.mode): looks
   * go at once and waits keep their short interval. False: looks are always saved (batched with
   * other waits' lists, spaced out as waits grow old), as when the budget binds.
   */
  spendOnLatency: boolean;
  /**
   * How old a complete list may be and still answer a `refresh` read: the engine reads every object
   * at once, spread over a few hundred milliseconds, and one list of a share answers all of them.
   */
  readReuseMs: number;
  /**
   * Recipient waits on many shares are answered by one share list with recipient counts; a share
   * whose counts did not change is not listed again, but at least this often (a per-resource error
   * changes no count).
   */
  recipientRecheckMs: number;
  /** "Not found" answers tolerated right after a create, while the new object becomes readable. */
  createNotFoundChecks: number;
  /** How often a progress line is printed while waiting. */
  progressEveryMs: number;
  /** Overrides of the HTTP client's defaults. */
  client: DeepPartial<ClientDefaults>;
}

export const PROVIDER_DEFAULTS = {
  poll: { firstDelayMs: 250, factor: 1.15, maxDelayMs: 5_000, gridMs: 250 },
  coalesce: true,
  coalesceWindowMs: 15,
  spendOnLatency: true,
  readReuseMs: 2_000,
  recipientRecheckMs: 2_000,
  createNotFoundChecks: 20,
  progressEveryMs: 10_000,
  client: {},
} satisfies ProviderDefaults;

/**
 * Tuning from the environment of the provider process, as JSON (`CLOUDFLARE_SHARING_TUNING`): used by
 * the tests and the benchmark to compress timings or switch coalescing off. Unknown keys are ignored.
 */
export const TUNING_ENV = "CLOUDFLARE_SHARING_TUNING";

export function providerSettings(): ProviderDefaults {
  const raw = process.env[TUNING_ENV];
  if (!raw) return PROVIDER_DEFAULTS;
  let tuning: DeepPartial<ProviderDefaults>;
  try {
    tuning = JSON.parse(raw) as DeepPartial<ProviderDefaults>;
  } catch {
    throw new Error(`${TUNING_ENV} must be JSON, e.g. {"poll":{"firstDelayMs":50}}`);
  }
  return {
    ...PROVIDER_DEFAULTS,
    ...tuning,
    poll: { ...PROVIDER_DEFAULTS.poll, ...tuning.poll },
    client: { ...PROVIDER_DEFAULTS.client, ...tuning.client } as DeepPartial<ClientDefaults>,
  } as ProviderDefaults;
}

/**
 * A line printed by a provider: to the sink of the current call when its host gave one (the plugin
 * logs it against the resource's URN), else to stdout (the dynamic-provider host shows it).
 */
export function log(line: string): void {
  const sink = currentCallContext()?.log;
  if (sink) sink(line);
  else console.log(line);
}

/**
 * A warning of a provider (e.g. an unknown resource type in `check`): to the warning sink of the
 * current call when its host gave one (the plugin logs it as a warning against the resource's URN),
 * else printed as `warning: …` (the dynamic-provider host shows it on the Stack's row).
 *
 * @example
 * ```ts
 * for (const warning of checker.warnings) warn(warning);
 * ```
 */
export function warn(message: string): void {
  const sink = currentCallContext()?.warn;
  if (sink) sink(message);
  else console.log(`warning: ${message}`);
}

function describeClientEvent(event: ClientEvent): string {
  switch (event.type) {
    case "retry":
      return `retrying ${event.method} ${event.path} in ${Math.ceil(event.delayMs / 1000)}s after ${event.status ?? event.errorCode} (retry ${event.retry})`;
    case "rate-wait": {
      const why = event.reason === "writes-first" ? "writes-first: the budget is low, so writes go first and status looks thin out" : event.reason;
      const policy = event.policy;
      // Which limit: the server's own numbers (Ratelimit-Policy) or the configured ones before it sent any.
      const limit = policy ? `; "${policy.name}" allows ${policy.quota} per ${Math.round(policy.windowMs / 1000)} s${policy.fromServer ? " (the server's numbers)" : " (configured)"}` : "";
      return `holding ${event.method} ${event.path} for ${Math.ceil((event.waitMs ?? 0) / 1000)}s to stay under Cloudflare's rate limit (${why}${limit})`;
    }
    case "recovered":
      return `the response to ${event.method} ${event.path} was lost; found the object it created instead of creating it twice`;
  }
}

const ANNOUNCED_MODES = Symbol.for("pulumi-cloudflare-sharing.announcedBudgetModes");
/**
 * How long a mode read stands: every look asks, and reading the budget counts its whole window (a
 * large stack's thousands of waits would spend the process's time on it); its fill moves little in
 * that time (at most 20 requests at Cloudflare's 200 a second).
 */
const MODE_READ_MS = 100;

/**
 * The rate budget's mode (RateBudget.mode, read at most every 100 ms), with a progress line when it
 * is not the one this process last read of that budget. A run starts far from the limit (`latency`),
 * so the first line comes when the budget binds.
 *
 * @example
 * const spendOnLatency = () => spendingMode(api.http.rateBudget) === "latency";
 */
export function spendingMode(budget: RateBudget, now: number = Date.now()): BudgetMode {
  const holder = globalThis as unknown as Record<symbol, WeakMap<RateBudget, { mode: BudgetMode; at: number }> | undefined>;
  const announced = (holder[ANNOUNCED_MODES] ??= new WeakMap());
  const last = announced.get(budget);
  if (last !== undefined && now >= last.at && now - last.at < MODE_READ_MS) return last.mode;
  const mode = budget.mode;
  if (mode !== (last?.mode ?? "latency")) log(describeMode(mode, budget));
  announced.set(budget, { mode, at: now });
  return mode;
}

function describeMode(mode: BudgetMode, budget: RateBudget): string {
  const { policies, pauseRemainingMs } = budget.snapshot();
  const busiest = [...policies].sort((a, b) => b.inWindow / b.quota - a.inWindow / a.quota)[0];
  const fill = pauseRemainingMs > 0 ? "paused by a 429" : `${busiest.inWindow} of "${busiest.name}"'s ${busiest.quota} requests per ${Math.round(busiest.windowMs / 1000)} s used`;
  return mode === "saving"
    ? `rate budget: saving requests (${fill}): status looks join other waits' lists and space out as waits grow old`
    : `rate budget: spending on latency (${fill}): status looks go at once`;
}

export interface Runtime {
  api: CloudflareSharingClient;
  wait: WaitContext;
  settings: ProviderDefaults;
}

/** The client and wait context for one provider call on `accountId`. */
export function runtimeFor(accountId: string): Runtime {
  const settings = providerSettings();
  const credentials = currentCredentials();
  const baseUrl = currentBaseUrl() ?? CLIENT_DEFAULTS.baseUrl;
  const api = new CloudflareSharingClient({
    credentials,
    baseUrl,
    defaults: settings.client,
    onEvent: (event) => log(describeClientEvent(event)),
  });
  return {
    api,
    settings,
    wait: {
      api,
      accountId,
      scope: `${baseUrl}|${credentialFingerprint(credentials)}`,
      coalesce: settings.coalesce,
      coalesceWindowMs: settings.coalesceWindowMs,
      readReuseMs: settings.readReuseMs,
      recipientRecheckMs: settings.recipientRecheckMs,
      spendOnLatency: settings.spendOnLatency ? () => spendingMode(api.http.rateBudget) === "latency" : undefined,
      clock: realClock,
      schedule: settings.poll,
      createNotFoundChecks: settings.createNotFoundChecks,
      progressEveryMs: settings.progressEveryMs,
      log,
    },
  };
}
