// Which resources of a stack the policies read: both faces of each of the three resources.

import { TYPE_MODULE } from "../resources/resource-base";

/** The three resources of the Resource Sharing API. */
export type SharingKind = "Share" | "ShareRecipient" | "ShareResource";

/** The plugin's package name, the first part of its type tokens (`cloudflare-sharing:index:Share`). */
const PLUGIN_PACKAGE = "cloudflare-sharing";

const KIND_BY_TYPE = new Map<string, SharingKind>(
  (["Share", "ShareRecipient", "ShareResource"] as const).flatMap((kind) => [
    [`pulumi-nodejs:dynamic/${TYPE_MODULE}:${kind}`, kind] as const,
    [`${PLUGIN_PACKAGE}:index:${kind}`, kind] as const,
  ]),
);

/**
 * The sharing resource a Pulumi type token names, whichever face declared it (the dynamic providers'
 * `pulumi-nodejs:dynamic/cloudflare:Share` or the plugin's `cloudflare-sharing:index:Share`), or
 * undefined for any other resource.
 *
 * @example
 * kindOf("cloudflare-sharing:index:ShareRecipient"); // "ShareRecipient"
 * kindOf("aws:s3/bucket:Bucket"); // undefined
 */
export function kindOf(type: string): SharingKind | undefined {
  return KIND_BY_TYPE.get(type);
}
