// Shared fixtures of the end-to-end suites: an in-process emulator the engine's provider process
// reaches over loopback, ids, and the declared spec the `sharing` program reads from stack config.
import { FAST_TIMINGS, startEmulator } from "../../emulator";
import type { RunningEmulator } from "../../emulator";
import type { DeepPartial, EmulatorSettings } from "../../emulator/settings";
import { profiled } from "../support/emulator-profile";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createTestStack, TestStack } from "./harness";

export const TOKEN = "e2e-token-5d41402abc4b2a76b9719d911017c592";
export const OWNER = "023e105f4ecef8ad9ca31a8372d0c353";
export const PARTNER_A = "9a7806061c88ada191ed06f989cc3dac";
export const PARTNER_B = "b1946ac92492d2347c6235b4d2611184";
export const PARTNER_C = "7d793037a0760186574b0282f2f435e7";
export const PARTNER_D = "1679091c5a880faf6fb5e6087eb1b2dc";
export const PARTNER_E = "8f14e45fceea167a5a36dedd4bea2543";
export const RULESET_1 = "2f2feab2026849078ba485f918791bdc";
export const RULESET_2 = "e4da3b7fbbce2345d7772b0674a318d5";
export const RULESET_3 = "c9f0f895fb98ab9159f51fd0297e236d";
export const POLICY_1 = "45c48cce2e2d7fbdea1afc51c7c6ad26";
export const POLICY_2 = "d3d9446802a44259755d38e6d163e820";

/** Fast polling for the provider process: the emulator's transitions take tens of milliseconds. */
export const FAST_TUNING = JSON.stringify({
  poll: { firstDelayMs: 25, factor: 1.5, maxDelayMs: 200, gridMs: 25 },
  coalesceWindowMs: 5,
  createNotFoundChecks: 5,
  client: { backoff: { baseMs: 20, maxMs: 200 } },
});

export interface Spec {
  accountId: string;
  shares?: Record<string, object>;
  recipients?: Record<string, object>;
  resources?: Record<string, object>;
}

export async function startE2eEmulator(settings: DeepPartial<EmulatorSettings> = {}): Promise<RunningEmulator> {
  return startEmulator({ seed: 11, settings: profiled({ timings: { ...FAST_TIMINGS } }, settings) });
}

/**
 * The journal of in-flight creates of every stack of this test process: one directory, as on one
 * machine, so that stacks side by side show it is kept per stack.
 */
export const JOURNAL_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-journal-"));

/** A stack of the `sharing` program pointed at `emulator`, with the token in the environment. */
export function sharingStack(
  emulator: RunningEmulator,
  spec: Spec,
  env: Record<string, string> = {},
  where: { stackName?: string; backendDir?: string } = {},
): Promise<TestStack> {
  return createTestStack({
    ...where,
    program: "sharing",
    config: { "e2e:spec": { value: JSON.stringify(spec) } },
    env: { CLOUDFLARE_BASE_URL: emulator.url, CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_SHARING_TUNING: FAST_TUNING, CLOUDFLARE_SHARING_JOURNAL_DIR: JOURNAL_DIR, ...env },
  });
}

export function setSpec(testStack: TestStack, spec: Spec): Promise<void> {
  return testStack.stack.setConfig("e2e:spec", { value: JSON.stringify(spec) });
}

/** Requests the emulator received, as "METHOD path-after-the-account". */
export function requests(emulator: RunningEmulator): string[] {
  return emulator.control.requestLog().map((entry) => `${entry.method} ${entry.path.replace(/^\/client\/v4\/accounts\/[0-9a-f]+/, "")}`);
}

export function writes(emulator: RunningEmulator): string[] {
  return requests(emulator).filter((request) => !request.startsWith("GET "));
}
