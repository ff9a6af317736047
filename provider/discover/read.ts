// Reads everything `discover` declares: the shares an account sends, with their recipients and
// resources (`readSentShares`, which `audit` reads too). Reads only (it works with a read-only
// token), every list with an explicit `per_page`, through the client's process-wide rate budget;
// progress goes to a callback.

import { NotFoundError } from "../client/core/errors";
import type { RecipientObject, ShareObject } from "../client/types";
import type { LookupContext } from "../functions/context";
import { uniqueById } from "../functions/results";
import { classifyShare, DiscoveredShare, Discovery, LeftOut } from "./model";
import { resourceNames } from "./names";

/** What to read. */
export interface DiscoverOptions {
  accountId: string;
  /** The organization of the account, if known: recognises its recipients, and its other accounts' shares are counted. */
  organizationId?: string;
  /** Recipient lists read at once (the rate budget caps requests in flight anyway). */
  concurrency?: number;
  /** Progress lines ("read 200 shares…"); at most one every `progressEveryMs` except the last of each phase. */
  progress?: (line: string) => void;
  progressEveryMs?: number;
}

/**
 * Reads the shares `accountId` sends (never those it receives), each with its recipients and
 * resources, and sorts them into what to declare and what to leave out.
 *
 * @example
 * const discovery = await readAccountSharing(lookupContextFrom(), { accountId: "023e105f4ecef8ad9ca31a8372d0c353", progress: console.error });
 * console.log(discovery.shares.length, discovery.leftOut.length);
 */
export async function readAccountSharing(ctx: LookupContext, options: DiscoverOptions): Promise<Discovery> {
  const { api, signal } = ctx;
  const { accountId } = options;
  const startRequests = api.http.stats.attempts;
  const { shares: owned, recipientsOf, vanished } = await readSentShares(ctx, options);

  let otherAccountsShares: number | undefined;
  if (options.organizationId !== undefined) {
    const organizationShares = await api.organizations.listAllShares(options.organizationId, {}, { signal });
    otherAccountsShares = uniqueById(organizationShares).filter((share) => share.account_id !== accountId).length;
  }

  const organizationIds = new Set([...owned.map((share) => share.organization_id), ...(options.organizationId ? [options.organizationId] : [])]);
  const leftOut: LeftOut[] = [];
  const declared = owned.flatMap((share) => {
    if (vanished.has(share.id)) {
      leftOut.push({ kind: "share", id: share.id, description: `share ${share.id} ${JSON.stringify(share.name)}`, reason: "it was deleted while discover ran" });
      return [];
    }
    const found = classifyShare(share, recipientsOf.get(share.id) ?? [], organizationIds, leftOut);
    return found ? [found] : [];
  });
  const names = resourceNames(declared);
  const discovered: DiscoveredShare[] = declared.map((share) => ({ ...share, resourceName: names.get(share.id)! }));
  return {
    accountId,
    accountName: owned[0]?.account_name,
    organizationId: options.organizationId ?? owned[0]?.organization_id,
    shares: discovered,
    leftOut,
    otherAccountsShares,
    sharesRead: owned.length,
    requests: api.http.stats.attempts - startRequests,
  };
}

/** The shares an account sends, as read: each with its resources, and the recipients of the active ones. */
export interface SentShares {
  /** Every share the account sends (any status), oldest first, each with its `resources`. */
  shares: ShareObject[];
  /** The recipients of each `active` share (any status), by share id. */
  recipientsOf: Map<string, RecipientObject[]>;
  /** Active shares deleted (and purged) between the share list and the read of their recipients. */
  vanished: Set<string>;
}

/**
 * Reads the shares `accountId` sends (never those it receives) with their resources, every page,
 * and the recipients of every active share: reads only, through the client's rate budget, progress
 * to `options.progress`. What `discover` and `audit` both start from.
 *
 * @example
 * const { shares, recipientsOf } = await readSentShares(lookupContextFrom(), { accountId: "023e105f4ecef8ad9ca31a8372d0c353" });
 */
export async function readSentShares(ctx: LookupContext, options: Omit<DiscoverOptions, "organizationId">): Promise<SentShares> {
  const { api, signal } = ctx;
  const { accountId } = options;
  const throttle = throttled(options.progress, options.progressEveryMs ?? 1_000);

  const shares: ShareObject[] = [];
  const query = { kind: "sent", include_resources: true, order: "created", direction: "asc" } as const;
  for await (const share of api.shares.list(accountId, query, { signal })) {
    shares.push(share);
    if (shares.length % api.http.settings.perPage === 0) throttle(`read ${shares.length} shares of account ${accountId}…`);
  }
  // Owned by the account: `kind=sent` says so, and the owner is checked again, in case.
  const owned = uniqueById(shares).filter((share) => share.account_id === accountId && (share.kind ?? "sent") === "sent");
  throttle(`read ${owned.length} shares of account ${accountId}`, true);

  const active = owned.filter((share) => share.status === "active");
  const recipientsOf = new Map<string, RecipientObject[]>();
  const vanished = new Set<string>();
  let done = 0;
  await inPool(active, options.concurrency ?? 4, async (share) => {
    try {
      recipientsOf.set(share.id, uniqueById(await api.recipients.listAll(accountId, share.id, {}, { signal })));
    } catch (error) {
      // Deleted (and purged) between the share list and this read: nothing left to declare.
      if (!(error instanceof NotFoundError)) throw error;
      vanished.add(share.id);
    }
    done += 1;
    throttle(`read the recipients of ${done}/${active.length} shares`, done === active.length);
  });
  return { shares: owned, recipientsOf, vanished };
}

/** Runs `work` on every item, at most `size` at a time; the first failure stops new work and is thrown. */
async function inPool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next++];
      try {
        await work(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
}

function throttled(sink: ((line: string) => void) | undefined, everyMs: number): (line: string, force?: boolean) => void {
  let last = 0;
  return (line, force = false) => {
    if (!sink) return;
    const now = Date.now();
    if (!force && now - last < everyMs) return;
    last = now;
    sink(line);
  };
}
