// Processes on one machine that use one token share a record of their requests (machine-ledger.ts):
// processes started at the same instant know each other before any answer comes back, which the
// server's headers alone cannot give them. The budgets run against the emulator's limiter on a fake
// clock, each with its own view of one record folder, as separate processes would.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { MachineLedger, ledgerDir } from "../../provider/client/core/machine-ledger";
import { RateBudget } from "../../provider/client/core/rate-budget";
import { CLIENT_DEFAULTS } from "../../provider/client/core/defaults";
import { ManualClock } from "../../provider/client/testing";
import type { RateLimitSettings } from "../../emulator/settings";
import { SimulatedApi, processBudget, runRequests } from "./helpers/rate-limited-runs";

jest.setTimeout(60_000);

const START = Date.parse("2026-03-01T12:00:00Z");

function api(settings: Partial<RateLimitSettings>): SimulatedApi {
  const clock = new ManualClock({ start: START, autoAdvance: true });
  return new SimulatedApi(clock, { enabled: true, limit: 1200, windowMs: 300_000, blockMs: 300_000, legacyHeaders: false, ...settings });
}

function recordDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "ledger-test-"));
}

/** The budget of process number `i` on this machine: the process budget with its own view of the record. */
function machineBudget(server: SimulatedApi, dir: string, i: number): RateBudget {
  const ledger = new MachineLedger(dir, `${process.pid}-process${i}`);
  return new RateBudget({ ...CLIENT_DEFAULTS.rateBudget, maxConcurrent: CLIENT_DEFAULTS.maxConcurrentRequests, probeFirst: true }, server.clock, ledger);
}

describe("processes started at the same instant on one machine", () => {
  it("three at once at 60 per 20 s: 429s with the server's headers alone, none with the shared record", async () => {
    const alone = api({ limit: 60, windowMs: 20_000 });
    await Promise.all([0, 1, 2].map(() => runRequests(alone, processBudget(alone.clock), 60)));
    expect(alone.rejected).toBeGreaterThan(0); // what the record is for: each first answer comes too late

    const server = api({ limit: 60, windowMs: 20_000 });
    const dir = recordDir();
    const start = server.clock.now();
    await Promise.all([0, 1, 2].map((i) => runRequests(server, machineBudget(server, dir, i), 60)));
    expect(server.accepted).toBe(180);
    expect(server.rejected).toBe(0);
    // 180 requests at up to 57 per 20 s (the 5 % margin): the fourth window opens at 60 s.
    expect(server.clock.now() - start).toBeLessThan(85_000);
  });

  it("thirty-two at once at 1200 per 300 s: 0 × 429 while together they send two windows' worth", async () => {
    const server = api({ limit: 1200, windowMs: 300_000 });
    const dir = recordDir();
    const start = server.clock.now();
    await Promise.all(Array.from({ length: 32 }, (_, i) => runRequests(server, machineBudget(server, dir, i), 75)));
    expect(server.accepted).toBe(2400);
    expect(server.rejected).toBe(0);
    expect(server.clock.now() - start).toBeLessThan(620_000);
  });
});

describe("the record itself", () => {
  it("keeps the token out of folder and file names, and is off with CLOUDFLARE_SHARING_RATE_DIR=off", () => {
    const dir = ledgerDir("https://api.example 0123456789abcdef", { CLOUDFLARE_SHARING_RATE_DIR: "/records" });
    expect(dir).toMatch(/^\/records\/[0-9a-f]{32}$/);
    expect(dir).not.toContain("0123456789abcdef");
    expect(ledgerDir("key", { CLOUDFLARE_SHARING_RATE_DIR: "off" })).toBeUndefined();
  });

  it("a request in flight counts for the others until its answer is recorded; a dead process's leave at once", () => {
    const dir = recordDir();
    const mine = new MachineLedger(dir, `${process.pid}-mine`);
    const other = new MachineLedger(dir, `${process.pid}-other`);
    const seq = other.transact(0, () => other.sent(1_000));
    expect(mine.transact(0, (neighbours) => neighbours)).toEqual([{ sentAt: 1_000, doneAt: undefined }]);
    other.done(seq, 1_050);
    expect(mine.transact(0, (neighbours) => neighbours)).toEqual([{ sentAt: 1_000, doneAt: 1_050 }]);
    // Older than the horizon asked for: no longer reported.
    expect(mine.transact(2_000, (neighbours) => neighbours)).toEqual([]);

    // A process that died with a request in flight (no such pid): the server counted it when sent.
    fs.writeFileSync(path.join(dir, "999999999-dead.log"), "s 1 5000\n");
    expect(mine.transact(0, (neighbours) => neighbours)).toContainEqual({ sentAt: 5_000, doneAt: 5_000 });
    // Once all its requests have left, its file is removed rather than read at every decision.
    expect(mine.transact(6_000, (neighbours) => neighbours)).not.toContainEqual({ sentAt: 5_000, doneAt: 5_000 });
    expect(fs.existsSync(path.join(dir, "999999999-dead.log"))).toBe(false);
  });

  it("a half-written line is read once it is complete", () => {
    const dir = recordDir();
    const mine = new MachineLedger(dir, `${process.pid}-mine`);
    const file = path.join(dir, `${process.pid}-writer.log`);
    fs.writeFileSync(file, "s 1 10");
    expect(mine.transact(0, (neighbours) => neighbours)).toEqual([]);
    fs.appendFileSync(file, "00\n");
    expect(mine.transact(0, (neighbours) => neighbours)).toEqual([{ sentAt: 1_000, doneAt: undefined }]);
  });

  it("a folder that cannot be written turns the record off; the budget goes on without it", async () => {
    const parent = recordDir();
    const blocked = path.join(parent, "not-a-folder");
    fs.writeFileSync(blocked, "");
    const ledger = new MachineLedger(blocked, `${process.pid}-x`);
    expect(ledger.working).toBe(false);
    const server = api({ limit: 60, windowMs: 20_000 });
    const budget = new RateBudget({ ...CLIENT_DEFAULTS.rateBudget, maxConcurrent: 4, probeFirst: true }, server.clock, ledger);
    const run = await runRequests(server, budget, 30);
    expect(run.rejected).toBe(0);
    expect(server.accepted).toBe(30);
  });

  it("a lock left by a dead process is taken after a moment, not waited on forever", () => {
    const dir = recordDir();
    const mine = new MachineLedger(dir, `${process.pid}-mine`);
    fs.mkdirSync(path.join(dir, "lock"));
    const old = new Date(Date.now() - 10_000);
    fs.utimesSync(path.join(dir, "lock"), old, old);
    const started = Date.now();
    expect(mine.transact(0, () => "decided")).toBe("decided");
    expect(Date.now() - started).toBeLessThan(200);
    expect(fs.existsSync(path.join(dir, "lock"))).toBe(false); // released after the decision
  });
});
