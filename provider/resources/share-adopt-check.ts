// What "adopt only if it matches" compares: a share as Cloudflare has it against the declaration.
// Used when a program states exactly what it found (as `discover` writes it): any difference means
// the share changed in between, and taking it over would silently rewrite someone's change.

import { isSecretField } from "../call-context";
import type { RecipientObject, ShareObject } from "../client/types";
import { isGone, RECIPIENT_LIFECYCLE, RESOURCE_LIFECYCLE } from "../wait/lifecycle";
import { normalizeMeta } from "./inputs";
import { matchRecipients, recipientKey, resourceKey, ShareInputs } from "./share-model";
import { describeTarget } from "./share-recipient-model";

/**
 * Every way `share` (with its `recipients`) differs from `declared`, in words; empty when it matches
 * exactly: same name; the same live recipients and resources (those the lifecycle table does not
 * call gone, as `discover` declares them), each resource with the same owning account and `meta`.
 * A field the program marked secret is said to differ without either value (the one Cloudflare
 * holds included); a `meta` names the keys that differ, never their values (meta is where secrets live).
 *
 * @example
 * const differences = adoptDifferences(declared, share, recipients);
 * if (differences.length > 0) throw new Error(`cannot adopt: ${differences.join("; ")}`);
 */
export function adoptDifferences(declared: ShareInputs, share: ShareObject, recipients: readonly RecipientObject[]): string[] {
  const differences: string[] = [];
  if (share.name !== declared.name) {
    differences.push(
      isSecretField("name") ? "its name differs from the program's (a secret value)" : `its name is ${JSON.stringify(share.name)}, the program says ${JSON.stringify(declared.name)}`,
    );
  }

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
  declaredResources.forEach((resource, index) => {
    const found = live.find((candidate) => candidate.resource_type === resource.resourceType && candidate.resource_id === resource.resourceId);
    const what = `resource ${resourceKey(resource)}`;
    if (found === undefined) {
      differences.push(`it has no ${what}`);
      return;
    }
    if (found.resource_account_id !== resource.resourceAccountId) {
      differences.push(
        isSecretField(`resources[${index}].resourceAccountId`)
          ? `its ${what} belongs to another account than the program's (a secret value)`
          : `its ${what} belongs to account ${found.resource_account_id}, the program says ${resource.resourceAccountId}`,
      );
    }
    const meta = normalizeMeta(found.meta ?? {});
    if (meta !== normalizeMeta(resource.meta)) {
      differences.push(
        isSecretField(`resources[${index}].meta`)
          ? `the meta of its ${what} differs from the program's (a secret value)`
          : `the meta of its ${what} differs from the program's in ${metaKeysDiffering(JSON.parse(meta), JSON.parse(normalizeMeta(resource.meta)))}`,
      );
    }
  });
  const declaredKeys = new Set(declaredResources.map(resourceKey));
  for (const resource of live) {
    const key = resourceKey({ resourceType: resource.resource_type, resourceId: resource.resource_id });
    if (!declaredKeys.has(key)) differences.push(`it has resource ${key} (share resource ${resource.id}), which the program does not declare`);
  }
  return differences;
}

/** The top-level keys two metas do not agree on, in words: `key "tier"`, `keys "a", "b"`. */
function metaKeysDiffering(cloudflare: Record<string, unknown>, program: Record<string, unknown>): string {
  const keys = [...new Set([...Object.keys(cloudflare), ...Object.keys(program)])]
    .filter((key) => JSON.stringify(cloudflare[key]) !== JSON.stringify(program[key]) || Object.hasOwn(cloudflare, key) !== Object.hasOwn(program, key))
    .sort();
  return `${keys.length === 1 ? "key" : "keys"} ${keys.map((key) => JSON.stringify(key)).join(", ")}`;
}
