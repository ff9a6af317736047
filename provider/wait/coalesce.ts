// Request coalescing for status checks and refresh reads.
//
// The engine runs many steps at once in one provider process: during `up`, twenty recipients of one
// share may be waiting at the same moment; during `refresh`, every object is read at once. Asking
// for each with its own GET would spend the rate budget (1200 requests per 5 minutes) on questions
// one list call answers. A Batcher collects the lookups that arrive within a short window and
// answers all of them from one batch fetch.

/** What one batch fetch learned. */
export interface BatchResult<V> {
  found: Map<string, V>;
  /** The fetch listed the whole collection: an id missing from `found` does not exist. */
  complete: boolean;
}

/**
 * Answers a set of ids at once. `preferComplete`: some caller would reuse the answer for later
 * lookups, so listing the whole collection (one request for up to 100 objects) beats a single GET.
 */
export type BatchFetch<V> = (ids: readonly string[], preferComplete: boolean, signal?: AbortSignal) => Promise<BatchResult<V>>;

/** How fresh an answer a lookup needs. */
export interface Freshness {
  /**
   * Accept the answer of a fetch that started at or after this time (epoch ms). A wait after a write
   * passes "now": an answer sent before its question could show the state from before the write.
   * A refresh read accepts a complete list from the last moment or two.
   */
  startedNotBefore: number;
  /**
   * A wait's look that was asked at `startedNotBefore` and reaches the batcher a moment later (a
   * look batched elsewhere first): a fetch sent since then answers it, in flight or about to be
   * sent, but such a look never turns a fetch into one that answers later reads.
   */
  waitLook?: boolean;
}

interface Waiting<V> {
  id: string;
  reuse: boolean;
  signal?: AbortSignal;
  resolve: (value: V | undefined) => void;
  reject: (error: unknown) => void;
}

interface Fetch<V> {
  startedAt: number;
  /** Fetched for reads that accept reuse: only such fetches answer later reads. */
  forReading: boolean;
  result: Promise<BatchResult<V>>;
}

/**
 * Collects `get(id)` calls for `windowMs`, then runs one `fetch` for all of them. A complete list
 * fetched for reads (in flight or just done) also answers later reads that accept an answer that
 * old; lists fetched for waits never do, so a refresh never sees a list from before this run's writes.
 */
export class Batcher<V> {
  private queue: Waiting<V>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastComplete: { startedAt: number; result: BatchResult<V> } | undefined;
  private inFlight: Fetch<V> | undefined;

  constructor(
    private readonly fetch: BatchFetch<V>,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** `signal`: this lookup's time is up; the fetch stops once every lookup it answers has given up. */
  async get(id: string, freshness: Freshness = { startedNotBefore: this.now() }, signal?: AbortSignal): Promise<V | undefined> {
    const { startedNotBefore } = freshness;
    const older = startedNotBefore < this.now();
    const reuse = older && !freshness.waitLook;
    if (reuse && this.lastComplete && this.lastComplete.startedAt >= startedNotBefore) return this.lastComplete.result.found.get(id);
    const inFlight = this.inFlight;
    if (older && inFlight !== undefined && (inFlight.forReading || freshness.waitLook) && inFlight.startedAt >= startedNotBefore) {
      const result = await inFlight.result;
      if (result.complete || result.found.has(id)) return result.found.get(id);
    }
    return new Promise<V | undefined>((resolve, reject) => {
      this.queue.push({ id, reuse, signal, resolve, reject });
      this.timer ??= setTimeout(() => void this.flush(), this.windowMs);
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    this.timer = undefined;
    const ids = [...new Set(batch.map((waiting) => waiting.id))];
    const forReading = batch.some((waiting) => waiting.reuse);
    const signal = whenAllAborted(batch.map((waiting) => waiting.signal));
    const fetch: Fetch<V> = { startedAt: this.now(), forReading, result: this.fetch(ids, forReading, signal) };
    this.inFlight = fetch;
    try {
      const result = await fetch.result;
      if (result.complete && forReading) this.lastComplete = { startedAt: fetch.startedAt, result };
      for (const waiting of batch) waiting.resolve(result.found.get(waiting.id));
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    } finally {
      if (this.inFlight === fetch) this.inFlight = undefined;
    }
  }
}

/**
 * A signal that aborts once every one of `signals` has; none when one of them is absent. A request
 * shared by several waits stops only when none of them wants its answer any more.
 *
 * @example
 * const signal = whenAllAborted(batch.map((waiting) => waiting.signal));
 */
export function whenAllAborted(signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  if (signals.some((signal) => signal === undefined)) return undefined;
  const all = signals as AbortSignal[];
  if (all.length === 1) return all[0];
  const controller = new AbortController();
  const check = () => {
    if (all.every((signal) => signal.aborted)) controller.abort(all[0].reason);
  };
  for (const signal of all) signal.addEventListener("abort", check, { once: true });
  check();
  return controller.signal;
}

const REGISTRY = Symbol.for("pulumi-cloudflare-sharing.batchers");

/**
 * The process-wide object for `key` (a batcher, a watch), created by `create` on first use.
 * Process-wide on purpose: Pulumi loads each provider kind's code separately, and Share,
 * ShareRecipient and ShareResource steps on the same share must land in the same batch.
 *
 * @example
 * const batcher = sharedInstance("scope|shares|account", () => new Batcher(fetchShares, 15));
 */
export function sharedInstance<T>(key: string, create: () => T): T {
  const holder = globalThis as unknown as Record<symbol, Map<string, unknown> | undefined>;
  const registry = (holder[REGISTRY] ??= new Map());
  if (!registry.has(key)) registry.set(key, create());
  return registry.get(key) as T;
}

/**
 * The process-wide batcher for `key`, created by `create` on first use (see {@link sharedInstance}).
 *
 * @example
 * const batcher = sharedBatcher("scope|shares|account", () => new Batcher(fetchShares, 15));
 */
export function sharedBatcher<V>(key: string, create: () => Batcher<V>): Batcher<V> {
  return sharedInstance(key, create);
}

/** Forgets every shared batcher and watch (tests that start emulators with other settings). */
export function clearSharedBatchers(): void {
  const holder = globalThis as unknown as Record<symbol, Map<string, unknown> | undefined>;
  holder[REGISTRY]?.clear();
}
