// What "adopt only if it matches" compares: a share as Cloudflare has it against the declaration.
// Used when a program states exactly what it found (as `discover` writes it): any difference means
// the share changed in between, and taking it over would silently rewrite someone's change.

import type { RecipientObject, ShareObject } from "../client/types";
import { isGone, RECIPIENT_LIFECYCLE, RESOURCE_LIFECYCLE } from "../wait/lifecycle";
import { normalizeMeta } from "./inputs";
import { matchRecipients, recipientKey, resourceKey, ShareInputs } from "./share-model";
import { describeTarget } from "./share-recipient-model";

/**
 * Every way `share` (with its `recipients`) differs from `declared`, in words; empty when it matches
 * exactly: same name; the same live recipients and resources (those the lifecycle table does not
 * call gone, as `discover` declares them), each resource with the same owning account and `meta`.
 *
 * @example
 * const differences = adoptDifferences(declared, share, recipients);
 * if (differences.length > 0) throw new Error(`cannot adopt: ${differences.join("; ")}`);
 */
export function adoptDifferences(declared: ShareInputs, share: ShareObject, recipients: readonly RecipientObject[]): string[] {
  const differences: string[] = [];
  if (share.name !== declared.name) differences.push(`its name is ${JSON.stringify(share.name)}, the program says ${JSON.stringify(declared.name)}`);

  const declaredRecipients = declared.recipients ?? [];
  const matched = matchRecipients(declaredRecipients, recipients);
  for (const recipient of declaredRecipients) {
    if (!matched.has(recipientKey(recipient))) differences.push(`it has no recipient ${describeTarget(recipient)}`);
  }
  const claimed = new Set([...matched.values()].map((recipient) => recipient.id));
  for (const recipient of recipients) {
    if (claimed.has(recipient.id) || isGone(RECIPIENT_LIFECYCLE, recipient.association_status)) continue;
    differences.push(`it has recipient ${recipient.id} (account ${recipient.account_id}, ${recipient.association_status}), which the program does not declare`);
  }

  const live = (share.resources ?? []).filter((resource) => !isGone(RESOURCE_LIFECYCLE, resource.status));
  const declaredResources = declared.resources ?? [];
  for (const resource of declaredResources) {
    const found = live.find((candidate) => candidate.resource_type === resource.resourceType && candidate.resource_id === resource.resourceId);
    const what = `resource ${resourceKey(resource)}`;
    if (found === undefined) {
      differences.push(`it has no ${what}`);
      continue;
    }
    if (found.resource_account_id !== resource.resourceAccountId) {
      differences.push(`its ${what} belongs to account ${found.resource_account_id}, the program says ${resource.resourceAccountId}`);
    }
    const meta = normalizeMeta(found.meta ?? {});
    if (meta !== normalizeMeta(resource.meta)) differences.push(`the meta of its ${what} is ${meta}, the program says ${normalizeMeta(resource.meta)}`);
  }
  const declaredKeys = new Set(declaredResources.map(resourceKey));
  for (const resource of live) {
    const key = resourceKey({ resourceType: resource.resource_type, resourceId: resource.resource_id });
    if (!declaredKeys.has(key)) differences.push(`it has resource ${key} (share resource ${resource.id}), which the program does not declare`);
  }
  return differences;
}
