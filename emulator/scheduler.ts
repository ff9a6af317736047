// Lazy clock-driven transitions: events are only run when someone looks at the state (`runDue(now)`),
// each with the time it was scheduled for, so an injected clock fully controls the emulator (§7).

/** A transition due at `at`; cancel it by setting `cancelled`. */
export interface ScheduledEvent {
  readonly at: number;
  readonly seq: number;
  readonly run: (at: number) => void;
  cancelled: boolean;
}

/** A min-heap of events ordered by (at, seq): equal times run in scheduling order. */
export class Scheduler {
  private heap: ScheduledEvent[] = [];
  private nextSeq = 0;

  schedule(at: number, run: (at: number) => void): ScheduledEvent {
    const event: ScheduledEvent = { at, seq: this.nextSeq++, run, cancelled: false };
    this.heap.push(event);
    this.siftUp(this.heap.length - 1);
    return event;
  }

  /** Runs, in time order, every event due at or before `now` (including ones scheduled by those events). */
  runDue(now: number): void {
    while (this.heap.length > 0 && this.heap[0].at <= now) {
      const event = this.pop();
      if (!event.cancelled) event.run(event.at);
    }
  }

  clear(): void {
    this.heap = [];
  }

  private less(a: ScheduledEvent, b: ScheduledEvent): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private pop(): ScheduledEvent {
    const top = this.heap[0];
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private siftUp(index: number): void {
    const heap = this.heap;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.less(heap[index], heap[parent])) break;
      [heap[index], heap[parent]] = [heap[parent], heap[index]];
      index = parent;
    }
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && this.less(heap[left], heap[smallest])) smallest = left;
      if (right < heap.length && this.less(heap[right], heap[smallest])) smallest = right;
      if (smallest === index) return;
      [heap[index], heap[smallest]] = [heap[smallest], heap[index]];
      index = smallest;
    }
  }
}
