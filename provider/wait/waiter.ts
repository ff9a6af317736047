// One status waiter for every resource: a port of terraform-plugin-sdk's StateChangeConf (and the
// terraform-provider-aws loop) to promises. The finder passed as `refresh` owns what "gone" means
// (404, `deleted`, `disassociated` all come back as `undefined`); the waiter owns the timing.

import { formatDuration, TerminalStatusError, UnexpectedStatusError, WaitNotFoundError, WaitTimeoutError } from "./errors";

/** The time source of the waiter; tests pass a fake one so waits run in milliseconds. */
export interface WaitClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** What one look at the object found. */
export interface Observation<T> {
  value: T;
  status: string;
}

/**
 * When to look again. Delays grow from `firstDelayMs` by `factor` up to `maxDelayMs`, and every poll
 * time is snapped to a grid of `gridMs × 2^k` (the coarsest not above the delay): waiters on objects
 * of the same share then poll at the same instants, so one coalesced list call answers all of them.
 */
export interface PollSchedule {
  firstDelayMs: number;
  /** The delay after the first look, if not `firstDelayMs × factor` (a learned first delay is long). */
  thenDelayMs?: number;
  factor: number;
  maxDelayMs: number;
  gridMs: number;
}

/** Progress as printed while waiting, e.g. `waiting for share 3c4d… to become 'active': deleting (12s)`. */
export interface WaitProgress {
  what: string;
  status: string | undefined;
  expected: readonly string[];
  elapsedMs: number;
}

export interface WaitOptions<T> {
  /** Human-readable name used in progress lines and errors. */
  what: string;
  /** Statuses that mean "keep waiting". */
  pending: readonly string[];
  /** Statuses that mean "done"; empty means "wait until the object is gone". */
  target: readonly string[];
  /** Overall deadline, measured from the call. */
  timeoutMs: number;
  /**
   * The timeout to name in the timeout error, when this wait has only what is left of a longer
   * operation's timeout (the user set that one). Default `timeoutMs`.
   */
  reportedTimeoutMs?: number;
  /**
   * How long the last look, made once the deadline has passed, may take: one request timeout. The
   * wait then ends by `timeoutMs + lastLookMs` whatever the server does. Default 60 s.
   */
  lastLookMs?: number;
  /**
   * Looks at the object once; `undefined` means it is gone (the finder decides what counts as gone).
   * `signal` aborts when the look's time is up (the deadline, or one request timeout for the last
   * look): requests made for it should stop then. The waiter stops waiting for it either way.
   */
  refresh: (signal: AbortSignal) => Promise<Observation<T> | undefined>;
  /**
   * An observation already in hand (typically the write's own response). When it is final the
   * waiter returns without a request; otherwise it counts as the first look.
   */
  initial?: Observation<T>;
  /**
   * How many consecutive "not found" answers are tolerated while the target is non-empty: a new
   * object may take a moment to become readable. Steady-state reads must not use this.
   */
  notFoundChecks?: number;
  /**
   * How long from the start "not found" proves nothing whatever the count (the list lag after a write):
   * a wait that looks often, far from the rate limit, would otherwise use up `notFoundChecks` before
   * a list that trails the write can show the object. Default 0.
   */
  notFoundForMs?: number;
  /** Server-side failure in a value that is otherwise pending (e.g. a terminal recipient error). */
  failure?: (value: T) => string | undefined;
  schedule: PollSchedule;
  clock: WaitClock;
  /** Called about every `progressEveryMs` while waiting. */
  onProgress?: (progress: WaitProgress) => void;
  progressEveryMs?: number;
  signal?: AbortSignal;
  /**
   * Errors from `refresh` that do not end the wait (the HTTP client has already retried them; one
   * more look later may well succeed). Any other error ends the wait at once.
   */
  isTransient?: (error: unknown) => boolean;
  /** Consecutive transient errors tolerated before the last one ends the wait. Default 3. */
  maxConsecutiveErrors?: number;
}

/**
 * Waits until `refresh` reports a target status (returns the value) or, with an empty target, until
 * the object is gone (returns `undefined`).
 *
 * Fails fast with {@link UnexpectedStatusError} on a status that is neither pending nor target, with
 * {@link TerminalStatusError} when `failure` reports a reason, with {@link WaitNotFoundError} after
 * too many "not found" answers, and with {@link WaitTimeoutError} once the deadline has passed and one
 * last look (the grace check) still does not show the target.
 */
export async function waitForStatus<T>(options: WaitOptions<T>): Promise<T | undefined> {
  const { clock, schedule, target, pending, what } = options;
  const started = clock.now();
  const deadline = started + options.timeoutMs;
  const waitingForGone = target.length === 0;
  const notFoundLimit = options.notFoundChecks ?? 0;
  const notFoundForMs = options.notFoundForMs ?? 0;
  const progressEveryMs = options.progressEveryMs ?? 10_000;
  let nextProgressAt = started + progressEveryMs;
  let lastStatus: string | undefined;
  let notFoundCount = 0;
  let delay = schedule.firstDelayMs;
  let looks = 0;

  // Returns true when the wait is over (the result is in `outcome`).
  let outcome: { value: T | undefined } | undefined;
  const judge = (observation: Observation<T> | undefined): boolean => {
    const elapsed = clock.now() - started;
    if (observation === undefined) {
      if (waitingForGone) {
        outcome = { value: undefined };
        return true;
      }
      notFoundCount += 1;
      if (notFoundCount > notFoundLimit && elapsed >= notFoundForMs) throw new WaitNotFoundError(what, notFoundCount, elapsed);
      return false;
    }
    notFoundCount = 0;
    lastStatus = observation.status;
    const reason = options.failure?.(observation.value);
    if (reason !== undefined) throw new TerminalStatusError(what, reason, elapsed, observation.status);
    if (target.includes(observation.status)) {
      outcome = { value: observation.value };
      return true;
    }
    if (!pending.includes(observation.status)) {
      throw new UnexpectedStatusError(what, observation.status, target, elapsed);
    }
    return false;
  };

  if (options.initial !== undefined && judge(options.initial)) return outcome!.value;

  const maxErrors = options.maxConsecutiveErrors ?? 3;
  const lastLookMs = options.lastLookMs ?? 60_000;
  let consecutiveErrors = 0;
  // One look, given `limitMs` at most; a transient error counts as "no news" until too many come in
  // a row, and so does a look cut off by its limit (the deadline is then checked by the caller).
  const look = async (limitMs: number): Promise<Observation<T> | undefined | typeof NO_NEWS> => {
    const bounded = boundedLook(options.refresh, limitMs, options.signal);
    try {
      const observation = await bounded.result;
      consecutiveErrors = 0;
      return observation;
    } catch (error) {
      if (bounded.timedOut()) return NO_NEWS;
      consecutiveErrors += 1;
      if (!options.isTransient?.(error) || consecutiveErrors > maxErrors) throw error;
      return NO_NEWS;
    } finally {
      bounded.done();
    }
  };

  for (;;) {
    options.signal?.throwIfAborted();
    const now = clock.now();
    if (now >= deadline) {
      // Grace check: the deadline may have passed while the object was settling.
      const last = await look(lastLookMs);
      if (last !== NO_NEWS && judge(last)) return outcome!.value;
      throw new WaitTimeoutError(what, target, options.reportedTimeoutMs ?? options.timeoutMs, clock.now() - started, lastStatus);
    }
    // Snap to a grid as coarse as the delay allows (centred on the delay): waiters on one share whose
    // schedules started at slightly different times still look at the same instants.
    const quantum = gridQuantum(delay, schedule.gridMs);
    const pollAt = Math.min(nextGridPoint(now + delay - quantum / 2, quantum), deadline);
    await clock.sleep(pollAt - now, options.signal);
    const left = deadline - clock.now();
    if (left <= 0) continue; // the last look, above
    // Every request of this look is bounded by the time left (retries and rate waits included).
    const observation = await look(left);
    if (observation !== NO_NEWS && judge(observation)) return outcome!.value;
    delay = Math.min(looks === 0 && schedule.thenDelayMs !== undefined ? schedule.thenDelayMs : delay * schedule.factor, schedule.maxDelayMs);
    looks += 1;

    if (options.onProgress && clock.now() >= nextProgressAt) {
      options.onProgress({ what, status: lastStatus, expected: target, elapsedMs: clock.now() - started });
      nextProgressAt = clock.now() + progressEveryMs;
    }
  }
}

const NO_NEWS = Symbol("no news");

/**
 * Runs `refresh` with a signal that aborts after `limitMs` (a real timer, like the HTTP client's
 * per-attempt timeout: a fake clock must not cut off a request that is really in progress). The
 * result rejects at the limit even if `refresh` ignores its signal (a look shared with other waits).
 *
 * @example
 * const bounded = boundedLook((signal) => lookupShare(ctx, shareId, undefined, signal), 1_000);
 * try { return await bounded.result; } finally { bounded.done(); }
 */
export function boundedLook<V>(refresh: (signal: AbortSignal) => Promise<V>, limitMs: number, outer?: AbortSignal) {
  const controller = new AbortController();
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  let onOuterAbort: (() => void) | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      const reason = new Error(`look cut off after ${formatDuration(limitMs)}`);
      controller.abort(reason);
      reject(reason);
    }, limitMs);
    // Cancelled from outside: the look ends at once, with the outer reason, even one shared with other waits.
    onOuterAbort = () => reject(outer!.reason);
    if (outer?.aborted) onOuterAbort();
    else outer?.addEventListener("abort", onOuterAbort, { once: true });
  });
  expired.catch(() => undefined);
  const signal = outer ? AbortSignal.any([outer, controller.signal]) : controller.signal;
  return {
    result: Promise.race([refresh(signal), expired]),
    timedOut: () => timedOut,
    done: () => {
      clearTimeout(timer);
      if (onOuterAbort) outer?.removeEventListener("abort", onOuterAbort);
    },
  };
}

/** The largest `gridMs × 2^k` not above `delayMs` (`gridMs` itself at least; 0 when there is no grid). */
export function gridQuantum(delayMs: number, gridMs: number): number {
  if (gridMs <= 0) return 0;
  let quantum = gridMs;
  while (quantum * 2 <= delayMs) quantum *= 2;
  return quantum;
}

/** The first multiple of `gridMs` at or after `at` (no snapping for a non-positive grid). */
export function nextGridPoint(at: number, gridMs: number): number {
  if (gridMs <= 0) return at;
  return Math.ceil(at / gridMs) * gridMs;
}

/** A progress line as printed under `pulumi up`. */
export function describeProgress(progress: WaitProgress): string {
  const goal = progress.expected.length === 0 ? "to be gone" : `to become '${progress.expected.join("' or '")}'`;
  return `waiting for ${progress.what} ${goal}: ${progress.status ?? "not visible yet"} (${formatDuration(progress.elapsedMs)})`;
}
