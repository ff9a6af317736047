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

// The API client and the errors a caller may catch. Its internals (the HTTP core, the rate budget, the
// test clock, the waiter and its batching) are deliberately not exported: they are free to change.
export { CloudflareSharingClient } from "./client/index";
export type { CloudflareSharingClientOptions } from "./client/index";
export type { CallOptions } from "./client/core/call-options";
export type { Credentials } from "./client/core/credentials";
export type { ClientDefaults } from "./client/core/defaults";
export type { ClientEvent } from "./client/core/http";
export {
  ERROR_CODES,
  CloudflareSharingError,
  ApiError,
  NotFoundError,
  AuthenticationError,
  RateLimitError,
  ValidationError,
  ConflictError,
  ServerError,
  ConnectionError,
  RequestTimeoutError,
  PaginationError,
} from "./client/core/errors";
export { KNOWN_RESOURCE_TYPES } from "./client/types";
export type {
  ShareStatus,
  ShareTargetType,
  ShareKind,
  RecipientAssociationStatus,
  ResourceStatus,
  ResourceType,
  KnownResourceType,
  ShareObject,
  RecipientObject,
  RecipientResourceStatus,
  ShareResourceObject,
  RecipientInput,
  ResourceInput,
  ShareCreateBody,
} from "./client/types";
export { WaitError, WaitTimeoutError, UnexpectedStatusError, TerminalStatusError, WaitNotFoundError } from "./wait/errors";
export { MissingCredentialsError } from "./config";
