// Errors of the status waiter. Each has a stable `code` and a cross-copy brand: Pulumi loads a
// dynamic provider's code once per provider text, so one process can hold several copies of this
// module and a plain `instanceof` would miss errors thrown by another copy.

const brandOf = (code: string) => Symbol.for(`pulumi-cloudflare-sharing.error.${code}`);

/** Base of every waiter error; `lastStatus` is the last status seen, if any. */
export abstract class WaitError extends Error {
  abstract readonly code: string;
  /** What was waited on, e.g. `recipient 1a2b… of share 3c4d…`. */
  readonly what: string;
  readonly lastStatus?: string;
  readonly elapsedMs: number;

  protected constructor(message: string, what: string, elapsedMs: number, lastStatus?: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.what = what;
    this.elapsedMs = elapsedMs;
    this.lastStatus = lastStatus;
  }
}

function brand<T extends abstract new (...args: never[]) => WaitError>(cls: T, code: string): void {
  const symbol = brandOf(code);
  Object.defineProperty(cls.prototype, symbol, { value: true });
  Object.defineProperty(cls, Symbol.hasInstance, {
    value: (candidate: unknown) =>
      typeof candidate === "object" && candidate !== null && (candidate as Record<symbol, unknown>)[symbol] === true,
  });
}

/** The deadline passed before the object reached a target status. */
export class WaitTimeoutError extends WaitError {
  readonly code = "WAIT_TIMEOUT";
  readonly expected: readonly string[];
  readonly timeoutMs: number;
  constructor(what: string, expected: readonly string[], timeoutMs: number, elapsedMs: number, lastStatus?: string) {
    const goal = expected.length === 0 ? "to be gone" : `to become ${expected.map((s) => `'${s}'`).join(" or ")}`;
    super(
      `timeout while waiting for ${what} ${goal} (last status: '${lastStatus ?? "unknown"}', timeout: ${formatDuration(timeoutMs)})`,
      what,
      elapsedMs,
      lastStatus,
    );
    this.expected = expected;
    this.timeoutMs = timeoutMs;
  }
}
brand(WaitTimeoutError, "WAIT_TIMEOUT");

/** The object reported a status that is neither pending nor a target: waiting longer cannot help. */
export class UnexpectedStatusError extends WaitError {
  readonly code = "WAIT_UNEXPECTED_STATUS";
  readonly expected: readonly string[];
  constructor(what: string, status: string, expected: readonly string[], elapsedMs: number) {
    super(
      `${what} reached unexpected status '${status}' while waiting for ${expected.length ? expected.map((s) => `'${s}'`).join(" or ") : "it to be gone"}`,
      what,
      elapsedMs,
      status,
    );
    this.expected = expected;
  }
}
brand(UnexpectedStatusError, "WAIT_UNEXPECTED_STATUS");

/** The server reported a failure it will not retry (e.g. a recipient resource error with `terminal: true`). */
export class TerminalStatusError extends WaitError {
  readonly code = "WAIT_TERMINAL_FAILURE";
  /** The server's own reason, verbatim. */
  readonly reason: string;
  constructor(what: string, reason: string, elapsedMs: number, lastStatus?: string) {
    super(`${what} failed: ${reason}`, what, elapsedMs, lastStatus);
    this.reason = reason;
  }
}
brand(TerminalStatusError, "WAIT_TERMINAL_FAILURE");

/** The object stayed absent longer than a freshly created object may take to become visible. */
export class WaitNotFoundError extends WaitError {
  readonly code = "WAIT_NOT_FOUND";
  readonly checks: number;
  constructor(what: string, checks: number, elapsedMs: number) {
    super(`${what} was not found (${checks} checks over ${formatDuration(elapsedMs)})`, what, elapsedMs);
    this.checks = checks;
  }
}
brand(WaitNotFoundError, "WAIT_NOT_FOUND");

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const totalSeconds = Math.round(ms / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return minutes > 0 ? `${minutes}m${seconds}s` : `${seconds}s`;
}
