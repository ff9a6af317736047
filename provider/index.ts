// pulumi-cloudflare-sharing: Pulumi dynamic providers for Cloudflare's Resource Sharing API that wait
// until the API has settled.
//
// Layers: the API client (./client), the status waiter (./wait), the Pulumi resources (./resources), the
// lookup functions (./functions); ./discover turns an account's shares into a program.

export { Share } from "./resources/share";
export type { ShareArgs, ShareRecipientDeclarationArgs, ShareResourceDeclarationArgs, ManagedRecipientOutput, ManagedResourceOutput } from "./resources/share";
export { ShareRecipient } from "./resources/share-recipient";
export type { ShareRecipientArgs } from "./resources/share-recipient";
export { ShareResource } from "./resources/share-resource";
export type { ShareResourceArgs } from "./resources/share-resource";
export type { TimeoutsArgs } from "./resources/resource-base";
export { CONFIG_KEYS, ENV_KEYS } from "./config";
/** The same resources served by the `cloudflare-sharing` plugin (for `pulumi import`, `customTimeouts`, per-resource progress). */
export * as plugin from "./plugin/classes";

// Lookup functions, each as a Promise (`getShare`) and an Output (`getShareOutput`) form.
export {
  getShare,
  getShareOutput,
  listShares,
  listSharesOutput,
  listOrganizationShares,
  listOrganizationSharesOutput,
  listShareRecipients,
  listShareRecipientsOutput,
  listShareResources,
  listShareResourcesOutput,
  InvalidArgumentsError,
} from "./functions";
export type {
  GetShareArgs,
  GetShareOutputArgs,
  GetShareResult,
  ListSharesArgs,
  ListSharesOutputArgs,
  ListSharesResult,
  ListOrganizationSharesArgs,
  ListOrganizationSharesOutputArgs,
  ListOrganizationSharesResult,
  ListShareRecipientsArgs,
  ListShareRecipientsOutputArgs,
  ListShareRecipientsResult,
  ListShareResourcesArgs,
  ListShareResourcesOutputArgs,
  ListShareResourcesResult,
  ShareListFilters,
  ShareInfo,
  ShareRecipientInfo,
  ShareResourceInfo,
  RecipientResourceInfo,
} from "./functions";
export * as functions from "./functions";

export * as client from "./client";
export { CloudflareSharingClient } from "./client";
export * as wait from "./wait";
