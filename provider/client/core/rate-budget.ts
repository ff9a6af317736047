// A client-side model of Cloudflare's API rate limit, so a big stack never trips it.
//
// Cloudflare allows 1200 requests per *rolling* 5 minutes per user and, once that is exceeded, blocks
// every call for 5 minutes (developers.cloudflare.com/fundamentals/api/reference/limits). That is a
// budget over a window, not a steady rate: a fixed 3–4 requests/s throttle would make every small stack
// slow for nothing. So the budget records when each request was sent, lets requests through at once
// while the window has room, and otherwise holds them until the oldest one leaves the window.
import type { Clock } from "./clock";
import { realClock } from "./clock";

/** Shape of the budget. */
export interface RateBudgetSettings {
  /** Requests allowed per rolling window. */
  limit: number;
  /** Window length in ms. */
  windowMs: number;
  /** Fraction of `limit` kept unused as headroom for other users of the credential (0–1). */
  safetyMargin: number;
  /** Requests allowed in flight at once. */
  maxConcurrent: number;
  /**
   * Send a single request first and read the server's rate-limit headers before allowing more in
   * flight. On for the client's process-wide budgets: a new process (each `pulumi up` is one) does
   * not know what earlier runs and other users spent of the window, and a burst into an almost
   * spent window would earn a 5-minute block.
   */
  probeFirst?: boolean;
  /**
   * Fraction of the capacity that only writes may use (0–1). When the window is this close to full
   * (a large stack, or another user of the same credential), status looks wait and writes go first:
   * a write waiting behind looks holds the whole pipeline back, while a look that comes later just
   * answers more waits at once. Default 0 (no reserve).
   */
  writeReserve?: number;
  /**
   * How long after the last write (sent or waiting) the reserve stands. Once this budget's writes
   * have been quiet that long, looks may use it too: at the end of a large `up` only the last looks
   * are left, and holding them for the window to roll holds the whole run. A budget that sent no
   * write (a `refresh`) never uses it: it is left to the writes of the runs that follow. Default:
   * the reserve always stands.
   */
  writeQuietMs?: number;
}

/** What a request is for the budget: a write (POST/PUT/DELETE) or a look (GET). */
export type RequestPriority = "write" | "look";

/** Why a caller of {@link RateBudget.acquire} has to wait, reported once per waiting caller. */
export interface RateWaitInfo {
  /**
   * `window`: the rolling window is full; `server-pause`: a 429's Retry-After paused everyone;
   * `writes-first`: the window is nearly full and what is left is kept for writes (a look waits).
   */
  reason: "window" | "server-pause" | "writes-first";
  /** Estimated wait, when it can be known (it cannot while the blocking requests are still in flight). */
  waitMs: number | undefined;
}

/** Options of {@link RateBudget.acquire}. */
export interface AcquireOptions {
  /** Aborting removes the caller from the queue and rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** Called once if the caller has to wait for the window or a server pause (not for the concurrency cap). */
  onWait?: (info: RateWaitInfo) => void;
  /** Writes go before looks, and looks leave the write reserve alone. Default `write`. */
  priority?: RequestPriority;
}

/** One granted request slot. Call `release()` once the response is complete (or the attempt failed). */
export interface RatePermit {
  release(): void;
}

/** Header values as Node and undici give them. */
export type HeaderBag = Record<string, string | string[] | undefined>;

interface Slot {
  /** Send time while in flight; completion time afterwards (see `release`). Phantom slots are never in flight. */
  at: number;
  inFlight: boolean;
}

interface Waiter {
  priority: RequestPriority;
  resolve(permit: RatePermit): void;
  reject(reason: unknown): void;
  detach(): void;
}

/** A rolling-window request budget with a concurrency cap, re-synced from the server's rate-limit headers. */
export class RateBudget {
  private readonly slots: Slot[] = [];
  /** When recently pruned slots left the window (kept one window long), to judge stale header snapshots. */
  private readonly recentlyLeft: number[] = [];
  private readonly queue: Waiter[] = [];
  private inFlight = 0;
  /** True once a first request has come back (see `probeFirst`). */
  private probed = false;
  private serverLimit: number | undefined;
  private pausedUntilMs = 0;
  private timer: { at: number; cancel: AbortController } | undefined;
  /** When the last write was granted; undefined before the first (a run with no writes never uses the reserve). */
  private lastWriteAt: number | undefined;

  constructor(
    readonly settings: RateBudgetSettings,
    private readonly clock: Clock = realClock,
  ) {
    if (!(settings.limit >= 1) || !(settings.windowMs > 0) || !(settings.maxConcurrent >= 1)) {
      throw new RangeError("rate budget needs limit ≥ 1, windowMs > 0 and maxConcurrent ≥ 1");
    }
  }

  /** Requests per window this client lets itself send: the (server-confirmed) limit minus the safety margin. */
  get capacity(): number {
    return Math.max(1, Math.floor(this.limit * (1 - this.settings.safetyMargin)));
  }

  /** Slots of the window looks may use: the capacity minus the write reserve (one at least). */
  get lookCapacity(): number {
    const reserve = Math.floor(this.capacity * (this.settings.writeReserve ?? 0));
    return Math.max(1, this.capacity - reserve);
  }

  /**
   * Waits for a free slot in the window (and under the concurrency cap): writes first, then looks,
   * each in FIFO order; looks only while the window has room beyond the write reserve.
   */
  acquire(options: AcquireOptions = {}): Promise<RatePermit> {
    const { signal, onWait } = options;
    const priority = options.priority ?? "write";
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<RatePermit>((resolve, reject) => {
      const onAbort = () => {
        const index = this.queue.indexOf(waiter);
        if (index >= 0) this.queue.splice(index, 1);
        reject(signal!.reason);
        this.drain();
      };
      const waiter: Waiter = { priority, resolve, reject, detach: () => signal?.removeEventListener("abort", onAbort) };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.queue.push(waiter);
      this.drain();
      if (onWait && this.queue.includes(waiter)) {
        const info = this.estimateWait(waiter);
        if (info) onWait(info);
      }
    });
  }

  /**
   * Re-syncs with what the server says. `X-RateLimit-Limit` lowers the limit if the server's is
   * smaller. `X-RateLimit-Remaining` and `Ratelimit: "default";r=<remaining>;t=<seconds>` are trusted
   * whenever they report fewer requests left than this process knows of: the difference is other users
   * of the same credential (the dashboard, another machine), recorded as requests we did not send.
   *
   * @param sentAt when the request these headers answer was sent. The headers are a snapshot from
   *   some moment after that, so requests of ours that left the window since then still count.
   */
  observe(headers: HeaderBag, sentAt: number = this.clock.now()): void {
    const now = this.clock.now();
    this.prune(now);
    const limit = parseFiniteInt(header(headers, "x-ratelimit-limit"));
    if (limit !== undefined && limit > 0) this.serverLimit = limit;

    const remaining = parseFiniteInt(header(headers, "x-ratelimit-remaining"));
    if (remaining !== undefined) this.trustServerRemaining(remaining, now + this.settings.windowMs, now, sentAt);
    for (const item of parseRatelimitHeader(header(headers, "ratelimit"))) {
      const resetAt = item.resetS !== undefined ? now + Math.min(item.resetS * 1000, this.settings.windowMs) : now + this.settings.windowMs;
      this.trustServerRemaining(item.remaining, resetAt, now, sentAt);
    }
    this.drain();
  }

  /** Holds every caller of this budget until `atMs` (a 429's Retry-After: the server blocks everyone anyway). */
  pauseUntil(atMs: number): void {
    this.pausedUntilMs = Math.max(this.pausedUntilMs, atMs);
    this.drain();
  }

  /** Milliseconds left of a server-ordered pause (0 when not paused). */
  pauseRemainingMs(): number {
    return Math.max(0, this.pausedUntilMs - this.clock.now());
  }

  /** Current state, for diagnostics and tests. */
  snapshot(): { inWindow: number; inFlight: number; capacity: number; lookCapacity: number; queued: number; pauseRemainingMs: number } {
    this.prune(this.clock.now());
    return {
      inWindow: this.slots.length,
      inFlight: this.inFlight,
      capacity: this.capacity,
      lookCapacity: this.lookCapacity,
      queued: this.queue.length,
      pauseRemainingMs: this.pauseRemainingMs(),
    };
  }

  private get limit(): number {
    return Math.min(this.settings.limit, this.serverLimit ?? Infinity);
  }

  private trustServerRemaining(remaining: number, freedAt: number, now: number, sentAt: number): void {
    const oursWhenSent = this.slots.length + this.recentlyLeft.filter((leftAt) => leftAt > sentAt).length;
    const missing = this.limit - oursWhenSent - Math.max(0, remaining);
    // Phantom slots leave the window when the server says the quota frees up.
    for (let i = 0; i < missing; i++) this.slots.push({ at: Math.min(now, freedAt - this.settings.windowMs), inFlight: false });
  }

  // Grants slots to waiters (writes first, then looks while the window has room beyond the write
  // reserve), in order within each kind, while the window, the concurrency cap and any pause allow.
  private drain(): void {
    const now = this.clock.now();
    this.prune(now);
    while (this.queue.length > 0) {
      if (this.pausedUntilMs > now) return this.wakeAt(this.pausedUntilMs);
      const concurrency = this.probed || !this.settings.probeFirst ? this.settings.maxConcurrent : 1;
      if (this.inFlight >= concurrency) return; // a release() drains again
      const write = this.queue.findIndex((waiter) => waiter.priority === "write");
      const index = write >= 0 ? write : 0;
      const priority = this.queue[index].priority;
      const room = priority === "write" ? this.capacity : this.lookRoom(now);
      if (this.slots.length >= room) {
        // A look held by the reserve alone may go once writes have been quiet long enough.
        const quietAt = priority === "look" && this.slots.length < this.capacity ? this.quietAt() : undefined;
        const next = Math.min(this.nextExpiry() ?? Infinity, quietAt ?? Infinity);
        return Number.isFinite(next) ? this.wakeAt(next) : undefined; // all in flight: a release() drains again
      }
      const [waiter] = this.queue.splice(index, 1);
      waiter.detach();
      if (priority === "write") this.lastWriteAt = now;
      waiter.resolve(this.grant(now));
    }
    this.timer?.cancel.abort(); // nobody waits: drop the timer so it does not keep the process alive
    this.timer = undefined;
  }

  /** When writes will have been quiet for `writeQuietMs`; undefined without that setting, before any write, or while a write waits. */
  private quietAt(): number | undefined {
    const quietMs = this.settings.writeQuietMs;
    // The reserve is left to writes of other runs (a refresh's looks, say): only the looks that
    // confirm this run's own writes may use it once they are done.
    if (quietMs === undefined || this.lastWriteAt === undefined || this.queue.some((waiter) => waiter.priority === "write")) return undefined;
    return this.lastWriteAt + quietMs;
  }

  /** The slots looks may fill now: all of them once writes are quiet, else all but the write reserve. */
  private lookRoom(now: number): number {
    const quietAt = this.quietAt();
    return quietAt !== undefined && now >= quietAt ? this.capacity : this.lookCapacity;
  }

  private grant(now: number): RatePermit {
    const slot: Slot = { at: now, inFlight: true };
    this.slots.push(slot);
    this.inFlight++;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        // Restamp with the completion time: the server counted the request somewhere between send and
        // response, so expiring it one window after completion can never be early on the server's side.
        slot.at = this.clock.now();
        slot.inFlight = false;
        this.inFlight--;
        this.probed = true;
        this.drain();
      },
    };
  }

  // A completed slot leaves the window strictly more than windowMs after its stamp (the +1 keeps us
  // clear of a server that counts the boundary millisecond as inside). In-flight slots never leave.
  private leavesWindowAt(slot: Slot): number {
    return slot.inFlight ? Infinity : slot.at + this.settings.windowMs + 1;
  }

  private prune(now: number): void {
    let kept = 0;
    for (const slot of this.slots) {
      if (this.leavesWindowAt(slot) > now) this.slots[kept++] = slot;
      else this.recentlyLeft.push(this.leavesWindowAt(slot));
    }
    this.slots.length = kept;
    const horizon = now - this.settings.windowMs;
    while (this.recentlyLeft.length > 0 && this.recentlyLeft[0] <= horizon) this.recentlyLeft.shift();
  }

  private nextExpiry(): number | undefined {
    const next = Math.min(...this.slots.map((slot) => this.leavesWindowAt(slot)));
    return Number.isFinite(next) ? next : undefined;
  }

  private wakeAt(at: number): void {
    if (this.timer && this.timer.at <= at) return;
    this.timer?.cancel.abort();
    const cancel = new AbortController();
    this.timer = { at, cancel };
    this.clock.sleep(at - this.clock.now(), cancel.signal).then(
      () => {
        if (this.timer?.cancel === cancel) this.timer = undefined;
        this.drain();
      },
      () => undefined, // cancelled: a newer, earlier timer replaced this one
    );
  }

  private estimateWait(waiter: Waiter): RateWaitInfo | undefined {
    const now = this.clock.now();
    if (this.pausedUntilMs > now) return { reason: "server-pause", waitMs: this.pausedUntilMs - now };
    // Ahead of a write: the writes queued before it; ahead of a look: every write and the looks before it.
    const position = this.queue.indexOf(waiter);
    const isAhead = (other: Waiter, i: number) => (waiter.priority === "write" ? other.priority === "write" && i < position : other.priority === "write" || i < position);
    const ahead = this.queue.filter(isAhead).length;
    const room = waiter.priority === "write" ? this.capacity : this.lookRoom(now);
    const needed = this.slots.length + ahead + 1 - room;
    if (needed <= 0) return undefined; // only the concurrency cap holds it: a short, normal wait
    const expiries = this.slots.map((s) => this.leavesWindowAt(s)).filter(Number.isFinite).sort((a, b) => a - b);
    const reserveOnly = waiter.priority === "look" && this.slots.length < this.capacity;
    const byExpiry = needed <= expiries.length ? expiries[needed - 1] - now : undefined;
    const quietAt = reserveOnly ? this.quietAt() : undefined;
    const waitMs = quietAt === undefined ? byExpiry : Math.min(byExpiry ?? Infinity, quietAt - now);
    return { reason: reserveOnly ? "writes-first" : "window", waitMs };
  }
}

const REGISTRY_KEY = Symbol.for("pulumi-cloudflare-sharing.rateBudgets");

/**
 * The one budget of this process for `key` (base URL + credential fingerprint), created on first use.
 * The registry lives on globalThis under a Symbol.for key because Pulumi loads each dynamic provider's
 * code separately in the same process, so a module-level singleton would exist once per copy and
 * every copy would believe it had the whole limit to itself. The first creator's settings and clock
 * win for the life of the process (tests that want their own budget pass a private one or a distinct
 * credential).
 */
export function sharedRateBudget(key: string, create: () => RateBudget): RateBudget {
  const holder = globalThis as unknown as Record<symbol, Map<string, RateBudget> | undefined>;
  const registry = (holder[REGISTRY_KEY] ??= new Map<string, RateBudget>());
  let budget = registry.get(key);
  if (!budget) registry.set(key, (budget = create()));
  return budget;
}

function header(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value[value.length - 1] : value;
}

function parseFiniteInt(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const n = Number(value.trim());
  return Number.isFinite(n) ? Math.floor(n) : undefined;
}

/** Parses the IETF draft header Cloudflare sends: `"default";r=50;t=30` (items separated by commas). */
export function parseRatelimitHeader(value: string | undefined): { name: string; remaining: number; resetS: number | undefined }[] {
  if (!value) return [];
  const items: { name: string; remaining: number; resetS: number | undefined }[] = [];
  for (const item of value.split(",")) {
    const [rawName, ...params] = item.split(";").map((p) => p.trim());
    const fields = new Map(params.map((p) => p.split("=", 2).map((s) => s.trim()) as [string, string]));
    const remaining = parseFiniteInt(fields.get("r"));
    if (remaining === undefined) continue;
    const reset = parseFiniteInt(fields.get("t"));
    items.push({ name: rawName.replace(/^"|"$/g, ""), remaining, resetS: reset !== undefined && reset >= 0 ? reset : undefined });
  }
  return items;
}
