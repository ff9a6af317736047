// The comparison at the heart of `audit`: every live share, recipient and share resource of the
// account that no given state holds. "Live" is the lifecycle table's "not gone": a `deleting`
// share, a `disassociated` recipient or a `deleted` resource grants nothing.

import type { RecipientObject, ShareObject, ShareResourceObject } from "../client/types";
import { recipientTarget } from "../discover/model";
import { isGone, RECIPIENT_LIFECYCLE, RESOURCE_LIFECYCLE, SHARE_LIFECYCLE } from "../wait/lifecycle";
import type { DeclaredIds } from "./state-export";

/** A recipient no state holds: who is granted, and since when. */
export interface UndeclaredRecipient {
  kind: "recipient";
  /** The recipient id. */
  id: string;
  shareId: string;
  shareName: string;
  /** The account granted (absent for an organization recipient). */
  recipientAccountId?: string;
  /** The organization granted (absent for an account recipient). */
  organizationId?: string;
  /** `associating` or `associated`. */
  status: string;
  created: string;
  modified: string;
}

/** A shared object no state holds. */
export interface UndeclaredResource {
  kind: "resource";
  /** The share-resource id (not the shared object's id). */
  id: string;
  shareId: string;
  shareName: string;
  resourceType: string;
  resourceId: string;
  resourceAccountId: string;
  /** `active` (or a status the API added later). */
  status: string;
  created: string;
  modified: string;
}

/**
 * A share no state holds. Read from the account: it carries its live recipients and resources,
 * which are not listed again on their own. Seen only in the organization's list (another account
 * of the organization): `via: "organization"`, and no items (that list has none).
 */
export interface UndeclaredShare {
  kind: "share";
  id: string;
  /** The share's own id, so that every item has a `shareId`. */
  shareId: string;
  name: string;
  /** The owning account. */
  accountId: string;
  organizationId: string;
  /** `active` (or a status the API added later). */
  status: string;
  targetType: string;
  created: string;
  modified: string;
  via: "account" | "organization";
  recipients?: Omit<UndeclaredRecipient, "kind" | "shareId" | "shareName">[];
  resources?: Omit<UndeclaredResource, "kind" | "shareId" | "shareName">[];
}

export type Undeclared = UndeclaredShare | UndeclaredRecipient | UndeclaredResource;

/** What was read from Cloudflare, for the comparison. */
export interface LiveSharing {
  /** The shares the account sends (any status), each with `resources`. */
  shares: readonly ShareObject[];
  /** Recipients (any status) of each active share, by share id. */
  recipientsOf: ReadonlyMap<string, readonly RecipientObject[]>;
  /** Shares of the organization's other accounts (with `--organization`); no items. */
  organizationShares?: readonly ShareObject[];
  /** Ids known to be organizations: recognises organization recipients. */
  organizationIds: ReadonlySet<string>;
}

/**
 * Every live item of `live` that `declared` does not hold: an undeclared share once, with its live
 * items inside; an undeclared recipient or resource of a declared share on its own. Shares oldest
 * first, then items in the API's order.
 *
 * @example
 * const undeclared = undeclaredItems({ shares, recipientsOf, organizationIds: new Set() }, declaredInExport(file, text));
 * // [{ kind: "recipient", id: "9f1c…", shareId: "3fd8…", recipientAccountId: "9a78…", status: "associated", … }]
 */
export function undeclaredItems(live: LiveSharing, declared: DeclaredIds): Undeclared[] {
  const found: Undeclared[] = [];
  for (const share of live.shares) {
    if (isGone(SHARE_LIFECYCLE, share.status)) continue;
    const allRecipients = live.recipientsOf.get(share.id) ?? [];
    const recipients = allRecipients
      .filter((recipient) => !isGone(RECIPIENT_LIFECYCLE, recipient.association_status))
      .map((recipient) => recipientItem(recipient, share, live.organizationIds, allRecipients));
    const resources = (share.resources ?? []).filter((resource) => !isGone(RESOURCE_LIFECYCLE, resource.status)).map(resourceItem);
    if (!declared.shares.has(share.id)) {
      found.push({ ...shareItem(share, "account"), recipients, resources });
      continue;
    }
    const context = { shareId: share.id, shareName: share.name };
    for (const recipient of recipients) if (!declared.recipients.has(recipient.id)) found.push({ kind: "recipient", ...context, ...recipient });
    for (const resource of resources) if (!declared.resources.has(resource.id)) found.push({ kind: "resource", ...context, ...resource });
  }
  const accountShares = new Set(live.shares.map((share) => share.id));
  for (const share of live.organizationShares ?? []) {
    if (accountShares.has(share.id) || isGone(SHARE_LIFECYCLE, share.status) || declared.shares.has(share.id)) continue;
    found.push(shareItem(share, "organization"));
  }
  return found;
}

function shareItem(share: ShareObject, via: UndeclaredShare["via"]): UndeclaredShare {
  return {
    kind: "share",
    id: share.id,
    shareId: share.id,
    name: share.name,
    accountId: share.account_id,
    organizationId: share.organization_id,
    status: share.status,
    targetType: share.target_type,
    created: share.created,
    modified: share.modified,
    via,
  };
}

function recipientItem(
  recipient: RecipientObject,
  share: ShareObject,
  organizationIds: ReadonlySet<string>,
  all: readonly RecipientObject[],
): Omit<UndeclaredRecipient, "kind" | "shareId" | "shareName"> {
  const live = all.filter((other) => !isGone(RECIPIENT_LIFECYCLE, other.association_status));
  return {
    id: recipient.id,
    ...recipientTarget(recipient, share, organizationIds, live),
    status: recipient.association_status,
    created: recipient.created,
    modified: recipient.modified,
  };
}

function resourceItem(resource: ShareResourceObject): Omit<UndeclaredResource, "kind" | "shareId" | "shareName"> {
  return {
    id: resource.id,
    resourceType: resource.resource_type,
    resourceId: resource.resource_id,
    resourceAccountId: resource.resource_account_id,
    status: resource.status,
    created: resource.created,
    modified: resource.modified,
  };
}
