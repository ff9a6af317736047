// The process-wide recipient watch of an account (./recipient-watch), wired to the API: counts come
// from the share batcher's account-wide list, recipient lists from the client.

import { NotFoundError } from "../client/core/errors";
import type { RecipientObject } from "../client/types";
import { sharedInstance } from "./coalesce";
import { LookupContext, lookupShare } from "./finders";
import { DatedList, RecipientLook, RecipientWatch } from "./recipient-watch";

/** Longest a share with waiters goes unlisted while its counts stay the same (see RecipientWatch). */
export const DEFAULT_RECIPIENT_RECHECK_MS = 2_000;

function watchFor(ctx: LookupContext): RecipientWatch {
  return sharedInstance(`${ctx.scope}|recipient-watch|${ctx.accountId}`, () =>
    new RecipientWatch(
      {
        share: (shareId, signal, since) => lookupShare(ctx, shareId, since === undefined ? undefined : { startedNotBefore: since, waitLook: true }, signal),
        recipients: async (shareId, signal, onSent) => {
          try {
            return await ctx.api.recipients.listAll(ctx.accountId, shareId, { include_resources: true }, { signal, onSent });
          } catch (error) {
            if (error instanceof NotFoundError) return undefined;
            throw error;
          }
        },
      },
      {
        windowMs: ctx.coalesceWindowMs,
        recheckMs: ctx.recipientRecheckMs ?? DEFAULT_RECIPIENT_RECHECK_MS,
        // The client's bound on how far lists trail writes: counts may miss a recipient that long.
        listLagMs: ctx.api.http.settings.listLagMs,
        // While recipients of a share are awaited, their waits list it at least this often: a
        // propagation look waits that long for their list rather than sending one of its own.
        listPatienceMs: ctx.recipientRecheckMs ?? DEFAULT_RECIPIENT_RECHECK_MS,
        // ... unless the rate budget is far from binding: then it lists at once.
        spendOnLatency: () => ctx.spendOnLatency?.() ?? false,
      },
    ),
  );
}

/**
 * A wait's look at a recipient, answered together with every other recipient look of the account
 * at this instant.
 *
 * @example
 * const look = await watchRecipient(ctx, shareId, recipientId);
 * if (look === ALL_GONE || look === undefined) console.log("gone");
 */
export function watchRecipient(
  ctx: LookupContext,
  shareId: string,
  recipientId: string,
  options: { statusOnly?: boolean; signal?: AbortSignal } = {},
): Promise<RecipientLook> {
  return watchFor(ctx).look(shareId, recipientId, options);
}

/**
 * Lists a share's recipients now (with their per-resource states); the list then answers the
 * account's recipient waits on that share for as long as the share's counts do not change.
 * Undefined on 404.
 *
 * @example
 * const recipients = await listRecipientsForWaits(ctx, shareId);
 */
export function listRecipientsForWaits(ctx: LookupContext, shareId: string, signal?: AbortSignal): Promise<RecipientObject[] | undefined> {
  return watchFor(ctx).list(shareId, signal);
}

/**
 * The share's recipients as the recipient watch last listed them (the lists the recipient waits and
 * a Share create's discovery read), without a request; undefined if it never listed them.
 *
 * @example
 * const listed = lastRecipientList(ctx, shareId) ?? [];
 */
export function lastRecipientList(ctx: LookupContext, shareId: string): RecipientObject[] | undefined {
  return ctx.coalesce ? watchFor(ctx).lastList(shareId) : undefined;
}

/**
 * Tells the account's recipient watch what a write showed of a recipient of `shareId` (the POST's
 * new recipient, the DELETE's `disassociating` one; see RecipientWatch.remember): its wait can then
 * be answered by the share's counts.
 *
 * @example
 * const created = await api.recipients.create(accountId, shareId, body);
 * rememberRecipientWrite(ctx, shareId, created);
 */
export function rememberRecipientWrite(ctx: LookupContext, shareId: string, recipient: RecipientObject): void {
  if (ctx.coalesce) watchFor(ctx).remember(shareId, recipient);
}

/**
 * Every recipient of the share (any status), from a request sent after this call or the share's
 * last list when the account's share counts prove it holds every recipient (RecipientWatch.members):
 * the creates on one share, and the waits on it, share their looks. Undefined on 404.
 *
 * @example
 * const holders = ((await watchedMembers(ctx, shareId)) ?? []).filter((r) => recipientHoldsKey(r, body));
 */
export function watchedMembers(ctx: LookupContext, shareId: string, signal?: AbortSignal): Promise<RecipientObject[] | undefined> {
  return watchFor(ctx).members(shareId, signal);
}

/**
 * The share's whole recipient list as sent at or after `since` (epoch ms), shared with the
 * recipient waits on the share (RecipientWatch.listedSince). Undefined on 404.
 *
 * @example
 * const listed = await watchedListSince(ctx, shareId, Date.now());
 */
export function watchedListSince(ctx: LookupContext, shareId: string, since: number, signal?: AbortSignal): Promise<DatedList | undefined> {
  return watchFor(ctx).listedSince(shareId, since, signal);
}
