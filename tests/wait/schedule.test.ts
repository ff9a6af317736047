// Which instants a wait looks at: settle waits on the poll grid, removal waits on every second point
// of it (the account-wide looks of a `destroy` halve; a removal is seen at most one grid step later).
import type { ShareObject } from "../../provider/client/types";
import { UPDATING } from "../../provider/wait/lifecycle";
import { clearLearnedSettleTimes, waitShareActive, waitShareGone, WaitContext } from "../../provider/wait/waits";

const GRID_MS = 250;

/** A wait context whose clock only moves when a wait sleeps, and whose share GETs record when they were sent. */
function fakeContext(statuses: string[], spendOnLatency?: () => boolean, heldMs = 0) {
  let now = 1_000_000 + 30; // off the grid
  const lookedAt: number[] = [];
  const ctx = {
    api: {
      shares: {
        get: async (): Promise<ShareObject> => {
          now += heldMs; // the rate budget held the look this long before it was sent
          lookedAt.push(now);
          return { id: "s1", name: "n", status: statuses.shift() ?? "deleted" } as ShareObject;
        },
      },
      http: { settings: { perPage: 100, perAttemptTimeoutMs: 1_000, listLagMs: 0 } },
    },
    accountId: "a",
    scope: `schedule-test-${Math.random()}`,
    coalesce: false,
    coalesceWindowMs: 1,
    readReuseMs: 0,
    clock: { now: () => now, sleep: async (ms: number) => void (now += ms) },
    schedule: { firstDelayMs: GRID_MS, factor: 1.15, maxDelayMs: 5_000, gridMs: GRID_MS },
    createNotFoundChecks: 0,
    progressEveryMs: 60_000,
    log: () => undefined,
    spendOnLatency,
  } as unknown as WaitContext;
  return { ctx, lookedAt };
}

beforeEach(() => clearLearnedSettleTimes());

describe("poll instants", () => {
  it("a removal wait looks on every second grid point only", async () => {
    const { ctx, lookedAt } = fakeContext(["deleting", "deleting", "deleting", "deleting"]);
    await waitShareGone(ctx, "s1", 60_000);
    expect(lookedAt).toHaveLength(5);
    for (const at of lookedAt) expect(at % (2 * GRID_MS)).toBe(0);
  });

  it("a settle wait keeps the finer grid while its delay is short", async () => {
    const { ctx, lookedAt } = fakeContext([UPDATING, UPDATING, UPDATING, "active"]);
    await waitShareActive(ctx, "s1", 60_000);
    expect(lookedAt).toHaveLength(4);
    for (const at of lookedAt) expect(at % GRID_MS).toBe(0);
    expect(lookedAt.some((at) => at % (2 * GRID_MS) !== 0)).toBe(true);
  });

  it("a settle wait keeps its first interval while looks spend on latency, and spaces out once they are saved", async () => {
    const gaps = (at: number[]) => at.slice(1).map((t, i) => t - at[i]);
    const latency = fakeContext(Array(12).fill(UPDATING).concat("active"), () => true);
    await waitShareActive(latency.ctx, "s1", 60_000);
    expect(gaps(latency.lookedAt)).toEqual(Array(12).fill(GRID_MS));

    // Saving from the sixth look on: the delay grows from there.
    let looks = 0;
    const saving = fakeContext(Array(12).fill(UPDATING).concat("active"), () => ++looks <= 5);
    await waitShareActive(saving.ctx, "s1", 60_000);
    const after = gaps(saving.lookedAt);
    expect(after.slice(0, 4)).toEqual(Array(4).fill(GRID_MS));
    expect(Math.max(...after)).toBeGreaterThan(GRID_MS);
  });
});

describe("the learned first look", () => {
  it("is not taught by looks the rate budget held: a removal seen gone after a 30 s hold leaves the next wait's first look early", async () => {
    const scope = `learn-held-${Math.random()}`;
    for (let i = 0; i < 3; i++) {
      const held = fakeContext(["deleted"], undefined, 30_000);
      held.ctx.scope = scope;
      await waitShareGone(held.ctx, "s1", 120_000);
    }
    const next = fakeContext(["deleting", "deleted"]);
    next.ctx.scope = scope;
    const started = 1_000_000 + 30;
    await waitShareGone(next.ctx, "s1", 120_000);
    // Its first look on the first removal grid point, not at the 5 s cap a 30 s "settle" would teach.
    expect(next.lookedAt[0] - started).toBeLessThanOrEqual(2 * GRID_MS);
  });

  it("is learned from looks that saw the object still on its way", async () => {
    const scope = `learn-moving-${Math.random()}`;
    const started = 1_000_000 + 30;
    let lastMovingMs = 0;
    for (let i = 0; i < 3; i++) {
      const moving = fakeContext([UPDATING, UPDATING, UPDATING, UPDATING, UPDATING, UPDATING, "active"]);
      moving.ctx.scope = scope;
      await waitShareActive(moving.ctx, "s1", 120_000);
      lastMovingMs = moving.lookedAt[5] - started;
    }
    const next = fakeContext(["active"]);
    next.ctx.scope = scope;
    await waitShareActive(next.ctx, "s1", 120_000);
    // Six looks still updating: the next wait's first look comes after about 80 % of the time of the
    // last of them (on the grid), not at once and not after it.
    expect(lastMovingMs).toBeGreaterThan(4 * GRID_MS);
    expect(next.lookedAt[0] - started).toBeGreaterThan(2 * GRID_MS);
    expect(next.lookedAt[0] - started).toBeLessThanOrEqual(lastMovingMs);
  });
});
