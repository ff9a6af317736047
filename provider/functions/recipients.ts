// Recipient lookups as plain async functions.

import { checkListShareRecipientsArgs, ListShareRecipientsArgs } from "./args";
import type { LookupContext } from "./context";
import { ListShareRecipientsResult, shareRecipientInfo, uniqueById } from "./results";

/**
 * Every recipient of a share, all pages read, whatever its `associationStatus`: Cloudflare keeps
 * removed recipients forever as `disassociated`, so filter on it for the live ones.
 *
 * @example
 * const { recipients } = await listShareRecipientsWith(lookupContextFrom(), { accountId, shareId });
 * const live = recipients.filter((r) => r.associationStatus === "associated");
 */
export async function listShareRecipientsWith(ctx: LookupContext, args: ListShareRecipientsArgs): Promise<ListShareRecipientsResult> {
  checkListShareRecipientsArgs(args);
  const recipients = await ctx.api.recipients.listAll(args.accountId, args.shareId, { include_resources: args.includeResources }, { signal: ctx.signal });
  return { accountId: args.accountId, shareId: args.shareId, recipients: uniqueById(recipients).map((r) => shareRecipientInfo(args.shareId, r)) };
}
