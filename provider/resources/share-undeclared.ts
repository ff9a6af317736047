// `exclusive: true` on a Share: its inline recipients and resources are the share's complete set.
// What else is live on the share (a grant made out of band) is found here, named, and handed to the
// reconcile, which removes it the way it removes an inline item that is no longer declared.

import type { RecipientObject, ShareResourceObject } from "../client/types";
import type { Runtime } from "../runtime";
import { isRemoved, RECIPIENT_LIFECYCLE, RESOURCE_LIFECYCLE } from "../wait/lifecycle";
import type { ShareOutputs, UndeclaredRecipient, UndeclaredResource } from "./share-model";

/** The live items of a share that its Share does not manage. */
export interface UndeclaredItems {
  recipients: UndeclaredRecipient[];
  resources: UndeclaredResource[];
}

/**
 * The recipients and resources among `server` not yet removed whose ids are not among those the
 * Share manages. One already leaving (a removal a killed `up` began) is kept: `up` waits until it is gone.
 *
 * @example
 * const undeclared = undeclaredAmong({ recipients, resources }, state); // { recipients: [{ id, recipientAccountId, … }], resources: [] }
 */
export function undeclaredAmong(
  server: { recipients: readonly RecipientObject[]; resources: readonly ShareResourceObject[] },
  managed: Pick<ShareOutputs, "recipients" | "resources">,
): UndeclaredItems {
  const managedRecipients = new Set(managed.recipients.map((recipient) => recipient.id));
  const managedResources = new Set(managed.resources.map((resource) => resource.id));
  return {
    recipients: server.recipients
      .filter((recipient) => !managedRecipients.has(recipient.id) && !isRemoved(RECIPIENT_LIFECYCLE, recipient.association_status))
      .map((recipient) => ({ id: recipient.id, recipientAccountId: recipient.account_id, associationStatus: recipient.association_status, created: recipient.created })),
    resources: server.resources
      .filter((resource) => !managedResources.has(resource.id) && !isRemoved(RESOURCE_LIFECYCLE, resource.status))
      .map((resource) => ({
        id: resource.id,
        resourceType: resource.resource_type,
        resourceId: resource.resource_id,
        resourceAccountId: resource.resource_account_id,
        status: resource.status,
        created: resource.created,
      })),
  };
}

/**
 * Lists every recipient and resource of the share (every page) and returns those the Share does not manage.
 *
 * @example
 * const undeclared = await listUndeclared(runtime, accountId, shareId, current);
 */
export async function listUndeclared(runtime: Runtime, accountId: string, shareId: string, managed: Pick<ShareOutputs, "recipients" | "resources">): Promise<UndeclaredItems> {
  const [recipients, resources] = await Promise.all([runtime.api.recipients.listAll(accountId, shareId), runtime.api.resources.listAll(accountId, shareId)]);
  return undeclaredAmong({ recipients, resources }, managed);
}

/**
 * How a progress line or a warning names an undeclared recipient.
 *
 * @example
 * describeUndeclaredRecipient(recipient, shareId); // "recipient 5e1f… (account 9a78…) of share 3c2d…"
 */
export function describeUndeclaredRecipient(recipient: UndeclaredRecipient, shareId: string): string {
  return `recipient ${recipient.id} (account ${recipient.recipientAccountId}) of share ${shareId}`;
}

/**
 * How a progress line or a warning names an undeclared resource.
 *
 * @example
 * describeUndeclaredResource(resource, shareId); // "custom-ruleset 2f2f… of account 023e… (share resource 7a1b…) on share 3c2d…"
 */
export function describeUndeclaredResource(resource: UndeclaredResource, shareId: string): string {
  return `${resource.resourceType} ${resource.resourceId} of account ${resource.resourceAccountId} (share resource ${resource.id}) on share ${shareId}`;
}

/**
 * One line per undeclared item of an exclusive share's state, saying what `up` will do about it
 * (empty when there is none, or the share is not exclusive).
 *
 * @example
 * for (const line of undeclaredWarnings(id, olds)) warn(line);
 */
export function undeclaredWarnings(shareId: string, state: Pick<ShareOutputs, "exclusive" | "undeclaredRecipients" | "undeclaredResources">): string[] {
  if (state.exclusive !== true) return [];
  const why = "not declared by this exclusive Share (granted out of band?): `up` removes it";
  return [
    ...(state.undeclaredRecipients ?? []).map((recipient) => `${describeUndeclaredRecipient(recipient, shareId)} is ${why}`),
    ...(state.undeclaredResources ?? []).map((resource) => `${describeUndeclaredResource(resource, shareId)} is ${why}`),
  ];
}
