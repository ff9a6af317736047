// The creates of the three object types, described for ./ownership: the POST, the natural key
// (provider/client/natural-keys) and how to find what holds it, and the `adopt` advice for messages.
// `signal` is the operation's deadline (../wait/deadline-signal): every request of the create stops there.

import type { CloudflareSharingClient } from "../client";
import { NotFoundError } from "../client/core/errors";
import { isGone, Lifecycle, RECIPIENT_LIFECYCLE, RESOURCE_LIFECYCLE, SHARE_LIFECYCLE } from "../wait/lifecycle";
import { recipientHoldsKey, recipientNaturalKey, resourceHoldsKey, resourceNaturalKey, shareNaturalKey } from "../client/natural-keys";
import type { RecipientObject, ResourceInput, ShareCreateBody, ShareObject, ShareResourceObject } from "../client/types";
import { lookupShare } from "../wait/finders";
import { nextGridPoint } from "../wait/waiter";
import type { WaitContext } from "../wait/waits";
import { watchedMembers } from "../wait/watched-recipients";
import { metaObject } from "./inputs";
import type { JournalOwner } from "./journal";
import { confirmInState, OwnedCreate } from "./ownership";
import { describeTarget, recipientInput } from "./share-recipient-model";

async function orUndefined<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/** The object unless it is gone or on its way out (it then no longer holds its natural key). */
function live<T>(item: T | undefined, lifecycle: Lifecycle<T>): T | undefined {
  return item === undefined || isGone(lifecycle, lifecycle.status(item)) ? undefined : item;
}

/** Which declaration makes the object: it decides what "take it over" means in messages. */
export type Declaring = "this Share" | "this ShareRecipient" | "this ShareResource";

/**
 * A Share create.
 *
 * @example
 * const share = await createOwned(shareCreate(api, wait.log, journalOwner(inputs), accountId, body), journal);
 */
export function shareCreate(
  api: CloudflareSharingClient,
  log: (line: string) => void,
  owner: JournalOwner | undefined,
  accountId: string,
  body: ShareCreateBody,
  signal?: AbortSignal,
): OwnedCreate<ShareObject> {
  const options = { signal };
  return {
    owner,
    kind: "share",
    key: shareJournalKey(accountId, body),
    what: `share "${body.name}" in account ${accountId}`,
    post: () => api.shares.create(accountId, body, options),
    find: (createdNotBefore) => api.shares.findByNaturalKey(accountId, body, createdNotBefore, options),
    lookup: async (id) => live(await orUndefined(api.shares.get(accountId, id, { include_resources: true }, options)), SHARE_LIFECYCLE),
    statusOf: (share) => share.status,
    adoptAdvice: (share) => `add \`adopt: "${share.id}"\` to this Share's arguments`,
    listLagMs: api.http.settings.listLagMs,
    log,
  };
}

/**
 * What to do when the object in the way is the resource's own, replaced by `pulumi up --replace`: the
 * engine asks no provider how to replace then, and creates the new record first unless the resource
 * option says otherwise (the TypeScript classes set it; a YAML, Python or Go program must).
 *
 * @example
 * `add \`adopt: "${id}"\` to this ShareRecipient's arguments ${replacedByEngine("one recipient per target")}`
 */
function replacedByEngine(onePer: string): string {
  return `(or, if it is this resource's own object being replaced with \`pulumi up --replace\`, give the resource the option \`deleteBeforeReplace: true\`: the API keeps ${onePer} on a share)`;
}

/**
 * A recipient create, for a ShareRecipient or a Share's inline recipient.
 *
 * @example
 * const recipient = await createOwned(recipientCreate(api, wait.log, owner, accountId, shareId, inputs, "this ShareRecipient", signal, wait), journal);
 */
export function recipientCreate(
  api: CloudflareSharingClient,
  log: (line: string) => void,
  owner: JournalOwner | undefined,
  accountId: string,
  shareId: string,
  target: { recipientAccountId?: string; organizationId?: string },
  declaring: Declaring,
  signal?: AbortSignal,
  lookups?: WaitContext,
): OwnedCreate<RecipientObject> {
  const body = recipientInput(target);
  const options = { signal };
  return {
    // Coalesced: the creates and waits on one share share the recipient watch's looks.
    holders: lookups?.coalesce
      ? async () => oldestFirst(((await atGridPoint(lookups, signal, () => watchedMembers(lookups, shareId, signal))) ?? []).filter((recipient) => recipientHoldsKey(recipient, body)))
      : undefined,
    owner,
    kind: "recipient",
    key: recipientJournalKey(accountId, shareId, target),
    what: `the recipient ${describeTarget(target)} of share ${shareId}`,
    post: () => api.recipients.create(accountId, shareId, body, options),
    find: (createdNotBefore) => api.recipients.findByNaturalKey(accountId, shareId, body, createdNotBefore, options),
    lookup: async (id) => live(await orUndefined(api.recipients.get(accountId, shareId, id, { include_resources: true }, options)), RECIPIENT_LIFECYCLE),
    statusOf: (recipient) => recipient.association_status,
    unique: true,
    adoptAdvice: (recipient) =>
      declaring === "this ShareRecipient"
        ? `add \`adopt: "${recipient.id}"\` to this ShareRecipient's arguments ${replacedByEngine("one recipient per target")}`
        : `declare it as a ShareRecipient with \`adopt: "${recipient.id}"\` instead of inline in ${declaring}`,
    listLagMs: api.http.settings.listLagMs,
    log,
  };
}

/**
 * A share-resource create, for a ShareResource or a Share's inline resource.
 *
 * @example
 * const resource = await createOwned(resourceCreate(api, wait.log, owner, accountId, shareId, body, "this ShareResource", signal, wait), journal);
 */
export function resourceCreate(
  api: CloudflareSharingClient,
  log: (line: string) => void,
  owner: JournalOwner | undefined,
  accountId: string,
  shareId: string,
  body: ResourceInput,
  declaring: Declaring,
  signal?: AbortSignal,
  lookups?: WaitContext,
): OwnedCreate<ShareResourceObject> {
  const options = { signal };
  return {
    // Coalesced: one share list (with every share's resources) answers the creates of the account.
    holders: lookups?.coalesce
      ? async () => oldestFirst(((await atGridPoint(lookups, signal, () => lookupShare(lookups, shareId, undefined, signal)))?.resources ?? []).filter((resource) => resourceHoldsKey(resource, body)))
      : undefined,
    owner,
    kind: "resource",
    key: resourceJournalKey(accountId, shareId, body),
    what: `${body.resource_type} ${body.resource_id} on share ${shareId}`,
    post: () => api.resources.create(accountId, shareId, body, options),
    find: (createdNotBefore) => api.resources.findByNaturalKey(accountId, shareId, body, createdNotBefore, options),
    lookup: async (id) => live(await orUndefined(api.resources.get(accountId, shareId, id, options)), RESOURCE_LIFECYCLE),
    statusOf: (resource) => resource.status,
    unique: true,
    sameObject: (resource) => resource.resource_account_id === body.resource_account_id,
    adoptAdvice: (resource) =>
      declaring === "this ShareResource"
        ? `add \`adopt: "${resource.id}"\` to this ShareResource's arguments ${replacedByEngine("one share resource per object")}`
        : `declare it as a ShareResource with \`adopt: "${resource.id}"\` instead of inline in ${declaring}`,
    listLagMs: api.http.settings.listLagMs,
    log,
  };
}

/**
 * `look`, sent at the next point of the waits' poll grid that waits of every age share, so the look
 * joins their batch instead of costing a request of its own. While looks are saved that is twice the
 * grid step (waits that have waited a while look at most that often, on those points): at most two
 * grid steps later. Far from the rate limit (ctx.spendOnLatency) waits keep looking at every grid
 * step, so the next one will do: the create's POST waits for this look.
 */
async function atGridPoint<T>(ctx: WaitContext, signal: AbortSignal | undefined, look: () => Promise<T>): Promise<T> {
  const now = ctx.clock.now();
  const step = ctx.spendOnLatency?.() ? ctx.schedule.gridMs : 2 * ctx.schedule.gridMs;
  // The operation's deadline signal ends the sleep and, through the finders, the shared look too.
  await ctx.clock.sleep(nextGridPoint(now, step) - now, signal);
  return look();
}

function oldestFirst<T extends { created: string }>(items: T[]): T[] {
  return items.sort((a, b) => Date.parse(a.created) - Date.parse(b.created));
}

/** A share's items as the Share declares (or state records) them. */
interface ShareDeclaration {
  name: string;
  recipients?: { recipientAccountId?: string; organizationId?: string }[];
  resources?: { resourceType: string; resourceId: string; resourceAccountId: string; meta?: string | Record<string, unknown> }[];
}

/**
 * The create body of a declared share.
 *
 * @example
 * const body = shareCreateBody(inputs);
 */
export function shareCreateBody(share: ShareDeclaration): ShareCreateBody {
  return {
    name: share.name,
    recipients: (share.recipients ?? []).map(recipientInput),
    resources: (share.resources ?? []).map((resource) => ({
      resource_type: resource.resourceType,
      resource_id: resource.resourceId,
      resource_account_id: resource.resourceAccountId,
      meta: metaObject(resource.meta),
    })),
  };
}

function shareJournalKey(accountId: string, body: ShareCreateBody): string {
  return shareNaturalKey(accountId, body);
}

function recipientJournalKey(accountId: string, shareId: string, target: { recipientAccountId?: string; organizationId?: string }): string {
  return JSON.stringify([accountId, shareId, recipientNaturalKey(recipientInput(target))]);
}

function resourceJournalKey(accountId: string, shareId: string, body: Pick<ResourceInput, "resource_type" | "resource_id">): string {
  return JSON.stringify([accountId, shareId, resourceNaturalKey(body)]);
}

/**
 * A Share in state, shown back by the engine: the journal entries of it and of its inline items are
 * done with, and so are other resources' entries that name one of its objects.
 *
 * @example
 * confirmShareInState(journalOwner(news) ?? journalOwner(olds), id, olds);
 */
export function confirmShareInState(
  owner: JournalOwner | undefined,
  shareId: string,
  state: ShareDeclaration & { accountId: string; recipients: { id: string; recipientAccountId?: string; organizationId?: string }[]; resources: { id: string; resourceType: string; resourceId: string; resourceAccountId: string }[] },
): void {
  // A state too odd to key (a diff of a half-written resource) has no entry to tidy.
  const confirm = (kind: string, key: () => string, id: string) => {
    try {
      confirmInState(owner, kind, key(), id);
    } catch {
      // Nothing to tidy.
    }
  };
  confirm("share", () => shareJournalKey(state.accountId, shareCreateBody(state)), shareId);
  for (const recipient of state.recipients ?? []) confirm("recipient", () => recipientJournalKey(state.accountId, shareId, recipient), recipient.id);
  for (const resource of state.resources ?? []) {
    confirm("resource", () => resourceJournalKey(state.accountId, shareId, { resource_type: resource.resourceType, resource_id: resource.resourceId }), resource.id);
  }
}

/**
 * A ShareRecipient in state, shown back by the engine: its journal entry is done with.
 *
 * @example
 * confirmRecipientInState(journalOwner(props), id, props);
 */
export function confirmRecipientInState(owner: JournalOwner | undefined, id: string, state: { accountId: string; shareId: string; recipientAccountId?: string; organizationId?: string }): void {
  confirmInState(owner, "recipient", recipientJournalKey(state.accountId, state.shareId, state), id);
}

/**
 * A ShareResource in state, shown back by the engine: its journal entry is done with.
 *
 * @example
 * confirmResourceInState(journalOwner(props), id, props);
 */
export function confirmResourceInState(owner: JournalOwner | undefined, id: string, state: { accountId: string; shareId: string; resourceType: string; resourceId: string }): void {
  confirmInState(owner, "resource", resourceJournalKey(state.accountId, state.shareId, { resource_type: state.resourceType, resource_id: state.resourceId }), id);
}
