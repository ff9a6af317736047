// Test helpers shipped with the client (like undici's MockAgent): a controllable Clock, so tests of
// backoff, Retry-After and the rate budget check exact waits and run in milliseconds.
import type { Clock } from "./core/clock";

interface Timer {
  at: number;
  seq: number;
  resolve(): void;
  detach(): void;
}

/** Options of {@link ManualClock}. */
export interface ManualClockOptions {
  /** Initial `now()`, epoch ms. Defaults to the real current time, so date comparisons stay realistic. */
  start?: number;
  /**
   * When true, time jumps to the earliest pending sleep as soon as one is registered (after the
   * current I/O turn), so code that only sleeps never waits; `sleeps` records what was asked.
   */
  autoAdvance?: boolean;
}

/** A fake clock: time moves only through {@link advance} (or automatically with `autoAdvance`). */
export class ManualClock implements Clock {
  /** Every duration passed to `sleep`, in call order. */
  readonly sleeps: number[] = [];
  private current: number;
  private readonly timers: Timer[] = [];
  private seq = 0;
  private readonly autoAdvance: boolean;

  constructor(options: ManualClockOptions = {}) {
    this.current = options.start ?? Date.now();
    this.autoAdvance = options.autoAdvance ?? false;
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.remove(timer);
        reject(signal!.reason);
      };
      const timer: Timer = {
        at: this.current + Math.max(0, ms),
        seq: this.seq++,
        resolve,
        detach: () => signal?.removeEventListener("abort", onAbort),
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.timers.push(timer);
      if (this.autoAdvance) setImmediate(() => this.jumpToNextTimer());
    });
  }

  /** Number of sleeps not yet due. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  /**
   * Moves time forward by `ms`, firing due sleeps in time order and letting the code they wake run
   * (including sleeps it registers that also fall due) before moving on.
   */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      await flushIo();
      const next = this.earliest();
      if (!next || next.at > target) break;
      this.current = Math.max(this.current, next.at);
      this.fire(next);
    }
    this.current = target;
    await flushIo();
  }

  private jumpToNextTimer(): void {
    const next = this.earliest();
    if (!next) return;
    this.current = Math.max(this.current, next.at);
    for (const timer of [...this.timers].sort(byTime)) if (timer.at <= this.current) this.fire(timer);
  }

  private earliest(): Timer | undefined {
    return [...this.timers].sort(byTime)[0];
  }

  private fire(timer: Timer): void {
    this.remove(timer);
    timer.detach();
    timer.resolve();
  }

  private remove(timer: Timer): void {
    const index = this.timers.indexOf(timer);
    if (index >= 0) this.timers.splice(index, 1);
  }
}

const byTime = (a: Timer, b: Timer) => a.at - b.at || a.seq - b.seq;

// One macrotask turn: enough for promise chains woken by a timer to run to their next await.
const flushIo = () => new Promise<void>((resolve) => setImmediate(resolve));
