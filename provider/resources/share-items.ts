// The checks of a Share's inline recipients and resources, made before any request is sent.

import { Checker, containsUnknown, isPlainObject, isUnknown } from "./inputs";
import { recipientKey, resourceKey, ShareInputs } from "./share-model";
import { checkRecipientTarget } from "./share-recipient-model";

/**
 * Every inline item checked: targets, ids, types, meta; at least one of each; no duplicates.
 *
 * @example
 * const checker = new Checker();
 * checkShareItems(checker, news);
 * if (checker.failures.length > 0) return { failures: checker.failures };
 */
export function checkShareItems(checker: Checker, news: ShareInputs): void {
  const lists: [string, unknown][] = [["recipients", news.recipients], ["resources", news.resources]];
  for (const [field, list] of lists) {
    if (isUnknown(list)) continue;
    if (!Array.isArray(list) || list.length === 0) {
      checker.fail(
        field,
        `${field} must list at least one ${field === "recipients" ? "recipient" : "resource"}: the API creates a share only with ` +
          `at least one recipient and one resource (declare further ones inline or as separate Share${field === "recipients" ? "Recipient" : "Resource"} resources)`,
      );
    }
  }
  const seen = new Map<string, number>();
  (Array.isArray(news.recipients) ? news.recipients : []).forEach((recipient, index) => {
    if (containsUnknown(recipient)) return;
    if (!isPlainObject(recipient)) {
      checker.fail(`recipients[${index}]`, `recipients[${index}] must be an object such as { recipientAccountId: "…" }`);
      return;
    }
    checkRecipientTarget(checker, `recipients[${index}].`, recipient);
    const target = recipient.recipientAccountId ?? recipient.organizationId;
    if (typeof target !== "string") return; // already reported; no key to compare
    const key = recipientKey(recipient);
    if (seen.has(key)) checker.fail(`recipients[${index}]`, `recipients[${index}] repeats recipients[${seen.get(key)}]: each recipient may be listed once`);
    else seen.set(key, index);
  });
  seen.clear();
  (Array.isArray(news.resources) ? news.resources : []).forEach((resource, index) => {
    const prefix = `resources[${index}]`;
    if (!isPlainObject(resource)) {
      checker.fail(prefix, `${prefix} must be an object such as { resourceType, resourceId, resourceAccountId, meta }`);
      return;
    }
    checker.resourceType(`${prefix}.resourceType`, resource?.resourceType);
    checker.id(`${prefix}.resourceId`, resource?.resourceId);
    checker.id(`${prefix}.resourceAccountId`, resource?.resourceAccountId);
    checker.meta(`${prefix}.meta`, resource?.meta);
    if (typeof resource.resourceType !== "string" || typeof resource.resourceId !== "string" || containsUnknown(resource)) return;
    const key = resourceKey(resource);
    if (seen.has(key)) checker.fail(prefix, `${prefix} repeats resources[${seen.get(key)}] (${key}): each resource may be listed once`);
    else seen.set(key, index);
  });
}
