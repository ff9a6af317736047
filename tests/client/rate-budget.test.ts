// RateBudget on a manual clock: exact waits of the rolling window, header re-sync, 429 pause, the
// concurrency cap, and one budget per process shared by separately loaded copies of the client.
import { RateBudget, parseRatelimitHeader, parseRatelimitPolicyHeader, type RatePermit, type RateWaitInfo } from "../../provider/client/core/rate-budget";
import { CLIENT_DEFAULTS } from "../../provider/client/core/defaults";
import { ManualClock } from "../../provider/client/testing";
import { TEST_TOKEN } from "./helpers/client";

const START = Date.parse("2026-03-01T12:00:00Z");

function budget(settings: Partial<RateBudget["settings"]> = {}) {
  const clock = new ManualClock({ start: START });
  const rateBudget = new RateBudget({ limit: 3, windowMs: 1000, safetyMargin: 0, maxConcurrent: 100, ...settings }, clock);
  return { clock, rateBudget };
}

/** Acquires and tracks resolution without awaiting, so a test can observe "still waiting". */
function track(promise: Promise<RatePermit>) {
  const state: { permit?: RatePermit; error?: unknown } = {};
  promise.then((p) => (state.permit = p), (e) => (state.error = e));
  return state;
}

async function fill(rateBudget: RateBudget, count: number): Promise<RatePermit[]> {
  return Promise.all(Array.from({ length: count }, () => rateBudget.acquire()));
}

describe("rolling window", () => {
  it("lets requests through at once while the window has room", async () => {
    const { rateBudget, clock } = budget();
    await fill(rateBudget, 3);
    expect(clock.sleeps).toEqual([]);
  });

  it("holds the next request until the oldest leaves the window, to the millisecond", async () => {
    const { rateBudget, clock } = budget();
    (await fill(rateBudget, 3)).forEach((p) => p.release()); // all complete at START
    const fourth = track(rateBudget.acquire());
    await clock.advance(1000);
    expect(fourth.permit).toBeUndefined(); // still inside the window at exactly windowMs
    await clock.advance(1);
    expect(fourth.permit).toBeDefined();
  });

  it("counts a request from its completion, since the server counted it somewhere in between", async () => {
    const { rateBudget, clock } = budget({ limit: 1 });
    const first = await rateBudget.acquire();
    await clock.advance(400);
    first.release();
    const second = track(rateBudget.acquire());
    await clock.advance(1000);
    expect(second.permit).toBeUndefined();
    await clock.advance(1);
    expect(second.permit).toBeDefined();
  });

  it("never expires a request still in flight", async () => {
    const { rateBudget, clock } = budget({ limit: 1 });
    const inFlight = await rateBudget.acquire();
    const next = track(rateBudget.acquire());
    await clock.advance(10_000);
    expect(next.permit).toBeUndefined();
    inFlight.release();
    await clock.advance(1001);
    expect(next.permit).toBeDefined();
  });

  it("frees slots one by one as each old request leaves (not a fixed rate)", async () => {
    const { rateBudget, clock } = budget({ limit: 3 });
    for (const offset of [0, 100, 200]) {
      await clock.advance(offset === 0 ? 0 : 100);
      (await rateBudget.acquire()).release();
    }
    const waiting = [track(rateBudget.acquire()), track(rateBudget.acquire())];
    await clock.advance(1001 - 200); // t = 1001: the first left
    expect(waiting.map((w) => w.permit !== undefined)).toEqual([true, false]);
    await clock.advance(100); // t = 1101: the second left
    expect(waiting.map((w) => w.permit !== undefined)).toEqual([true, true]);
  });

  it("keeps the safety margin unused", async () => {
    const { rateBudget } = budget({ limit: 10, safetyMargin: 0.2 });
    expect(rateBudget.capacity).toBe(8);
    await fill(rateBudget, 8);
    const ninth = track(rateBudget.acquire());
    await new Promise((r) => setImmediate(r));
    expect(ninth.permit).toBeUndefined();
  });

  it("caps requests in flight and admits the next on release, with no time passing", async () => {
    const { rateBudget } = budget({ limit: 100, maxConcurrent: 2 });
    const [a] = await fill(rateBudget, 2);
    const third = track(rateBudget.acquire());
    await new Promise((r) => setImmediate(r));
    expect(third.permit).toBeUndefined();
    a.release();
    await new Promise((r) => setImmediate(r));
    expect(third.permit).toBeDefined();
  });

  it("reports a window wait with its estimate, once", async () => {
    const { rateBudget, clock } = budget();
    (await fill(rateBudget, 3)).forEach((p) => p.release());
    await clock.advance(250);
    const waits: RateWaitInfo[] = [];
    track(rateBudget.acquire({ onWait: (w) => waits.push(w) }));
    expect(waits).toMatchObject([{ reason: "window", waitMs: 751 }]);
  });

  it("removes an aborted waiter and rejects with the abort reason", async () => {
    const { rateBudget } = budget({ limit: 1 });
    await rateBudget.acquire();
    const controller = new AbortController();
    const waiter = track(rateBudget.acquire({ signal: controller.signal }));
    controller.abort(new Error("stop"));
    await new Promise((r) => setImmediate(r));
    expect((waiter.error as Error).message).toBe("stop");
    expect(rateBudget.snapshot().queued).toBe(0);
  });
});

describe("the per-IP cap", () => {
  it("lets perSecond requests count at once and the next go a second after the first answer", async () => {
    const { rateBudget, clock } = budget({ limit: 1000, windowMs: 60_000, perSecond: 5 });
    const first = await fill(rateBudget, 5);
    const sixth = track(rateBudget.acquire());
    await clock.advance(0);
    expect(sixth.permit).toBeUndefined();
    await clock.advance(200);
    first[0].release(); // answered at +200 ms: it counts until +1200
    first.slice(1).forEach((p) => p.release());
    await clock.advance(1000);
    expect(sixth.permit).toBeUndefined();
    await clock.advance(1);
    expect(sixth.permit).toBeDefined();
  });
});

describe("writes first when the budget runs low", () => {
  const look = { priority: "look" as const };

  it("keeps the write reserve from looks: a look waits while a write at the same moment goes", async () => {
    const { rateBudget, clock } = budget({ limit: 10, writeReserve: 0.2 });
    expect(rateBudget.lookCapacity).toBe(8);
    await Promise.all(Array.from({ length: 8 }, () => rateBudget.acquire(look))).then((permits) => permits.forEach((p) => p.release()));
    const waits: RateWaitInfo[] = [];
    const heldLook = track(rateBudget.acquire({ ...look, onWait: (w) => waits.push(w) }));
    const write = track(rateBudget.acquire({ priority: "write" }));
    await new Promise((r) => setImmediate(r));
    expect(write.permit).toBeDefined();
    expect(heldLook.permit).toBeUndefined();
    expect(waits).toMatchObject([{ reason: "writes-first", waitMs: 1001 }]);
    await clock.advance(1001); // the first eight leave the window
    expect(heldLook.permit).toBeDefined();
  });

  it("lets looks use the write reserve once writes have been quiet for writeQuietMs (the end of an up: only looks are left)", async () => {
    const { rateBudget, clock } = budget({ limit: 10, windowMs: 60_000, writeReserve: 0.2, writeQuietMs: 2_000 });
    await Promise.all(Array.from({ length: 8 }, () => rateBudget.acquire({ priority: "write" }))).then((permits) => permits.forEach((p) => p.release()));
    const waits: RateWaitInfo[] = [];
    const heldLook = track(rateBudget.acquire({ ...look, onWait: (w) => waits.push(w) }));
    await new Promise((r) => setImmediate(r));
    expect(heldLook.permit).toBeUndefined(); // writes were sent a moment ago: more may come
    expect(waits).toMatchObject([{ reason: "writes-first", waitMs: 2_000 }]);
    await clock.advance(2_000);
    expect(heldLook.permit).toBeDefined(); // quiet since: the reserve has nobody to serve
    // A write that comes now still finds the last slot; the reserve is back in force after it.
    const write = track(rateBudget.acquire({ priority: "write" }));
    await new Promise((r) => setImmediate(r));
    expect(write.permit).toBeDefined();
    const lateLook = track(rateBudget.acquire(look));
    await new Promise((r) => setImmediate(r));
    expect(lateLook.permit).toBeUndefined(); // the window is full anyway
  });

  it("with the client's default reserve lets a writing run's looks into it whenever none of its writes waits", async () => {
    const { writeReserve, writeQuietMs } = CLIENT_DEFAULTS.rateBudget;
    const { rateBudget } = budget({ limit: 10, windowMs: 60_000, safetyMargin: 0, writeReserve: 2 * writeReserve, writeQuietMs, maxConcurrent: 8 });
    expect(rateBudget.lookCapacity).toBe(8);
    await Promise.all(Array.from({ length: 8 }, () => rateBudget.acquire({ priority: "write" }))).then((permits) => permits.forEach((p) => p.release()));
    // A share's POST went a moment ago; its create can only return once a look shows it settled.
    const settleLook = track(rateBudget.acquire(look));
    await new Promise((r) => setImmediate(r));
    expect(settleLook.permit).toBeDefined();
  });

  it("never lets looks into the reserve in a run that sent no write (a refresh leaves it to the writes of the runs after it)", async () => {
    const { rateBudget, clock } = budget({ limit: 10, windowMs: 60_000, writeReserve: 0.2, writeQuietMs: 2_000 });
    await Promise.all(Array.from({ length: 8 }, () => rateBudget.acquire(look))).then((permits) => permits.forEach((p) => p.release()));
    const heldLook = track(rateBudget.acquire(look));
    await clock.advance(10_000);
    expect(heldLook.permit).toBeUndefined();
    await clock.advance(50_001); // the window rolls
    expect(heldLook.permit).toBeDefined();
  });

  it("keeps the reserve while a write waits, however long ago the last one was sent", async () => {
    const { rateBudget, clock } = budget({ limit: 10, windowMs: 60_000, writeReserve: 0.2, writeQuietMs: 2_000, maxConcurrent: 8 });
    const held = await Promise.all(Array.from({ length: 8 }, () => rateBudget.acquire({ priority: "write" })));
    await clock.advance(5_000);
    const waitingWrite = track(rateBudget.acquire({ priority: "write" })); // held by the concurrency cap
    const heldLook = track(rateBudget.acquire(look));
    await new Promise((r) => setImmediate(r));
    expect(waitingWrite.permit).toBeUndefined();
    expect(heldLook.permit).toBeUndefined();
    held[0].release();
    await new Promise((r) => setImmediate(r));
    expect(waitingWrite.permit).toBeDefined();
    expect(heldLook.permit).toBeUndefined(); // a write was sent just now
  });

  it("lets writes queued after looks go first once the window frees up", async () => {
    const { rateBudget, clock } = budget({ limit: 4, writeReserve: 0 });
    (await fill(rateBudget, 4)).forEach((p) => p.release());
    const order: string[] = [];
    const queued = [
      rateBudget.acquire(look).then(() => order.push("look 1")),
      rateBudget.acquire(look).then(() => order.push("look 2")),
      rateBudget.acquire({ priority: "write" }).then(() => order.push("write 1")),
      rateBudget.acquire({ priority: "write" }).then(() => order.push("write 2")),
    ];
    await clock.advance(1001);
    await Promise.all(queued);
    expect(order).toEqual(["write 1", "write 2", "look 1", "look 2"]);
  });

  it("estimates a look's wait behind every queued write", async () => {
    const { rateBudget, clock } = budget({ limit: 3 });
    for (let i = 0; i < 3; i++) {
      (await rateBudget.acquire()).release();
      await clock.advance(100);
    }
    // t = 300: the three leave the window at 1001, 1101 and 1201.
    track(rateBudget.acquire({ priority: "write" }));
    const waits: RateWaitInfo[] = [];
    track(rateBudget.acquire({ ...look, onWait: (w) => waits.push(w) }));
    track(rateBudget.acquire({ priority: "write" }));
    expect(waits).toMatchObject([{ reason: "window", waitMs: 1101 - 300 }]); // one write ahead of it
  });

  it("does not hold looks without a reserve (the default)", async () => {
    const { rateBudget } = budget({ limit: 3 });
    await Promise.all([rateBudget.acquire(look), rateBudget.acquire(look), rateBudget.acquire(look)]);
    expect(rateBudget.snapshot().inWindow).toBe(3);
  });
});

describe("re-sync from response headers", () => {
  it("trusts X-RateLimit-Remaining when the server knows of more requests than we sent", async () => {
    const { rateBudget, clock } = budget({ limit: 10 });
    (await rateBudget.acquire()).release();
    rateBudget.observe({ "x-ratelimit-limit": "10", "x-ratelimit-remaining": "0" }); // someone else used 9
    expect(rateBudget.snapshot().inWindow).toBe(10);
    const next = track(rateBudget.acquire());
    await clock.advance(1000);
    expect(next.permit).toBeUndefined();
    await clock.advance(1);
    expect(next.permit).toBeDefined();
  });

  it("does not mistake a stale snapshot for another user's requests", async () => {
    const { rateBudget, clock } = budget({ limit: 2 });
    (await rateBudget.acquire()).release(); // A, t=0
    await clock.advance(500);
    const sentAt = clock.now();
    const b = await rateBudget.acquire(); // B, sent at t=500
    await clock.advance(502); // t=1002: A has left our window
    // B's answer was computed around t=500, when the server still counted A: "0 remaining" is old news.
    rateBudget.observe({ "x-ratelimit-limit": "2", "x-ratelimit-remaining": "0" }, sentAt);
    expect(rateBudget.snapshot().inWindow).toBe(1);
    b.release();
    // Read as fresh, the same headers mean someone else sent one: it is recorded.
    rateBudget.observe({ "x-ratelimit-limit": "2", "x-ratelimit-remaining": "0" });
    expect(rateBudget.snapshot().inWindow).toBe(2);
  });

  it("ignores a server that reports more room than we know we used", async () => {
    const { rateBudget } = budget({ limit: 10 });
    await fill(rateBudget, 5);
    rateBudget.observe({ "x-ratelimit-remaining": "9" });
    expect(rateBudget.snapshot().inWindow).toBe(5);
  });

  it("uses the Ratelimit header's reset time for requests it did not see", async () => {
    const { rateBudget, clock } = budget({ limit: 5, windowMs: 60_000 });
    rateBudget.observe({ ratelimit: '"default";r=0;t=5' });
    const next = track(rateBudget.acquire());
    await clock.advance(5000);
    expect(next.permit).toBeUndefined();
    await clock.advance(1);
    expect(next.permit).toBeDefined();
  });

  it("adopts a lower X-RateLimit-Limit but never a higher one", () => {
    const { rateBudget } = budget({ limit: 100, safetyMargin: 0.1 });
    rateBudget.observe({ "x-ratelimit-limit": "1000" });
    expect(rateBudget.capacity).toBe(90);
    rateBudget.observe({ "x-ratelimit-limit": "50" });
    expect(rateBudget.capacity).toBe(45);
  });

  it("parses the IETF Ratelimit header", () => {
    expect(parseRatelimitHeader('"default";r=50;t=30')).toEqual([{ name: "default", remaining: 50, resetS: 30 }]);
    expect(parseRatelimitHeader('"burst";r=5;t=1, "default";r=900')).toEqual([
      { name: "burst", remaining: 5, resetS: 1 },
      { name: "default", remaining: 900, resetS: undefined },
    ]);
    expect(parseRatelimitHeader("garbage")).toEqual([]);
  });
});

describe("server pause (429 Retry-After)", () => {
  it("holds every caller until the pause ends", async () => {
    const { rateBudget, clock } = budget({ limit: 100 });
    rateBudget.pauseUntil(clock.now() + 3000);
    const waits: RateWaitInfo[] = [];
    const callers = [track(rateBudget.acquire({ onWait: (w) => waits.push(w) })), track(rateBudget.acquire())];
    expect(waits).toEqual([{ reason: "server-pause", waitMs: 3000 }]);
    await clock.advance(2999);
    expect(callers.every((c) => c.permit === undefined)).toBe(true);
    await clock.advance(1);
    expect(callers.every((c) => c.permit !== undefined)).toBe(true);
  });
});

describe("one budget per process and credential", () => {
  type ClientModule = typeof import("../../provider/client");
  function loadCopy(): ClientModule {
    let copy!: ClientModule;
    jest.isolateModules(() => {
      copy = require("../../provider/client");
    });
    return copy;
  }

  it("is shared by separately loaded copies of the client through globalThis", () => {
    const first = loadCopy();
    const second = loadCopy();
    expect(second.CloudflareSharingClient).not.toBe(first.CloudflareSharingClient); // really two copies
    const baseUrl = "http://127.0.0.1:9/shared-budget-test";
    const a = new first.CloudflareSharingClient({ credentials: { apiToken: TEST_TOKEN }, baseUrl });
    const b = new second.CloudflareSharingClient({ credentials: { apiToken: TEST_TOKEN }, baseUrl });
    const other = new second.CloudflareSharingClient({ credentials: { apiToken: `${TEST_TOKEN}-other` }, baseUrl });
    expect(a.http.rateBudget).toBe(b.http.rateBudget);
    expect(other.http.rateBudget).not.toBe(a.http.rateBudget);
  });

  it("keys the registry by a fingerprint, never the credential", () => {
    const registry = (globalThis as unknown as Record<symbol, Map<string, unknown>>)[Symbol.for("pulumi-cloudflare-sharing.rateBudgets")];
    expect(registry.size).toBeGreaterThan(0);
    for (const key of registry.keys()) expect(key).not.toContain(TEST_TOKEN);
  });
});

describe("first contact", () => {
  it("sends one request and learns the server's remaining quota before opening up", async () => {
    const { ManualClock } = await import("../../provider/client/testing");
    const { RateBudget } = await import("../../provider/client/core/rate-budget");
    const clock = new ManualClock({ start: 0 });
    const budget = new RateBudget({ limit: 100, windowMs: 10_000, safetyMargin: 0, maxConcurrent: 8, probeFirst: true }, clock);
    const granted: number[] = [];
    const permits = Array.from({ length: 5 }, (_, i) => budget.acquire().then((permit) => (granted.push(i), permit)));
    await Promise.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(granted).toEqual([0]); // the probe goes alone
    const first = await permits[0];
    // Another run of the same token spent the window: only 2 requests remain.
    budget.observe({ "x-ratelimit-limit": "100", "x-ratelimit-remaining": "2" }, 0);
    first.release();
    await new Promise((resolve) => setImmediate(resolve));
    // "2 remaining" after the probe, and others use the token: one at a time, so that the others
    // (who read the same count) have room too; exactly two more go, the rest wait for the window.
    expect(granted).toEqual([0, 1]);
    (await permits[1]).release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(granted).toEqual([0, 1, 2]);
    expect(budget.snapshot().queued).toBe(2);
  });
});

describe("the server's policies", () => {
  it("parses Ratelimit and Ratelimit-Policy items in the IETF draft format: quoted or bare names, parameters in any order, several items", () => {
    expect(parseRatelimitHeader('"burst";t=1;r=5,default;r=900;t=30, "with,comma";r=1')).toEqual([
      { name: "burst", remaining: 5, resetS: 1 },
      { name: "default", remaining: 900, resetS: 30 },
      { name: "with,comma", remaining: 1, resetS: undefined },
    ]);
    expect(parseRatelimitPolicyHeader('"default";w=300;q=1200, "burst";q=100;w=60;pk=:abc=:, "bad";q=x')).toEqual([
      { name: "default", quota: 1200, windowS: 300 },
      { name: "burst", quota: 100, windowS: 60 },
    ]);
  });

  it("takes the server's quota and window, up or down, over the configured ones", () => {
    const { rateBudget } = budget({ limit: 1200, windowMs: 300_000, safetyMargin: 0.05 });
    rateBudget.observe({ "ratelimit-policy": '"default";q=2400;w=300' });
    expect(rateBudget.capacity).toBe(2280);
    rateBudget.observe({ "ratelimit-policy": '"default";q=60;w=20', "x-ratelimit-limit": "1200" });
    expect(rateBudget.capacity).toBe(57);
    expect(rateBudget.policyInfo).toEqual([{ name: "default", quota: 60, windowMs: 20_000, fromServer: true }]);
  });

  it("holds a request while any policy's window is full, and says which", async () => {
    const { rateBudget, clock } = budget({ limit: 100, windowMs: 60_000 });
    rateBudget.observe({ "ratelimit-policy": '"default";q=100;w=60, "burst";q=2;w=1', ratelimit: '"default";r=100;t=60, "burst";r=2;t=0' });
    (await fill(rateBudget, 2)).forEach((p) => p.release());
    const waits: RateWaitInfo[] = [];
    const third = track(rateBudget.acquire({ onWait: (w) => waits.push(w) }));
    expect(waits).toEqual([{ reason: "window", waitMs: 1001, policy: { name: "burst", quota: 2, windowMs: 1000, fromServer: true } }]);
    await clock.advance(1001);
    expect(third.permit).toBeDefined();
  });

  it("lets a reset time bound the wait when X-RateLimit-Remaining (no reset time) comes beside it", async () => {
    const { rateBudget, clock } = budget({ limit: 100, windowMs: 300_000 });
    rateBudget.observe({ "x-ratelimit-limit": "100", "x-ratelimit-remaining": "0", ratelimit: '"default";r=0;t=2', "ratelimit-policy": '"default";q=100;w=300' });
    const next = track(rateBudget.acquire());
    await clock.advance(2000);
    expect(next.permit).toBeUndefined();
    await clock.advance(1);
    expect(next.permit).toBeDefined(); // not 300 s, as X-RateLimit-Remaining alone would have it
  });

  it("sends one request alone once others' requests leave on the reset time, and opens up after its answer", async () => {
    const { rateBudget, clock } = budget({ limit: 10, windowMs: 60_000, maxConcurrent: 4 });
    rateBudget.observe({ ratelimit: '"default";r=0;t=1', "ratelimit-policy": '"default";q=10;w=60' });
    await clock.advance(1001); // the server said nothing frees before 1 s; on a rolling window maybe only the oldest
    const first = [track(rateBudget.acquire()), track(rateBudget.acquire())];
    await new Promise((r) => setImmediate(r));
    expect(first.map((w) => w.permit !== undefined)).toEqual([true, false]);
    rateBudget.observe({ ratelimit: '"default";r=9;t=60', "ratelimit-policy": '"default";q=10;w=60' }, clock.now());
    first[0].permit!.release();
    await new Promise((r) => setImmediate(r));
    expect(first[1].permit).toBeDefined();
  });
});
