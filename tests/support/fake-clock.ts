// A clock whose sleeps return at once and move time forward: waits of any length run in microseconds,
// and the elapsed "time" is exact, so tests can assert the schedule itself.
export class AutoAdvancingClock {
  private current: number;
  readonly sleeps: number[] = [];

  constructor(start = 1_000_000) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.sleeps.push(ms);
    this.current += Math.max(0, ms);
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
