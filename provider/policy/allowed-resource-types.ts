// allowed-resource-types: some kinds of objects must never leave their account.

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { knownConfig, stringList } from "./config-schema";
import { declaredObjects, describe, fieldPath } from "./declarations";
import { UnknownValues } from "./unknowns";

/** Config of `allowed-resource-types`. */
export interface AllowedResourceTypesConfig {
  allow?: string[];
  deny?: string[];
}

/**
 * Every shared object, inline on a Share or a separate ShareResource, must have a `resourceType`
 * listed in `allow` (when given) and not listed in `deny`.
 *
 * @example
 * new PolicyPack("cloudflare-sharing", { policies: [allowedResourceTypes] });
 * // config: { "allowed-resource-types": { "deny": ["gateway-policy"] } }
 */
export const allowedResourceTypes: ResourceValidationPolicy = {
  name: "allowed-resource-types",
  description: "Shared objects only of the allowed resource types, never of a denied one.",
  configSchema: {
    properties: {
      allow: stringList("Resource types that may be shared (all others are refused)."),
      deny: stringList("Resource types that must never be shared."),
    },
  },
  validateResource: (args, reportViolation) => {
    const { allow, deny } = knownConfig<AllowedResourceTypesConfig>(args, allowedResourceTypes);
    if (!allow && !deny) return;
    const unknowns = new UnknownValues();
    for (const object of declaredObjects(args, unknowns)) {
      const type = object.resourceType;
      if (type === undefined || type === null) continue;
      const where = `${describe(args)}: ${fieldPath(object.field, "resourceType")} is "${type}"`;
      if (deny?.includes(type)) {
        reportViolation(`${where}, which is a denied resource type (${deny.join(", ")}).`);
      } else if (allow && !allow.includes(type)) {
        reportViolation(`${where}, which is not one of the allowed resource types (${allow.join(", ") || "none"}).`);
      }
    }
    unknowns.settle();
  },
};
