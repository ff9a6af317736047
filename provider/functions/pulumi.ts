// The lookups as Pulumi functions, in the two forms Pulumi's own functions take: `getShare(args)`
// returns a Promise; `getShareOutput(args)` takes Inputs and returns an Output. Both are thin
// wrappers over the plain lookups (./shares, ./recipients, ./resources): credentials come from the
// stack config (`cloudflare:apiToken`…) or the environment, read when the lookup runs.
//
// The Output form runs only once its arguments are known: during a `preview` in which an argument
// depends on a resource not yet created, it sends nothing and its result is unknown, as Pulumi's
// own functions behave.

import * as pulumi from "@pulumi/pulumi";
import type { ClientEvent } from "../client/core/http";
import type { ConfigSource } from "../config";
import {
  checkGetShareArgs,
  checkListOrganizationSharesArgs,
  checkListShareRecipientsArgs,
  checkListShareResourcesArgs,
  checkListSharesArgs,
  GetShareArgs,
  ListOrganizationSharesArgs,
  ListShareRecipientsArgs,
  ListShareResourcesArgs,
  ListSharesArgs,
} from "./args";
import { lookupContextFrom, LookupContext } from "./context";
import { listShareRecipientsWith } from "./recipients";
import { listShareResourcesWith } from "./resources";
import type { GetShareResult, ListOrganizationSharesResult, ListShareRecipientsResult, ListShareResourcesResult, ListSharesResult } from "./results";
import { getShareWith, listOrganizationSharesWith, listSharesWith } from "./shares";

/** Arguments given as Pulumi Inputs: each value, and each array element, may be an Output. */
export type InputsOf<T> = {
  [K in keyof T]: T[K] extends (infer Item)[] | undefined ? pulumi.Input<pulumi.Input<Item>[]> | undefined : pulumi.Input<T[K]>;
};

export type GetShareOutputArgs = InputsOf<GetShareArgs>;
export type ListSharesOutputArgs = InputsOf<ListSharesArgs>;
export type ListOrganizationSharesOutputArgs = InputsOf<ListOrganizationSharesArgs>;
export type ListShareRecipientsOutputArgs = InputsOf<ListShareRecipientsArgs>;
export type ListShareResourcesOutputArgs = InputsOf<ListShareResourcesArgs>;

// The program's stack config, read at call time (never captured).
const stackConfig: ConfigSource = { get: (key) => pulumi.runtime.getConfig(key) };

function logClientEvent(event: ClientEvent): void {
  if (event.type === "rate-wait") {
    pulumi.log.info(`holding ${event.method} ${event.path} for ${Math.ceil((event.waitMs ?? 0) / 1000)}s to stay under Cloudflare's rate limit`);
  } else if (event.type === "retry") {
    pulumi.log.info(`retrying ${event.method} ${event.path} after ${event.status ?? event.errorCode} (retry ${event.retry})`);
  }
}

// The arguments are checked by the plain lookup before the context is built, so a wrong argument is
// reported as such even when no credentials are set.
function run<A, R>(lookup: (ctx: LookupContext, args: A) => Promise<R>, check: (args: A) => void): (args: A) => Promise<R> {
  return async (args: A) => {
    check(args);
    return lookup(lookupContextFrom(stackConfig, logClientEvent), args);
  };
}

function outputForm<A, R>(promiseForm: (args: A) => Promise<R>): (args: InputsOf<A>) => pulumi.Output<R> {
  return (args) => pulumi.output(args as pulumi.Input<object>).apply((plain) => promiseForm(plain as unknown as A)) as unknown as pulumi.Output<R>;
}

/**
 * One share of an account, by id. Throws when it does not exist (`NotFoundError`) or when an argument
 * is wrong (`InvalidArgumentsError`, before any request).
 *
 * @example
 * import { getShare } from "pulumi-cloudflare-sharing";
 * const share = await getShare({ accountId: "023e105f4ecef8ad9ca31a8372d0c353", shareId: "3fd85f74b32742f1bff64a85009dda07", includeResources: true });
 * console.log(share.name, share.status, share.shareResources?.length);
 */
export const getShare: (args: GetShareArgs) => Promise<GetShareResult> = run(getShareWith, checkGetShareArgs);

/**
 * {@link getShare} with Inputs: runs once every argument is known.
 *
 * @example
 * const info = getShareOutput({ accountId, shareId: share.id, includeResources: true });
 * export const sharedRulesets = info.apply((share) => (share.shareResources ?? []).map((r) => r.resourceId));
 */
export const getShareOutput: (args: GetShareOutputArgs) => pulumi.Output<GetShareResult> = outputForm(getShare);

/**
 * Every share of an account matching the filters (`kind`, `status`, `targetType`, `resourceTypes`,
 * `tags`, `includeRecipientCounts`, `includeResources`, `order`, `direction`), all pages read.
 *
 * @example
 * const { shares } = await listShares({ accountId: "023e105f4ecef8ad9ca31a8372d0c353", kind: "sent", status: "active" });
 */
export const listShares: (args: ListSharesArgs) => Promise<ListSharesResult> = run(listSharesWith, checkListSharesArgs);

/**
 * {@link listShares} with Inputs.
 *
 * @example
 * export const sentShareIds = listSharesOutput({ accountId, kind: "sent" }).shares.apply((shares) => shares.map((s) => s.id));
 */
export const listSharesOutput: (args: ListSharesOutputArgs) => pulumi.Output<ListSharesResult> = outputForm(listShares);

/**
 * Every share of the accounts of an organization, with the same filters as {@link listShares}.
 *
 * @example
 * const { shares } = await listOrganizationShares({ organizationId: "4f1c2d3e5a6b7c8d9e0fa1b2c3d4e5f6" });
 */
export const listOrganizationShares: (args: ListOrganizationSharesArgs) => Promise<ListOrganizationSharesResult> = run(
  listOrganizationSharesWith,
  checkListOrganizationSharesArgs,
);

/**
 * {@link listOrganizationShares} with Inputs.
 *
 * @example
 * export const organizationShareCount = listOrganizationSharesOutput({ organizationId }).shares.apply((s) => s.length);
 */
export const listOrganizationSharesOutput: (args: ListOrganizationSharesOutputArgs) => pulumi.Output<ListOrganizationSharesResult> =
  outputForm(listOrganizationShares);

/**
 * Every recipient of a share, all pages read, removed (`disassociated`) ones included.
 *
 * @example
 * const { recipients } = await listShareRecipients({ accountId, shareId, includeResources: true });
 */
export const listShareRecipients: (args: ListShareRecipientsArgs) => Promise<ListShareRecipientsResult> = run(
  listShareRecipientsWith,
  checkListShareRecipientsArgs,
);

/**
 * {@link listShareRecipients} with Inputs.
 *
 * @example
 * const recipients = listShareRecipientsOutput({ accountId, shareId: share.id }).recipients;
 */
export const listShareRecipientsOutput: (args: ListShareRecipientsOutputArgs) => pulumi.Output<ListShareRecipientsResult> =
  outputForm(listShareRecipients);

/**
 * Every shared object of a share, all pages read, optionally only one `status` or `resourceType`.
 *
 * @example
 * const { shareResources } = await listShareResources({ accountId, shareId, status: "active", resourceType: "custom-ruleset" });
 */
export const listShareResources: (args: ListShareResourcesArgs) => Promise<ListShareResourcesResult> = run(
  listShareResourcesWith,
  checkListShareResourcesArgs,
);

/**
 * {@link listShareResources} with Inputs.
 *
 * @example
 * const rulesets = listShareResourcesOutput({ accountId, shareId: share.id, resourceType: "custom-ruleset" }).shareResources;
 */
export const listShareResourcesOutput: (args: ListShareResourcesOutputArgs) => pulumi.Output<ListShareResourcesResult> =
  outputForm(listShareResources);
