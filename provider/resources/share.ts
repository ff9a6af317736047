import * as pulumi from "@pulumi/pulumi";
import shareProvider = require("./share-provider");
import { currentStack, TimeoutsArgs, TYPE_MODULE, warnIfNotInstalled } from "./resource-base";
import type { ManagedRecipient, ManagedResource } from "./share-model";

/** A recipient declared inline on a {@link Share}: exactly one of the two fields. */
export interface ShareRecipientDeclarationArgs {
  /** The account that receives the share (it must be in the share owner's organization). */
  recipientAccountId?: pulumi.Input<string>;
  /** Share with the caller's whole organization instead of one account. */
  organizationId?: pulumi.Input<string>;
}

/** A resource declared inline on a {@link Share}. */
export interface ShareResourceDeclarationArgs {
  /** `custom-ruleset`, `gateway-policy`, `gateway-destination-ip`, `gateway-block-page-settings`, `gateway-extended-email-matching` or `idp-federation-grant`. */
  resourceType: pulumi.Input<string>;
  /** The id of the shared object (e.g. the ruleset id). */
  resourceId: pulumi.Input<string>;
  /** The account that owns the shared object. */
  resourceAccountId: pulumi.Input<string>;
  /** Metadata: a JSON object, as an object or a JSON string. Defaults to `{}`. */
  meta?: pulumi.Input<string | Record<string, unknown>>;
}

/** Arguments of a {@link Share}. */
export interface ShareArgs {
  /** The account that owns (sends) the share. Changing it replaces the share. */
  accountId: pulumi.Input<string>;
  /** The share's name. Names are not unique in Cloudflare. Updated in place. */
  name: pulumi.Input<string>;
  /**
   * The recipients this Share manages: at least one (Cloudflare creates a share only with a
   * recipient). Adding or removing one changes the share in place; a removed recipient is waited
   * for until it is `disassociated`. Recipients declared as separate {@link ShareRecipient}
   * resources are never touched by the Share.
   */
  recipients?: pulumi.Input<pulumi.Input<ShareRecipientDeclarationArgs>[]>;
  /**
   * The objects this Share manages: at least one. Adding or removing one, or changing its `meta`,
   * changes the share in place. Resources declared as separate {@link ShareResource} resources are
   * never touched by the Share.
   */
  resources?: pulumi.Input<pulumi.Input<ShareResourceDeclarationArgs>[]>;
  /** How long to wait for the share and its items to settle (create, update) or be gone (delete). Each defaults to "5m". */
  timeouts?: pulumi.Input<TimeoutsArgs>;
  /**
   * The id of an existing share to take over instead of creating one (`pulumi import` does not work
   * with dynamic providers). It must belong to `accountId`; its name, recipients and resources are
   * then brought to what is declared. Ignored after creation.
   */
  adopt?: pulumi.Input<string>;
}

/** An inline recipient as the Share tracks it: its target, its recipient `id`, its `associationStatus`. */
export type ManagedRecipientOutput = ManagedRecipient;
/** An inline resource as the Share tracks it: its declaration, its share-resource `id`, `status` and `resourceVersion`. */
export type ManagedResourceOutput = ManagedResource;

/**
 * A Cloudflare resource share with its recipients and shared objects. `pulumi up` returns once the
 * share is `active`, every declared recipient `associated` and every declared resource `active`, so
 * the next step of a pipeline can rely on it. Changing the name, the recipients or the resources
 * changes the share in place, through the sub-resource endpoints; `destroy` returns once the share
 * is `deleted` and its recipients `disassociated`.
 *
 * @example
 * ```ts
 * import { Share } from "pulumi-cloudflare-sharing";
 *
 * const share = new Share("waf-rules", {
 *   accountId: "023e105f4ecef8ad9ca31a8372d0c353",
 *   name: "WAF rules for the EU accounts",
 *   recipients: [{ recipientAccountId: "9a7806061c88ada191ed06f989cc3dac" }],
 *   resources: [{
 *     resourceType: "custom-ruleset",
 *     resourceId: "2f2feab2026849078ba485f918791bdc",
 *     resourceAccountId: "023e105f4ecef8ad9ca31a8372d0c353",
 *     meta: {},
 *   }],
 *   timeouts: { create: "10m" },
 * });
 * export const shareId = share.id;
 * export const shareStatus = share.status; // "active"
 * ```
 */
export class Share extends pulumi.dynamic.Resource {
  declare readonly accountId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  /** The inline recipients, each with its id and status. */
  declare readonly recipients: pulumi.Output<ManagedRecipientOutput[]>;
  /** The inline resources, each with its share-resource id and status. */
  declare readonly resources: pulumi.Output<ManagedResourceOutput[]>;
  /** Ids of the inline recipients. */
  declare readonly recipientIds: pulumi.Output<string[]>;
  /** Share-resource ids of the inline resources. */
  declare readonly resourceIds: pulumi.Output<string[]>;
  /** `active`, `deleting` or `deleted`. */
  declare readonly status: pulumi.Output<string>;
  /** Display name of the owning account. */
  declare readonly accountName: pulumi.Output<string>;
  /** Organization of the owning account. */
  declare readonly organizationId: pulumi.Output<string>;
  /** `account` or `organization`, computed by Cloudflare from the recipients. */
  declare readonly targetType: pulumi.Output<string>;
  /** `sent` (this account owns the share). */
  declare readonly kind: pulumi.Output<string>;
  declare readonly created: pulumi.Output<string>;
  declare readonly modified: pulumi.Output<string>;

  constructor(name: string, args: ShareArgs, opts?: pulumi.CustomResourceOptions) {
    warnIfNotInstalled();
    const props = {
      ...args,
      ownerStack: currentStack(),
      recipientIds: undefined,
      resourceIds: undefined,
      status: undefined,
      accountName: undefined,
      organizationId: undefined,
      targetType: undefined,
      kind: undefined,
      created: undefined,
      modified: undefined,
    };
    super(shareProvider, name, props, opts, TYPE_MODULE, "Share");
  }
}
