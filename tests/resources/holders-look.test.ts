// The look a share-resource create makes before its POST (does a live object hold the natural key?)
// joins the waits' looks on the poll grid: on the next 250 ms step while looks spend on latency (the
// waits look at every step then), on the next 500 ms one while they are saved.
import type { CloudflareSharingClient } from "../../provider/client";
import type { ShareObject } from "../../provider/client/types";
import { resourceCreate } from "../../provider/resources/owned-creates";
import { clearSharedBatchers } from "../../provider/wait/coalesce";
import type { WaitContext } from "../../provider/wait/waits";

const GRID_MS = 250;

/** A wait context whose clock moves only when something sleeps, and whose share GETs say when they were sent. */
function fakeLookups(spendOnLatency: boolean) {
  let now = 1_000_000 + 30; // off the grid
  const lookedAt: number[] = [];
  const api = {
    shares: {
      get: async (): Promise<ShareObject> => {
        lookedAt.push(now);
        return { id: "s1", name: "n", status: "active", resources: [] } as unknown as ShareObject;
      },
    },
    http: { settings: { perPage: 100, perAttemptTimeoutMs: 1_000, listLagMs: 0 } },
  };
  const ctx = {
    api,
    accountId: "a",
    scope: `holders-look-test-${Math.random()}`,
    coalesce: true,
    coalesceWindowMs: 1,
    readReuseMs: 0,
    clock: { now: () => now, sleep: async (ms: number) => void (now += ms) },
    schedule: { firstDelayMs: GRID_MS, factor: 1.15, maxDelayMs: 5_000, gridMs: GRID_MS },
    createNotFoundChecks: 0,
    progressEveryMs: 60_000,
    log: () => undefined,
    spendOnLatency: () => spendOnLatency,
  } as unknown as WaitContext;
  return { ctx, api: api as unknown as CloudflareSharingClient, lookedAt };
}

const BODY = { resource_type: "custom-ruleset" as const, resource_id: "r1", resource_account_id: "a", meta: {} };

afterEach(() => clearSharedBatchers());

describe("a create's look for a holder of its natural key", () => {
  it("goes on the next grid step while looks spend on latency", async () => {
    const { ctx, api, lookedAt } = fakeLookups(true);
    const holders = await resourceCreate(api, () => undefined, undefined, "a", "s1", BODY, "this ShareResource", undefined, ctx).holders!();
    expect(holders).toEqual([]);
    expect(lookedAt).toEqual([1_000_000 + GRID_MS]);
  });

  it("goes on the next point of every second grid step while looks are saved", async () => {
    const { ctx, api, lookedAt } = fakeLookups(false);
    await resourceCreate(api, () => undefined, undefined, "a", "s1", BODY, "this ShareResource", undefined, ctx).holders!();
    expect(lookedAt).toEqual([1_000_000 + 2 * GRID_MS]);
  });
});
