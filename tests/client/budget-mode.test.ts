// The one rule for spending requests (RateBudget.mode) on a manual clock: latency while every window
// is under half its capacity, saving from there, back to latency as the window rolls; the server's
// numbers (other processes on the token, a `burst` policy, a 429's pause) count; and the progress
// line printed when the mode a process reads changes.
import { LATENCY_FILL } from "../../provider/client/core/budget-mode";
import { RateBudget, type RatePermit } from "../../provider/client/core/rate-budget";
import { ManualClock } from "../../provider/client/testing";
import { spendingMode } from "../../provider/runtime";

const START = Date.parse("2026-03-01T12:00:00Z");

/** A budget of 100 requests per second, 5 % kept as headroom: a capacity of 95. */
function budget() {
  const clock = new ManualClock({ start: START });
  const rateBudget = new RateBudget({ limit: 100, windowMs: 1000, safetyMargin: 0.05, maxConcurrent: 1000 }, clock);
  return { clock, rateBudget };
}

async function send(rateBudget: RateBudget, count: number): Promise<void> {
  const permits: RatePermit[] = await Promise.all(Array.from({ length: count }, () => rateBudget.acquire({ priority: "look" })));
  permits.forEach((permit) => permit.release());
}

describe("RateBudget.mode", () => {
  it("is latency below half the capacity, saving from half on", async () => {
    const { rateBudget } = budget();
    expect(rateBudget.mode).toBe("latency");
    const half = Math.ceil(LATENCY_FILL * rateBudget.capacity); // 48 of 95
    await send(rateBudget, half - 1);
    expect(rateBudget.mode).toBe("latency");
    await send(rateBudget, 1);
    expect(rateBudget.mode).toBe("saving");
  });

  it("turns back to latency once the window has rolled past the requests that filled it", async () => {
    const { rateBudget, clock } = budget();
    await send(rateBudget, 60);
    expect(rateBudget.mode).toBe("saving");
    await clock.advance(1000);
    expect(rateBudget.mode).toBe("saving"); // a request leaves the window strictly after windowMs
    await clock.advance(1);
    expect(rateBudget.mode).toBe("latency");
  });

  it("counts in flight requests as filling the window", async () => {
    const { rateBudget } = budget();
    const permits = await Promise.all(Array.from({ length: 50 }, () => rateBudget.acquire()));
    expect(rateBudget.mode).toBe("saving");
    permits.forEach((permit) => permit.release());
  });

  it("counts what the server says other processes on the token used", async () => {
    const { rateBudget } = budget();
    const permit = await rateBudget.acquire();
    // One request of ours, yet only 40 of 100 left: 59 are someone else's.
    rateBudget.observe({ "ratelimit-policy": '"default";q=100;w=1', ratelimit: '"default";r=40;t=1' });
    permit.release();
    expect(rateBudget.mode).toBe("saving");
  });

  it("reads every policy: a fuller `burst` window beside a quiet `default` one saves", async () => {
    const { rateBudget } = budget();
    const permit = await rateBudget.acquire();
    rateBudget.observe({ "ratelimit-policy": '"default";q=1200;w=300, "burst";q=20;w=1', ratelimit: '"default";r=1190;t=300, "burst";r=8;t=1' });
    permit.release();
    expect(rateBudget.mode).toBe("saving");
  });

  it("saves while a 429's pause holds every request", async () => {
    const { rateBudget, clock } = budget();
    rateBudget.pauseUntil(START + 5_000);
    expect(rateBudget.mode).toBe("saving");
    await clock.advance(5_000);
    expect(rateBudget.mode).toBe("latency");
  });
});

describe("spendingMode", () => {
  it("prints a line when the mode a process reads changes, and only then", async () => {
    const { rateBudget, clock } = budget();
    const lines: string[] = [];
    const spy = jest.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    try {
      expect(spendingMode(rateBudget, clock.now())).toBe("latency");
      expect(lines).toEqual([]); // a run starts spending on latency: nothing to say yet
      await send(rateBudget, 60);
      await clock.advance(100);
      expect(spendingMode(rateBudget, clock.now())).toBe("saving");
      await clock.advance(100);
      expect(spendingMode(rateBudget, clock.now())).toBe("saving");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^rate budget: saving requests \(60 of "default"'s 100 requests per 1 s used\)/);
      await clock.advance(1000);
      expect(spendingMode(rateBudget, clock.now())).toBe("latency");
      expect(lines).toHaveLength(2);
      expect(lines[1]).toMatch(/^rate budget: spending on latency \(0 of "default"'s 100 requests per 1 s used\)/);
    } finally {
      spy.mockRestore();
    }
  });

  it("reads the budget at most every 100 ms: a large stack's looks all ask", async () => {
    const { rateBudget, clock } = budget();
    const spy = jest.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      expect(spendingMode(rateBudget, clock.now())).toBe("latency");
      await send(rateBudget, 60);
      await clock.advance(99);
      expect(spendingMode(rateBudget, clock.now())).toBe("latency"); // the read of 99 ms ago stands
      await clock.advance(1);
      expect(spendingMode(rateBudget, clock.now())).toBe("saving");
    } finally {
      spy.mockRestore();
    }
  });
});
