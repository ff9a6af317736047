import { TerminalStatusError, UnexpectedStatusError, WaitNotFoundError, WaitTimeoutError } from "../../provider/wait/errors";
import { describeProgress, Observation, PollSchedule, waitForStatus, WaitProgress } from "../../provider/wait/waiter";
import { AutoAdvancingClock } from "../support/fake-clock";

const schedule: PollSchedule = { firstDelayMs: 250, factor: 2, maxDelayMs: 2000, gridMs: 0 };

/** A refresh function that replays statuses (`undefined` = not found) and counts calls. */
function script(...statuses: (string | undefined)[]) {
  let calls = 0;
  const refresh = async (): Promise<Observation<{ n: number; status: string }> | undefined> => {
    const status = statuses[Math.min(calls, statuses.length - 1)];
    calls += 1;
    return status === undefined ? undefined : { value: { n: calls, status }, status };
  };
  return { refresh, calls: () => calls };
}

describe("waitForStatus", () => {
  it("returns the value once a target status is seen, backing off between looks", async () => {
    const clock = new AutoAdvancingClock();
    const { refresh, calls } = script("associating", "associating", "associated");
    const value = await waitForStatus({ what: "recipient r1", pending: ["associating"], target: ["associated"], timeoutMs: 60_000, refresh, schedule, clock });
    expect(value).toEqual({ n: 3, status: "associated" });
    expect(calls()).toBe(3);
    expect(clock.sleeps).toEqual([250, 500, 1000]);
  });

  it("needs no request when the write's own response is already final", async () => {
    const clock = new AutoAdvancingClock();
    const { refresh, calls } = script("active");
    const value = await waitForStatus({
      what: "share s1", pending: [], target: ["active"], timeoutMs: 60_000, refresh, schedule, clock,
      initial: { value: { n: 0, status: "active" }, status: "active" },
    });
    expect(value).toEqual({ n: 0, status: "active" });
    expect(calls()).toBe(0);
  });

  it("caps the delay at maxDelayMs", async () => {
    const clock = new AutoAdvancingClock();
    const { refresh } = script("deleting", "deleting", "deleting", "deleting", "deleting", "deleting", undefined);
    await waitForStatus({ what: "share s1", pending: ["deleting"], target: [], timeoutMs: 60_000, refresh, schedule, clock });
    expect(clock.sleeps).toEqual([250, 500, 1000, 2000, 2000, 2000, 2000]);
  });

  it("treats not found as success when waiting for the object to be gone", async () => {
    const clock = new AutoAdvancingClock();
    const { refresh } = script("disassociating", undefined);
    await expect(
      waitForStatus({ what: "recipient r1", pending: ["disassociating"], target: [], timeoutMs: 60_000, refresh, schedule, clock }),
    ).resolves.toBeUndefined();
  });

  it("tolerates a short not-found window after create, then sees the object", async () => {
    const clock = new AutoAdvancingClock();
    const { refresh } = script(undefined, undefined, "active");
    const value = await waitForStatus({ what: "share s1", pending: [], target: ["active"], timeoutMs: 60_000, refresh, schedule, clock, notFoundChecks: 5 });
    expect(value?.status).toBe("active");
  });

  it("fails with WaitNotFoundError after more not-found answers than allowed", async () => {
    const clock = new AutoAdvancingClock();
    const { refresh, calls } = script(undefined);
    const failure = waitForStatus({ what: "share s1", pending: [], target: ["active"], timeoutMs: 60_000, refresh, schedule, clock, notFoundChecks: 2 });
    await expect(failure).rejects.toBeInstanceOf(WaitNotFoundError);
    expect(calls()).toBe(3);
  });

  it("after a create, not found proves nothing until the list lag has passed, however often it looked", async () => {
    // Looks at a steady 25 ms (far from the rate limit, waits do not space out): 6 not-found answers
    // come within 150 ms, while lists may trail the write by a second.
    const clock = new AutoAdvancingClock();
    const steady: PollSchedule = { firstDelayMs: 25, factor: 1, maxDelayMs: 25, gridMs: 0 };
    const { refresh } = script(...Array<undefined>(30).fill(undefined), "active");
    const value = await waitForStatus({ what: "recipient r1", pending: [], target: ["active"], timeoutMs: 60_000, refresh, schedule: steady, clock, notFoundChecks: 5, notFoundForMs: 1_000 });
    expect(value?.status).toBe("active");

    // Past the lag, and past the count: not found is final.
    const gone = script(undefined);
    const started = clock.now();
    const failure = waitForStatus({ what: "recipient r1", pending: [], target: ["active"], timeoutMs: 60_000, refresh: gone.refresh, schedule: steady, clock, notFoundChecks: 5, notFoundForMs: 1_000 });
    await expect(failure).rejects.toBeInstanceOf(WaitNotFoundError);
    expect(clock.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(clock.now() - started).toBeLessThan(1_100);
  });

  it("fails fast on a status that is neither pending nor target", async () => {
    const clock = new AutoAdvancingClock();
    const { refresh, calls } = script("associating", "disassociating");
    const failure = waitForStatus({ what: "recipient r1", pending: ["associating"], target: ["associated"], timeoutMs: 60_000, refresh, schedule, clock });
    await expect(failure).rejects.toThrow(UnexpectedStatusError);
    await expect(failure).rejects.toThrow("recipient r1 reached unexpected status 'disassociating'");
    expect(calls()).toBe(2);
  });

  it("fails fast with the server's reason when `failure` reports one", async () => {
    const clock = new AutoAdvancingClock();
    const { refresh } = script("associating", "associating");
    const failure = waitForStatus({
      what: "recipient r1", pending: ["associating"], target: ["associated"], timeoutMs: 60_000, refresh, schedule, clock,
      failure: (value) => (value.n === 2 ? "Recipient is missing necessary entitlement" : undefined),
    });
    await expect(failure).rejects.toBeInstanceOf(TerminalStatusError);
    await expect(failure).rejects.toThrow("recipient r1 failed: Recipient is missing necessary entitlement");
  });

  it("times out with the last status and the timeout in the message, after one grace look", async () => {
    const clock = new AutoAdvancingClock();
    const { refresh } = script("associating");
    const started = clock.now();
    const failure = waitForStatus({ what: "recipient r1", pending: ["associating"], target: ["associated"], timeoutMs: 5_000, refresh, schedule, clock });
    await expect(failure).rejects.toBeInstanceOf(WaitTimeoutError);
    await expect(failure).rejects.toThrow("timeout while waiting for recipient r1 to become 'associated' (last status: 'associating', timeout: 5s)");
    expect(clock.now() - started).toBe(5_000);
  });

  it("names the operation's timeout when the wait had only what was left of it", async () => {
    const clock = new AutoAdvancingClock();
    const { refresh } = script("associating");
    const failure = waitForStatus({ what: "recipient r1", pending: ["associating"], target: ["associated"], timeoutMs: 847, reportedTimeoutMs: 60_000, refresh, schedule, clock });
    await expect(failure).rejects.toThrow("(last status: 'associating', timeout: 1m0s)");
  });

  it("succeeds when the grace look after the deadline shows the target", async () => {
    const clock = new AutoAdvancingClock();
    // 250+500+1000+2000 = 3750, then the deadline at 4000: the grace look is the one made there.
    const { refresh, calls } = script("deleting", "deleting", "deleting", "deleting", undefined);
    await expect(
      waitForStatus({ what: "share s1", pending: ["deleting"], target: [], timeoutMs: 4_000, refresh, schedule, clock }),
    ).resolves.toBeUndefined();
    expect(calls()).toBe(5);
  });

  it("cuts off a look that outlives the deadline, and gives the last look one request timeout", async () => {
    const clock = new AutoAdvancingClock();
    const signals: AbortSignal[] = [];
    // A server that never answers, and a look that ignores its signal (as one shared with other waits may).
    const refresh = (signal: AbortSignal) => {
      signals.push(signal);
      return new Promise<never>(() => undefined);
    };
    const started = Date.now();
    const failure = waitForStatus({ what: "share s1", pending: [], target: ["active"], timeoutMs: 300, lastLookMs: 200, refresh, schedule, clock });
    await expect(failure).rejects.toBeInstanceOf(WaitTimeoutError);
    // 50 ms left for the look at 250 ms (fake time), then 200 ms for the last look (real timers).
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(signals).toHaveLength(2);
    expect(signals.every((signal) => signal.aborted)).toBe(true);
  });

  it("snaps poll times to the grid so concurrent waiters poll together", async () => {
    const clock = new AutoAdvancingClock(1_000_030);
    const { refresh } = script("associating", "associated");
    await waitForStatus({ what: "r", pending: ["associating"], target: ["associated"], timeoutMs: 60_000, refresh, clock, schedule: { ...schedule, gridMs: 250 } });
    expect(clock.now() % 250).toBe(0);
  });

  it("reports progress while waiting", async () => {
    const clock = new AutoAdvancingClock();
    const { refresh } = script("associating", "associating", "associating", "associating", "associated");
    const seen: WaitProgress[] = [];
    await waitForStatus({ what: "recipient r1", pending: ["associating"], target: ["associated"], timeoutMs: 60_000, refresh, schedule, clock, onProgress: (p) => seen.push(p), progressEveryMs: 1_000 });
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(describeProgress(seen[0])).toMatch(/^waiting for recipient r1 to become 'associated': associating \(\d+(ms|s)\)$/);
  });

  it("stops when its signal aborts", async () => {
    const clock = new AutoAdvancingClock();
    const controller = new AbortController();
    const refresh = async () => {
      controller.abort(new Error("cancelled"));
      return { value: 1, status: "associating" };
    };
    await expect(
      waitForStatus({ what: "r", pending: ["associating"], target: ["associated"], timeoutMs: 60_000, refresh, schedule, clock, signal: controller.signal }),
    ).rejects.toThrow("cancelled");
  });

  it("rides out a few transient errors in a row, but not a fourth, nor any other error", async () => {
    class Flaky extends Error {}
    const sequence = (failures: number, kind: () => Error) => {
      let calls = 0;
      return async () => {
        calls += 1;
        if (calls <= failures) throw kind();
        return { value: calls, status: "associated" };
      };
    };
    const base = { what: "r", pending: ["associating"], target: ["associated"], timeoutMs: 60_000, schedule, isTransient: (e: unknown) => e instanceof Flaky };
    await expect(waitForStatus({ ...base, clock: new AutoAdvancingClock(), refresh: sequence(3, () => new Flaky("503")) })).resolves.toBe(4);
    await expect(waitForStatus({ ...base, clock: new AutoAdvancingClock(), refresh: sequence(4, () => new Flaky("503")) })).rejects.toThrow("503");
    await expect(waitForStatus({ ...base, clock: new AutoAdvancingClock(), refresh: sequence(1, () => new Error("403 forbidden")) })).rejects.toThrow("403 forbidden");
  });
});
