// The HTTP core: auth, envelope unwrapping, typed errors, retries, the shared rate budget and
// pagination. The single retry loop is `HttpCore.execute`; the single pagination loop is `paginate`.
import { request as undiciRequest } from "undici";
import type { Dispatcher } from "undici";
import type { Envelope, ResultInfo } from "../types";
import type { Clock } from "./clock";
import { realClock } from "./clock";
import type { Credentials } from "./credentials";
import { assertCredentials, authHeaders, credentialFingerprint } from "./credentials";
import type { ClientDefaults, DeepPartial } from "./defaults";
import { resolveDefaults } from "./defaults";
import type { CloudflareSharingError } from "./errors";
import { ApiError, ConnectionError, PaginationError, RateLimitError, RequestTimeoutError } from "./errors";
import type { HeaderBag, RateWaitInfo } from "./rate-budget";
import { MachineLedger, ledgerDir } from "./machine-ledger";
import { RateBudget, sharedRateBudget } from "./rate-budget";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

/** Request header carrying how many retries preceded this attempt (0 on the first), for server-side observability. */
export const RETRY_COUNT_HEADER = "x-retry-count";

/** One API call. */
export interface ApiRequest<T> {
  /** HTTP method. */
  method: HttpMethod;
  /** Path below the base URL, built with the `path` tag so segments are encoded. Must not contain a query. */
  path: string;
  /** Query parameters: arrays become repeated keys, booleans `true`/`false`; undefined and null are skipped. */
  query?: object;
  /** JSON request body (objects and bare arrays alike). */
  body?: unknown;
  /** Cancels the request, including any backoff or rate wait; the promise rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** Called as each attempt leaves, after any rate wait. */
  onSent?: () => void;
  /**
   * POST only: how to recognise the object this POST creates by its natural key. After an ambiguous
   * failure (connection lost, timeout, 5xx) the client looks for it before any re-send, and keeps
   * looking for `listLagMs` (absence from one list read proves nothing while lists trail writes); if it
   * finds the object, that is the result; if not, the POST is sent again, and once the re-send
   * succeeds a last look removes the object should the first POST have landed after all. Without it
   * an ambiguous POST failure is never retried.
   */
  recover?: NaturalKeyRecovery<T>;
}

/**
 * The natural-key lookups of one POST (see `../natural-keys`).
 *
 * @example
 * const recover: NaturalKeyRecovery<RecipientObject> = {
 *   find: (createdNotBefore) => recipients.findByNaturalKey(accountId, shareId, body, createdNotBefore),
 *   remove: (copy) => recipients.delete(accountId, shareId, copy.id),
 * };
 */
export interface NaturalKeyRecovery<T> {
  /**
   * Every object holding the POST's natural key created at or after `createdNotBefore` (epoch ms on
   * the server's clock), oldest first.
   */
  find(createdNotBefore: number): Promise<T[]>;
  /** Removes an object the POST made twice. */
  remove(copy: T): Promise<unknown>;
}

/** What every created object carries: its id and its creation time on the server's clock. */
interface Created {
  id: string;
  created: string;
}

/** The unwrapped envelope: `result` plus `result_info` for collections. */
export interface ApiPage<T> {
  result: T;
  resultInfo: ResultInfo | undefined;
}

/** Progress events for log lines. They never carry headers, bodies or credentials. */
export type ClientEvent =
  | {
      type: "retry";
      method: HttpMethod;
      path: string;
      /** 1 for the first retry. */
      retry: number;
      delayMs: number;
      /** Error code of the failed attempt, e.g. `CF_SHARING_ERR_SERVER`. */
      errorCode: string;
      status: number | undefined;
      /** Whether the wait came from the server (Retry-After) rather than backoff. */
      serverDirected: boolean;
    }
  | {
      type: "rate-wait";
      method: HttpMethod;
      path: string;
      reason: RateWaitInfo["reason"];
      waitMs: number | undefined;
      /** The policy whose window holds the request (the server's numbers once it sent them). */
      policy?: RateWaitInfo["policy"];
    }
  | { type: "recovered"; method: HttpMethod; path: string; afterAttempts: number };

/** Counters for benchmarks and diagnostics. */
export interface HttpStats {
  /** HTTP attempts sent, retries included. */
  attempts: number;
  byMethod: Record<HttpMethod, number>;
  retries: number;
  /** POSTs answered by natural-key recovery instead of a re-send. */
  recovered: number;
  /** Requests that had to wait for the rate window or a server pause. */
  rateWaits: number;
}

/** Options of {@link HttpCore}. */
export interface HttpCoreOptions {
  /** Read by the caller at run time (config or environment); used only for auth headers and a hashed budget key. */
  credentials: Credentials;
  /** Overrides `defaults.baseUrl`. */
  baseUrl?: string;
  /** Overrides of {@link CLIENT_DEFAULTS}. */
  defaults?: DeepPartial<ClientDefaults>;
  /** Time source for backoff, Retry-After and the rate budget. Defaults to the system clock. */
  clock?: Clock;
  /** Progress hook (retries, rate waits, recoveries). Exceptions it throws are ignored. */
  onEvent?: (event: ClientEvent) => void;
  /** A private budget instead of the process-wide one for this base URL and credential. */
  rateBudget?: RateBudget;
  /** undici dispatcher (Agent, MockAgent…); defaults to undici's global one. */
  dispatcher?: Dispatcher;
  /** Random source in [0, 1) for jitter. */
  random?: () => number;
  /**
   * Sees each answer's status and headers (never the request's credentials), for tools that measure the
   * API itself. Exceptions it throws are ignored.
   */
  onResponse?: (response: ObservedResponse) => void;
}

/** One HTTP answer as {@link HttpCoreOptions.onResponse} sees it. */
export interface ObservedResponse {
  method: HttpMethod;
  /** The request's path below the base URL, without its query. */
  path: string;
  status: number;
  headers: HeaderBag;
  /** The parsed body, or undefined when it is not JSON. */
  body: unknown;
}

type Attempt<T> = { ok: true; page: ApiPage<T> } | { ok: false; failure: Failure };

interface Failure {
  error: CloudflareSharingError;
  /** Undefined when no response arrived (connection error, timeout). */
  status: number | undefined;
  headers: HeaderBag;
  retryAfterMs: number | undefined;
}

/** What to do after a failed attempt. */
export type RetryPolicy = "retry" | "recover-then-retry" | "stop";

export class HttpCore {
  /** Effective settings after merging overrides onto the defaults. */
  readonly settings: ClientDefaults;
  readonly clock: Clock;
  readonly rateBudget: RateBudget;
  readonly stats: HttpStats = { attempts: 0, byMethod: { GET: 0, POST: 0, PUT: 0, DELETE: 0 }, retries: 0, recovered: 0, rateWaits: 0 };

  // A true private field: invisible to JSON.stringify, util.inspect and Object.keys.
  readonly #credentials: Credentials;
  private readonly onEvent: ((event: ClientEvent) => void) | undefined;
  private readonly onResponse: ((response: ObservedResponse) => void) | undefined;
  private readonly dispatcher: Dispatcher | undefined;
  private readonly random: () => number;
  /** Server clock minus local clock, from `Date` headers; undefined until a response carried one. */
  private serverClockOffsetMs: number | undefined;

  constructor(options: HttpCoreOptions) {
    assertCredentials(options.credentials);
    this.#credentials = options.credentials;
    const settings = resolveDefaults(options.defaults);
    this.settings = { ...settings, baseUrl: (options.baseUrl ?? settings.baseUrl).replace(/\/+$/, "") };
    this.clock = options.clock ?? realClock;
    this.onEvent = options.onEvent;
    this.onResponse = options.onResponse;
    this.dispatcher = options.dispatcher;
    this.random = options.random ?? Math.random;
    const budgetKey = `${this.settings.baseUrl} ${credentialFingerprint(options.credentials)}`;
    this.rateBudget =
      options.rateBudget ??
      sharedRateBudget(budgetKey, () => {
        // The record shared with other processes is in real time: a test's fake clock keeps to itself.
        const dir = this.clock === realClock ? ledgerDir(budgetKey) : undefined;
        const ledger = dir === undefined ? undefined : new MachineLedger(dir);
        return new RateBudget({ ...this.settings.rateBudget, maxConcurrent: this.settings.maxConcurrentRequests, probeFirst: true }, this.clock, ledger);
      });
  }

  /** Sends a request (with retries) and returns the envelope's `result` (undefined for an empty 2xx body). */
  async request<T>(req: ApiRequest<T>): Promise<T> {
    return (await this.execute(req)).result;
  }

  /** Like {@link request}, also returning `result_info`. */
  requestPage<T>(req: ApiRequest<T>): Promise<ApiPage<T>> {
    return this.execute(req);
  }

  /**
   * Iterates every item of a paginated GET, sending an explicit `per_page` on every request (never rely
   * on server defaults: the official client repeats items when it does). Stops on an empty page, a
   * short page, or `page >= total_pages`, so 250 items at 100 per page take exactly 3 requests.
   * A server that ignores `page` (answers another page number, or repeats a page of items already seen)
   * or never runs out of pages (`maxPages`) fails with a {@link PaginationError} instead of looping.
   */
  async *paginate<T>(path: string, query?: object, options: { signal?: AbortSignal; onSent?: () => void } = {}): AsyncGenerator<T, void, undefined> {
    const perPage = this.settings.perPage;
    const seenIds = new Set<unknown>();
    for (let page = 1; ; page++) {
      if (page > this.settings.maxPages) throw new PaginationError(path, page, `more than ${this.settings.maxPages} pages (maxPages)`);
      const onSent = page === 1 ? options.onSent : undefined; // the list is from when its first page left
      const { result, resultInfo } = await this.execute<T[]>({ method: "GET", path, query: { ...query, page, per_page: perPage }, signal: options.signal, onSent });
      const items = Array.isArray(result) ? result : [];
      if (resultInfo?.page !== undefined && resultInfo.page !== page && items.length > 0) {
        throw new PaginationError(path, page, `asked for page ${page}, answered page ${resultInfo.page}`);
      }
      // A page made only of items already seen is the same page again: the server ignores `page`. (One
      // or two repeats are normal: objects removed meanwhile shift the later pages up.)
      const ids = items.map((item) => (item as { id?: unknown } | null)?.id);
      if (page > 1 && ids.length > 0 && ids.every((id) => id !== undefined && seenIds.has(id))) {
        throw new PaginationError(path, page, `page ${page} repeats items of earlier pages`);
      }
      for (const id of ids) seenIds.add(id);
      yield* items;
      const pageSize = resultInfo?.per_page ?? perPage; // the server may cap per_page below what we asked
      if (items.length === 0 || items.length < pageSize) return;
      if (resultInfo?.total_pages !== undefined && page >= resultInfo.total_pages) return;
    }
  }

  // The retry loop. Retries are bounded by maxRetries; every wait goes through the clock and the signal.
  private async execute<T>(req: ApiRequest<T>): Promise<ApiPage<T>> {
    let mayHaveLanded = false; // a POST failed ambiguously at least once: look before re-sending
    const startedAt = this.clock.now();
    for (let attempt = 0; ; attempt++) {
      if (mayHaveLanded) {
        const found = await this.tryRecover(req, attempt, startedAt);
        if (found) return found;
      }
      const outcome = await this.attempt(req, attempt);
      if (outcome.ok) {
        if (mayHaveLanded && req.recover) return this.keepOne(req, outcome.page, startedAt);
        return outcome.page;
      }

      const { failure } = outcome;
      const policy = retryPolicy(req.method, failure);
      mayHaveLanded ||= policy === "recover-then-retry";
      if (failure.status === 429 && failure.retryAfterMs !== undefined) {
        // The server blocks the whole credential, not just this request: hold every caller of the budget.
        this.rateBudget.pauseUntil(this.clock.now() + failure.retryAfterMs);
      }
      const tooLongToWait = failure.retryAfterMs !== undefined && failure.retryAfterMs > this.settings.maxServerWaitMs;
      const blindPost = policy === "recover-then-retry" && !req.recover;
      if (policy === "stop" || blindPost || tooLongToWait || attempt >= this.settings.maxRetries) {
        // Out of retries after an ambiguous POST: one last look, because the object may well exist.
        if (mayHaveLanded && req.recover && !tooLongToWait) {
          const found = await this.tryRecover(req, attempt + 1, startedAt);
          if (found) return found;
        }
        throw failure.error;
      }

      const delayMs = failure.retryAfterMs ?? this.backoffMs(attempt);
      this.stats.retries++;
      this.emit({
        type: "retry",
        method: req.method,
        path: req.path,
        retry: attempt + 1,
        delayMs,
        errorCode: failure.error.code,
        status: failure.status,
        serverDirected: failure.retryAfterMs !== undefined,
      });
      await this.clock.sleep(delayMs, req.signal);
    }
  }

  /**
   * Looks for the object an ambiguous POST may have made. Lists may trail writes, so one empty look
   * proves nothing: it looks again, with growing pauses, until `listLagMs` has passed since the
   * failure.
   */
  private async tryRecover<T>(req: ApiRequest<T>, attemptsSoFar: number, startedAt: number): Promise<ApiPage<T> | undefined> {
    const lookUntil = this.clock.now() + this.settings.listLagMs;
    let pauseMs = Math.min(250, this.settings.listLagMs);
    // Only what this request itself can have made is its own: objects created since it started. The
    // window is re-read after each look, whose answer may have told the server's clock for the first time.
    const createdNotBefore = () => this.serverTime(startedAt) - this.createdTimeMarginMs();
    for (;;) {
      const candidates = (await req.recover!.find(createdNotBefore())) as unknown as Created[];
      const found = candidates.find((item) => !(Date.parse(item.created) < createdNotBefore())) as T | undefined;
      if (found !== undefined) {
        this.stats.recovered++;
        this.emit({ type: "recovered", method: req.method, path: req.path, afterAttempts: attemptsSoFar });
        return { result: found, resultInfo: undefined };
      }
      const left = lookUntil - this.clock.now();
      if (left <= 0) return undefined;
      await this.clock.sleep(Math.min(pauseMs, left), req.signal);
      pauseMs *= 2;
    }
  }

  /**
   * After a POST re-sent once an earlier attempt may have landed: once lists have caught up, looks
   * for a copy the earlier attempt made. The re-sent object's `created` (server clock) minus the
   * request's lifetime bounds when that copy can have been made, so only this request's own objects
   * count. If one exists, the re-sent object is the one made twice: it is removed and the other kept.
   */
  private async keepOne<T>(req: ApiRequest<T>, page: ApiPage<T>, startedAt: number): Promise<ApiPage<T>> {
    const made = page.result as unknown as Created;
    const madeAt = Date.parse(made?.created ?? "");
    if (!made?.id || Number.isNaN(madeAt)) return page;
    await this.clock.sleep(this.settings.listLagMs, req.signal);
    const lifetime = this.clock.now() - startedAt;
    const copies = ((await req.recover!.find(madeAt - lifetime - this.createdTimeMarginMs())) as unknown as Created[]).filter(
      (item) => item.id !== made.id && Date.parse(item.created) <= madeAt,
    );
    if (copies.length === 0) return page;
    await req.recover!.remove(page.result);
    this.stats.recovered++;
    this.emit({ type: "recovered", method: req.method, path: req.path, afterAttempts: -1 });
    return { result: copies[0] as unknown as T, resultInfo: undefined };
  }

  /**
   * The server's clock at local time `local`, estimated from the `Date` headers seen so far (whole
   * seconds, so the estimate is low by up to one second), or the local time before any was seen.
   */
  private serverTime(local: number): number {
    return this.serverClockOffsetMs === undefined ? local : local + this.serverClockOffsetMs;
  }

  /** How far before a request's start an object may have been created and still be its own. */
  private createdTimeMarginMs(): number {
    // With the server's clock known (to a second), a little over that second; else the configured skew.
    return this.serverClockOffsetMs === undefined ? this.settings.naturalKeyClockSkewMs : 2_000;
  }

  private observeServerClock(headers: HeaderBag, receivedAt: number): void {
    const raw = headers["date"];
    const date = Date.parse(Array.isArray(raw) ? raw[0] : (raw ?? ""));
    if (Number.isNaN(date)) return;
    // The header is truncated to the second: the largest sample is the tightest (low) estimate.
    const sample = date - receivedAt;
    this.serverClockOffsetMs = this.serverClockOffsetMs === undefined ? sample : Math.max(this.serverClockOffsetMs, sample);
  }

  /** `min(base × factor^n, max)` minus up to `jitter` of it at random (n = retries already made). */
  private backoffMs(retriesSoFar: number): number {
    const { baseMs, factor, maxMs, jitter } = this.settings.backoff;
    const delay = Math.min(baseMs * factor ** retriesSoFar, maxMs);
    return Math.round(delay * (1 - this.random() * jitter));
  }

  // One HTTP attempt inside a rate-budget permit, turned into a page or a classified failure.
  private async attempt<T>(req: ApiRequest<T>, attempt: number): Promise<Attempt<T>> {
    const { method, path } = req;
    const paused = this.rateBudget.pauseRemainingMs();
    if (paused > this.settings.maxServerWaitMs) {
      // A 429 elsewhere paused this credential for longer than we wait: fail fast like that request did.
      throw new RateLimitError({ method, path, status: 429, retryAfterMs: paused });
    }
    const permit = await this.rateBudget.acquire({
      signal: req.signal,
      // Writes go first when the budget runs low; a status look that waits answers more waits at once.
      priority: method === "GET" ? "look" : "write",
      onWait: (info) => {
        this.stats.rateWaits++;
        this.emit({ type: "rate-wait", method, path, reason: info.reason, waitMs: info.waitMs, ...(info.policy ? { policy: info.policy } : {}) });
      },
    });
    // The per-attempt timeout is a wall-clock guard on the socket, so it uses a real timer, not the
    // injectable clock (a fake clock must not time out a request that is actually in progress).
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.settings.perAttemptTimeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout.signal]) : timeout.signal;
    const sentAt = this.clock.now();
    req.onSent?.();
    try {
      this.stats.attempts++;
      this.stats.byMethod[method]++;
      const response = await undiciRequest(this.settings.baseUrl + path + serializeQuery(req.query), {
        method,
        headers: this.headers(attempt, req.body !== undefined),
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        signal,
        dispatcher: this.dispatcher,
      });
      const text = await response.body.text();
      const headers = response.headers as HeaderBag;
      this.rateBudget.observe(headers, sentAt);
      this.observeServerClock(headers, this.clock.now());
      if (this.onResponse) this.observe({ method, path, status: response.statusCode, headers, body: parseJson(text) });
      return interpretResponse<T>(method, path, response.statusCode, headers, text, this.clock.now());
    } catch (error) {
      if (req.signal?.aborted) throw req.signal.reason;
      if (timeout.signal.aborted) {
        return { ok: false, failure: { error: new RequestTimeoutError(method, path, this.settings.perAttemptTimeoutMs), status: undefined, headers: {}, retryAfterMs: undefined } };
      }
      return { ok: false, failure: { error: new ConnectionError(method, path, error), status: undefined, headers: {}, retryAfterMs: undefined } };
    } finally {
      clearTimeout(timer);
      permit.release();
    }
  }

  private headers(attempt: number, hasBody: boolean): Record<string, string> {
    return {
      accept: "application/json",
      "user-agent": this.settings.userAgent,
      [RETRY_COUNT_HEADER]: String(attempt),
      ...(hasBody ? { "content-type": "application/json" } : {}),
      ...authHeaders(this.#credentials),
    };
  }

  private observe(response: ObservedResponse): void {
    try {
      this.onResponse?.(response);
    } catch {
      // An observer must never break a request.
    }
  }

  private emit(event: ClientEvent): void {
    try {
      this.onEvent?.(event);
    } catch {
      // A progress hook must never break a request.
    }
  }
}

/** Drains an async iterable into an array. */
export async function collectAll<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/**
 * The retry rules (Stainless + cloudflare-go, with POST made safe):
 * - no response (connection error, per-attempt timeout): retry; a POST may have landed, so recover first;
 * - `x-should-retry: false` never retries; 429 always does (the server did not apply the request);
 * - any other 4xx on POST is final; a 5xx on POST may have landed, so recover first;
 * - otherwise `x-should-retry: true`, 408, 409 (a lock timeout for GET/PUT/DELETE) and 5xx retry.
 */
export function retryPolicy(method: HttpMethod, failure: Pick<Failure, "status" | "headers">): RetryPolicy {
  const { status } = failure;
  if (status === undefined) return method === "POST" ? "recover-then-retry" : "retry";
  const shouldRetry = headerValue(failure.headers, "x-should-retry");
  if (shouldRetry === "false") return "stop";
  if (status === 429) return "retry";
  if (method === "POST") return status >= 500 ? "recover-then-retry" : "stop";
  if (shouldRetry === "true" || status === 408 || status === 409 || status >= 500) return "retry";
  return "stop";
}

/** Query string with repeated keys for arrays and `true`/`false` for booleans; "" when empty. */
export function serializeQuery(query: object | undefined): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined || item === null) continue;
      params.append(key, String(item));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** `retry-after-ms` (ms) first, then `Retry-After` (seconds or an HTTP date); undefined when absent or unparsable. */
export function parseRetryAfter(headers: HeaderBag, nowMs: number): number | undefined {
  const ms = Number.parseFloat(headerValue(headers, "retry-after-ms") ?? "");
  if (Number.isFinite(ms) && ms >= 0) return Math.ceil(ms);
  const raw = headerValue(headers, "retry-after")?.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Math.ceil(Number(raw) * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

function interpretResponse<T>(method: HttpMethod, path: string, status: number, headers: HeaderBag, text: string, nowMs: number): Attempt<T> {
  const envelope = parseEnvelope<T>(text);
  const success = status >= 200 && status < 300;
  if (success && text.trim() === "") return { ok: true, page: { result: undefined as T, resultInfo: undefined } };
  if (success && envelope && envelope.success !== false) {
    return { ok: true, page: { result: envelope.result as T, resultInfo: envelope.result_info } };
  }
  const retryAfterMs = parseRetryAfter(headers, nowMs);
  const detail = success && !envelope ? "the response body is not a JSON envelope" : undefined;
  const error = ApiError.fromResponse({ method, path, status, errors: envelope?.errors ?? [], retryAfterMs, detail });
  return { ok: false, failure: { error, status, headers, retryAfterMs } };
}

// Tolerant: `messages` may be absent, and proxies can answer with HTML.
function parseEnvelope<T>(text: string): Envelope<T> | undefined {
  if (!text.trim()) return undefined;
  try {
    const parsed = JSON.parse(text) as Partial<Envelope<T>> | null;
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return undefined;
    return { ...parsed, errors: Array.isArray(parsed.errors) ? parsed.errors : [], result: parsed.result ?? null, success: parsed.success ?? true } as Envelope<T>;
  } catch {
    return undefined;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function headerValue(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
