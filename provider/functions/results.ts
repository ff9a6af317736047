// What the lookup functions return: the API's objects in camelCase, named as the resources' outputs
// are (`accountName`, `targetType`, `associationStatus`, `resourceVersion`, `meta` as compact JSON…).

import type { RecipientObject, ShareObject, ShareResourceObject } from "../client/types";
import { normalizeMeta, withoutUndefined } from "../resources/inputs";

/** A shared object on a share, as `ShareResource` names its outputs. */
export interface ShareResourceInfo {
  /** The share-resource id (what `ShareResource`'s `adopt` takes), not the shared object's id. */
  id: string;
  /** The share the object is on. */
  shareId: string;
  /** The kind of object, e.g. `custom-ruleset` or `gateway-policy`. */
  resourceType: string;
  /** The id of the shared object (e.g. the ruleset id). */
  resourceId: string;
  /** The account that owns the shared object. */
  resourceAccountId: string;
  /** Compact JSON with sorted keys, as `ShareResource.meta`. */
  meta: string;
  /** `active`, `deleting` or `deleted`. */
  status: string;
  /** The version of the shared object, raised each time it changes. */
  resourceVersion: number;
  /** When it was added (RFC 3339). */
  created: string;
  /** When it last changed (RFC 3339). */
  modified: string;
}

/** A share, as `Share` names its outputs. */
export interface ShareInfo {
  /** The share's id. */
  id: string;
  /** The owning (sending) account. */
  accountId: string;
  /** The owning account's name. */
  accountName: string;
  /** The owning account's organization. */
  organizationId: string;
  /** The share's name. */
  name: string;
  /** `active`, `deleting` or `deleted`. */
  status: string;
  /** `account` or `organization`. */
  targetType: string;
  /** `sent` or `received`, relative to the account asked about (absent in organization lists). */
  kind?: string;
  /** When the share was created (RFC 3339). */
  created: string;
  /** When the share last changed (RFC 3339). */
  modified: string;
  /** With `includeRecipientCounts`: how many recipients are `associated`. */
  associatedRecipientCount?: number;
  /** With `includeRecipientCounts`: how many recipients are `associating`. */
  associatingRecipientCount?: number;
  /** With `includeRecipientCounts`: how many recipients are `disassociated`. */
  disassociatedRecipientCount?: number;
  /** With `includeRecipientCounts`: how many recipients are `disassociating`. */
  disassociatingRecipientCount?: number;
  /**
   * With `includeResources`: the share's resources. (Not `resources`: that name is a member of every
   * Pulumi Output, so `getShareOutput(…).resources` would not reach the list.)
   */
  shareResources?: ShareResourceInfo[];
}

/** A recipient's state for one shared object. */
export interface RecipientResourceInfo {
  /** The share-resource id. */
  resourceId: string;
  /** The version of the shared object the recipient has. */
  resourceVersion: number;
  /** Why sharing the object with this recipient failed; empty when it did not. */
  error: string;
  /** True when the recipient's state for the object will not change any more. */
  terminal: boolean;
}

/** A recipient of a share, as `ShareRecipient` names its outputs. */
export interface ShareRecipientInfo {
  /** The recipient id (what `ShareRecipient`'s `adopt` takes). */
  id: string;
  /** The share the recipient is on. */
  shareId: string;
  /** The account the API reports for this recipient (for an organization recipient, see the README). */
  recipientAccount: string;
  /** `associating`, `associated`, `disassociating` or `disassociated` (removed recipients are listed forever). */
  associationStatus: string;
  /** When the recipient was added (RFC 3339). */
  created: string;
  /** When the recipient last changed (RFC 3339). */
  modified: string;
  /** With `includeResources`: the recipient's state for each shared object. */
  resources?: RecipientResourceInfo[];
}

/** Result of `getShare`. */
export type GetShareResult = ShareInfo;
/** Result of `listShares`. */
export interface ListSharesResult {
  /** The account asked about. */
  accountId: string;
  /** Every matching share, each once, in the order asked for. */
  shares: ShareInfo[];
}
/** Result of `listOrganizationShares`. */
export interface ListOrganizationSharesResult {
  /** The organization asked about. */
  organizationId: string;
  /** Every matching share of the organization's accounts, each once. */
  shares: ShareInfo[];
}
/** Result of `listShareRecipients`. */
export interface ListShareRecipientsResult {
  /** The account the share belongs to. */
  accountId: string;
  /** The share asked about. */
  shareId: string;
  /** Every recipient of the share, removed ones included. */
  recipients: ShareRecipientInfo[];
}
/** Result of `listShareResources`. */
export interface ListShareResourcesResult {
  /** The account the share belongs to. */
  accountId: string;
  /** The share asked about. */
  shareId: string;
  /** (Not `resources`, a member of every Pulumi Output: `listShareResourcesOutput(…).shareResources` reaches the list.) */
  shareResources: ShareResourceInfo[];
}

/**
 * A share resource from the API, in camelCase.
 *
 * @example
 * shareResourceInfo(shareId, apiResource).meta // '{"tier":"gold"}'
 */
export function shareResourceInfo(shareId: string, resource: ShareResourceObject): ShareResourceInfo {
  return {
    id: resource.id,
    shareId,
    resourceType: resource.resource_type,
    resourceId: resource.resource_id,
    resourceAccountId: resource.resource_account_id,
    meta: normalizeMeta(resource.meta ?? {}),
    status: resource.status,
    resourceVersion: resource.resource_version,
    created: resource.created,
    modified: resource.modified,
  };
}

/**
 * A share from the API, in camelCase; `shareResources` when the API included them.
 *
 * @example
 * shareInfo(apiShare).targetType // "account"
 */
export function shareInfo(share: ShareObject): ShareInfo {
  return withoutUndefined({
    id: share.id,
    accountId: share.account_id,
    accountName: share.account_name,
    organizationId: share.organization_id,
    name: share.name,
    status: share.status,
    targetType: share.target_type,
    kind: share.kind,
    created: share.created,
    modified: share.modified,
    associatedRecipientCount: share.associated_recipient_count,
    associatingRecipientCount: share.associating_recipient_count,
    disassociatedRecipientCount: share.disassociated_recipient_count,
    disassociatingRecipientCount: share.disassociating_recipient_count,
    shareResources: share.resources?.map((resource) => shareResourceInfo(share.id, resource)),
  });
}

/**
 * A recipient from the API, in camelCase.
 *
 * @example
 * shareRecipientInfo(shareId, apiRecipient).associationStatus // "associated"
 */
export function shareRecipientInfo(shareId: string, recipient: RecipientObject): ShareRecipientInfo {
  return withoutUndefined({
    id: recipient.id,
    shareId,
    recipientAccount: recipient.account_id,
    associationStatus: recipient.association_status,
    created: recipient.created,
    modified: recipient.modified,
    resources: recipient.resources?.map((entry) => ({
      resourceId: entry.resource_id,
      resourceVersion: entry.resource_version,
      error: entry.error,
      terminal: entry.terminal,
    })),
  });
}

/**
 * Items in the order the pages gave them, each id once. Pages are read with an explicit `per_page`
 * (so the server does not repeat items), but an item that moves while the pages are read (a share
 * created meanwhile pushes one onto the next page) would otherwise show twice.
 *
 * @example
 * uniqueById([{ id: "a" }, { id: "a" }]) // [{ id: "a" }]
 */
export function uniqueById<T extends { id: string }>(items: readonly T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => (seen.has(item.id) ? false : (seen.add(item.id), true)));
}
