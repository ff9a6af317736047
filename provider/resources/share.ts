import * as pulumi from "@pulumi/pulumi";
import shareProvider = require("./share-provider");
import { currentStack, OutputProperties, SharingResource, TimeoutsArgs, warnIfNotInstalled, withReadBack } from "./resource-base";
import { markExclusiveShareId } from "./exclusive-share-outputs";
import type { ManagedRecipient, ManagedResource, ShareProperties } from "./share-model";

export type { ShareProperties } from "./share-model";

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
   * resources are never touched by the Share (unless it is `exclusive`).
   */
  recipients?: pulumi.Input<pulumi.Input<ShareRecipientDeclarationArgs>[]>;
  /**
   * The objects this Share manages: at least one. Adding or removing one, or changing its `meta`,
   * changes the share in place. Resources declared as separate {@link ShareResource} resources are
   * never touched by the Share (unless it is `exclusive`).
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
  /**
   * With `adopt`: take the share over only if it is exactly as declared (name, live recipients,
   * active resources with their owning account and `meta`); otherwise `up` fails, names every
   * difference and changes nothing. `discover` writes programs with it, so that a share changed
   * after it was discovered is never silently rewritten.
   */
  adoptOnlyIfMatching?: pulumi.Input<boolean>;
  /**
   * The inline `recipients` and `resources` are the share's complete set. `refresh` then records
   * every other live recipient and resource of the share (`undeclaredRecipients`,
   * `undeclaredResources`), so `pulumi refresh --preview-only --expect-no-changes` and
   * `pulumi preview --refresh --expect-no-changes` fail on a grant made out of band and name it;
   * `pulumi up --refresh` removes them. A separate {@link ShareRecipient} or {@link ShareResource} on
   * an exclusive share is refused. Default `false`: items the Share does not declare are left alone.
   */
  exclusive?: pulumi.Input<boolean>;
}

/** An inline recipient as the Share tracks it: its target, its recipient `id`, its `associationStatus`. */
export type ManagedRecipientOutput = ManagedRecipient;
/** An inline resource as the Share tracks it: its declaration, its share-resource `id`, `status` and `resourceVersion`. */
export type ManagedResourceOutput = ManagedResource;

/** The properties of a Share that Cloudflare sets (no argument gives them). */
export const SHARE_READ_BACK = [
  "recipientIds",
  "resourceIds",
  "status",
  "accountName",
  "organizationId",
  "targetType",
  "kind",
  "created",
  "modified",
  "undeclaredRecipients",
  "undeclaredResources",
] as const satisfies readonly (keyof ShareProperties)[];

// The outputs, declared once for both faces in ShareProperties (a TSDoc here would join the class's).
export interface Share extends OutputProperties<ShareProperties> {}

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
export class Share extends SharingResource {
  constructor(name: string, args: ShareArgs, opts?: pulumi.CustomResourceOptions) {
    warnIfNotInstalled();
    const props = { ...withReadBack(args, SHARE_READ_BACK), ownerStack: currentStack() };
    super("Share", require.resolve("./share-provider"), shareProvider, name, props, opts);
    markExclusiveShareId(this.id, args.exclusive);
  }
}
