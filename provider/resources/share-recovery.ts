// Recovery of a Share create that an interrupted run made but never recorded in state.

import type { ShareCreateBody, ShareObject } from "../client/types";
import { Runtime } from "../runtime";
import { RECIPIENT_GONE_STATUSES } from "./share-recipient-model";

/**
 * A share that an interrupted run (a killed `pulumi up`) created but never recorded in state: same
 * exact name, same resources, same account recipients, created within the recovery window. Taking
 * it over instead of creating a second one is what keeps a crashed pipeline from leaving duplicates.
 * Costs one list request (newest first, so usually one page) per Share create.
 *
 * @example
 * const share = (await findInterruptedCreate(runtime, accountId, body)) ?? (await runtime.api.shares.create(accountId, body));
 */
export async function findInterruptedCreate(runtime: Runtime, accountId: string, body: ShareCreateBody): Promise<ShareObject | undefined> {
  const windowMs = runtime.settings.interruptedCreateWindowMs;
  if (!(windowMs > 0)) return undefined;
  const candidate = await runtime.api.shares.findCreated(accountId, body, Date.now() - windowMs);
  if (candidate === undefined) return undefined;
  const recipients = await runtime.api.recipients.listAll(accountId, candidate.id);
  const declared = body.recipients.map((r) => r.recipient_account_id ?? r.organization_id).sort();
  const live = recipients.filter((r) => !RECIPIENT_GONE_STATUSES.includes(r.association_status)).map((r) => r.account_id).sort();
  if (declared.join() !== live.join()) return undefined;
  runtime.wait.log(`share ${candidate.id} "${candidate.name}" was created ${new Date(candidate.created).toISOString()} with these recipients and resources but is not in state (an interrupted run?); taking it over instead of creating a duplicate`);
  return candidate;
}
