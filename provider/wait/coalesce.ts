// Request coalescing for status checks and refresh reads.
//
// The engine runs many steps at once in one provider process: during `up`, twenty recipients of one
// share may be waiting at the same moment; during `refresh`, every object is read at once. Asking
// for each with its own GET would spend the rate budget (1200 requests per 5 minutes) on questions
// one list call answers. A Batcher collects the lookups that arrive within a short window and
// answers all of them from one batch fetch.

/** Answers a set of ids at once; ids missing from the map are "not found". */
export type BatchFetch<V> = (ids: readonly string[]) => Promise<Map<string, V>>;

interface Waiting<V> {
  id: string;
  resolve: (value: V | undefined) => void;
  reject: (error: unknown) => void;
}

/**
 * Collects `get(id)` calls for `windowMs`, then runs one `fetch` for all of them. A call that
 * arrives while a fetch is in flight waits for the next window: its answer must be at least as new
 * as the question (a waiter polling after a write must not be answered by a read sent before it).
 */
export class Batcher<V> {
  private queue: Waiting<V>[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly fetch: BatchFetch<V>,
    private readonly windowMs: number,
  ) {}

  get(id: string): Promise<V | undefined> {
    return new Promise<V | undefined>((resolve, reject) => {
      this.queue.push({ id, resolve, reject });
      this.timer ??= setTimeout(() => void this.flush(), this.windowMs);
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    this.timer = undefined;
    const ids = [...new Set(batch.map((waiting) => waiting.id))];
    try {
      const found = await this.fetch(ids);
      for (const waiting of batch) waiting.resolve(found.get(waiting.id));
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    }
  }
}

const REGISTRY = Symbol.for("pulumi-cloudflare-sharing.batchers");

/**
 * The process-wide batcher for `key`, created by `create` on first use. Process-wide on purpose:
 * Pulumi loads each provider kind's code separately, and Share, ShareRecipient and ShareResource
 * steps on the same share must land in the same batch.
 */
export function sharedBatcher<V>(key: string, create: () => Batcher<V>): Batcher<V> {
  const holder = globalThis as unknown as Record<symbol, Map<string, Batcher<unknown>> | undefined>;
  const registry = (holder[REGISTRY] ??= new Map());
  let batcher = registry.get(key) as Batcher<V> | undefined;
  if (!batcher) {
    batcher = create();
    registry.set(key, batcher as Batcher<unknown>);
  }
  return batcher;
}

/** Forgets every shared batcher (tests that start emulators with other settings). */
export function clearSharedBatchers(): void {
  const holder = globalThis as unknown as Record<symbol, Map<string, Batcher<unknown>> | undefined>;
  holder[REGISTRY]?.clear();
}
