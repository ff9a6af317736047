// Share-resource lookups as plain async functions.

import { checkListShareResourcesArgs, ListShareResourcesArgs } from "./args";
import type { LookupContext } from "./context";
import { ListShareResourcesResult, shareResourceInfo, uniqueById } from "./results";

/**
 * Every shared object of a share, all pages read, optionally only one `status` or `resourceType`.
 *
 * @example
 * const { shareResources } = await listShareResourcesWith(lookupContextFrom(), { accountId, shareId, status: "active" });
 */
export async function listShareResourcesWith(ctx: LookupContext, args: ListShareResourcesArgs): Promise<ListShareResourcesResult> {
  checkListShareResourcesArgs(args);
  const query = { status: args.status, resource_type: args.resourceType };
  const resources = await ctx.api.resources.listAll(args.accountId, args.shareId, query, { signal: ctx.signal });
  return { accountId: args.accountId, shareId: args.shareId, shareResources: uniqueById(resources).map((r) => shareResourceInfo(args.shareId, r)) };
}
