// After a Share create: finding the ids of the recipients and resources the create made (its
// response carries none of them), so that state records every object the create made.

import type { ShareObject } from "../client/types";
import { Runtime } from "../runtime";
import { lookupShare } from "../wait/finders";
import { listRecipientsForWaits } from "../wait/watched-recipients";
import { cancellationSignal } from "../wait/cancellation";
import { Observation, waitForStatus } from "../wait/waiter";
import { describeShare, isTransientApiError, timeLeft, WaitTimeout } from "../wait/waits";
import { managedRecipient, managedResource, matchRecipients, matchResources, recipientKey, resourceKey, ShareInputs, ShareOutputs, shareOutputsOf } from "./share-model";

/**
 * One look at what a create made: the share with the declared recipients and resources it has so
 * far (the create response carries none of their ids). `undefined` while the share is not readable.
 *
 * @example
 * const known = (await observeCreated(runtime, inputs, share.id))?.value;
 */
export async function observeCreated(runtime: Runtime, inputs: ShareInputs, shareId: string, signal?: AbortSignal): Promise<Observation<ShareOutputs> | undefined> {
  const { wait } = runtime;
  const declaredRecipients = inputs.recipients ?? [];
  const declaredResources = inputs.resources ?? [];
  const [withResources, recipients] = await Promise.all([
    lookupShare(wait, shareId, undefined, signal),
    // Kept by the recipient watch: the waits for these recipients start from this list.
    listRecipientsForWaits(wait, shareId, signal),
  ]);
  if (withResources === undefined || recipients === undefined) return undefined;
  const recipientMatches = matchRecipients(declaredRecipients, recipients);
  const resourceMatches = matchResources(declaredResources, withResources.resources ?? []);
  const state = shareOutputsOf(
    inputs,
    withResources,
    declaredRecipients.flatMap((d) => (recipientMatches.has(recipientKey(d)) ? [managedRecipient(d, recipientMatches.get(recipientKey(d))!)] : [])),
    declaredResources.flatMap((d) => (resourceMatches.has(resourceKey(d)) ? [managedResource(resourceMatches.get(resourceKey(d))!)] : [])),
  );
  const complete = state.recipients.length === declaredRecipients.length && state.resources.length === declaredResources.length;
  return { value: state, status: complete ? "complete" : "incomplete" };
}

/**
 * After a create: waits until every declared item is visible, tolerating a short read-after-create lag.
 *
 * @example
 * const known = await discover(runtime, inputs, share, budgetOf(timeoutMs(inputs.timeouts, "create")));
 */
export async function discover(runtime: Runtime, inputs: ShareInputs, share: ShareObject, timeout: WaitTimeout): Promise<ShareOutputs> {
  const { wait } = runtime;
  const found = await waitForStatus<ShareOutputs>({
    what: `the recipients and resources of ${describeShare(share.id)}`,
    pending: ["incomplete"],
    target: ["complete"],
    timeoutMs: timeLeft(timeout),
    reportedTimeoutMs: typeof timeout === "number" ? undefined : timeout.totalMs,
    // The look after the deadline gets one request timeout: the error comes by then.
    lastLookMs: wait.api.http.settings.perAttemptTimeoutMs,
    notFoundChecks: wait.createNotFoundChecks,
    notFoundForMs: wait.api.http.settings.listLagMs,
    schedule: wait.schedule,
    clock: wait.clock,
    isTransient: isTransientApiError,
    refresh: (signal) => observeCreated(runtime, inputs, share.id, signal),
    signal: cancellationSignal(),
  });
  return found!;
}
