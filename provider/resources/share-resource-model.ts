// Inputs and state of a ShareResource, and how state is made from the API's object.

import type { ShareResourceObject } from "../client/types";
import { isSettled, RESOURCE_LIFECYCLE } from "../wait/lifecycle";
import { normalizeMeta, pickInputs, Timeouts, withoutUndefined } from "./inputs";

/** Inputs as the provider receives them (resolved). */
export interface ShareResourceInputs {
  accountId: string;
  shareId: string;
  resourceType: string;
  resourceId: string;
  resourceAccountId: string;
  /** A JSON object; after `check`, compact JSON with sorted keys. */
  meta?: string | Record<string, unknown>;
  timeouts?: Timeouts;
  adopt?: string;
  /** The stack whose journal records this resource's creates (`<project>/<stack>`); set by the resource class. */
  ownerStack?: string;
  /** This resource's URN: the only resource that may recover what its own interrupted create made; set by the resource class. */
  ownerUrn?: string;
  /** The `replaceOnChanges` resource option's paths; set by the resource class (./forced-replacements). */
  replaceOnChanges?: string[];
}

/** What a `ShareResource` reads back (the outputs of the dynamic and the plugin `ShareResource` alike). */
export interface ShareResourceProperties {
  accountId: string;
  shareId: string;
  resourceType: string;
  resourceId: string;
  resourceAccountId: string;
  /** Metadata as compact JSON with sorted keys. */
  meta: string;
  /** `active`, `deleting` or `deleted`. */
  status: string;
  /** Incremented by the API each time the shared object's state is republished. */
  resourceVersion: number;
  /**
   * Whether every associated recipient was seen to report this `resourceVersion`. `false` after a
   * wait that ended before they did: the next `up` resumes that wait.
   */
  propagated: boolean;
  /** When the share resource was created (RFC 3339), as Cloudflare reports it. */
  created: string;
  /** When the share resource last changed (RFC 3339), as Cloudflare reports it. */
  modified: string;
}

/** State as stored by the engine: what the ShareResource reads back, and the inputs only the provider reads. */
export interface ShareResourceOutputs extends ShareResourceProperties {
  timeouts?: Timeouts;
  adopt?: string;
  ownerStack?: string;
  ownerUrn?: string;
}

export const TIMEOUT_KEYS = ["create", "update", "delete"] as const;
/** Changing any of these means a new share resource: the API can only update `meta`. */
export const REPLACE_ON_CHANGE = ["accountId", "shareId", "resourceType", "resourceId", "resourceAccountId"] as const;

/**
 * The state of a share resource: what the inputs say about it, what the API reports, and whether
 * its recipients were seen to have it.
 *
 * @example
 * return { id: created.id, outs: resourceOutputsOf(inputs, settled, true) };
 */
export function resourceOutputsOf(inputs: ShareResourceInputs, server: ShareResourceObject, propagated: boolean): ShareResourceOutputs {
  return withoutUndefined({
    accountId: inputs.accountId,
    shareId: inputs.shareId,
    resourceType: server.resource_type,
    resourceId: server.resource_id,
    resourceAccountId: server.resource_account_id,
    meta: normalizeMeta(server.meta ?? {}),
    timeouts: inputs.timeouts,
    adopt: inputs.adopt,
    ownerStack: inputs.ownerStack,
    ownerUrn: inputs.ownerUrn,
    status: server.status,
    resourceVersion: server.resource_version,
    propagated,
    created: server.created,
    modified: server.modified,
  });
}

/**
 * Whether the last run saw the share resource settle: `active` (or whatever the lifecycle table
 * calls settled) and in effect for every recipient. State written before `propagated` existed
 * counts as propagated.
 *
 * @example
 * if (!isSettledState(olds)) changes = true; // the update resumes the wait
 */
export function isSettledState(state: Pick<ShareResourceOutputs, "status" | "propagated">): boolean {
  return isSettled(RESOURCE_LIFECYCLE, state.status) && state.propagated !== false;
}

/**
 * The inputs that describe `outputs` (used by `read`, so the next `up` diffs against reality).
 *
 * @example
 * return readResult(id, outs, resourceInputsOf(outs));
 */
export function resourceInputsOf(outputs: ShareResourceOutputs): ShareResourceInputs {
  return pickInputs(outputs, ["accountId", "shareId", "resourceType", "resourceId", "resourceAccountId", "meta", "timeouts", "adopt"]);
}
