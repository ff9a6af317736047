// Share lookups as plain async functions: arguments and a context in, camelCase results out.

import { checkGetShareArgs, checkListOrganizationSharesArgs, checkListSharesArgs, GetShareArgs, ListOrganizationSharesArgs, ListSharesArgs, shareListQuery } from "./args";
import type { LookupContext } from "./context";
import { GetShareResult, ListOrganizationSharesResult, ListSharesResult, shareInfo, uniqueById } from "./results";

/**
 * One share (`GET /accounts/{account_id}/shares/{share_id}`). Throws `NotFoundError` when there is none.
 *
 * @example
 * const share = await getShareWith(lookupContextFrom(), { accountId, shareId, includeResources: true });
 */
export async function getShareWith(ctx: LookupContext, args: GetShareArgs): Promise<GetShareResult> {
  checkGetShareArgs(args);
  const share = await ctx.api.shares.get(
    args.accountId,
    args.shareId,
    { include_resources: args.includeResources, include_recipient_counts: args.includeRecipientCounts },
    { signal: ctx.signal },
  );
  return shareInfo(share);
}

/**
 * Every share of an account that matches the filters, all pages read.
 *
 * @example
 * const { shares } = await listSharesWith(lookupContextFrom(), { accountId, kind: "sent", status: "active" });
 */
export async function listSharesWith(ctx: LookupContext, args: ListSharesArgs): Promise<ListSharesResult> {
  checkListSharesArgs(args);
  const { accountId, ...filters } = args;
  const shares = await ctx.api.shares.listAll(accountId, shareListQuery(filters), { signal: ctx.signal });
  return { accountId, shares: uniqueById(shares).map(shareInfo) };
}

/**
 * Every share of an organization (`GET /organizations/{organization_id}/shares`) that matches the
 * filters, all pages read. Cloudflare documents no query parameters for this list; the account
 * list's filters are sent as they are.
 *
 * @example
 * const { shares } = await listOrganizationSharesWith(lookupContextFrom(), { organizationId });
 */
export async function listOrganizationSharesWith(ctx: LookupContext, args: ListOrganizationSharesArgs): Promise<ListOrganizationSharesResult> {
  checkListOrganizationSharesArgs(args);
  const { organizationId, ...filters } = args;
  const shares = await ctx.api.organizations.listAllShares(organizationId, shareListQuery(filters), { signal: ctx.signal });
  return { organizationId, shares: uniqueById(shares).map(shareInfo) };
}
