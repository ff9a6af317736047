// What `diff` counts as a change besides the declared fields: an object the last run did not see
// settle (its wait resumes), and new `timeouts` (written to state without a request, so that they
// govern the next operation, a delete included).

import { isSettled, RECIPIENT_LIFECYCLE, RESOURCE_LIFECYCLE, SHARE_LIFECYCLE } from "../wait/lifecycle";
import { canonicalJson, containsUnknown, Timeouts, withoutUndefined } from "./inputs";
import type { ShareOutputs } from "./share-model";

/**
 * Whether the declared `timeouts` differ from those in state.
 *
 * @example
 * timeoutsChanged({ delete: "1m" }, { delete: "10m" }); // true
 */
export function timeoutsChanged(stored: Timeouts | undefined, declared: unknown): boolean {
  if (containsUnknown(declared)) return true;
  return canonicalJson(withoutUndefined(stored ?? {})) !== canonicalJson(withoutUndefined(declared ?? {}));
}

/**
 * What in a share's state has not settled (empty when all has): the share, an inline recipient, an
 * inline resource (its status, or its propagation to the recipients), or a recipient Cloudflare
 * reported a terminal error for.
 *
 * @example
 * if (unsettledShareItems(olds).length > 0) return { changes: true }; // the update resumes the waits
 */
export function unsettledShareItems(state: ShareOutputs): string[] {
  return [
    ...(isSettled(SHARE_LIFECYCLE, state.status) ? [] : [`the share is '${state.status}'`]),
    ...state.recipients.flatMap((recipient) =>
      isSettled(RECIPIENT_LIFECYCLE, recipient.associationStatus) && !recipient.terminalError
        ? []
        : [`recipient ${recipient.id} is '${recipient.associationStatus}'${recipient.terminalError ? ` (${recipient.terminalError})` : ""}`],
    ),
    ...state.resources.flatMap((resource) => (isSettled(RESOURCE_LIFECYCLE, resource.status) ? [] : [`share resource ${resource.id} is '${resource.status}'`])),
    // State written before `propagated` existed has none: that counts as propagated.
    ...state.resources.flatMap((resource) => (resource.propagated === false ? [`share resource ${resource.id} has not yet reached every recipient`] : [])),
  ];
}
