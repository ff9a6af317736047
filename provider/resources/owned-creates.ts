// The creates of the three object types, described for ./ownership: the POST, the natural key
// (provider/client/natural-keys) and how to find what holds it, and the `adopt` advice for messages.

import type { CloudflareSharingClient } from "../client";
import { recipientNaturalKey, resourceNaturalKey, shareNaturalKey } from "../client/natural-keys";
import type { RecipientObject, ResourceInput, ShareCreateBody, ShareObject, ShareResourceObject } from "../client/types";
import type { OwnedCreate } from "./ownership";
import { describeTarget, recipientInput } from "./share-recipient-model";

/** Which declaration makes the object: it decides what "take it over" means in messages. */
export type Declaring = "this Share" | "this ShareRecipient" | "this ShareResource";

/**
 * A Share create.
 *
 * @example
 * const share = await createOwned(shareCreate(api, wait.log, inputs.ownerStack, accountId, body), journal);
 */
export function shareCreate(api: CloudflareSharingClient, log: (line: string) => void, stack: string | undefined, accountId: string, body: ShareCreateBody): OwnedCreate<ShareObject> {
  return {
    stack,
    kind: "share",
    key: shareNaturalKey(accountId, body),
    what: `share "${body.name}" in account ${accountId}`,
    post: () => api.shares.create(accountId, body),
    find: (createdNotBefore) => api.shares.findByNaturalKey(accountId, body, createdNotBefore),
    statusOf: (share) => share.status,
    adoptAdvice: (share) => `add \`adopt: "${share.id}"\` to this Share's arguments`,
    log,
  };
}

/**
 * A recipient create, for a ShareRecipient or a Share's inline recipient.
 *
 * @example
 * const recipient = await createOwned(recipientCreate(api, wait.log, stack, accountId, shareId, inputs, "this ShareRecipient"), journal);
 */
export function recipientCreate(
  api: CloudflareSharingClient,
  log: (line: string) => void,
  stack: string | undefined,
  accountId: string,
  shareId: string,
  target: { recipientAccountId?: string; organizationId?: string },
  declaring: Declaring,
): OwnedCreate<RecipientObject> {
  const body = recipientInput(target);
  return {
    stack,
    kind: "recipient",
    key: JSON.stringify([accountId, shareId, recipientNaturalKey(body)]),
    what: `the recipient ${describeTarget(target)} of share ${shareId}`,
    post: () => api.recipients.create(accountId, shareId, body),
    find: (createdNotBefore) => api.recipients.findByNaturalKey(accountId, shareId, body, createdNotBefore),
    statusOf: (recipient) => recipient.association_status,
    adoptAdvice: (recipient) =>
      declaring === "this ShareRecipient"
        ? `add \`adopt: "${recipient.id}"\` to this ShareRecipient's arguments`
        : `declare it as a ShareRecipient with \`adopt: "${recipient.id}"\` instead of inline in ${declaring}`,
    log,
  };
}

/**
 * A share-resource create, for a ShareResource or a Share's inline resource.
 *
 * @example
 * const resource = await createOwned(resourceCreate(api, wait.log, stack, accountId, shareId, body, "this ShareResource"), journal);
 */
export function resourceCreate(
  api: CloudflareSharingClient,
  log: (line: string) => void,
  stack: string | undefined,
  accountId: string,
  shareId: string,
  body: ResourceInput,
  declaring: Declaring,
): OwnedCreate<ShareResourceObject> {
  return {
    stack,
    kind: "resource",
    key: JSON.stringify([accountId, shareId, resourceNaturalKey(body)]),
    what: `${body.resource_type} ${body.resource_id} on share ${shareId}`,
    post: () => api.resources.create(accountId, shareId, body),
    find: (createdNotBefore) => api.resources.findByNaturalKey(accountId, shareId, body, createdNotBefore),
    statusOf: (resource) => resource.status,
    adoptAdvice: (resource) =>
      declaring === "this ShareResource"
        ? `add \`adopt: "${resource.id}"\` to this ShareResource's arguments`
        : `declare it as a ShareResource with \`adopt: "${resource.id}"\` instead of inline in ${declaring}`,
    log,
  };
}
