// Finders: look an object up and decide whether it has been removed: HTTP 404 (code 1004), or a status
// the lifecycle table (./lifecycle) calls removed (`deleted`, `disassociated`: recipients are
// soft-deleted and listed forever, reference §7).
//
// Lookups go through process-wide batchers (./coalesce): concurrent lookups of shares of one account
// are answered by one share list (which also carries every share's resources), and concurrent lookups
// of recipients of one share by one recipient list.

import { NotFoundError } from "../client/core/errors";
import type { Recipients } from "../client/recipients";
import type { Resources } from "../client/resources";
import type { Shares } from "../client/shares";
import type { RecipientObject, ShareObject, ShareResourceObject } from "../client/types";
import { Batcher, BatchResult, Freshness, sharedBatcher } from "./coalesce";
import { isRemoved, RECIPIENT_LIFECYCLE, RESOURCE_LIFECYCLE, SHARE_LIFECYCLE } from "./lifecycle";
import { ALL_GONE, DatedList } from "./recipient-watch";
import { watchedListSince, watchRecipient } from "./watched-recipients";

/** The parts of the API client the finders use. */
export interface SharingApi {
  shares: Shares;
  recipients: Recipients;
  resources: Resources;
  /** The page size the lists use (the client's `perPage`), to count pages while scanning. */
  http: { settings: { perPage: number; perAttemptTimeoutMs: number; listLagMs: number } };
}

/** Where and how to look. */
export interface LookupContext {
  api: SharingApi;
  accountId: string;
  /** Identifies credential and endpoint (never the credential itself), so batches never mix users. */
  scope: string;
  /** Coalesce concurrent lookups into list calls (on by default; off only to measure its effect). */
  coalesce: boolean;
  /** How long a batch stays open for more lookups. */
  coalesceWindowMs: number;
  /** How old a complete list may be and still answer a refresh read (never a wait after a write). */
  readReuseMs: number;
  /** Longest a share with recipient waits goes unlisted while its recipient counts stay the same. */
  recipientRecheckMs?: number;
  /**
   * Whether looks spend requests on latency now: true while the rate budget is far from binding
   * (RateBudget.mode). A look then goes at once instead of waiting to join a list another wait will
   * make, and a wait keeps looking at its short interval. Absent: looks are saved.
   */
  spendOnLatency?: () => boolean;
}

/**
 * Lookups for `pulumi refresh` (and adopt): they may share a complete list fetched a moment ago by
 * another read, since nothing this run wrote is being waited for.
 */
export function forReading(ctx: LookupContext): Freshness {
  return { startedNotBefore: Date.now() - ctx.readReuseMs };
}

/**
 * The answer of a GET by id, or undefined when it is 404 (the object, or its share, is gone).
 *
 * @example
 * const recipient = await orUndefinedWhenNotFound(api.recipients.get(accountId, shareId, recipientId));
 */
export async function orUndefinedWhenNotFound<T>(lookup: Promise<T>): Promise<T | undefined> {
  try {
    return await lookup;
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/**
 * A share as the server has it (any status, with its `resources`), or undefined on 404. By default
 * the answer comes from a request sent after this call; see {@link forReading}.
 */
export async function lookupShare(ctx: LookupContext, shareId: string, freshness?: Freshness, signal?: AbortSignal): Promise<ShareObject | undefined> {
  if (!ctx.coalesce) return getShare(ctx, shareId, signal);
  // A list is a snapshot: an object can move between its pages during a scan, and lists may trail
  // writes. Absence from a list proves nothing; only a GET by id says "not found".
  return (await shareBatcher(ctx).get(shareId, freshness, signal)) ?? getShare(ctx, shareId, signal);
}

/** A recipient as the server has it now (any status, with its per-resource `resources`), or undefined on 404. */
export async function lookupRecipient(
  ctx: LookupContext,
  shareId: string,
  recipientId: string,
  freshness?: Freshness,
  signal?: AbortSignal,
): Promise<RecipientObject | undefined> {
  if (!ctx.coalesce) {
    return orUndefinedWhenNotFound(ctx.api.recipients.get(ctx.accountId, shareId, recipientId, { include_resources: true }, { signal }));
  }
  // Absent from a list is not gone (see lookupShare): ask by id.
  return (
    (await recipientBatcher(ctx, shareId).get(recipientId, freshness, signal)) ??
    orUndefinedWhenNotFound(ctx.api.recipients.get(ctx.accountId, shareId, recipientId, { include_resources: true }, { signal }))
  );
}

/** A share resource as the server has it now (any status), or undefined on 404 of it or of its share. */
export async function lookupResource(
  ctx: LookupContext,
  shareId: string,
  shareResourceId: string,
  freshness?: Freshness,
  signal?: AbortSignal,
): Promise<ShareResourceObject | undefined> {
  if (!ctx.coalesce) return orUndefinedWhenNotFound(ctx.api.resources.get(ctx.accountId, shareId, shareResourceId, { signal }));
  const share = await lookupShare(ctx, shareId, freshness, signal);
  const resource = share?.resources?.find((candidate) => candidate.id === shareResourceId);
  if (resource || !share) return resource;
  // Missing from the share's `resources` (a list that trails writes): not gone until its GET says so.
  return orUndefinedWhenNotFound(ctx.api.resources.get(ctx.accountId, shareId, shareResourceId, { signal }));
}

/**
 * Every recipient of the share as the server has it now (any status, with their per-object
 * `resources`), or undefined on 404 of the share. Coalesced, the list is the account's recipient
 * watch's, shared with the waits on the share's recipients.
 *
 * @example
 * const recipients = (await lookupRecipients(ctx, shareId, signal)) ?? [];
 */
export async function lookupRecipients(ctx: LookupContext, shareId: string, signal?: AbortSignal): Promise<RecipientObject[] | undefined> {
  return (await lookupRecipientsSince(ctx, shareId, Date.now(), signal))?.recipients;
}

/**
 * Every recipient of the share (any status, with their per-object `resources`) from a list sent at
 * or after `since` (epoch ms), and when it was sent; undefined on 404 of the share. Coalesced, a
 * list the recipient watch made for other waits answers if it is that recent.
 *
 * @example
 * const listed = await lookupRecipientsSince(ctx, shareId, startedAt); // next time: since = listed.at + 1
 */
export async function lookupRecipientsSince(ctx: LookupContext, shareId: string, since: number, signal?: AbortSignal): Promise<DatedList | undefined> {
  if (ctx.coalesce) return watchedListSince(ctx, shareId, since, signal);
  const at = Date.now();
  const recipients = await orUndefinedWhenNotFound(ctx.api.recipients.listAll(ctx.accountId, shareId, { include_resources: true }, { signal }));
  return recipients === undefined ? undefined : { at, recipients };
}

/** The share, unless it has been removed (404 or `deleted`); one being deleted is returned as such. */
export async function lookupLiveShare(ctx: LookupContext, shareId: string, signal?: AbortSignal): Promise<ShareObject | undefined> {
  const share = await lookupShare(ctx, shareId, undefined, signal);
  return share === undefined || isRemoved(SHARE_LIFECYCLE, share.status) ? undefined : share;
}

/**
 * For waits: the recipient, unless it has been removed (404, `disassociated`, or every recipient of
 * its share removed). Coalesced, the looks of every wait on recipients of the account are answered
 * together (./watched-recipients). `statusOnly`: the caller keeps nothing of the answer but its
 * status (see RecipientWatch.look).
 */
export async function lookupLiveRecipient(
  ctx: LookupContext,
  shareId: string,
  recipientId: string,
  signal?: AbortSignal,
  options: { statusOnly?: boolean } = {},
): Promise<RecipientObject | undefined> {
  let recipient: RecipientObject | undefined;
  if (ctx.coalesce) {
    const look = await watchRecipient(ctx, shareId, recipientId, { ...options, signal });
    if (look === ALL_GONE) return undefined;
    // Absent from a list is not gone (lists may trail writes): ask by id.
    recipient = look ?? (await orUndefinedWhenNotFound(ctx.api.recipients.get(ctx.accountId, shareId, recipientId, { include_resources: true }, { signal })));
  } else {
    recipient = await lookupRecipient(ctx, shareId, recipientId, undefined, signal);
  }
  return recipient === undefined || isRemoved(RECIPIENT_LIFECYCLE, recipient.association_status) ? undefined : recipient;
}

/** The share resource, unless it has been removed (404, `deleted`, or its share gone). */
export async function lookupLiveResource(ctx: LookupContext, shareId: string, shareResourceId: string, signal?: AbortSignal): Promise<ShareResourceObject | undefined> {
  const resource = await lookupResource(ctx, shareId, shareResourceId, undefined, signal);
  return resource === undefined || isRemoved(RESOURCE_LIFECYCLE, resource.status) ? undefined : resource;
}

// Resources answer resource waits; recipient counts tell the recipient watch which shares changed.
const SHARE_QUERY = { include_resources: true, include_recipient_counts: true } as const;

function getShare(ctx: LookupContext, shareId: string, signal?: AbortSignal): Promise<ShareObject | undefined> {
  return orUndefinedWhenNotFound(ctx.api.shares.get(ctx.accountId, shareId, SHARE_QUERY, { signal }));
}

function shareBatcher(ctx: LookupContext): Batcher<ShareObject> {
  return sharedBatcher(`${ctx.scope}|shares|${ctx.accountId}`, () => new Batcher<ShareObject>(async (ids, preferComplete, signal): Promise<BatchResult<ShareObject>> => {
    const found = new Map<string, ShareObject>();
    if (ids.length === 1 && !preferComplete) {
      const share = await getShare(ctx, ids[0], signal);
      if (share) found.set(ids[0], share);
      return { found, complete: false };
    }
    // One list (a page of up to 100 shares, each with its resources) answers many lookups. In a large
    // account the wanted shares may be far down the list: stop after as many pages as there are
    // wanted shares (one at least), so the batch never costs much more than one GET each, and GET
    // the rest.
    const wanted = new Set(ids);
    const pageSize = ctx.api.http.settings.perPage;
    const pageLimit = Math.max(1, ids.length - 1);
    let scanned = 0;
    let complete = true;
    for await (const share of ctx.api.shares.list(ctx.accountId, SHARE_QUERY, { signal })) {
      scanned += 1;
      found.set(share.id, share);
      wanted.delete(share.id);
      const atPageEnd = scanned % pageSize === 0;
      if (atPageEnd && scanned / pageSize >= pageLimit && (wanted.size > 0 || !preferComplete)) {
        complete = false;
        break;
      }
    }
    for (const id of wanted) {
      const share = await getShare(ctx, id, signal);
      if (share) found.set(id, share);
    }
    return { found, complete };
  }, ctx.coalesceWindowMs));
}

function recipientBatcher(ctx: LookupContext, shareId: string): Batcher<RecipientObject> {
  return sharedBatcher(`${ctx.scope}|recipients|${ctx.accountId}|${shareId}`, () => new Batcher<RecipientObject>(async (ids, preferComplete, signal): Promise<BatchResult<RecipientObject>> => {
    const found = new Map<string, RecipientObject>();
    if (ids.length === 1 && !preferComplete) {
      const recipient = await orUndefinedWhenNotFound(ctx.api.recipients.get(ctx.accountId, shareId, ids[0], { include_resources: true }, { signal }));
      if (recipient) found.set(ids[0], recipient);
      return { found, complete: false };
    }
    // The whole list: one request per 100 recipients answers every lookup on this share.
    const all = await orUndefinedWhenNotFound(ctx.api.recipients.listAll(ctx.accountId, shareId, { include_resources: true }, { signal }));
    for (const recipient of all ?? []) found.set(recipient.id, recipient);
    return { found, complete: true };
  }, ctx.coalesceWindowMs));
}
