// Shared helpers of the emulator conformance tests: a manual clock and a tiny HTTP client over real TCP.

import { type DeepPartial, type EmulatorOptions, type EmulatorSettings, type RunningEmulator, startEmulator } from "../../emulator";
import type { Envelope } from "../../provider/client/types";

export const OWNER = "a0000000000000000000000000000001";
export const PEER = "b0000000000000000000000000000002";
export const PEER2 = "c0000000000000000000000000000003";
export const TOKEN = "test-token";
export const HEX32 = /^[0-9a-f]{32}$/;
export const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** A clock the test moves by hand, so asynchronous transitions need no real waiting. */
export class ManualClock {
  constructor(public ms = Date.UTC(2026, 0, 1)) {}
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** Fixed, round timings for clock-driven tests. */
export const FIXED_TIMINGS = {
  recipientAssociateMs: 1000,
  recipientDisassociateMs: 1000,
  shareDeleteMs: 2000,
  resourceDeleteMs: 1000,
  shareUpdateMs: 500,
  resourceUpdateMs: 500,
  createPropagationMs: 0,
  deletedShareRetentionMs: 10_000,
  deletedResourceRetentionMs: 5000,
} satisfies EmulatorSettings["timings"];

export interface Reply<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined for an empty body. */
  body: Envelope<T> & Record<string, unknown>;
  text: string;
}

export interface TestEmulator extends RunningEmulator {
  clock: ManualClock;
  call<T = unknown>(method: string, path: string, init?: { body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<Reply<T>>;
}

/** Starts an emulator on port 0 with a manual clock and fixed timings (overridable). */
export async function startTestEmulator(
  settings: DeepPartial<EmulatorSettings> = {},
  options: Omit<EmulatorOptions, "settings" | "now"> = {},
): Promise<TestEmulator> {
  const clock = new ManualClock();
  const emulator = await startEmulator({
    seed: 42,
    ...options,
    now: clock.now,
    settings: { ...settings, timings: { ...FIXED_TIMINGS, ...settings.timings } },
  });
  const call = async <T,>(method: string, path: string, init: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}) => {
    const headers: Record<string, string> = { Authorization: `Bearer ${TOKEN}`, ...init.headers };
    let body: string | undefined = init.rawBody;
    if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers["Content-Type"] = "application/json";
    }
    for (const [key, value] of Object.entries(headers)) if (value === "") delete headers[key];
    const response = await fetch(`${emulator.url}${path}`, { method, headers, body, signal: AbortSignal.timeout(5000) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, body: text ? JSON.parse(text) : undefined } as Reply<T>;
  };
  return { ...emulator, clock, call };
}

export const ruleset = (id: string, meta: Record<string, unknown> = {}) => ({
  resource_type: "custom-ruleset",
  resource_id: id,
  resource_account_id: OWNER,
  meta,
});

/** Default create body: one account recipient, one resource. */
export const shareBody = (name = "share", overrides: Record<string, unknown> = {}) => ({
  name,
  recipients: [{ recipient_account_id: PEER }],
  resources: [ruleset("r1")],
  ...overrides,
});

export const sharesPath = (account = OWNER) => `/accounts/${account}/shares`;

/** Asserts a Cloudflare failure envelope (§8) with the given HTTP status and error code. */
export function expectFailure(reply: Reply, status: number, code: number, message?: RegExp): void {
  expect({ status: reply.status, code: reply.body?.errors?.[0]?.code }).toEqual({ status, code });
  expect(reply.body).toMatchObject({ success: false, messages: [], result: null });
  expect(reply.body.errors.length).toBeGreaterThanOrEqual(1);
  if (message) expect(reply.body.errors[0].message).toMatch(message);
}
