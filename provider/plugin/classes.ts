// The plugin's resources for TypeScript and JavaScript programs: the same arguments and outputs as
// the dynamic `Share` / `ShareRecipient` / `ShareResource`, served by the `cloudflare-sharing`
// plugin instead of the dynamic-provider host (so `pulumi import`, `customTimeouts` and per-resource
// progress work). A stack moves from one to the other with `aliases` (see MOVED_FROM_DYNAMIC).

import * as pulumi from "@pulumi/pulumi";
import { SHARE_READ_BACK, ShareArgs, ShareProperties } from "../resources/share";
import { SHARE_RECIPIENT_READ_BACK, ShareRecipientArgs, ShareRecipientProperties } from "../resources/share-recipient";
import { SHARE_RESOURCE_READ_BACK, ShareResourceArgs, ShareResourceProperties } from "../resources/share-resource";
import { markExclusiveShareId, refuseOnExclusiveShare } from "../resources/exclusive-share-outputs";
import { OutputProperties, TYPE_MODULE, withReadBack } from "../resources/resource-base";

/**
 * The alias that moves a resource of the dynamic face onto the plugin without replacing it: the
 * same name, the dynamic type it had.
 *
 * @example
 * ```ts
 * new plugin.Share("waf-rules", args, { aliases: [MOVED_FROM_DYNAMIC.Share] });
 * ```
 */
export const MOVED_FROM_DYNAMIC = {
  Share: { type: `pulumi-nodejs:dynamic/${TYPE_MODULE}:Share` },
  ShareRecipient: { type: `pulumi-nodejs:dynamic/${TYPE_MODULE}:ShareRecipient` },
  ShareResource: { type: `pulumi-nodejs:dynamic/${TYPE_MODULE}:ShareResource` },
} as const;

// The outputs, declared once for both faces in ShareProperties (a TSDoc here would join the class's).
export interface Share extends OutputProperties<ShareProperties> {}

/**
 * A share, served by the `cloudflare-sharing` plugin. Same arguments and outputs as the dynamic {@link Share}.
 *
 * @example
 * ```ts
 * import { plugin } from "pulumi-cloudflare-sharing";
 *
 * const share = new plugin.Share("waf-rules", {
 *   accountId: "023e105f4ecef8ad9ca31a8372d0c353",
 *   name: "WAF rules for the EU accounts",
 *   recipients: [{ recipientAccountId: "9a7806061c88ada191ed06f989cc3dac" }],
 *   resources: [{ resourceType: "custom-ruleset", resourceId: "2f2feab2026849078ba485f918791bdc", resourceAccountId: "023e105f4ecef8ad9ca31a8372d0c353" }],
 * }, { customTimeouts: { create: "10m" } });
 * ```
 */
export class Share extends pulumi.CustomResource {
  constructor(name: string, args: ShareArgs, opts?: pulumi.CustomResourceOptions) {
    super("cloudflare-sharing:index:Share", name, withReadBack(args, SHARE_READ_BACK), opts);
    markExclusiveShareId(this.id, args.exclusive);
  }
}

// The outputs, declared once for both faces in ShareRecipientProperties (a TSDoc here would join the class's).
export interface ShareRecipient extends OutputProperties<ShareRecipientProperties> {}

/**
 * One recipient of a share, served by the `cloudflare-sharing` plugin. Same arguments and outputs as the dynamic {@link ShareRecipient}.
 *
 * @example
 * ```ts
 * const partner = new plugin.ShareRecipient("partner", { accountId, shareId: share.id, recipientAccountId: "9a7806061c88ada191ed06f989cc3dac" });
 * ```
 */
export class ShareRecipient extends pulumi.CustomResource {
  constructor(name: string, args: ShareRecipientArgs, opts?: pulumi.CustomResourceOptions) {
    refuseOnExclusiveShare(name, args.shareId, "ShareRecipient");
    super("cloudflare-sharing:index:ShareRecipient", name, withReadBack(args, SHARE_RECIPIENT_READ_BACK), opts);
  }
}

// The outputs, declared once for both faces in ShareResourceProperties (a TSDoc here would join the class's).
export interface ShareResource extends OutputProperties<ShareResourceProperties> {}

/**
 * One shared object, served by the `cloudflare-sharing` plugin. Same arguments and outputs as the dynamic {@link ShareResource}.
 *
 * @example
 * ```ts
 * const policy = new plugin.ShareResource("block-list", { accountId, shareId: share.id, resourceType: "gateway-policy", resourceId, resourceAccountId: accountId });
 * ```
 */
export class ShareResource extends pulumi.CustomResource {
  constructor(name: string, args: ShareResourceArgs, opts?: pulumi.CustomResourceOptions) {
    refuseOnExclusiveShare(name, args.shareId, "ShareResource");
    super("cloudflare-sharing:index:ShareResource", name, withReadBack(args, SHARE_RESOURCE_READ_BACK), opts);
  }
}
