/** Per-call options accepted by every resource method. */
export interface CallOptions {
  /** Cancels the call, including retries and rate waits; the promise rejects with `signal.reason`. */
  signal?: AbortSignal;
  /**
   * Called when the call's first request leaves, after any rate wait (lists: the first page's):
   * what the call answers is from that moment or later.
   */
  onSent?: () => void;
}
