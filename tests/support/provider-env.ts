// Points the providers, running in this test process, at an emulator with compressed timings.
import { FAST_TIMINGS, startEmulator } from "../../emulator";
import type { RunningEmulator } from "../../emulator";
import type { DeepPartial, EmulatorSettings } from "../../emulator/settings";
import { profiled } from "./emulator-profile";
import { forgetObjectsMadeHere } from "../../provider/resources/ownership";
import { clearSharedBatchers } from "../../provider/wait/coalesce";
import { clearLearnedSettleTimes } from "../../provider/wait/waits";

export const TEST_TOKEN = "test-token-9f8e7d6c5b4a39281706f5e4d3c2b1a0";

/** Fast polling: timings in the emulator are tens of milliseconds. */
export const FAST_TUNING = {
  poll: { firstDelayMs: 20, factor: 1.5, maxDelayMs: 100, gridMs: 10 },
  coalesceWindowMs: 5,
  // Reads in one test follow each other closely; a short reuse window keeps each read fresh.
  readReuseMs: 100,
  createNotFoundChecks: 5,
  client: { backoff: { baseMs: 10, maxMs: 50 }, maxRetries: 3, listLagMs: 200 },
};

export async function startProviderEnvironment(settings: DeepPartial<EmulatorSettings> = {}): Promise<RunningEmulator> {
  clearSharedBatchers();
  clearLearnedSettleTimes();
  // Each test is its own run: what one took over is not handed over in the next (the emulator reuses ids).
  forgetObjectsMadeHere();
  const emulator = await startEmulator({ seed: 7, settings: profiled({ timings: { ...FAST_TIMINGS } }, settings) });
  process.env.CLOUDFLARE_BASE_URL = emulator.url;
  process.env.CLOUDFLARE_API_TOKEN = TEST_TOKEN;
  process.env.CLOUDFLARE_SHARING_TUNING = JSON.stringify(tuningFor(emulator));
  return emulator;
}

export function stopProviderEnvironment(emulator: RunningEmulator | undefined): Promise<void> {
  delete process.env.CLOUDFLARE_BASE_URL;
  delete process.env.CLOUDFLARE_API_TOKEN;
  delete process.env.CLOUDFLARE_SHARING_TUNING;
  return emulator?.stop() ?? Promise.resolve();
}

/**
 * The fast tuning, told how far this emulator's lists may trail writes: the client's `listLagMs` is
 * its assumption about the API (5 s by default), and a test compresses it only as far as the
 * emulator's actual lag allows.
 */
export function tuningFor(emulator: RunningEmulator): typeof FAST_TUNING {
  const listLagMs = Math.max(FAST_TUNING.client.listLagMs, upper(emulator.control.settings.consistency.listLagMs) + 100);
  return { ...FAST_TUNING, client: { ...FAST_TUNING.client, listLagMs } };
}

/** Sleeps in real time; only for letting an emulator transition pass in tests that assert after it. */
export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const upper = (range: number | readonly [number, number]) => (typeof range === "number" ? range : range[1]);

/**
 * How long until every read shows a change made now, under the emulator's settings (its profile):
 * an update's delay, the read-after-create window and the lists' lag, at their longest. For tests that
 * change something out of band, then assert what a refresh reads.
 */
export function readsSettleMs(emulator: RunningEmulator): number {
  const { timings, consistency } = emulator.control.settings;
  return upper(consistency.listLagMs) + Math.max(upper(timings.shareUpdateMs), upper(timings.resourceUpdateMs), upper(timings.createPropagationMs)) + 50;
}
