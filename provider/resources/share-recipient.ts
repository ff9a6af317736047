import type { RecipientResourceState } from "./share-recipient-model";
import * as pulumi from "@pulumi/pulumi";
import { refuseOnExclusiveShare } from "./exclusive-share-outputs";
import shareRecipientProvider = require("./share-recipient-provider");
import { currentStack, OutputProperties, replacedOnePerKey, SharingResource, TimeoutsArgs, warnIfNotInstalled, withReadBack } from "./resource-base";

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

/** What a {@link ShareRecipient} reads back (the outputs of the dynamic and the plugin `ShareRecipient` alike). */
export interface ShareRecipientProperties {
  accountId: string;
  shareId: string;
  recipientAccountId: string | undefined;
  organizationId: string | undefined;
  /** `associating`, `associated`, `disassociating` or `disassociated`. */
  associationStatus: string;
  /** The account the API reports for this recipient. */
  recipientAccount: string;
  /** Per shared object: its version as seen by the recipient, and any error delivering it (`terminal` errors are not retried by Cloudflare). */
  resources: RecipientResourceState[];
  /** When the recipient was created (RFC 3339), as Cloudflare reports it. */
  created: string;
  /** When the recipient last changed (RFC 3339), as Cloudflare reports it. */
  modified: string;
}

/** The properties of a ShareRecipient that the program may leave out but the resource reports. */
export const SHARE_RECIPIENT_READ_BACK = [
  "recipientAccountId",
  "organizationId",
  "associationStatus",
  "recipientAccount",
  "resources",
  "created",
  "modified",
] as const satisfies readonly (keyof ShareRecipientProperties)[];

// The outputs, declared once for both faces in ShareRecipientProperties (a TSDoc here would join the class's).
export interface ShareRecipient extends OutputProperties<ShareRecipientProperties> {}

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
export class ShareRecipient extends SharingResource {
  constructor(name: string, args: ShareRecipientArgs, opts?: pulumi.CustomResourceOptions) {
    warnIfNotInstalled();
    refuseOnExclusiveShare(name, args.shareId, "ShareRecipient");
    const { props, opts: options } = replacedOnePerKey({ ...withReadBack(args, SHARE_RECIPIENT_READ_BACK), ownerStack: currentStack() }, opts);
    super("ShareRecipient", require.resolve("./share-recipient-provider"), shareRecipientProvider, name, props, options);
  }
}
