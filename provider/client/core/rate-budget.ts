// A client-side model of Cloudflare's API rate limit, so a big stack never trips it.
//
// Cloudflare allows 1200 requests per *rolling* 5 minutes per user and, once that is exceeded, blocks
// every call for 5 minutes (developers.cloudflare.com/fundamentals/api/reference/limits). That is a
// budget over a window, not a steady rate: a fixed 3–4 requests/s throttle would make every small stack
// slow for nothing. So the budget records when each request was sent, lets requests through at once
// while the window has room, and otherwise holds them until the oldest one leaves the window.
//
// The server's numbers win over the configured ones: `Ratelimit-Policy` names each policy's quota and
// window (`default`, and e.g. `burst` beside it), `Ratelimit` its remaining count and reset time. Every
// policy is a window of its own and a request goes only when all of them have room. The server's
// remaining count also counts the requests of every other process using the token: they are recorded
// as requests we did not send, leaving when the server's reset time says. Processes on the same
// machine know each other exactly, through a shared record (machine-ledger.ts): their requests count
// from the moment they are granted, not one round trip later.
import type { Clock } from "./clock";
import { realClock } from "./clock";
import type { NeighbourRequest, RequestLedger } from "./machine-ledger";
import { parseRatelimitHeader, parseRatelimitPolicyHeader } from "./ratelimit-headers";
import { BudgetMode, budgetModeOf } from "./budget-mode";

export { parseRatelimitHeader, parseRatelimitPolicyHeader } from "./ratelimit-headers";

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
   * have been quiet that long, looks may use it too: they are what finish its creates and deletes,
   * and what they finish starts its next writes (0: whenever none of its writes waits). A budget
   * that sent no write (a `refresh`) never uses it: it is left to the writes of the runs that
   * follow. Default: the reserve always stands.
   */
  writeQuietMs?: number;
  /**
   * Requests this machine may send in any one second, beside the windows: Cloudflare also limits
   * each client IP to 200 requests a second (§9.2), however much of the 5-minute window is left. The
   * other processes of the shared record count too (they send from the same address). Absent: no
   * such cap.
   */
  perSecond?: number;
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
  /** For `window` and `writes-first`: the policy whose window holds the caller longest. */
  policy?: RatePolicyInfo;
}

/** A rate-limit policy as the budget applies it: the server's numbers once it sent them, else the configured ones. */
export interface RatePolicyInfo {
  /** `default`, or the server's name (`burst`…). */
  name: string;
  /** Requests the server allows per window. */
  quota: number;
  windowMs: number;
  /** True once the server's `Ratelimit-Policy` (or `X-RateLimit-Limit`) set the quota. */
  fromServer: boolean;
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
  /** Send time while in flight; completion time afterwards (see `release`). */
  at: number;
  /** When it was granted: an answer to a request sent before it cannot have counted it. */
  sentAt: number;
  inFlight: boolean;
}

/**
 * How often a caller held by another process's request in flight looks again: that answer ends in
 * the other process, and no release() here tells of it.
 */
const NEIGHBOUR_RECHECK_MS = 100;

/** One policy's rolling window: this budget's own requests (shared by every policy) and the server's extra count. */
interface PolicyWindow extends RatePolicyInfo {
  /**
   * Requests the server counts that neither this budget nor a process on this machine sent (other
   * machines, earlier runs), as its latest answer said.
   */
  others: number;
  /** When they stop counting: the answer's reset time (nothing leaves the server's window before it). */
  othersLeaveAt: number;
  /** Send time of the request whose answer set `others`: an answer to an earlier one is older news. */
  countedAt: number;
}

interface Waiter {
  priority: RequestPriority;
  resolve(permit: RatePermit): void;
  reject(reason: unknown): void;
  detach(): void;
}

/** What holds a caller: the policies whose windows are full for it, and when the first can free. */
interface Hold {
  policy: PolicyWindow;
  /** When a slot of this policy may free for the caller (Infinity: only a release can tell). */
  freeAt: number;
}

const DEFAULT_POLICY = "default";
const NO_OTHERS = { others: 0, othersLeaveAt: 0, countedAt: -Infinity };

/**
 * A rolling-window request budget with a concurrency cap, re-synced from the server's rate-limit headers.
 *
 * @example
 * const budget = new RateBudget({ limit: 1200, windowMs: 300_000, safetyMargin: 0.05, maxConcurrent: 16 });
 * const permit = await budget.acquire({ priority: "look" });
 * try {
 *   const response = await send();
 *   budget.observe(response.headers);
 * } finally {
 *   permit.release();
 * }
 */
export class RateBudget {
  /** This budget's requests, oldest first, kept two of the longest windows (see `prune`). */
  private readonly own: Slot[] = [];
  private readonly policies = new Map<string, PolicyWindow>();
  private readonly queue: Waiter[] = [];
  private inFlight = 0;
  /** True once a first request has come back (see `probeFirst`). */
  private probed = false;
  /**
   * True from the moment requests the server counted for others leave (on its reset time, which on a
   * rolling window frees only the oldest) until an answer tells the count again: one request at a
   * time meanwhile, so a burst never lands in a window that is still almost full.
   */
  private needsFreshCount = false;
  private pausedUntilMs = 0;
  private timer: { at: number; cancel: AbortController } | undefined;
  /** When the last write was granted; undefined before the first (a run with no writes never uses the reserve). */
  private lastWriteAt: number | undefined;
  /** The other processes' requests on this machine with this token, as the record read last said. */
  private neighbours: readonly NeighbourRequest[] = [];

  /**
   * @param ledger the record shared with the other processes on this machine that use the same
   *   token; without it they are known only through the server's counts.
   */
  constructor(
    readonly settings: RateBudgetSettings,
    private readonly clock: Clock = realClock,
    private readonly ledger?: RequestLedger,
  ) {
    if (!(settings.limit >= 1) || !(settings.windowMs > 0) || !(settings.maxConcurrent >= 1)) {
      throw new RangeError("rate budget needs limit ≥ 1, windowMs > 0 and maxConcurrent ≥ 1");
    }
    this.policies.set(DEFAULT_POLICY, { name: DEFAULT_POLICY, quota: settings.limit, windowMs: settings.windowMs, fromServer: false, ...NO_OTHERS });
  }

  /** Requests per window this client lets itself send under the `default` policy: its quota minus the safety margin. */
  get capacity(): number {
    return this.capacityOf(this.defaultPolicy);
  }

  /** Slots of the `default` window looks may use: the capacity minus the write reserve (one at least). */
  get lookCapacity(): number {
    return this.lookCapacityOf(this.defaultPolicy);
  }

  /** The policies applied now, `default` first. */
  get policyInfo(): RatePolicyInfo[] {
    return [...this.policies.values()].map(({ name, quota, windowMs, fromServer }) => ({ name, quota, windowMs, fromServer }));
  }

  /**
   * Waits for a free slot in every policy's window (and under the concurrency cap): writes first,
   * then looks, each in FIFO order; looks only while the windows have room beyond the write reserve.
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
   * Re-syncs with what the server says. `Ratelimit-Policy` sets each policy's quota and window (up or
   * down); `Ratelimit` gives each policy's remaining count and reset time. A remaining count lower than
   * this process accounts for is other users of the same credential (another stack, the dashboard),
   * recorded as requests we did not send that leave when the reset time says. Only a response without
   * either header is read through `X-RateLimit-Limit` (which may only lower the quota),
   * `X-RateLimit-Remaining` and `X-RateLimit-Reset`: a count without a reset time never lengthens a
   * wait that a reset time bounds.
   *
   * @param sentAt when the request these headers answer was sent. The headers are a snapshot from
   *   some moment after that, so requests of ours that left the window since then still count.
   */
  observe(headers: HeaderBag, sentAt: number = this.clock.now()): void {
    const now = this.clock.now();
    this.prune(now);
    // The neighbours' requests the server had counted by `sentAt` are known here: they must not count as strangers'.
    this.ledger?.transact(this.horizon(now), (neighbours) => (this.neighbours = neighbours));
    const policyItems = parseRatelimitPolicyHeader(header(headers, "ratelimit-policy"));
    const items = parseRatelimitHeader(header(headers, "ratelimit"));
    for (const item of policyItems) {
      const policy = this.policy(item.name, now);
      policy.quota = item.quota;
      if (item.windowS !== undefined) policy.windowMs = item.windowS * 1000;
      policy.fromServer = true;
    }
    for (const item of items) {
      const known = this.policies.get(item.name);
      const policy = known ?? this.policy(item.name, now, item.remaining);
      const resetAt = now + (item.resetS !== undefined ? Math.min(item.resetS * 1000, policy.windowMs) : policy.windowMs);
      this.trustServerRemaining(policy, item.remaining, resetAt, now, sentAt);
    }
    if (policyItems.length === 0 && items.length === 0) this.observeLegacy(headers, now, sentAt);
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

  /** Current state of the `default` window (and every policy's count), for diagnostics and tests. */
  snapshot(): {
    inWindow: number;
    inFlight: number;
    capacity: number;
    lookCapacity: number;
    queued: number;
    pauseRemainingMs: number;
    policies: (RatePolicyInfo & { inWindow: number })[];
  } {
    const now = this.clock.now();
    this.prune(now);
    return {
      inWindow: this.countIn(this.defaultPolicy, now),
      inFlight: this.inFlight,
      capacity: this.capacity,
      lookCapacity: this.lookCapacity,
      queued: this.queue.length,
      pauseRemainingMs: this.pauseRemainingMs(),
      policies: this.policyInfo.map((info) => ({ ...info, inWindow: this.countIn(this.policies.get(info.name)!, now) })),
    };
  }

  /**
   * How requests are spent now: `latency` while every window is far from binding, `saving` as one
   * binds (the rule and its threshold: ./budget-mode). Read by the looks of the waits, not by the budget.
   *
   * @example
   * if (budget.mode === "latency") look(); // at once, instead of waiting to join a later list
   */
  get mode(): BudgetMode {
    return budgetModeOf(this.snapshot(), this.settings.safetyMargin);
  }

  private get defaultPolicy(): PolicyWindow {
    return this.policies.get(DEFAULT_POLICY)!;
  }

  /**
   * The policy called `name`, made on first sight. One the server only counts (`Ratelimit` without a
   * `Ratelimit-Policy` item) is taken to allow what it has plus what it reports left.
   */
  private policy(name: string, now: number, remaining?: number): PolicyWindow {
    let policy = this.policies.get(name);
    if (!policy) {
      policy = { name, quota: this.settings.limit, windowMs: this.settings.windowMs, fromServer: false, ...NO_OTHERS };
      this.policies.set(name, policy);
      if (remaining !== undefined) policy.quota = Math.max(1, this.countIn(policy, now) + remaining);
    }
    return policy;
  }

  private observeLegacy(headers: HeaderBag, now: number, sentAt: number): void {
    const policy = this.defaultPolicy;
    const limit = parseFiniteInt(header(headers, "x-ratelimit-limit"));
    if (limit !== undefined && limit > 0 && limit < policy.quota) policy.quota = limit;
    const remaining = parseFiniteInt(header(headers, "x-ratelimit-remaining"));
    if (remaining === undefined) return;
    const resetAt = parseResetAt(header(headers, "x-ratelimit-reset"), now);
    this.trustServerRemaining(policy, remaining, Math.min(resetAt ?? Infinity, now + policy.windowMs), now, sentAt);
  }

  private capacityOf(policy: PolicyWindow): number {
    return Math.max(1, Math.floor(policy.quota * (1 - this.settings.safetyMargin)));
  }

  private lookCapacityOf(policy: PolicyWindow): number {
    const capacity = this.capacityOf(policy);
    return Math.max(1, capacity - Math.floor(capacity * (this.settings.writeReserve ?? 0)));
  }

  /**
   * Sets the requests the server counts beyond ours from its remaining count. The latest answer
   * replaces what earlier ones said (it counts the same requests and more), and all of them leave
   * at its reset time: the server says nothing frees before it, and on a rolling window more than the
   * oldest may not free then, so the first request after it goes alone to read the count again.
   */
  private trustServerRemaining(policy: PolicyWindow, remaining: number, freedAt: number, now: number, sentAt: number): void {
    if (sentAt < policy.countedAt) return;
    policy.countedAt = sentAt;
    // Ours that the server may have counted: sent by then and still in the window then. Those sent
    // later (in flight beside this request) are not in its count and must not hide others' requests.
    const ownWhenSent = this.own.filter((slot) => slot.sentAt <= sentAt && this.leavesAt(slot, policy) > sentAt).length;
    const neighboursWhenSent = this.neighbours.filter((request) => request.sentAt <= sentAt && neighbourLeavesAt(request, policy) > sentAt).length;
    policy.others = Math.max(0, policy.quota - ownWhenSent - neighboursWhenSent - Math.max(0, remaining));
    policy.othersLeaveAt = freedAt + 1;
    this.needsFreshCount = false;
  }

  /** Requests `policy` counts at `now`: ours and our neighbours' still in its window, and the server's extra ones. */
  private countIn(policy: PolicyWindow, now: number): number {
    const own = this.own.filter((slot) => this.leavesAt(slot, policy) > now).length;
    const neighbours = this.neighbours.filter((request) => neighbourLeavesAt(request, policy) > now).length;
    return own + neighbours + policy.others;
  }

  /** Oldest completion that still matters: two of the longest windows (see `prune`). */
  private horizon(now: number): number {
    return now - 2 * Math.max(...[...this.policies.values()].map((policy) => policy.windowMs)) - 1;
  }

  // Grants slots to waiters (writes first, then looks while every window has room beyond the write
  // reserve), in order within each kind, while the windows, the concurrency cap and any pause allow.
  // With a shared record, reading the neighbours, deciding and recording the grants is one step under
  // its lock: two processes never both take the window's last slot.
  private drain(): void {
    if (this.queue.length === 0 || !this.ledger) return this.drainKnown();
    const now = this.clock.now();
    this.ledger.transact(this.horizon(now), (neighbours) => {
      this.neighbours = neighbours;
      this.drainKnown();
    });
  }

  private drainKnown(): void {
    const now = this.clock.now();
    this.prune(now);
    while (this.queue.length > 0) {
      if (this.pausedUntilMs > now) return this.wakeAt(this.pausedUntilMs);
      if (this.inFlight >= this.concurrency(now)) return; // a release() drains again
      const paceAt = this.perSecondFreeAt(now);
      if (paceAt !== undefined) return Number.isFinite(paceAt) ? this.wakeAt(paceAt) : undefined; // Infinity: a release() drains again
      const write = this.queue.findIndex((waiter) => waiter.priority === "write");
      const index = write >= 0 ? write : 0;
      const priority = this.queue[index].priority;
      const holds = this.holds(priority, now);
      if (holds.length > 0) {
        // The tightest binding policy decides: wake when the last of them can free a slot.
        const next = Math.max(...holds.map((hold) => hold.freeAt));
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

  /**
   * When a request may go again under `perSecond`: undefined while fewer than that many of this
   * machine's requests (ours and the shared record's) count, else when the first of them stops
   * counting. As for the windows, a request counts until a second after its answer: the server
   * counted it somewhere between send and answer, and requests sent a moment apart can arrive
   * together. Infinity: all of them are ours and in flight (a release() drains again).
   */
  private perSecondFreeAt(now: number): number | undefined {
    const cap = this.settings.perSecond;
    if (cap === undefined) return undefined;
    const since = now - 1_000;
    const own = this.own.filter((slot) => slot.inFlight || slot.at > since).map((slot) => (slot.inFlight ? Infinity : slot.at));
    const neighbours = this.neighbours.filter((request) => request.doneAt === undefined || request.doneAt > since).map((request) => request.doneAt ?? Infinity);
    if (own.length + neighbours.length < cap) return undefined;
    const first = Math.min(...own, ...neighbours);
    // A neighbour's answer ends in its own process: no release() here tells of it, so look again soon.
    return Number.isFinite(first) ? first + 1_001 : neighbours.length > 0 ? now + NEIGHBOUR_RECHECK_MS : Infinity;
  }

  /** The policies whose windows are full for a request of `priority` now. */
  private holds(priority: RequestPriority, now: number): Hold[] {
    const holds: Hold[] = [];
    for (const policy of this.policies.values()) {
      const count = this.countIn(policy, now);
      const room = priority === "write" ? this.capacityOf(policy) : this.lookRoom(policy, now);
      if (count < room) continue;
      // A look held by the reserve alone may go once writes have been quiet long enough.
      const quietAt = priority === "look" && count < this.capacityOf(policy) ? this.quietAt() : undefined;
      const recheckAt = this.neighbours.some((request) => request.doneAt === undefined) ? now + NEIGHBOUR_RECHECK_MS : Infinity;
      holds.push({ policy, freeAt: Math.min(this.nextExpiry(policy) ?? Infinity, quietAt ?? Infinity, recheckAt) });
    }
    return holds;
  }

  /**
   * Requests allowed in flight now. One while the first answer (`probeFirst`) or a fresh count is
   * awaited. While others use the token too, a share of what the server has left: every process sees
   * the same count, so each sending all of it would overshoot together. The share is what is left
   * divided by twice our part of the traffic (1 + the others' requests per one of ours): what each
   * process knows of the others is one round trip old, and their requests of that round trip need
   * room too.
   */
  private concurrency(now: number): number {
    if ((this.settings.probeFirst && !this.probed) || this.needsFreshCount) return 1;
    let allowed = this.settings.maxConcurrent;
    for (const policy of this.policies.values()) {
      const others = policy.others;
      if (others === 0) continue;
      const ours = this.own.filter((slot) => this.leavesAt(slot, policy) > now).length;
      const left = this.capacityOf(policy) - (this.countIn(policy, now) - this.inFlight);
      const parts = 2 * (1 + Math.ceil(others / Math.max(1, ours)));
      allowed = Math.min(allowed, Math.max(1, Math.floor(left / parts)));
    }
    return allowed;
  }

  /** When writes will have been quiet for `writeQuietMs`; undefined without that setting, before any write, or while a write waits. */
  private quietAt(): number | undefined {
    const quietMs = this.settings.writeQuietMs;
    // The reserve is left to writes of other runs (a refresh's looks, say): only the looks that
    // confirm this run's own writes may use it once they are done.
    if (quietMs === undefined || this.lastWriteAt === undefined || this.queue.some((waiter) => waiter.priority === "write")) return undefined;
    return this.lastWriteAt + quietMs;
  }

  /** The slots of `policy` looks may fill now: all of them once writes are quiet, else all but the write reserve. */
  private lookRoom(policy: PolicyWindow, now: number): number {
    const quietAt = this.quietAt();
    return quietAt !== undefined && now >= quietAt ? this.capacityOf(policy) : this.lookCapacityOf(policy);
  }

  private grant(now: number): RatePermit {
    const slot: Slot = { at: now, sentAt: now, inFlight: true };
    this.own.push(slot);
    this.inFlight++;
    const seq = this.ledger?.sent(now);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        // Restamp with the completion time: the server counted the request somewhere between send and
        // response, so expiring it one window after completion can never be early on the server's side.
        slot.at = this.clock.now();
        slot.inFlight = false;
        if (seq !== undefined) this.ledger?.done(seq, slot.at);
        this.inFlight--;
        this.probed = true;
        this.drain();
      },
    };
  }

  // A completed slot leaves a window strictly more than windowMs after its stamp (the +1 keeps us
  // clear of a server that counts the boundary millisecond as inside). In-flight slots never leave.
  private leavesAt(slot: Slot, policy: PolicyWindow): number {
    return slot.inFlight ? Infinity : slot.at + policy.windowMs + 1;
  }

  // Our slots are kept two of the longest windows (one to count, one more to judge stale snapshots).
  private prune(now: number): void {
    const longest = Math.max(...[...this.policies.values()].map((policy) => policy.windowMs));
    let kept = 0;
    for (const slot of this.own) if (slot.inFlight || slot.at + 2 * longest + 1 > now) this.own[kept++] = slot;
    this.own.length = kept;
    for (const policy of this.policies.values()) {
      if (policy.others > 0 && policy.othersLeaveAt <= now) {
        policy.others = 0;
        this.needsFreshCount = true;
      }
    }
  }

  private nextExpiry(policy: PolicyWindow): number | undefined {
    const next = Math.min(...this.expiries(policy));
    return Number.isFinite(next) ? next : undefined;
  }

  /** When each request `policy` counts leaves its window (Infinity for those in flight), unsorted. */
  private expiries(policy: PolicyWindow): number[] {
    const now = this.clock.now();
    const own = this.own.map((slot) => this.leavesAt(slot, policy)).filter((at) => at > now);
    const neighbours = this.neighbours.map((request) => neighbourLeavesAt(request, policy)).filter((at) => at > now);
    return [...own, ...neighbours, ...Array<number>(policy.others).fill(policy.othersLeaveAt)];
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
    let longest: RateWaitInfo | undefined;
    for (const policy of this.policies.values()) {
      const count = this.countIn(policy, now);
      const room = waiter.priority === "write" ? this.capacityOf(policy) : this.lookRoom(policy, now);
      const needed = count + ahead + 1 - room;
      if (needed <= 0) continue; // this window has room for it
      const expiries = this.expiries(policy).filter(Number.isFinite).sort((a, b) => a - b);
      const reserveOnly = waiter.priority === "look" && count < this.capacityOf(policy);
      const byExpiry = needed <= expiries.length ? expiries[needed - 1] - now : undefined;
      const quietAt = reserveOnly ? this.quietAt() : undefined;
      const waitMs = quietAt === undefined ? byExpiry : Math.min(byExpiry ?? Infinity, quietAt - now);
      const { name, quota, windowMs, fromServer } = policy;
      const info: RateWaitInfo = { reason: reserveOnly ? "writes-first" : "window", waitMs, policy: { name, quota, windowMs, fromServer } };
      if (!longest || (info.waitMs ?? Infinity) > (longest.waitMs ?? Infinity)) longest = info;
    }
    return longest; // undefined: only the concurrency cap holds it, a short, normal wait
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

/** As `leavesAt` for our slots: one window after the answer, never while in flight. */
function neighbourLeavesAt(request: NeighbourRequest, policy: PolicyWindow): number {
  return request.doneAt === undefined ? Infinity : request.doneAt + policy.windowMs + 1;
}

function header(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(", ") : value;
}

function parseFiniteInt(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const n = Number(value.trim());
  return Number.isFinite(n) ? Math.floor(n) : undefined;
}

/** `X-RateLimit-Reset` as proxies send it: an HTTP date, epoch seconds, or seconds from now. */
function parseResetAt(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const n = Number(value.trim());
  if (Number.isFinite(n)) return n > 1e9 ? n * 1000 : now + n * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : date;
}
