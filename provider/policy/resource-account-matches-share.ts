// resource-account-matches-share: a share gives away only objects of its own account.

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { declaredObjects, describe, fieldPath } from "./declarations";
import { UnknownValues } from "./unknowns";

/**
 * Every shared object's `resourceAccountId` must equal its share's account: the Share's `accountId`
 * for inline `resources`, the ShareResource's own `accountId` (the account of the share it joins)
 * for a separate one.
 *
 * @example
 * new PolicyPack("cloudflare-sharing", { policies: [resourceAccountMatchesShare] });
 */
export const resourceAccountMatchesShare: ResourceValidationPolicy = {
  name: "resource-account-matches-share",
  description: "Every shared object belongs to the share's own account.",
  validateResource: (args, reportViolation) => {
    const unknowns = new UnknownValues();
    const objects = declaredObjects(args, unknowns);
    if (objects.length === 0) return unknowns.settle();
    const shareAccount = unknowns.read(() => args.props.accountId);
    for (const object of objects) {
      const owner = object.resourceAccountId;
      if (owner === undefined || owner === null || shareAccount === undefined || owner === shareAccount) continue;
      reportViolation(
        `${describe(args)}: ${fieldPath(object.field, "resourceAccountId")} is "${owner}", ` +
          `but the share's account (accountId) is "${shareAccount}"; a share may only give objects of its own account.`,
      );
    }
    unknowns.settle();
  },
};
