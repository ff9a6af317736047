// allowed-recipients: a share reaches only the accounts and organizations a platform team allows.

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { declaredRecipients, describe, fieldPath } from "./declarations";
import { knownConfig, stringList } from "./config-schema";
import { UnknownValues } from "./unknowns";

/** Config of `allowed-recipients`. */
export interface AllowedRecipientsConfig {
  accounts?: string[];
  organizations?: string[];
}

/**
 * Every recipient, inline on a Share or a separate ShareRecipient, must be an account listed in
 * `accounts` or an organization listed in `organizations`. With neither list the policy checks
 * nothing; with one list only, recipients of the other kind are all refused.
 *
 * @example
 * new PolicyPack("cloudflare-sharing", { policies: [allowedRecipients] });
 * // config: { "allowed-recipients": { "accounts": ["023e105f4ecef8ad9ca31a8372d0c353"] } }
 */
export const allowedRecipients: ResourceValidationPolicy = {
  name: "allowed-recipients",
  description: "Recipients of a share only from the allowed accounts and organizations.",
  configSchema: {
    properties: {
      accounts: stringList("Account ids a share may be given to."),
      organizations: stringList("Organization ids a share may be given to."),
    },
  },
  validateResource: (args, reportViolation) => {
    const config = knownConfig<AllowedRecipientsConfig>(args, allowedRecipients);
    if (!config.accounts && !config.organizations) return;
    const unknowns = new UnknownValues();
    for (const recipient of declaredRecipients(args, unknowns)) {
      const checks = [
        { key: "recipientAccountId", value: recipient.recipientAccountId, allowed: config.accounts ?? [], what: "accounts" },
        { key: "organizationId", value: recipient.organizationId, allowed: config.organizations ?? [], what: "organizations" },
      ];
      for (const { key, value, allowed, what } of checks) {
        if (value === undefined || value === null || allowed.includes(value)) continue;
        reportViolation(
          `${describe(args)}: ${fieldPath(recipient.field, key)} is "${value}", which is not one of the allowed ${what} ` +
            `(${allowed.length ? allowed.join(", ") : "none"}).`,
        );
      }
    }
    unknowns.settle();
  },
};
