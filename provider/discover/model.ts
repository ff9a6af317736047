// What `discover` found in an account: the shares to declare, each with the items to declare inline,
// and what it leaves out, with the reason.

import type { RecipientObject, ShareObject, ShareResourceObject } from "../client/types";
import { normalizeMeta } from "../resources/inputs";
import { recipientTarget } from "../resources/recipient-target";
import { isGone, RECIPIENT_LIFECYCLE, RESOURCE_LIFECYCLE } from "../wait/lifecycle";

// The same reading of a recipient's target as `pulumi import` (see ../resources/recipient-target).
export { recipientTarget };

/** A recipient to declare inline: exactly one target, plus what was seen of it. */
export interface DiscoveredRecipient {
  /** The recipient id (taken over through the share's `adopt`). */
  id: string;
  recipientAccountId?: string;
  organizationId?: string;
  associationStatus: string;
}

/** A shared object to declare inline. */
export interface DiscoveredResource {
  /** The share-resource id. */
  id: string;
  resourceType: string;
  resourceId: string;
  resourceAccountId: string;
  /** Compact JSON with sorted keys. */
  meta: string;
  status: string;
}

/** A share to declare, with its resource name. */
export interface DiscoveredShare {
  id: string;
  name: string;
  /** The Pulumi resource name (see ./names). */
  resourceName: string;
  created: string;
  targetType: string;
  recipients: DiscoveredRecipient[];
  resources: DiscoveredResource[];
}

/** Something read but not declared, and why. */
export interface LeftOut {
  kind: "share" | "recipient" | "resource";
  id: string;
  /** e.g. `share 3fd8… "old rules"`. */
  description: string;
  reason: string;
}

/** Everything `discover` read about one account. */
export interface Discovery {
  accountId: string;
  accountName?: string;
  organizationId?: string;
  shares: DiscoveredShare[];
  leftOut: LeftOut[];
  /** Shares of other accounts of the organization (with `--organization`): seen, never declared. */
  otherAccountsShares?: number;
  /** Shares read (sent by the account, any status). */
  sharesRead: number;
  /** API requests sent. */
  requests: number;
}

/**
 * Splits one share into what to declare and what to leave out: recipients and resources that the
 * lifecycle table calls gone (`disassociating`/`disassociated`, `deleting`/`deleted`) are on their
 * way out (declaring them would re-add them); a share with no live recipient or no active resource
 * cannot be declared (a Share needs one of each). Returns undefined for a share left out.
 *
 * @example
 * const leftOut: LeftOut[] = [];
 * const declared = classifyShare(share, recipients, new Set([share.organization_id]), leftOut); // undefined if left out
 */
export function classifyShare(
  share: ShareObject,
  recipients: readonly RecipientObject[],
  organizationIds: ReadonlySet<string>,
  leftOut: LeftOut[],
): Omit<DiscoveredShare, "resourceName"> | undefined {
  const description = `share ${share.id} ${JSON.stringify(share.name)}`;
  if (share.status !== "active") {
    leftOut.push({ kind: "share", id: share.id, description, reason: `it is ${share.status}` });
    return undefined;
  }
  const live = recipients.filter((recipient) => !isGone(RECIPIENT_LIFECYCLE, recipient.association_status));
  for (const recipient of recipients) {
    if (isGone(RECIPIENT_LIFECYCLE, recipient.association_status)) {
      leftOut.push({ kind: "recipient", id: recipient.id, description: `recipient ${recipient.id} (account ${recipient.account_id}) of ${description}`, reason: `it is ${recipient.association_status}` });
    }
  }
  const resources: ShareResourceObject[] = [];
  for (const resource of share.resources ?? []) {
    if (isGone(RESOURCE_LIFECYCLE, resource.status)) {
      leftOut.push({ kind: "resource", id: resource.id, description: `resource ${resource.id} (${resource.resource_type} ${resource.resource_id}) of ${description}`, reason: `it is ${resource.status}` });
    } else {
      resources.push(resource);
    }
  }
  const discoveredRecipients: DiscoveredRecipient[] = live.map((recipient) => ({
    id: recipient.id,
    ...recipientTarget(recipient, share, organizationIds, live),
    associationStatus: recipient.association_status,
  }));
  const targets = discoveredRecipients.map((r) => r.recipientAccountId ?? `organization ${r.organizationId}`);
  const problem =
    discoveredRecipients.length === 0
      ? "it has no live recipient (a Share declares at least one)"
      : resources.length === 0
        ? "it has no active resource (a Share declares at least one)"
        : new Set(targets).size !== targets.length
          ? "it lists the same recipient twice"
          : undefined;
  if (problem) {
    leftOut.push({ kind: "share", id: share.id, description, reason: problem });
    return undefined;
  }
  return {
    id: share.id,
    name: share.name,
    created: share.created,
    targetType: share.target_type,
    recipients: discoveredRecipients,
    resources: resources.map((resource) => ({
      id: resource.id,
      resourceType: resource.resource_type,
      resourceId: resource.resource_id,
      resourceAccountId: resource.resource_account_id,
      meta: normalizeMeta(resource.meta ?? {}),
      status: resource.status,
    })),
  };
}
