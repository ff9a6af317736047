// Chaos suite (issue "Nothing lost under faults"): a small fleet through up → refresh → change → up →
// destroy under the real engine, with the emulator injecting 5xx, 429 + Retry-After, connection resets,
// POSTs that land but lose their answer, and latency. A step that fails is re-run, as a pipeline would,
// a bounded number of times. After every step: no orphan, no duplicate, failures that say what and why;
// after every successful `up`: the API holds exactly what the program declares. The fault draws use a
// fixed seed (CHAOS_SEED to vary); the interleaving of concurrent requests still depends on timing, so
// a failure prints the step, the attempts, and the request log around each fault.
import { startEmulator } from "../../emulator";
import { profiled } from "../support/emulator-profile";
import { FAST_TIMINGS } from "../../emulator";
import type { RunningEmulator } from "../../emulator";
import type { FaultSettings } from "../../emulator/settings";
import type { TestStack } from "./harness";
import { FAST_TUNING, setSpec, sharingStack, Spec } from "./fixtures";
import { duplicates, errorLines, hexIdOf, idsInState, liveObjects, orphans, uninformative } from "./invariants";

jest.setTimeout(300_000);

const SEED = Number(process.env.CHAOS_SEED ?? 4242);
const MAX_ATTEMPTS = 8;
let OWNER = hexIdOf("chaos-owner");
const partner = (n: number) => hexIdOf(`chaos-partner-${n}`);
const ruleset = (n: number) => hexIdOf(`chaos-ruleset-${n}`);
const policy = (n: number) => hexIdOf(`chaos-policy-${n}`);

/**
 * Two rounds with the same faults. With the client's own retries most faults never reach the engine;
 * with one retry only, they do, and the engine operations fail and are re-run: that round exercises
 * failure reports and the state left by failed steps.
 */
const ROUNDS = [
  { label: "client retrying as configured by default", client: {} },
  { label: "client retrying once (faults reach the engine)", client: { maxRetries: 1 } },
];
const TIMEOUTS = { create: "90s", update: "90s", delete: "90s" };

const FAULTS: Partial<FaultSettings> = {
  serverErrorRate: 0.1,
  rateLimitRate: 0.05,
  rateLimitRetryAfterS: 1,
  connectionResetRate: 0.02,
  lostPostResponseRate: 0.01,
  latencyMs: [5, 40],
};

/** 3 shares × (2 inline recipients + 2 inline resources) + 4 separate recipients + 4 separate resources. */
function initialSpec(): Spec {
  const shares: Record<string, object> = {};
  for (let s = 0; s < 3; s++) {
    shares[`s${s}`] = {
      name: `chaos fleet ${s}`,
      recipients: [{ recipientAccountId: partner(10 * s + 1) }, { recipientAccountId: partner(10 * s + 2) }],
      resources: [
        { resourceType: "custom-ruleset", resourceId: ruleset(10 * s + 1), resourceAccountId: OWNER, meta: { tier: "gold", share: s } },
        { resourceType: "gateway-policy", resourceId: policy(10 * s + 1), resourceAccountId: OWNER },
      ],
      timeouts: TIMEOUTS,
    };
  }
  const recipients: Record<string, object> = {};
  const resources: Record<string, object> = {};
  for (let i = 0; i < 4; i++) {
    recipients[`r${i}`] = { share: `s${i % 3}`, recipientAccountId: partner(100 + i), timeouts: { create: "90s", delete: "90s" } };
    resources[`x${i}`] = { share: `s${i % 3}`, resourceType: "custom-ruleset", resourceId: ruleset(100 + i), resourceAccountId: OWNER, meta: `{"n":${i}}`, timeouts: TIMEOUTS };
  }
  return { accountId: OWNER, shares, recipients, resources };
}

/** Renames every share; adds and removes inline items; changes meta; adds and removes separate objects. */
function changedSpec(): Spec {
  const spec = initialSpec();
  const shares = spec.shares as Record<string, any>;
  for (const key of Object.keys(shares)) shares[key].name = `${shares[key].name} (renamed)`;
  shares.s0.recipients = [{ recipientAccountId: partner(1) }, { recipientAccountId: partner(3) }]; // -partner(2) +partner(3)
  shares.s0.resources[0].meta = { tier: "platinum" };
  shares.s1.resources = [shares.s1.resources[0], { resourceType: "custom-ruleset", resourceId: ruleset(12), resourceAccountId: OWNER }]; // -policy +ruleset
  shares.s2.recipients.push({ organizationId: undefined, recipientAccountId: partner(23) });
  shares.s2.resources[1].meta = '{"added":true}';
  const recipients = spec.recipients as Record<string, any>;
  delete recipients.r1;
  recipients.r4 = { share: "s1", recipientAccountId: partner(104), timeouts: { create: "90s", delete: "90s" } };
  const resources = spec.resources as Record<string, any>;
  delete resources.x2;
  resources.x0.meta = '{"n":0,"changed":"yes"}';
  resources.x4 = { share: "s2", resourceType: "gateway-policy", resourceId: policy(104), resourceAccountId: OWNER, timeouts: TIMEOUTS };
  return JSON.parse(JSON.stringify(spec)); // drops the undefined organizationId
}

/** What the API must hold after a successful `up` of `spec`: per share name, recipients and resources. */
function expectedWorld(spec: Spec) {
  const world = new Map<string, { recipients: string[]; resources: string[] }>();
  const byKey = new Map<string, string>();
  for (const [key, share] of Object.entries(spec.shares ?? {}) as [string, any][]) {
    byKey.set(key, share.name);
    world.set(share.name, {
      recipients: share.recipients.map((r: any) => r.recipientAccountId ?? r.organizationId),
      resources: share.resources.map((r: any) => `${r.resourceType} ${r.resourceId} ${canonical(r.meta)}`),
    });
  }
  for (const r of Object.values(spec.recipients ?? {}) as any[]) world.get(byKey.get(r.share)!)!.recipients.push(r.recipientAccountId);
  for (const r of Object.values(spec.resources ?? {}) as any[]) world.get(byKey.get(r.share)!)!.resources.push(`${r.resourceType} ${r.resourceId} ${canonical(r.meta)}`);
  return [...world.entries()].map(([name, w]) => ({ name, recipients: w.recipients.sort(), resources: w.resources.sort() })).sort((a, b) => a.name.localeCompare(b.name));
}

function canonical(meta: unknown): string {
  const object = meta === undefined ? {} : typeof meta === "string" ? JSON.parse(meta) : meta;
  const sort = (v: any): any => (Array.isArray(v) ? v.map(sort) : v && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort(v[k])])) : v);
  return JSON.stringify(sort(object));
}

interface Attempt {
  step: string;
  attempt: number;
  ok: boolean;
  ms: number;
  requests: number;
  faults: Record<string, number>;
  errors: string[];
  /** Orphans / duplicates right after a failed attempt (the next attempt may heal them). */
  transient: string[];
}

describe.each(ROUNDS)("a fleet under injected faults (real engine), $label", ({ label, client }) => {
  let emulator: RunningEmulator;
  let testStack: TestStack;
  const attempts: Attempt[] = [];

  beforeAll(async () => {
    OWNER = hexIdOf(`chaos-owner ${label}`);
    emulator = await startEmulator({
      seed: SEED,
      settings: profiled({
        timings: { ...FAST_TIMINGS },
        // The real budget (1200 / 5 min, then a 5 min block) is another test's concern.
        rateLimit: { limit: 100_000 },
        faults: FAULTS,
      }),
    });
    const tuning = JSON.stringify({ ...JSON.parse(FAST_TUNING), client: { ...JSON.parse(FAST_TUNING).client, rateBudget: { limit: 100_000 }, ...client } });
    testStack = await sharingStack(emulator, initialSpec(), { CLOUDFLARE_SHARING_TUNING: tuning });
  });

  afterAll(async () => {
    // Print what happened, for the CI log (and for reproducing a failure).
    // eslint-disable-next-line no-console
    console.log(
      `chaos seed ${SEED}, ${label}\n` +
        attempts
          .map((a) => `${a.step}#${a.attempt} ${a.ok ? "ok" : "FAILED"} ${(a.ms / 1000).toFixed(1)}s ${a.requests} requests faults=${JSON.stringify(a.faults)}` +
            (a.errors.length ? `\n    ${a.errors.join("\n    ")}` : "") + (a.transient.length ? `\n    transient: ${a.transient.join("; ")}` : ""))
          .join("\n"),
    );
    if (emulator) emulator.control.configure({ faults: { serverErrorRate: 0, rateLimitRate: 0, connectionResetRate: 0, lostPostResponseRate: 0, latencyMs: 0 } });
    await testStack?.destroyAndRemove().catch(() => undefined);
    await emulator?.stop();
  });

  const stateIds = async () => idsInState(await testStack.exportState());

  /** Runs an engine operation, re-running it after a failure; returns the successful result. */
  async function step<T>(name: string, operation: (onOutput: (line: string) => void) => Promise<T>): Promise<T> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      emulator.control.clearLog();
      const output: string[] = [];
      const started = Date.now();
      const record = (ok: boolean, errors: string[], transient: string[]) => {
        const log = emulator.control.requestLog();
        const faults: Record<string, number> = {};
        for (const entry of log) if (entry.fault && entry.fault !== "latency") faults[entry.fault] = (faults[entry.fault] ?? 0) + 1;
        attempts.push({ step: name, attempt, ok, ms: Date.now() - started, requests: log.length, faults, errors, transient });
      };
      try {
        const result = await operation((line) => output.push(line));
        record(true, [], []);
        return result;
      } catch (error) {
        const text = `${output.join("")}\n${(error as Error).message ?? error}`;
        if (process.env.CHAOS_DUMP) require("node:fs").appendFileSync(process.env.CHAOS_DUMP, `\n===== ${label} ${name}#${attempt}\n${text}\n`);
        const errors = [...new Set(errorLines(text))];
        // Every failure says what failed and why.
        expect(errors.length).toBeGreaterThan(0);
        for (const line of errors) {
          const problem = uninformative(line);
          if (problem) throw new Error(`${name} attempt ${attempt}: failure reported without its reason (${problem}): ${line}`);
        }
        const live = liveObjects(emulator, OWNER);
        const ids = await stateIds();
        record(false, errors, [...orphans(live, ids).map((o) => `orphan ${o}`), ...duplicates(live).map((d) => `duplicate ${d}`)]);
      }
    }
    throw new Error(`${name} still failing after ${MAX_ATTEMPTS} attempts:\n${JSON.stringify(attempts.filter((a) => a.step === name), null, 2)}`);
  }

  /** The invariants that must hold after every step. */
  async function expectNothingLost(): Promise<void> {
    const live = liveObjects(emulator, OWNER);
    const ids = await stateIds();
    expect(ids.pending).toEqual([]);
    expect(orphans(live, ids)).toEqual([]);
    expect(duplicates(live)).toEqual([]);
  }

  /** After a successful `up`: the API holds exactly what the program declares, and all of it settled. */
  function expectWorldIs(spec: Spec): void {
    const live = liveObjects(emulator, OWNER);
    const actual = live
      .map(({ share, recipients, resources }) => ({
        name: share.name,
        recipients: recipients.map((r) => r.account_id).sort(),
        resources: resources.map((r) => `${r.resource_type} ${r.resource_id} ${canonical(r.meta)}`).sort(),
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(actual).toEqual(expectedWorld(spec));
    for (const { share, recipients, resources } of live) {
      expect(share.status).toBe("active");
      expect(recipients.map((r) => r.association_status)).toEqual(recipients.map(() => "associated"));
      expect(resources.map((r) => r.status)).toEqual(resources.map(() => "active"));
    }
  }

  it("up creates the fleet", async () => {
    const up = await step("up", (onOutput) => testStack.stack.up({ onOutput }));
    expect(up.summary.result).toBe("succeeded");
    await expectNothingLost();
    expectWorldIs(initialSpec());
    const ids = await stateIds();
    expect([ids.shares.size, ids.recipients.size, ids.resources.size]).toEqual([3, 10, 10]);
  });

  it("refresh keeps every object", async () => {
    const before = await stateIds();
    const refresh = await step("refresh", (onOutput) => testStack.stack.refresh({ onOutput }));
    expect(refresh.summary.result).toBe("succeeded");
    await expectNothingLost();
    const after = await stateIds();
    expect([...after.shares].sort()).toEqual([...before.shares].sort());
    expect([...after.recipients].sort()).toEqual([...before.recipients].sort());
    expect([...after.resources].sort()).toEqual([...before.resources].sort());
  });

  it("up applies renames, added and removed items, and meta changes", async () => {
    const spec = changedSpec();
    await setSpec(testStack, spec);
    const up = await step("change", (onOutput) => testStack.stack.up({ onOutput }));
    expect(up.summary.result).toBe("succeeded");
    await expectNothingLost();
    expectWorldIs(spec);
  });

  it("destroy leaves nothing live", async () => {
    const destroy = await step("destroy", (onOutput) => testStack.stack.destroy({ onOutput }));
    expect(destroy.summary.result).toBe("succeeded");
    await expectNothingLost();
    expect(liveObjects(emulator, OWNER)).toEqual([]);
    const state = await testStack.exportState();
    expect(state.resources ?? []).toEqual([]);
    // The faults really were injected, every kind of them, over the run.
    const kinds = new Set(attempts.flatMap((a) => Object.keys(a.faults)));
    expect([...kinds].sort()).toEqual(expect.arrayContaining(["rate-limit", "server-error"]));
  });
});
