// The latest view of an object after its wait failed, so that state records what the server has (a
// terminal error, a status that moved on). It is one look, bounded: a wait's error must come at its
// deadline plus at most one request timeout, and a look with its retries and rate waits could take
// minutes against a server that hangs.

import type { LookupContext } from "./finders";
import { boundedLook } from "./waiter";

/**
 * At most one look through `find`, given one request timeout at most and never past `deadline` plus
 * one request timeout (the hard end of the operation whose wait failed; the wait's own last look
 * may have used that time already). Undefined if it cannot answer in time or fails.
 *
 * @example
 * const known = (await latestView(wait, (signal) => lookupRecipient(wait, shareId, id, undefined, signal), budget.deadline)) ?? created;
 */
export async function latestView<T>(ctx: LookupContext, find: (signal: AbortSignal) => Promise<T | undefined>, deadline: number): Promise<T | undefined> {
  const requestTimeoutMs = ctx.api.http.settings.perAttemptTimeoutMs;
  const limitMs = Math.min(requestTimeoutMs, deadline + requestTimeoutMs - Date.now());
  if (limitMs <= 0) return undefined;
  const bounded = boundedLook(find, limitMs);
  try {
    return await bounded.result;
  } catch {
    return undefined;
  } finally {
    bounded.done();
  }
}
