// Every policy of the pack, in the order their findings are listed.

import type { Policies } from "@pulumi/policy";
import { allowedRecipients } from "./allowed-recipients";
import { allowedResourceTypes } from "./allowed-resource-types";
import { maxRecipients } from "./max-recipients";
import { noAdopt } from "./no-adopt";
import { requireExclusive } from "./require-exclusive";
import { resourceAccountMatchesShare } from "./resource-account-matches-share";
import { shareNamePattern } from "./share-name-pattern";

/**
 * The policies of the `cloudflare-sharing` pack.
 *
 * @example
 * new PolicyPack("cloudflare-sharing", { policies });
 */
export const policies: Policies = [
  allowedRecipients,
  allowedResourceTypes,
  maxRecipients,
  noAdopt,
  shareNamePattern,
  resourceAccountMatchesShare,
  requireExclusive,
];
