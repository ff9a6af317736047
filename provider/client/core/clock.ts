// Time, injectable: every wait of the client (backoff, Retry-After, rate budget) goes through a Clock,
// so tests of those paths run in milliseconds with a fake one (see ../testing.ts).

/** A source of time and of cancellable sleeps. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * Resolves after `ms` milliseconds. Rejects with `signal.reason` as soon as `signal` aborts
   * (and at once if it already has).
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The system clock: `Date.now()` and `setTimeout`. */
export const realClock: Clock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, Math.max(0, ms));
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  },
};
