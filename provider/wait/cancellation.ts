// The engine's cancellation (Ctrl-C under `pulumi up`): the plugin host aborts the signal of every
// call in progress, and each wait and request of the call ends as at its deadline: the object is
// kept in state with what is known of it (ResourceInitError), and the next `up` resumes it.

import { currentCallContext } from "../call-context";

const brand = Symbol.for("pulumi-cloudflare-sharing.error.OPERATION_CANCELLED");

/**
 * The engine cancelled the operation (Ctrl-C) while it waited or a request was in flight.
 *
 * @example
 * cancelled.abort(new OperationCancelledError()); // the plugin's Cancel
 */
export class OperationCancelledError extends Error {
  readonly code = "OPERATION_CANCELLED";
  constructor() {
    super("cancelled (Ctrl-C): stopped waiting; run `pulumi up` again: it resumes what this run began (an object already made is kept in state, never made twice)");
  }

  // Pulumi may load several copies of this module in one process: match by brand, not by class.
  static override [Symbol.hasInstance](candidate: unknown): boolean {
    return typeof candidate === "object" && candidate !== null && (candidate as Record<symbol, unknown>)[brand] === true;
  }
}
Object.defineProperty(OperationCancelledError.prototype, brand, { value: true });

/**
 * The signal that aborts when the engine cancels the current call, if its host can tell (the
 * plugin's can; Pulumi's dynamic-provider host passes no cancellation on).
 *
 * @example
 * await waitForStatus({ ...options, signal: cancellationSignal() });
 */
export function cancellationSignal(): AbortSignal | undefined {
  return currentCallContext()?.signal;
}

/**
 * `signal` that also aborts on the current call's cancellation.
 *
 * @example
 * const signal = orCancelled(controller.signal);
 */
export function orCancelled(signal: AbortSignal): AbortSignal {
  const cancelled = cancellationSignal();
  return cancelled ? AbortSignal.any([signal, cancelled]) : signal;
}
