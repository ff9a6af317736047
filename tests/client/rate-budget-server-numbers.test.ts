// The rate budget against servers whose numbers are not the configured 1200 per 5 minutes: the
// emulator's limiter answers with its headers on a fake clock, and each run must finish within what
// the server's numbers allow, with no 429. Bounds are the server's own schedule plus one round of slack.
import { ManualClock } from "../../provider/client/testing";
import type { RateLimitSettings } from "../../emulator/settings";
import { SimulatedApi, processBudget, runRequests } from "./helpers/rate-limited-runs";

jest.setTimeout(60_000);

const START = Date.parse("2026-03-01T12:00:00Z");

function api(settings: Partial<RateLimitSettings>): SimulatedApi {
  const clock = new ManualClock({ start: START, autoAdvance: true });
  return new SimulatedApi(clock, { enabled: true, limit: 1200, windowMs: 300_000, blockMs: 300_000, legacyHeaders: false, ...settings });
}

describe("the server's quota and window replace the configured ones", () => {
  it("60 per 20 s with only the documented headers: 150 writes in three windows, 0 × 429", async () => {
    const server = api({ limit: 60, windowMs: 20_000 });
    const run = await runRequests(server, processBudget(server.clock), 150);
    expect(run.rejected).toBe(0);
    // 150 = 57 + 57 + 36 (5 % margin): the third window opens at 40 s.
    expect(run.elapsedMs).toBeLessThan(45_000);
  });

  it("1200 per 300 s: 1500 writes, the last 300+ once the first window rolls, 0 × 429", async () => {
    const server = api({ limit: 1200, windowMs: 300_000 });
    const run = await runRequests(server, processBudget(server.clock), 1500);
    expect(run.rejected).toBe(0);
    expect(run.elapsedMs).toBeGreaterThan(300_000);
    expect(run.elapsedMs).toBeLessThan(310_000);
  });

  it("2400 per 300 s: 2000 writes never wait for the window, 0 × 429", async () => {
    const server = api({ limit: 2400, windowMs: 300_000 });
    const run = await runRequests(server, processBudget(server.clock), 2000);
    expect(run.rejected).toBe(0);
    // At most 190 a second (Cloudflare's per-IP limit, counted until a second after each answer):
    // about 10.6 s, never a window's wait.
    expect(run.elapsedMs).toBeLessThan(12_000);
  });

  it("a burst policy beside default: the tighter one paces the run, 0 × 429", async () => {
    const server = api({ limit: 1200, windowMs: 300_000, burst: { limit: 20, windowMs: 1_000 } });
    const run = await runRequests(server, processBudget(server.clock), 200);
    expect(run.rejected).toBe(0);
    // 19 a second (5 % margin of 20): 200 take 10.5 s of burst windows.
    expect(run.elapsedMs).toBeGreaterThan(9_000);
    expect(run.elapsedMs).toBeLessThan(13_000);
  });
});

describe("a reset time beats a header without one", () => {
  it("60 per 20 s with X-RateLimit-* beside Ratelimit: the same schedule as the documented headers alone", async () => {
    const server = api({ limit: 60, windowMs: 20_000, legacyHeaders: true });
    const run = await runRequests(server, processBudget(server.clock), 150);
    expect(run.rejected).toBe(0);
    expect(run.elapsedMs).toBeLessThan(45_000);
  });

  it.each([false, true])("a refresh right after an up that used 90 %% of the window (X-RateLimit-* too: %s) goes as the window rolls", async (legacyHeaders) => {
    const server = api({ limit: 1200, windowMs: 300_000, legacyHeaders });
    server.spend(1080, 300_000); // the up, spread over the last five minutes: 3.6 requests leave the window each second
    const run = await runRequests(server, processBudget(server.clock), 150, { priority: "look" });
    expect(run.rejected).toBe(0);
    // Looks leave the last 10 % to writes and 5 % as margin: they may fill 1026 of 1200, so they start
    // once 54 of the up's requests left (15 s) and then follow the window, 3.6 a second: 42 s more.
    expect(run.elapsedMs).toBeLessThan(60_000);
  });
});

describe("one token, several processes", () => {
  it("two processes at 60 per 20 s stay under the limit together through the server's counts", async () => {
    const server = api({ limit: 60, windowMs: 20_000 });
    const [a, b] = await Promise.all([runRequests(server, processBudget(server.clock), 100), runRequests(server, processBudget(server.clock), 100)]);
    expect(a.rejected + b.rejected).toBe(0);
    expect(server.rejected).toBe(0);
    // 200 requests at up to 60 per 20 s: the fourth window opens at 60 s.
    expect(Math.max(a.elapsedMs, b.elapsedMs)).toBeLessThan(85_000);
  });

  it("sixteen processes started at once at 1200 per 300 s: 0 × 429 while together they send two windows' worth", async () => {
    const server = api({ limit: 1200, windowMs: 300_000 });
    const runs = await Promise.all(Array.from({ length: 16 }, () => runRequests(server, processBudget(server.clock), 150)));
    expect(server.rejected).toBe(0);
    // 2400 requests: the second window's share goes as the first rolls, at 300 s; the last after 600 s.
    expect(Math.max(...runs.map((run) => run.elapsedMs))).toBeLessThan(620_000);
  });

  it("three processes started a second apart at 60 per 20 s: each one's first answer already counts the others, 0 × 429", async () => {
    const server = api({ limit: 60, windowMs: 20_000 });
    const start = server.clock.now();
    await Promise.all(
      [0, 1, 2].map(async (i) => {
        await server.clock.sleep(i * 1000);
        return runRequests(server, processBudget(server.clock), 60);
      }),
    );
    expect(server.accepted).toBe(180);
    expect(server.rejected).toBe(0);
    // 180 requests at up to 60 per 20 s: the fourth window opens at 60 s.
    expect(server.clock.now() - start).toBeLessThan(85_000);
  });
});
