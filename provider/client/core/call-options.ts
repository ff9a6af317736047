/** Per-call options accepted by every resource method. */
export interface CallOptions {
  /** Cancels the call, including retries and rate waits; the promise rejects with `signal.reason`. */
  signal?: AbortSignal;
}
