// Finding a share that an interrupted run created but never recorded, so it is taken over instead of
// created twice. Share creates of one `up` arrive together: they share one scan of the account's
// recent shares instead of sending one each.

import type { ShareCreateBody, ShareObject } from "../client/types";
import { pickCreated } from "../client/shares";
import type { Runtime } from "../runtime";
import { sharedInstance } from "../wait/coalesce";
import { RECIPIENT_GONE_STATUSES } from "./share-recipient-model";

/** How long a scan of recent shares answers later creates: they look for shares of earlier runs. */
const SCAN_REUSE_MS = 2_000;

interface Scan {
  startedAt: number;
  since: number;
  shares: Promise<ShareObject[]>;
}

function recentShares(runtime: Runtime, accountId: string, since: number): Promise<ShareObject[]> {
  const slot = sharedInstance<{ scan?: Scan }>(`${runtime.wait.scope}|recent-shares|${accountId}`, () => ({}));
  const now = Date.now();
  const reusable = slot.scan && slot.scan.since <= since && now - slot.scan.startedAt <= SCAN_REUSE_MS;
  if (!reusable) {
    const scan: Scan = { startedAt: now, since, shares: runtime.api.shares.listCreatedSince(accountId, since) };
    slot.scan = scan;
    scan.shares.catch(() => {
      if (slot.scan === scan) slot.scan = undefined; // a failed scan answers nobody else
    });
  }
  return slot.scan!.shares;
}

/**
 * A share that an interrupted run (a killed `pulumi up`) created but never recorded in state: same
 * exact name, same resources, same account recipients, created within the recovery window. Taking
 * it over instead of creating a second one is what keeps a crashed pipeline from leaving duplicates.
 * Costs one list request (newest first, so usually one page) per batch of concurrent Share creates.
 *
 * @example
 * const existing = await findInterruptedCreate(runtime, accountId, body);
 */
export async function findInterruptedCreate(runtime: Runtime, accountId: string, body: ShareCreateBody): Promise<ShareObject | undefined> {
  const windowMs = runtime.settings.interruptedCreateWindowMs;
  if (!(windowMs > 0)) return undefined;
  const since = Date.now() - windowMs;
  const candidate = pickCreated(await recentShares(runtime, accountId, since), body, since);
  if (candidate === undefined) return undefined;
  const recipients = await runtime.api.recipients.listAll(accountId, candidate.id);
  const declared = body.recipients.map((r) => r.recipient_account_id ?? r.organization_id).sort();
  const live = recipients.filter((r) => !RECIPIENT_GONE_STATUSES.includes(r.association_status)).map((r) => r.account_id).sort();
  if (declared.join() !== live.join()) return undefined;
  runtime.wait.log(`share ${candidate.id} "${candidate.name}" was created ${new Date(candidate.created).toISOString()} with these recipients and resources but is not in state (an interrupted run?); taking it over instead of creating a duplicate`);
  return candidate;
}
