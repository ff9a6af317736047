// What the host of the current provider call supplies beyond the inputs: where progress lines and
// warnings go, and the engine's deadline for the operation. The plugin host sets it around each call (Pulumi's
// dynamic-provider host has neither); the CRUD code reads it through `log` and `timeoutMs`, so it
// stays the same under both hosts. AsyncLocalStorage carries it through every await of the call.

import { AsyncLocalStorage } from "node:async_hooks";

export interface CallContext {
  /** Receives each progress line of this call (e.g. logged to the engine against the resource's URN). */
  log?: (line: string) => void;
  /** Receives each warning of this call (e.g. of `check`), for the resource's own row. */
  warn?: (message: string) => void;
  /** The engine's deadline for this operation (`customTimeouts`), in milliseconds; overrides `timeouts`. */
  timeoutMs?: number;
  /** Aborts when the engine cancels the call (Ctrl-C): every wait and request of the call then ends (wait/cancellation.ts). */
  signal?: AbortSignal;
  /**
   * True when the input at `property` (a path such as `resources[0].meta`) is secret, lies inside a
   * secret or holds one: messages then name the field without its value. Only the plugin host knows
   * (Pulumi's dynamic-provider host removes the marks before the provider sees its inputs).
   */
  isSecret?: (property: string) => boolean;
}

const storage = new AsyncLocalStorage<CallContext>();

/**
 * Runs `work` with `context` in force for everything it awaits.
 *
 * @example
 * ```ts
 * await withCallContext({ log: (line) => engine.log(urn, line), timeoutMs: 2_000 }, () => provider.create(inputs));
 * ```
 */
export function withCallContext<T>(context: CallContext, work: () => Promise<T>): Promise<T> {
  return storage.run(context, work);
}

/**
 * The context of the call in progress, if its host set one.
 *
 * @example
 * ```ts
 * const deadline = currentCallContext()?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
 * ```
 */
export function currentCallContext(): CallContext | undefined {
  return storage.getStore();
}

/**
 * True when the call's host said the input at `property` is (or holds) a secret; false when it did
 * not say (the dynamic-provider host never does).
 *
 * @example
 * ```ts
 * const shown = isSecretField("resources[0].meta") ? "a secret value" : JSON.stringify(meta);
 * ```
 */
export function isSecretField(property: string): boolean {
  return currentCallContext()?.isSecret?.(property) ?? false;
}
