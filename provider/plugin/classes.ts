// The plugin's resources for TypeScript and JavaScript programs: the same arguments and outputs as
// the dynamic `Share` / `ShareRecipient` / `ShareResource`, served by the `cloudflare-sharing`
// plugin instead of the dynamic-provider host (so `pulumi import`, `customTimeouts` and per-resource
// progress work). A stack moves from one to the other with `aliases` (see MOVED_FROM_DYNAMIC).

import * as pulumi from "@pulumi/pulumi";
import type { ManagedRecipientOutput, ManagedResourceOutput, ShareArgs } from "../resources/share";
import type { ShareRecipientArgs } from "../resources/share-recipient";
import type { ShareResourceArgs } from "../resources/share-resource";
import type { RecipientResourceState } from "../resources/share-recipient-model";
import { TYPE_MODULE } from "../resources/resource-base";

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
  declare readonly accountId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly recipients: pulumi.Output<ManagedRecipientOutput[]>;
  declare readonly resources: pulumi.Output<ManagedResourceOutput[]>;
  declare readonly recipientIds: pulumi.Output<string[]>;
  declare readonly resourceIds: pulumi.Output<string[]>;
  declare readonly status: pulumi.Output<string>;
  declare readonly accountName: pulumi.Output<string>;
  declare readonly organizationId: pulumi.Output<string>;
  declare readonly targetType: pulumi.Output<string>;
  declare readonly kind: pulumi.Output<string>;
  declare readonly created: pulumi.Output<string>;
  declare readonly modified: pulumi.Output<string>;

  constructor(name: string, args: ShareArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = ["recipientIds", "resourceIds", "status", "accountName", "organizationId", "targetType", "kind", "created", "modified"];
    super("cloudflare-sharing:index:Share", name, withOutputs(args, outputs), opts);
  }
}

/**
 * One recipient of a share, served by the `cloudflare-sharing` plugin. Same arguments and outputs as the dynamic {@link ShareRecipient}.
 *
 * @example
 * ```ts
 * const partner = new plugin.ShareRecipient("partner", { accountId, shareId: share.id, recipientAccountId: "9a7806061c88ada191ed06f989cc3dac" });
 * ```
 */
export class ShareRecipient extends pulumi.CustomResource {
  declare readonly accountId: pulumi.Output<string>;
  declare readonly shareId: pulumi.Output<string>;
  declare readonly recipientAccountId: pulumi.Output<string | undefined>;
  declare readonly organizationId: pulumi.Output<string | undefined>;
  declare readonly associationStatus: pulumi.Output<string>;
  declare readonly recipientAccount: pulumi.Output<string>;
  declare readonly resources: pulumi.Output<RecipientResourceState[]>;
  declare readonly created: pulumi.Output<string>;
  declare readonly modified: pulumi.Output<string>;

  constructor(name: string, args: ShareRecipientArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = ["recipientAccountId", "organizationId", "associationStatus", "recipientAccount", "resources", "created", "modified"];
    super("cloudflare-sharing:index:ShareRecipient", name, withOutputs(args, outputs), opts);
  }
}

/**
 * One shared object, served by the `cloudflare-sharing` plugin. Same arguments and outputs as the dynamic {@link ShareResource}.
 *
 * @example
 * ```ts
 * const policy = new plugin.ShareResource("block-list", { accountId, shareId: share.id, resourceType: "gateway-policy", resourceId, resourceAccountId: accountId });
 * ```
 */
export class ShareResource extends pulumi.CustomResource {
  declare readonly accountId: pulumi.Output<string>;
  declare readonly shareId: pulumi.Output<string>;
  declare readonly resourceType: pulumi.Output<string>;
  declare readonly resourceId: pulumi.Output<string>;
  declare readonly resourceAccountId: pulumi.Output<string>;
  declare readonly meta: pulumi.Output<string>;
  declare readonly status: pulumi.Output<string>;
  declare readonly resourceVersion: pulumi.Output<number>;
  declare readonly created: pulumi.Output<string>;
  declare readonly modified: pulumi.Output<string>;

  constructor(name: string, args: ShareResourceArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = ["meta", "status", "resourceVersion", "created", "modified"];
    super("cloudflare-sharing:index:ShareResource", name, withOutputs(args, outputs), opts);
  }
}

/** The arguments plus each output-only property as `undefined`, so the SDK resolves it from state. */
function withOutputs(args: object, outputs: string[]): pulumi.Inputs {
  return { ...Object.fromEntries(outputs.map((name) => [name, undefined])), ...args } as pulumi.Inputs;
}
