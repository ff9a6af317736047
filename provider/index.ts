// pulumi-cloudflare-sharing: Pulumi dynamic providers for Cloudflare's Resource Sharing API that wait
// until the API has settled.
//
// Three layers: the API client (./client), the status waiter (./wait), the Pulumi resources (./resources).

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

export * as client from "./client";
export { CloudflareSharingClient } from "./client";
export * as wait from "./wait";
