// The one natural key of each object type: what makes two objects "the same" when no id is known.
// The client's lost-response recovery, the provider's recovery of an interrupted run and its matching
// of declared items to the API's objects all use these and nothing else.
//
// - A share: its account, exact name, the set of shared objects (resource_type, resource_id) and the
//   set of recipient targets. Share names are not unique (§3.1), so a name alone identifies nothing.
// - A recipient: its share and its target (an account id, or an organization id).
// - A share resource: its share and the shared object (resource_type, resource_id); the API refuses the
//   same object twice on one share, whatever the owning account.

import { isGone, RECIPIENT_LIFECYCLE, RESOURCE_LIFECYCLE, SHARE_LIFECYCLE } from "./lifecycle";
import type { RecipientInput, RecipientObject, ResourceInput, ShareCreateBody, ShareObject, ShareResourceObject } from "./types";

// An object on its way out, or removed (the lifecycle table's "gone"), no longer holds its natural key.

/**
 * The natural key of a share resource: the object it shares.
 *
 * @example
 * resourceNaturalKey({ resource_type: "custom-ruleset", resource_id: "2f2f…" }); // "custom-ruleset/2f2f…"
 */
export function resourceNaturalKey(resource: Pick<ResourceInput | ShareResourceObject, "resource_type" | "resource_id">): string {
  return `${resource.resource_type}/${resource.resource_id}`;
}

/**
 * The natural key of a recipient input: `account:<id>` or `organization:<id>`; undefined for a body
 * naming neither ("the caller's organization", which no id identifies).
 *
 * @example
 * recipientNaturalKey({ recipient_account_id: "9a78…" }); // "account:9a78…"
 */
export function recipientNaturalKey(body: RecipientInput): string | undefined {
  const account = body.recipient_account_id ?? body.account_id;
  if (account !== undefined && account !== null) return `account:${account}`;
  if (body.organization_id !== undefined && body.organization_id !== null) return `organization:${body.organization_id}`;
  return undefined;
}

/**
 * Whether an API recipient holds the natural key of `body`: a live recipient whose reported account
 * (or organization) id is the requested target. What the API reports for an organization recipient is
 * unconfirmed (reference §12.12), so either id counts.
 *
 * @example
 * recipients.filter((r) => recipientHoldsKey(r, { recipient_account_id: partner }));
 */
export function recipientHoldsKey(recipient: RecipientObject, body: RecipientInput): boolean {
  if (isGone(RECIPIENT_LIFECYCLE, recipient.association_status)) return false;
  const target = body.recipient_account_id ?? body.account_id ?? body.organization_id;
  if (target === undefined || target === null) return false;
  const organizationId = (recipient as { organization_id?: string }).organization_id;
  // §4.2 names the account `account_id`; answers after the rename (§3.1, §11) may carry only `recipient_account_id`.
  const account = recipient.account_id ?? (recipient as { recipient_account_id?: string }).recipient_account_id;
  return account === target || organizationId === target;
}

/**
 * Whether an API share resource holds the natural key of `body` (and is not on its way out).
 *
 * @example
 * (share.resources ?? []).filter((r) => resourceHoldsKey(r, body));
 */
export function resourceHoldsKey(resource: ShareResourceObject, body: Pick<ResourceInput, "resource_type" | "resource_id">): boolean {
  return !isGone(RESOURCE_LIFECYCLE, resource.status) && resourceNaturalKey(resource) === resourceNaturalKey(body);
}

/**
 * The natural key of a share create body, as one string (account, name, sorted shared objects, sorted
 * recipient targets): equal strings mean the same share.
 *
 * @example
 * shareNaturalKey(accountId, { name: "rules", recipients: [{ recipient_account_id: p }], resources: [r] });
 */
export function shareNaturalKey(accountId: string, body: ShareCreateBody): string {
  const resources = body.resources.map(resourceNaturalKey).sort();
  const recipients = body.recipients.map((recipient) => recipientNaturalKey(recipient) ?? "organization:").sort();
  return JSON.stringify([accountId, body.name, resources, recipients]);
}

/**
 * Whether the share the API has holds the natural key of `body`, given its recipients as listed: the
 * same exact name, not on its way out, sent by this account, exactly the same shared objects, and each
 * declared recipient target held by a distinct live recipient, with no other live recipient.
 *
 * @example
 * if (shareHoldsKey(candidate, await client.recipients.listAll(accountId, candidate.id), body)) return candidate;
 */
export function shareHoldsKey(share: ShareObject, recipients: readonly RecipientObject[], body: ShareCreateBody): boolean {
  if (share.name !== body.name || isGone(SHARE_LIFECYCLE, share.status)) return false;
  if (share.kind !== undefined && share.kind !== "sent") return false;
  if (!shareHoldsResources(share, body)) return false;
  const live = recipients.filter((recipient) => !isGone(RECIPIENT_LIFECYCLE, recipient.association_status));
  if (live.length !== body.recipients.length) return false;
  const unclaimed = [...live];
  for (const wanted of body.recipients) {
    const index = unclaimed.findIndex((recipient) => recipientHoldsKey(recipient, wanted));
    if (index < 0) return false;
    unclaimed.splice(index, 1);
  }
  return true;
}

/**
 * The part of {@link shareHoldsKey} a share list shows without a recipient list: name, status, kind
 * and shared objects. A share failing it cannot hold the key; one passing it needs its recipients checked.
 *
 * @example
 * const candidates = shares.filter((share) => shareMayHoldKey(share, body));
 */
export function shareMayHoldKey(share: ShareObject, body: ShareCreateBody): boolean {
  if (share.name !== body.name || isGone(SHARE_LIFECYCLE, share.status)) return false;
  if (share.kind !== undefined && share.kind !== "sent") return false;
  return shareHoldsResources(share, body);
}

function shareHoldsResources(share: ShareObject, body: ShareCreateBody): boolean {
  const held = (share.resources ?? []).filter((resource) => !isGone(RESOURCE_LIFECYCLE, resource.status)).map(resourceNaturalKey).sort();
  const wanted = body.resources.map(resourceNaturalKey).sort();
  return held.length === wanted.length && held.every((key, index) => key === wanted[index]);
}
