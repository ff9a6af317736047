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
  /** Looks at the object once; `undefined` means it is gone (the finder decides what counts as gone). */
  refresh: () => Promise<Observation<T> | undefined>;
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
      if (notFoundCount > notFoundLimit) throw new WaitNotFoundError(what, notFoundCount, elapsed);
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
  let consecutiveErrors = 0;
  // One look; a transient error counts as "no news" until too many come in a row.
  const look = async (): Promise<Observation<T> | undefined | typeof NO_NEWS> => {
    try {
      const observation = await options.refresh();
      consecutiveErrors = 0;
      return observation;
    } catch (error) {
      consecutiveErrors += 1;
      if (!options.isTransient?.(error) || consecutiveErrors > maxErrors) throw error;
      return NO_NEWS;
    }
  };

  for (;;) {
    options.signal?.throwIfAborted();
    const now = clock.now();
    if (now >= deadline) {
      // Grace check: the deadline may have passed while the object was settling.
      const last = await look();
      if (last !== NO_NEWS && judge(last)) return outcome!.value;
      throw new WaitTimeoutError(what, target, options.timeoutMs, clock.now() - started, lastStatus);
    }
    // Snap to a grid as coarse as the delay allows (centred on the delay): waiters on one share whose
    // schedules started at slightly different times still look at the same instants.
    const quantum = gridQuantum(delay, schedule.gridMs);
    const pollAt = Math.min(nextGridPoint(now + delay - quantum / 2, quantum), deadline);
    await clock.sleep(pollAt - now, options.signal);
    const observation = await look();
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
