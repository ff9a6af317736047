// How a recipient the API reports was added: for one account, or for the owner's whole organization.
// The API does not echo the target (reference §4.2), so `pulumi import` and `discover` both work it
// out here, the same way, from what every reading of the API reports.

import type { RecipientObject, ShareObject } from "../client/types";
import { isGone, RECIPIENT_LIFECYCLE } from "../wait/lifecycle";

/** A declared recipient target: exactly one of the two. */
export type RecipientTarget = { recipientAccountId: string } | { organizationId: string };

/**
 * The target of `recipient`, a recipient of `share` listed with `siblings` (the share's recipients).
 * What `account_id` holds for an organization recipient is unconfirmed (reference §12.12): either
 * the organization id or the owner's own account id. Both are recognised:
 * - an `account_id` that is an organization id (the share's own, or one in `organizationIds`) is the
 *   organization: an account id is never an organization id;
 * - on an organization-targeted share (`target_type`, computed from the recipients, §4.1), a recipient
 *   reported with the owner's account id, when no live recipient carries the organization id, is the
 *   organization too: the owner never needs to receive its own share, and a share targets the
 *   organization only because some recipient does.
 * Anything else is an account recipient.
 *
 * @example
 * recipientTarget(recipient, share, new Set([share.organization_id]), recipients) // { organizationId: "4f1c…" } or { recipientAccountId: "9a78…" }
 */
export function recipientTarget(
  recipient: RecipientObject,
  share: ShareObject,
  organizationIds: ReadonlySet<string>,
  siblings: readonly RecipientObject[],
): RecipientTarget {
  const isOrganizationId = (id: string) => id === share.organization_id || organizationIds.has(id);
  if (isOrganizationId(recipient.account_id)) return { organizationId: recipient.account_id };
  const live = siblings.filter((other) => !isGone(RECIPIENT_LIFECYCLE, other.association_status));
  const ownerStandsForOrganization =
    share.target_type === "organization" && recipient.account_id === share.account_id && !live.some((other) => isOrganizationId(other.account_id));
  if (ownerStandsForOrganization) return { organizationId: share.organization_id };
  return { recipientAccountId: recipient.account_id };
}
