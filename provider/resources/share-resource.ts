import * as pulumi from "@pulumi/pulumi";
import { refuseOnExclusiveShare } from "./exclusive-share-outputs";
import shareResourceProvider = require("./share-resource-provider");
import type { ShareResourceProperties } from "./share-resource-model";
import { currentStack, OutputProperties, replacedOnePerKey, SharingResource, TimeoutsArgs, warnIfNotInstalled, withReadBack } from "./resource-base";

/** Arguments of a {@link ShareResource}. */
export interface ShareResourceArgs {
  /** The account that owns the share. Changing it replaces the share resource. */
  accountId: pulumi.Input<string>;
  /** The share to add the object to. Changing it replaces the share resource. */
  shareId: pulumi.Input<string>;
  /**
   * What kind of object is shared: `custom-ruleset`, `gateway-policy`, `gateway-destination-ip`,
   * `gateway-block-page-settings`, `gateway-extended-email-matching` or `idp-federation-grant`
   * (another value is sent as is, with a warning). Changing it replaces the share resource.
   */
  resourceType: pulumi.Input<string>;
  /** The id of the shared object (e.g. the ruleset id). Changing it replaces the share resource. */
  resourceId: pulumi.Input<string>;
  /** The account that owns the shared object. Changing it replaces the share resource. */
  resourceAccountId: pulumi.Input<string>;
  /**
   * Metadata for the shared object: a JSON object, as an object or a JSON string. Stored as compact
   * JSON with sorted keys. Defaults to `{}`. Updated in place.
   */
  meta?: pulumi.Input<string | Record<string, unknown>>;
  /** How long to wait for the object to settle (create, update) or to be gone (delete). Each defaults to "5m". */
  timeouts?: pulumi.Input<TimeoutsArgs>;
  /**
   * The id of an existing share resource to take over instead of creating one (`pulumi import` does
   * not work with dynamic providers). It must match `resourceType`, `resourceId` and
   * `resourceAccountId`; `meta` is then brought to the declared value. Ignored after creation.
   */
  adopt?: pulumi.Input<string>;
}

export type { ShareResourceProperties } from "./share-resource-model";

/** The properties of a ShareResource that the program may leave out but the resource reports. */
export const SHARE_RESOURCE_READ_BACK = ["meta", "status", "resourceVersion", "propagated", "created", "modified"] as const satisfies readonly (keyof ShareResourceProperties)[];

// The outputs, declared once for both faces in ShareResourceProperties (a TSDoc here would join the class's).
export interface ShareResource extends OutputProperties<ShareResourceProperties> {}

/**
 * One object (a custom ruleset, a Gateway policy…) shared by a share. `pulumi up` returns once the
 * API reports it `active`, once a `meta` change is visible and once every associated recipient
 * reports its new version; `destroy` once it is `deleted`.
 *
 * @example
 * ```ts
 * import { ShareResource } from "pulumi-cloudflare-sharing";
 *
 * const policy = new ShareResource("block-list", {
 *   accountId: "023e105f4ecef8ad9ca31a8372d0c353",
 *   shareId: share.id,
 *   resourceType: "gateway-policy",
 *   resourceId: "f174e90afafe4643bbbc4a0ed4fc8415",
 *   resourceAccountId: "023e105f4ecef8ad9ca31a8372d0c353",
 *   meta: { description: "shared block list" },
 * });
 * export const policyStatus = policy.status; // "active"
 * ```
 */
export class ShareResource extends SharingResource {
  constructor(name: string, args: ShareResourceArgs, opts?: pulumi.CustomResourceOptions) {
    warnIfNotInstalled();
    refuseOnExclusiveShare(name, args.shareId, "ShareResource");
    const { props, opts: options } = replacedOnePerKey({ ...withReadBack(args, SHARE_RESOURCE_READ_BACK), ownerStack: currentStack() }, opts);
    super("ShareResource", require.resolve("./share-resource-provider"), shareResourceProvider, name, props, options);
  }
}
