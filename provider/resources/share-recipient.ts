import * as pulumi from "@pulumi/pulumi";
import shareRecipientProvider = require("./share-recipient-provider");
import { currentStack, TimeoutsArgs, TYPE_MODULE, warnIfNotInstalled } from "./resource-base";

/** Arguments of a {@link ShareRecipient}: exactly one of `recipientAccountId` or `organizationId`. */
export interface ShareRecipientArgs {
  /** The account that owns the share. Changing it replaces the recipient. */
  accountId: pulumi.Input<string>;
  /** The share to add the recipient to. Changing it replaces the recipient. */
  shareId: pulumi.Input<string>;
  /** The account that receives the share (it must be in the share owner's organization). Changing it replaces the recipient. */
  recipientAccountId?: pulumi.Input<string>;
  /** Share with the caller's whole organization instead of one account. Changing it replaces the recipient. */
  organizationId?: pulumi.Input<string>;
  /** How long to wait for the recipient to be `associated` (create) or `disassociated` (delete). Each defaults to "5m". */
  timeouts?: pulumi.Input<Pick<TimeoutsArgs, "create" | "delete">>;
  /** The id of an existing recipient of the share to take over instead of adding one. Ignored after creation. */
  adopt?: pulumi.Input<string>;
}

/**
 * One recipient of a share. `pulumi up` returns once the API reports it `associated` (and fails
 * at once, with Cloudflare's reason, on an error Cloudflare will not retry); `destroy` returns
 * once it is `disassociated`, i.e. once the recipient has really lost access.
 *
 * @example
 * ```ts
 * import { ShareRecipient } from "pulumi-cloudflare-sharing";
 *
 * const partner = new ShareRecipient("partner", {
 *   accountId: "023e105f4ecef8ad9ca31a8372d0c353",
 *   shareId: share.id,
 *   recipientAccountId: "9a7806061c88ada191ed06f989cc3dac",
 * });
 * export const partnerStatus = partner.associationStatus; // "associated"
 * ```
 */
export class ShareRecipient extends pulumi.dynamic.Resource {
  declare readonly accountId: pulumi.Output<string>;
  declare readonly shareId: pulumi.Output<string>;
  declare readonly recipientAccountId: pulumi.Output<string | undefined>;
  declare readonly organizationId: pulumi.Output<string | undefined>;
  /** `associating`, `associated`, `disassociating` or `disassociated`. */
  declare readonly associationStatus: pulumi.Output<string>;
  /** The account the API reports for this recipient. */
  declare readonly recipientAccount: pulumi.Output<string>;
  /** Per shared object: its version as seen by the recipient, and any error delivering it (`terminal` errors are not retried by Cloudflare). */
  declare readonly resources: pulumi.Output<{ resourceId: string; resourceVersion: number; error: string; terminal: boolean }[]>;
  declare readonly created: pulumi.Output<string>;
  declare readonly modified: pulumi.Output<string>;

  constructor(name: string, args: ShareRecipientArgs, opts?: pulumi.CustomResourceOptions) {
    warnIfNotInstalled();
    const props = {
      ...args,
      ownerStack: currentStack(),
      associationStatus: undefined,
      recipientAccount: undefined,
      resources: undefined,
      created: undefined,
      modified: undefined,
    };
    super(shareRecipientProvider, name, props, opts, TYPE_MODULE, "ShareRecipient");
  }
}
