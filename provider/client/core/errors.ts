// Typed errors of the API client. Modelled on undici's lib/core/errors.js: each class has a stable
// machine `code` and a Symbol.for brand, and `instanceof` checks the brand instead of the prototype
// chain. Pulumi loads a dynamic provider's code once per resource type in the same process, so two
// copies of these classes can meet; a plain prototype check would then say "not an ApiError".
import { STATUS_CODES } from "node:http";
import type { CloudflareMessage } from "../types";

/** Stable `code` values, one per error class. */
export const ERROR_CODES = {
  base: "CF_SHARING_ERR",
  api: "CF_SHARING_ERR_API",
  notFound: "CF_SHARING_ERR_NOT_FOUND",
  authentication: "CF_SHARING_ERR_AUTHENTICATION",
  rateLimit: "CF_SHARING_ERR_RATE_LIMIT",
  validation: "CF_SHARING_ERR_VALIDATION",
  conflict: "CF_SHARING_ERR_CONFLICT",
  server: "CF_SHARING_ERR_SERVER",
  connection: "CF_SHARING_ERR_CONNECTION",
  timeout: "CF_SHARING_ERR_TIMEOUT",
  pagination: "CF_SHARING_ERR_PAGINATION",
} as const;

/** Cloudflare error code for "object not found" (observed on shares, recipients and resources). */
export const CF_CODE_NOT_FOUND = 1004;
/** Cloudflare error code for "Authentication error" (missing permission on writes). */
export const CF_CODE_AUTHENTICATION = 10000;

const brandKey = (code: string): symbol => Symbol.for(`pulumi-cloudflare-sharing.error.${code}`);

function hasBrand(value: unknown, code: string): boolean {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[brandKey(code)] === true;
}

// The brand lives on the prototype (non-enumerable), so instances of subclasses carry every ancestor's brand.
function brand(ctor: { prototype: object }, code: string): void {
  Object.defineProperty(ctor.prototype, brandKey(code), { value: true, enumerable: false });
}

/** Base of every error thrown by the client. */
export class CloudflareSharingError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, ERROR_CODES.base);
  }
  /** Stable machine-readable code, e.g. `CF_SHARING_ERR_NOT_FOUND`. */
  readonly code: string;

  constructor(message: string, code: string = ERROR_CODES.base, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}
brand(CloudflareSharingError, ERROR_CODES.base);

/** What {@link ApiError.fromResponse} needs to know about a failed response. */
export interface ApiErrorInit {
  /** HTTP method of the request. */
  method: string;
  /** Request path without query string. Never include headers or credentials. */
  path: string;
  /** HTTP status code. */
  status: number;
  /** The envelope's `errors[]` (empty when the body was not a Cloudflare envelope). */
  errors?: readonly CloudflareMessage[];
  /** Server-directed wait (retry-after-ms / Retry-After), when the response carried one. */
  retryAfterMs?: number;
  /** Extra explanation when `errors[]` says nothing, e.g. "the response body is not a JSON envelope". */
  detail?: string;
}

/** The API answered with a non-success status or `success: false`. */
export class ApiError extends CloudflareSharingError {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, ERROR_CODES.api);
  }
  /** HTTP status code. */
  readonly status: number;
  /** Cloudflare's `errors[]` from the envelope. */
  readonly errors: readonly CloudflareMessage[];
  /** HTTP method of the failed request. */
  readonly method: string;
  /** Request path (no query string). */
  readonly path: string;

  constructor(init: ApiErrorInit, code: string = ERROR_CODES.api) {
    super(formatApiMessage(init), code);
    this.status = init.status;
    this.errors = init.errors ?? [];
    this.method = init.method;
    this.path = init.path;
  }

  /** True when any entry of `errors[]` has this Cloudflare code. */
  hasCode(code: number): boolean {
    return this.errors.some((e) => e.code === code);
  }

  /** Builds the most specific subclass for a failed response. The single place status codes map to classes. */
  static fromResponse(init: ApiErrorInit): ApiError {
    const codes = new Set((init.errors ?? []).map((e) => e.code));
    if (init.status === 429) return new RateLimitError(init);
    if (init.status >= 500) return new ServerError(init);
    if (init.status === 404 || codes.has(CF_CODE_NOT_FOUND)) return new NotFoundError(init);
    if (init.status === 401 || init.status === 403 || codes.has(CF_CODE_AUTHENTICATION)) return new AuthenticationError(init);
    if (init.status === 409) return new ConflictError(init);
    if (init.status === 400 || init.status === 422) return new ValidationError(init);
    return new ApiError(init);
  }
}
brand(ApiError, ERROR_CODES.api);

/** 404, or Cloudflare error code 1004: the share, recipient or resource does not exist (any more). */
export class NotFoundError extends ApiError {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, ERROR_CODES.notFound);
  }
  constructor(init: ApiErrorInit) {
    super(init, ERROR_CODES.notFound);
  }
}
brand(NotFoundError, ERROR_CODES.notFound);

/** 401/403, or code 10000: bad credentials or a missing permission (writes need "Resource Sharing Edit"). */
export class AuthenticationError extends ApiError {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, ERROR_CODES.authentication);
  }
  constructor(init: ApiErrorInit) {
    super(init, ERROR_CODES.authentication);
  }
}
brand(AuthenticationError, ERROR_CODES.authentication);

/** 429. `retryAfterMs` is the server-directed wait when one was sent (or when the client's budget is paused). */
export class RateLimitError extends ApiError {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, ERROR_CODES.rateLimit);
  }
  /** How long the server asked callers to wait before the next request, if it said. */
  readonly retryAfterMs: number | undefined;
  constructor(init: ApiErrorInit) {
    super(init, ERROR_CODES.rateLimit);
    this.retryAfterMs = init.retryAfterMs;
  }
}
brand(RateLimitError, ERROR_CODES.rateLimit);

/** 400/422: the request was rejected as invalid. */
export class ValidationError extends ApiError {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, ERROR_CODES.validation);
  }
  constructor(init: ApiErrorInit) {
    super(init, ERROR_CODES.validation);
  }
}
brand(ValidationError, ERROR_CODES.validation);

/** 409: a conflicting operation (a lock timeout for GET/PUT/DELETE, which are retried; a real conflict for POST). */
export class ConflictError extends ApiError {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, ERROR_CODES.conflict);
  }
  constructor(init: ApiErrorInit) {
    super(init, ERROR_CODES.conflict);
  }
}
brand(ConflictError, ERROR_CODES.conflict);

/** 5xx. For a POST this is ambiguous: the object may or may not have been created. */
export class ServerError extends ApiError {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, ERROR_CODES.server);
  }
  constructor(init: ApiErrorInit) {
    super(init, ERROR_CODES.server);
  }
}
brand(ServerError, ERROR_CODES.server);

/** No (complete) response: connection refused, reset, or closed mid-response. */
export class ConnectionError extends CloudflareSharingError {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, ERROR_CODES.connection);
  }
  /** HTTP method of the failed request. */
  readonly method: string;
  /** Request path (no query string). */
  readonly path: string;
  /** The network error's code (e.g. `ECONNRESET`, `UND_ERR_SOCKET`), when it had one. */
  readonly networkCode: string | undefined;

  constructor(method: string, path: string, cause: unknown) {
    const networkCode = errorCode(cause);
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`${method} ${path} failed: connection error${networkCode ? ` (${networkCode})` : ""}: ${detail}`, ERROR_CODES.connection, { cause });
    this.method = method;
    this.path = path;
    this.networkCode = networkCode;
  }
}
brand(ConnectionError, ERROR_CODES.connection);

/** One attempt exceeded `perAttemptTimeoutMs` without a complete response. */
export class RequestTimeoutError extends CloudflareSharingError {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, ERROR_CODES.timeout);
  }
  /** HTTP method of the failed request. */
  readonly method: string;
  /** Request path (no query string). */
  readonly path: string;
  /** The per-attempt limit that was exceeded. */
  readonly timeoutMs: number;

  constructor(method: string, path: string, timeoutMs: number) {
    super(`${method} ${path} failed: no complete response within ${timeoutMs} ms`, ERROR_CODES.timeout);
    this.method = method;
    this.path = path;
    this.timeoutMs = timeoutMs;
  }
}
brand(RequestTimeoutError, ERROR_CODES.timeout);

/**
 * A list the server does not page as asked: it answers another page than the one requested, repeats a
 * page already seen, or reports ever more pages. Stopping beats looping forever on the rate budget.
 *
 * @example
 * try { await client.shares.listAll(accountId); } catch (e) { if (e instanceof PaginationError) console.error(e.path, e.page); }
 */
export class PaginationError extends CloudflareSharingError {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, ERROR_CODES.pagination);
  }
  /** Request path (no query string). */
  readonly path: string;
  /** The page that showed the fault. */
  readonly page: number;

  constructor(path: string, page: number, reason: string) {
    super(`GET ${path} failed: the server does not page as asked: ${reason}`, ERROR_CODES.pagination);
    this.path = path;
    this.page = page;
  }
}
brand(PaginationError, ERROR_CODES.pagination);

/** `GET /accounts/a/shares/s failed: 404 Not Found: [1004] Share not found` */
function formatApiMessage(init: ApiErrorInit): string {
  const reason = STATUS_CODES[init.status];
  const head = `${init.method} ${init.path} failed: ${init.status}${reason ? ` ${reason}` : ""}`;
  const details = (init.errors ?? []).map((e) => `[${e.code}] ${e.message}`).join("; ") || init.detail;
  const wait = init.retryAfterMs !== undefined ? ` (retry after ${Math.ceil(init.retryAfterMs / 1000)} s)` : "";
  return (details ? `${head}: ${details}` : head) + wait;
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}
