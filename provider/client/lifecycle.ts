// The lifecycle of each object type, in one table: which statuses mean "on its way", "there", "on
// its way out" and "removed", per transition. The client's natural keys, finders, `read`, `diff`,
// `adopt`, the waits and the re-add path ask this module and nothing else whether an object is gone
// or settled (reference §5, §7). It describes the API's objects, so it lives beside their types: the
// client layer reads it without importing the wait layer (provider/wait/lifecycle re-exports it).

import type { RecipientObject, ShareObject, ShareResourceObject } from "./types";

/**
 * A status the API never reports: the object exists, but a change just written (a rename, new
 * `meta`) is not visible to reads yet. Waits report it while they wait for the change to show.
 */
export const UPDATING = "updating";

/** The statuses of one transition: keep waiting while `pending`, done at `target`. */
export interface Transition {
  readonly pending: readonly string[];
  readonly target: readonly string[];
}

/** One object type's statuses. */
export interface Lifecycle<T> {
  /** As named in messages: `share`, `recipient`, `share resource`. */
  readonly noun: string;
  status(object: T): string;
  /**
   * On its way out: no longer counts as existing. `read` drops it from state, `diff` sees it as
   * missing, and adding the same object again waits until its removal is complete.
   */
  readonly leaving: readonly string[];
  /** Removal complete (the record may stay listed, as recipients do forever). */
  readonly removed: readonly string[];
  /** Create, or resume a create or update that did not finish: until it is there. */
  readonly settle: Transition;
  /** Delete: until it is removed (or 404). Every status but the removed ones is pending. */
  readonly remove: Transition;
}

/** A share: `active` → (DELETE) `deleting` → `deleted` → 404 (§7). */
export const SHARE_LIFECYCLE: Lifecycle<ShareObject> = {
  noun: "share",
  status: (share) => share.status,
  leaving: ["deleting"],
  removed: ["deleted"],
  // `updating`: a rename written but not yet visible.
  settle: { pending: [UPDATING], target: ["active"] },
  remove: { pending: ["active", "deleting"], target: ["deleted"] },
};

/**
 * A recipient: `associating` → `associated`; (DELETE) → `disassociating` → `disassociated`, a record
 * kept forever (§3.10, §7).
 */
export const RECIPIENT_LIFECYCLE: Lifecycle<RecipientObject> = {
  noun: "recipient",
  status: (recipient) => recipient.association_status,
  leaving: ["disassociating"],
  removed: ["disassociated"],
  settle: { pending: ["associating"], target: ["associated"] },
  // The first look after a DELETE may still show the status from before it.
  remove: { pending: ["associating", "associated", "disassociating"], target: ["disassociated"] },
};

/** A share resource: `active` → (DELETE) `deleting` → `deleted` → gone (§7). */
export const RESOURCE_LIFECYCLE: Lifecycle<ShareResourceObject> = {
  noun: "share resource",
  status: (resource) => resource.status,
  leaving: ["deleting"],
  removed: ["deleted"],
  // `updating`: new `meta` written but not yet visible.
  settle: { pending: [UPDATING], target: ["active"] },
  remove: { pending: ["active", "deleting"], target: ["deleted"] },
};

/**
 * Whether an object in `status` is gone for every purpose but waiting for its removal: leaving or
 * removed. An unknown status (one the API added later) is not gone.
 *
 * @example
 * isGone(SHARE_LIFECYCLE, "deleting"); // true: refresh drops the share, the next `up` creates a new one
 */
export function isGone(lifecycle: Lifecycle<unknown>, status: string | undefined): boolean {
  return status !== undefined && (lifecycle.leaving.includes(status) || lifecycle.removed.includes(status));
}

/**
 * Whether an object in `status` is on its way out: gone, but its removal is not complete yet.
 *
 * @example
 * isLeaving(RECIPIENT_LIFECYCLE, "disassociating"); // true
 */
export function isLeaving(lifecycle: Lifecycle<unknown>, status: string | undefined): boolean {
  return status !== undefined && lifecycle.leaving.includes(status);
}

/**
 * Whether an object in `status` has been removed for good (a delete wait is done).
 *
 * @example
 * isRemoved(RECIPIENT_LIFECYCLE, "disassociated"); // true
 */
export function isRemoved(lifecycle: Lifecycle<unknown>, status: string | undefined): boolean {
  return status !== undefined && lifecycle.removed.includes(status);
}

/**
 * Whether an object in `status` has settled: a create or update needs no more waiting. A status
 * stored in state that is not settled means the last run did not finish waiting for it.
 *
 * @example
 * isSettled(RECIPIENT_LIFECYCLE, "associating"); // false: the next `up` resumes the wait
 */
export function isSettled(lifecycle: Lifecycle<unknown>, status: string | undefined): boolean {
  return status !== undefined && lifecycle.settle.target.includes(status);
}

/**
 * A share resource's new version reaching the recipients: every associated recipient reports it in
 * its per-object `resources[].resource_version` (§4.2). The statuses are the waiter's own; the API
 * has none for this.
 */
export const PROPAGATION: Transition = { pending: ["propagating"], target: ["propagated"] };
