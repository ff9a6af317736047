// Pieces shared by the three providers.

import type * as pulumi from "@pulumi/pulumi";
import { NotFoundError } from "../client/core/errors";
import { WaitError } from "../wait/errors";
import { withoutUndefined } from "./inputs";

/** The reserved property holding the serialized provider; the host re-adds it everywhere but in errors. */
export const PROVIDER_KEY = "__provider";

/**
 * "Created (or changed) but not settled": the object exists, so the engine must keep it in state.
 *
 * Pulumi's dynamic-provider host turns an error carrying `id`, `properties` and `reasons` into
 * `ErrorResourceInitFailed`: the engine records the resource with that id and those properties,
 * and the next `up` calls `update`, which resumes waiting. The host does not re-add `__provider` to
 * these properties (it does for every normal result), so it is copied from the inputs here;
 * without it a later `read` or `delete` of this resource could not find its code.
 */
export class ResourceInitError extends Error {
  readonly id: string;
  readonly properties: Record<string, unknown>;
  readonly reasons: string[];

  constructor(id: string, properties: Record<string, unknown>, inputs: Record<string, unknown>, reasons: string[]) {
    super(reasons.join("; "));
    this.name = "ResourceInitError";
    this.id = id;
    this.properties = withoutUndefined({ ...properties, [PROVIDER_KEY]: inputs[PROVIDER_KEY] });
    this.reasons = reasons;
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs every task even when some fail, and reports every failure. Reconciling a share's items one
 * by one and stopping at the first failure would leave the rest unreported and, worse, untracked.
 */
export async function settleAll(tasks: (() => Promise<void>)[]): Promise<string[]> {
  const results = await Promise.allSettled(tasks.map((task) => task()));
  return results.flatMap((result) => (result.status === "rejected" ? [messageOf(result.reason)] : []));
}

/** Awaits a DELETE and treats 404 as "already gone". Returns the object the server sent back, if any. */
export async function deleteTolerantly<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/** Prefixes an error with what was being done, keeping the server's own message. */
export function explain(action: string, error: unknown): Error {
  // Waiter errors already say which object and what was expected.
  if (error instanceof WaitError) return error;
  return new Error(`${action}: ${messageOf(error)}`, { cause: error });
}

/**
 * A read result with refreshed inputs, so that after `pulumi refresh` the next `up` diffs the program
 * against what Cloudflare really has and repairs drift. (The SDK types `inputs` as the outputs type;
 * the host stores it as the resource's inputs.)
 */
export function readResult<O>(id: string, props: O, inputs: object): pulumi.dynamic.ReadResult<O> {
  return { id, props, inputs: inputs as unknown as O };
}
