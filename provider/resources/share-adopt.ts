// Adopting an existing share (`adopt: "<id>"`) instead of creating one, and managing a share that
// exists already.

import type * as pulumi from "@pulumi/pulumi";
import { isSecretField } from "../call-context";
import type { RecipientObject, ShareObject, ShareResourceObject } from "../client/types";
import { adoptDifferences } from "./share-adopt-check";
import { Runtime } from "../runtime";
import { lookupShare } from "../wait/finders";
import { isSettled, RESOURCE_LIFECYCLE, SHARE_LIFECYCLE } from "../wait/lifecycle";
import { deadlineSignal } from "../wait/deadline-signal";
import { describeShare, TimeBudget } from "../wait/waits";
import { undeclaredAmong } from "./share-undeclared";
import { managedRecipient, managedResource, matchRecipients, recipientKey, resourceKey, ShareInputs, ShareOutputs, shareOutputsOf } from "./share-model";
import { reconcile, shareInitError } from "./share-reconcile";

/**
 * Takes over an existing share instead of creating one: it must exist, be active and belong to the
 * declared account. Declared items it already has are taken over; the rest are added, and the name
 * and meta brought to what the program declares. With `adoptOnlyIfMatching`, any difference fails
 * the create before a single write, naming every difference.
 *
 * @example
 * if (inputs.adopt) return adoptShare(runtime, inputs, budgetOf(timeoutMs(inputs.timeouts, "create")));
 */
export async function adoptShare(runtime: Runtime, inputs: ShareInputs, budget: TimeBudget): Promise<pulumi.dynamic.CreateResult<ShareOutputs>> {
  const shareId = inputs.adopt!;
  // The checks before any write are bounded by the create's deadline too.
  const signal = deadlineSignal(runtime.wait, budget);
  const share = await lookupShare(runtime.wait, shareId, undefined, signal);
  const what = describeShare(shareId);
  if (share === undefined || !isSettled(SHARE_LIFECYCLE, share.status)) {
    throw new Error(`cannot adopt ${what}: it ${share ? `is ${share.status}` : "does not exist"}`);
  }
  if (share.account_id !== inputs.accountId || share.kind === "received") {
    throw new Error(`cannot adopt ${what}: it belongs to account ${share.account_id}, not ${inputs.accountId}`);
  }
  const recipients = await runtime.api.recipients.listAll(inputs.accountId, shareId, { include_resources: true }, { signal });
  if (inputs.adoptOnlyIfMatching) {
    const differences = adoptDifferences(inputs, share, recipients);
    if (differences.length > 0) {
      throw new Error(
        `cannot adopt ${what}${isSecretField("name") ? "" : ` "${share.name}"`}: it differs from the program (changed since it was discovered?): ${differences.join("; ")}. ` +
          `Nothing was changed (adoptOnlyIfMatching). Declare what the share now has (or run discover again), ` +
          `or remove adoptOnlyIfMatching to bring the share to the program.`,
      );
    }
  }
  return manageExisting(runtime, inputs, share, budget, recipients);
}

/**
 * Manages a share that exists already (adopted, or left by an interrupted run of this stack): the
 * declared items it has are taken over, the rest added, the name brought to the declared one.
 * `recipients` is the share's recipient list when the caller has just read it (saves a request).
 *
 * @example
 * return manageExisting(runtime, inputs, share, budget);
 */
export async function manageExisting(
  runtime: Runtime,
  inputs: ShareInputs,
  share: ShareObject,
  budget: TimeBudget,
  recipients?: readonly RecipientObject[],
): Promise<pulumi.dynamic.CreateResult<ShareOutputs>> {
  const shareId = share.id;
  const server = recipients ?? (await runtime.api.recipients.listAll(inputs.accountId, shareId, { include_resources: true }, { signal: deadlineSignal(runtime.wait, budget) }));
  const declaredRecipients = inputs.recipients ?? [];
  const recipientMatches = matchRecipients(declaredRecipients, server);
  // Matched by (type, id) only: one that differs in owning account is then replaced by reconcile.
  const resourceMatches = new Map<string, ShareResourceObject>(
    (share.resources ?? [])
      .filter((resource) => isSettled(RESOURCE_LIFECYCLE, resource.status))
      .map((resource) => [resourceKey({ resourceType: resource.resource_type, resourceId: resource.resource_id }), resource]),
  );
  const managed = {
    recipients: declaredRecipients.flatMap((d) => (recipientMatches.has(recipientKey(d)) ? [managedRecipient(d, recipientMatches.get(recipientKey(d))!)] : [])),
    resources: (inputs.resources ?? []).flatMap((d) => (resourceMatches.has(resourceKey(d)) ? [managedResource(resourceMatches.get(resourceKey(d))!)] : [])),
  };
  // Exclusive: what else is live on the share is not declared, and the reconcile removes it.
  const undeclared = inputs.exclusive === true ? undeclaredAmong({ recipients: server, resources: share.resources ?? [] }, managed) : undefined;
  const olds = shareOutputsOf(inputs, share, managed.recipients, managed.resources, undeclared);
  try {
    return { id: shareId, outs: await reconcile(runtime, shareId, olds, inputs, budget) };
  } catch (error) {
    throw shareInitError(shareId, olds, inputs, error);
  }
}
