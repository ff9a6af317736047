// Adding an object again while the record it replaces is still on its way out. After a recipient is
// removed (out of band, or by this program), its record stays `disassociating` for a while; a share
// resource stays `deleting`. Whether Cloudflare refuses a new record with the same natural key
// meanwhile is unconfirmed (the emulator answers 409 by default), so both answers are handled: an
// accepted create is the result, and a 409 with such a record in the way waits until its removal is
// complete (the lifecycle table says which statuses those are), then sends the create once more.

import { ConflictError } from "../client/core/errors";
import type { RecipientInput, RecipientObject, ResourceInput, ShareResourceObject } from "../client/types";
import { orUndefinedWhenNotFound } from "../wait/finders";
import { isLeaving, isRemoved, RECIPIENT_LIFECYCLE, RESOURCE_LIFECYCLE } from "../wait/lifecycle";
import { describeRecipient, describeResource, waitRecipientGone, waitResourceGone, WaitContext, WaitTimeout } from "../wait/waits";
import type { OwnedCreate } from "./ownership";

/**
 * Sends `create`; on 409, if `waitForLeaving` finds records of the same object on their way out and
 * waits them out (it returns whether it found any), sends `create` again. Any other 409 is rethrown.
 *
 * @example
 * const created = await createOnceLeavingIsGone(
 *   () => api.recipients.create(account, shareId, body),
 *   () => waitForLeavingRecipients(wait, shareId, body, timeout),
 * );
 */
export async function createOnceLeavingIsGone<T>(create: () => Promise<T>, waitForLeaving: () => Promise<boolean>): Promise<T> {
  try {
    return await create();
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    if (!(await waitForLeaving())) throw error;
    return create();
  }
}

/**
 * `spec` with its POST sent through {@link createOnceLeavingIsGone}.
 *
 * @example
 * await createOwned(afterLeaving(recipientCreate(...), () => waitForLeavingRecipients(wait, shareId, body, timeout)), journal);
 */
export function afterLeaving<T extends { id: string; created: string }>(spec: OwnedCreate<T>, waitForLeaving: () => Promise<boolean>): OwnedCreate<T> {
  return { ...spec, post: () => createOnceLeavingIsGone(() => spec.post(), waitForLeaving) };
}

/**
 * Waits until every recipient of the share for the same target that is on its way out has been
 * removed; returns whether there was any.
 *
 * @example
 * await waitForLeavingRecipients(wait, shareId, { recipient_account_id: "9a78…" }, 300_000);
 */
export async function waitForLeavingRecipients(ctx: WaitContext, shareId: string, body: RecipientInput, timeoutMs: WaitTimeout): Promise<boolean> {
  const target = body.recipient_account_id ?? body.account_id ?? body.organization_id;
  const listed = await listedUntilSeen(ctx, async () => (await ctx.api.recipients.listAll(ctx.accountId, shareId)).filter((recipient) => recipient.account_id === target));
  // A list may trail writes and show a leaving record's earlier status: its GET tells the current one.
  // A GET may also answer 404 for a record made a moment ago: then the list's view is the best there is.
  const current = await Promise.all(listed.map(async (recipient) => (await orUndefinedWhenNotFound(ctx.api.recipients.get(ctx.accountId, shareId, recipient.id))) ?? recipient));
  const leaving = current.filter((recipient): recipient is RecipientObject => isLeaving(RECIPIENT_LIFECYCLE, recipient.association_status));
  for (const recipient of leaving) {
    ctx.log(`${describeRecipient(shareId, recipient.id)} for ${target} is still ${recipient.association_status}; adding the recipient again once that is done`);
  }
  await Promise.all(leaving.map((recipient) => waitRecipientGone(ctx, shareId, recipient.id, timeoutMs, recipient)));
  // One that finished leaving between the 409 and this look was in the way too.
  return leaving.length > 0 || current.some((recipient) => isRemoved(RECIPIENT_LIFECYCLE, recipient.association_status));
}

/**
 * Waits until every share resource of the share for the same object that is on its way out has
 * been removed; returns whether there was any.
 *
 * @example
 * await waitForLeavingResources(wait, shareId, body, 300_000);
 */
export async function waitForLeavingResources(ctx: WaitContext, shareId: string, body: ResourceInput, timeoutMs: WaitTimeout): Promise<boolean> {
  const listed = await listedUntilSeen(ctx, async () =>
    (await ctx.api.resources.listAll(ctx.accountId, shareId, { resource_type: body.resource_type })).filter(
      (resource) => resource.resource_type === body.resource_type && resource.resource_id === body.resource_id,
    ),
  );
  // As for recipients: the current status is the GET's, not the list's.
  const current = await Promise.all(listed.map(async (resource) => (await orUndefinedWhenNotFound(ctx.api.resources.get(ctx.accountId, shareId, resource.id))) ?? resource));
  const leaving = current.filter((resource): resource is ShareResourceObject => isLeaving(RESOURCE_LIFECYCLE, resource.status));
  for (const resource of leaving) {
    ctx.log(`${describeResource(shareId, resource.id)} for ${body.resource_type} ${body.resource_id} is still ${resource.status}; adding it again once that is done`);
  }
  await Promise.all(leaving.map((resource) => waitResourceGone(ctx, shareId, resource.id, timeoutMs, resource)));
  return leaving.length > 0 || current.some((resource) => isRemoved(RESOURCE_LIFECYCLE, resource.status));
}

/**
 * The key's holders as a list shows them. The 409 says one exists, and a list that trails writes may
 * not show a record made a moment ago: it looks again, with growing pauses, for as long as lists may
 * lag (the client's `listLagMs`), and returns the empty answer only then.
 *
 * @example
 * const listed = await listedUntilSeen(ctx, async () => (await ctx.api.recipients.listAll(accountId, shareId)).filter(holdsKey));
 */
export async function listedUntilSeen<T>(ctx: WaitContext, list: () => Promise<T[]>): Promise<T[]> {
  const lookUntil = ctx.clock.now() + ctx.api.http.settings.listLagMs;
  let pauseMs = 100;
  for (;;) {
    const found = await list();
    const left = lookUntil - ctx.clock.now();
    if (found.length > 0 || left <= 0) return found;
    await ctx.clock.sleep(Math.min(pauseMs, left));
    pauseMs *= 2;
  }
}
