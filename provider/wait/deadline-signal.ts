// An operation's deadline for the requests it makes outside its waits: its writes (POST, PUT,
// DELETE) and the checks and natural-key look-ups around them. Their retries and rate-budget waits
// stop at the deadline plus one request timeout, the same hard end as a wait's: a `5m` create ends
// by 5 minutes plus one request timeout whatever the server does.

import { orCancelled } from "./cancellation";
import { formatDuration } from "./errors";
import type { LookupContext } from "./finders";
import type { TimeBudget } from "./waits";

const brand = Symbol.for("pulumi-cloudflare-sharing.error.OPERATION_DEADLINE");

/** The operation's timeout ran out while a request was still unanswered (or waiting to be sent). */
export class OperationDeadlineError extends Error {
  readonly code = "OPERATION_DEADLINE";
  readonly timeoutMs: number;
  constructor(timeoutMs: number) {
    super(
      `no answer from the API within the operation's timeout (${formatDuration(timeoutMs)}); run \`pulumi up\` again: ` +
        `it picks up what this request did (an object whose create may have landed is taken over, never made twice)`,
    );
    this.timeoutMs = timeoutMs;
  }

  // Pulumi may load several copies of this module in one process: match by brand, not by class.
  static override [Symbol.hasInstance](candidate: unknown): boolean {
    return typeof candidate === "object" && candidate !== null && (candidate as Record<symbol, unknown>)[brand] === true;
  }
}
Object.defineProperty(OperationDeadlineError.prototype, brand, { value: true });

/**
 * A signal that aborts (with an {@link OperationDeadlineError}) once `budget`'s deadline plus one
 * request timeout has passed. Pass it to the operation's writes: a request in flight at the deadline
 * still gets its one request timeout, and nothing starts or retries after that.
 *
 * @example
 * const budget = budgetOf(timeoutMs(inputs.timeouts, "delete"));
 * await api.recipients.delete(accountId, shareId, id, { signal: deadlineSignal(wait, budget) });
 */
export function deadlineSignal(ctx: LookupContext, budget: TimeBudget): AbortSignal {
  const controller = new AbortController();
  const endsIn = budget.deadline + ctx.api.http.settings.perAttemptTimeoutMs - Date.now();
  const timer = setTimeout(() => controller.abort(new OperationDeadlineError(budget.totalMs)), Math.max(0, endsIn));
  // Only a bound: it must not keep the provider process alive.
  timer.unref();
  // The engine's cancellation ends them the same way, only sooner.
  return orCancelled(controller.signal);
}
