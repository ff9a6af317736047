// Runs many requests through a RateBudget against the emulator's own rate limiter on a fake clock,
// as HttpCore does (acquire, send, observe the answer's headers, pause on a 429's Retry-After), so a
// test sees how long a run takes under the server's numbers and how many 429s it earns.
import { RateLimiter, rateLimitHeaders } from "../../../emulator/rate-limit";
import type { RateLimitSettings } from "../../../emulator/settings";
import { RateBudget, type RequestPriority } from "../../../provider/client/core/rate-budget";
import { CLIENT_DEFAULTS } from "../../../provider/client/core/defaults";
import { ManualClock } from "../../../provider/client/testing";

/**
 * A rate-limited API shared by every simulated process: one credential, the emulator's counting and headers.
 *
 * @example
 * const api = new SimulatedApi(new ManualClock({ autoAdvance: true }), { enabled: true, limit: 60, windowMs: 20_000, blockMs: 20_000, legacyHeaders: false });
 * const { status, headers } = api.answer(); // 200, { ratelimit: '"default";r=59;t=20', … }
 */
export class SimulatedApi {
  readonly limiter: RateLimiter;
  rejected = 0;
  accepted = 0;

  constructor(
    readonly clock: ManualClock,
    readonly settings: RateLimitSettings,
  ) {
    this.limiter = new RateLimiter(() => settings);
  }

  /** Answers one request arriving now: its status and lower-cased headers. */
  answer(): { status: number; headers: Record<string, string> } {
    const decision = this.limiter.take("token", this.clock.now());
    if (decision.allowed) this.accepted++;
    else this.rejected++;
    const headers = Object.fromEntries(Object.entries(rateLimitHeaders(decision, this.settings.legacyHeaders)).map(([k, v]) => [k.toLowerCase(), v]));
    return { status: decision.allowed ? 200 : 429, headers };
  }

  /** Requests the server counted before a run: another process that came and went, spread evenly over `overMs` up to now. */
  spend(count: number, overMs: number): void {
    const start = this.clock.now() - overMs;
    for (let i = 0; i < count; i++) this.limiter.take("token", start + Math.floor((i * overMs) / count));
  }
}

/**
 * The budget every HttpCore of a process makes (see http.ts), on the fake clock.
 *
 * @example
 * const budget = processBudget(api.clock); // 1200 per 5 minutes until the server says otherwise
 */
export function processBudget(clock: ManualClock): RateBudget {
  return new RateBudget({ ...CLIENT_DEFAULTS.rateBudget, maxConcurrent: CLIENT_DEFAULTS.maxConcurrentRequests, probeFirst: true }, clock);
}

/** What one simulated process saw. */
export interface RunResult {
  /** Simulated ms from the start to the last answer. */
  elapsedMs: number;
  /** 429 answers this process received. */
  rejected: number;
}

/**
 * Sends `count` requests of `priority` from `maxConcurrent` workers through `budget`, each taking
 * `latencyMs` on the wire; a 429 pauses the budget for its Retry-After and the request is sent again.
 *
 * @example
 * const { elapsedMs, rejected } = await runRequests(api, processBudget(api.clock), 150);
 */
export async function runRequests(api: SimulatedApi, budget: RateBudget, count: number, options: { priority?: RequestPriority; latencyMs?: number } = {}): Promise<RunResult> {
  const { clock } = api;
  const latencyMs = options.latencyMs ?? 50;
  const start = clock.now();
  let next = 0;
  let rejected = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      for (;;) {
        const permit = await budget.acquire({ priority: options.priority ?? "write" });
        const sentAt = clock.now();
        await clock.sleep(latencyMs / 2);
        const { status, headers } = api.answer();
        await clock.sleep(latencyMs / 2);
        budget.observe(headers, sentAt);
        if (status === 429) {
          rejected++;
          budget.pauseUntil(clock.now() + Number(headers["retry-after"]) * 1000);
        }
        permit.release();
        if (status !== 429) break;
      }
    }
  };
  await Promise.all(Array.from({ length: budget.settings.maxConcurrent }, worker));
  return { elapsedMs: clock.now() - start, rejected };
}
