// Waits for each transition of each object. Which statuses are pending and which are the target
// comes from the lifecycle table (./lifecycle); waitForStatus (./waiter) does the timing.

import { ConnectionError, RateLimitError, RequestTimeoutError, ServerError } from "../client/core/errors";
import type { RecipientObject, ShareObject, ShareResourceObject } from "../client/types";
import { canonicalJson } from "../resources/inputs";
import { LookupContext, lookupLiveRecipient, lookupLiveResource, lookupLiveShare, lookupRecipientsSince } from "./finders";
import { isGone, isRemoved, isSettled, Lifecycle, PROPAGATION, RECIPIENT_LIFECYCLE, RESOURCE_LIFECYCLE, SHARE_LIFECYCLE, UPDATING } from "./lifecycle";
import { cancellationSignal } from "./cancellation";
import { describeProgress, Observation, PollSchedule, waitForStatus, WaitClock } from "./waiter";

/**
 * What a wait may spend: a timeout in ms, or what is left of an operation's timeout (a create or an
 * update runs several waits under the one timeout its user set; errors name that one).
 */
export type WaitTimeout = number | TimeBudget;

/** An operation's timeout and its deadline (epoch ms). */
export interface TimeBudget {
  readonly totalMs: number;
  readonly deadline: number;
}

/**
 * The budget of an operation with `timeoutMs` that starts now.
 *
 * @example
 * const budget = budgetOf(timeoutMs(inputs.timeouts, "create"));
 * await waitRecipientAssociated(ctx, shareId, id, budget); // gets what is left of it
 */
export function budgetOf(timeoutMs: number): TimeBudget {
  return { totalMs: timeoutMs, deadline: Date.now() + timeoutMs };
}

/**
 * The ms a wait may spend (1 at least: a wait past its operation's deadline still looks once).
 *
 * @example
 * timeLeft(90_000); // 90000
 * timeLeft({ totalMs: 300_000, deadline: Date.now() + 1_000 }); // about 1000
 */
export function timeLeft(timeout: WaitTimeout): number {
  return typeof timeout === "number" ? timeout : Math.max(1, timeout.deadline - Date.now());
}

/** Everything a wait needs besides the object. */
export interface WaitContext extends LookupContext {
  clock: WaitClock;
  schedule: PollSchedule;
  /** Consecutive "not found" answers tolerated right after a create (read-after-create lag). */
  createNotFoundChecks: number;
  progressEveryMs: number;
  /** Where progress lines go (the provider prints them; `pulumi up` shows provider output). */
  log: (line: string) => void;
}

function observe<T>(value: T | undefined, status: (value: T) => string): Observation<T> | undefined {
  return value === undefined ? undefined : { value, status: status(value) };
}

/** A failed look that a later look may not repeat: the server or the network, not the request. */
export function isTransientApiError(error: unknown): boolean {
  return error instanceof ServerError || error instanceof ConnectionError || error instanceof RequestTimeoutError || error instanceof RateLimitError;
}

const SETTLE_TIMES = Symbol.for("pulumi-cloudflare-sharing.settleTimes");
/** Samples needed before a learned first delay is used, and the share of the quickest one used. */
const LEARN_AFTER_SAMPLES = 3;
const LEARNED_FRACTION = 0.8;

function settleTimes(): Map<string, number[]> {
  const holder = globalThis as unknown as Record<symbol, Map<string, number[]> | undefined>;
  return (holder[SETTLE_TIMES] ??= new Map());
}

/**
 * The schedule for a wait of `kind`. Cloudflare does not say how long a transition takes, so the
 * process learns it: once a few waits of a kind have seen their object still on its way (the last
 * such look is a lower bound of its settle time), later ones take their first look at 80 % of the
 * shortest of those, instead of spending requests on looks that cannot succeed yet.
 * Until then the first look comes soon after the write.
 */
export function scheduleFor(ctx: WaitContext, kind: string, options: { removal?: boolean } = {}): PollSchedule {
  // A removal is awaited only so that what depends on it (the share's own delete, a re-add) comes
  // after it: its looks use every second grid point, which halves the account-wide looks of a
  // `destroy` whose deletes the engine spreads over seconds, for at most one grid step of delay.
  const base = options.removal ? { ...ctx.schedule, gridMs: 2 * ctx.schedule.gridMs } : ctx.schedule;
  const samples = settleTimes().get(`${ctx.scope}|${kind}`) ?? [];
  if (samples.length < LEARN_AFTER_SAMPLES) return spacedOnlyWhenSaving(ctx, base);
  const learned = Math.min(base.maxDelayMs, LEARNED_FRACTION * Math.min(...samples));
  if (learned <= base.firstDelayMs) return spacedOnlyWhenSaving(ctx, base);
  // After the late first look, settles are due any moment: look again at half that delay, growing.
  return spacedOnlyWhenSaving(ctx, { ...base, firstDelayMs: learned, thenDelayMs: Math.max(base.firstDelayMs, learned * 0.4) });
}

/**
 * The schedule whose delays grow only while looks are saved (ctx.spendOnLatency): far from the rate
 * limit a wait keeps looking at the interval it has reached, and its settle is seen that much sooner.
 * Read at each look, so a wait that started far from the limit spaces out once the budget binds.
 */
function spacedOnlyWhenSaving(ctx: WaitContext, schedule: PollSchedule): PollSchedule {
  const latency = ctx.spendOnLatency;
  if (latency === undefined) return schedule;
  return {
    ...schedule,
    get factor() {
      return latency() ? 1 : schedule.factor;
    },
  };
}

/** Records how long an object of a wait of `kind` was at least still short of its target. */
function learn(ctx: WaitContext, kind: string, elapsedMs: number): void {
  const key = `${ctx.scope}|${kind}`;
  const samples = settleTimes().get(key) ?? [];
  samples.push(elapsedMs);
  if (samples.length > 50) samples.shift();
  settleTimes().set(key, samples);
}

/** Forgets what was learned (tests). */
export function clearLearnedSettleTimes(): void {
  settleTimes().clear();
}

/**
 * One wait of `kind` (its schedule is learned per kind, see {@link scheduleFor}): the single place
 * where the waiter is configured for every object.
 */
async function waitFor<T>(
  ctx: WaitContext,
  spec: {
    kind: string;
    what: string;
    pending: readonly string[];
    target: readonly string[];
    timeoutMs: WaitTimeout;
    find: (signal: AbortSignal) => Promise<T | undefined>;
    status: (value: T) => string;
    initial?: T;
    afterCreate?: boolean;
    failure?: (value: T) => string | undefined;
  },
): Promise<T | undefined> {
  const started = ctx.clock.now();
  // When the last look that still showed the object short of its target was asked: the object
  // settled after that. (Not when the target was seen: a look the rate budget held for half a
  // window would teach every later wait to look that late.)
  let stillPendingAt: number | undefined;
  const result = await waitForStatus<T>({
    what: spec.what,
    pending: spec.pending,
    target: spec.target,
    timeoutMs: timeLeft(spec.timeoutMs),
    reportedTimeoutMs: typeof spec.timeoutMs === "number" ? undefined : spec.timeoutMs.totalMs,
    refresh: async (signal) => {
      const askedAt = ctx.clock.now();
      const observation = observe(await spec.find(signal), spec.status);
      const reached = observation === undefined ? spec.target.length === 0 : spec.target.includes(observation.status);
      if (!reached) stillPendingAt = askedAt;
      return observation;
    },
    lastLookMs: ctx.api.http.settings.perAttemptTimeoutMs,
    initial: observe(spec.initial, spec.status),
    notFoundChecks: spec.afterCreate ? ctx.createNotFoundChecks : 0,
    // A list may trail the write this long: absence from it before then proves nothing.
    notFoundForMs: spec.afterCreate ? ctx.api.http.settings.listLagMs : 0,
    failure: spec.failure,
    schedule: scheduleFor(ctx, spec.kind, { removal: spec.target.length === 0 }),
    clock: ctx.clock,
    onProgress: (progress) => ctx.log(describeProgress(progress)),
    progressEveryMs: ctx.progressEveryMs,
    isTransient: isTransientApiError,
    signal: cancellationSignal(),
  });
  // Only a look that saw the object still on its way tells how long settling takes at least; a wait
  // answered by its first look (or an observation already in hand) says nothing of it.
  if (stillPendingAt !== undefined && stillPendingAt > started) learn(ctx, spec.kind, stillPendingAt - started);
  return result;
}

/** A delete's own response as the first look of its wait, unless it already shows the object removed. */
function stillThere<T>(lifecycle: Lifecycle<T>, initial: T | undefined): T | undefined {
  return initial === undefined || isRemoved(lifecycle, lifecycle.status(initial)) ? undefined : initial;
}

export function describeShare(shareId: string): string {
  return `share ${shareId}`;
}

export function describeRecipient(shareId: string, recipientId: string): string {
  return `recipient ${recipientId} of share ${shareId}`;
}

export function describeResource(shareId: string, shareResourceId: string): string {
  return `share resource ${shareResourceId} of share ${shareId}`;
}

/**
 * Until the share is `active` (and, after a rename, shows `name`). A share that is deleting or
 * deleted while we wait for it fails fast: it will never become active again.
 */
export async function waitShareActive(
  ctx: WaitContext,
  shareId: string,
  timeoutMs: WaitTimeout,
  options: { name?: string; initial?: ShareObject; afterCreate?: boolean } = {},
): Promise<ShareObject> {
  const share = await waitFor<ShareObject>(ctx, {
    kind: "share-active",
    what: describeShare(shareId),
    ...SHARE_LIFECYCLE.settle,
    timeoutMs,
    find: (signal) => lookupLiveShare(ctx, shareId, signal),
    status: (share) => (options.name !== undefined && share.name !== options.name ? UPDATING : share.status),
    initial: options.initial,
    afterCreate: options.afterCreate,
  });
  return share!;
}

/** Until the share is `deleted` or 404. */
export async function waitShareGone(ctx: WaitContext, shareId: string, timeoutMs: WaitTimeout, initial?: ShareObject): Promise<void> {
  await waitFor<ShareObject>(ctx, {
    kind: "share-gone",
    what: describeShare(shareId),
    pending: SHARE_LIFECYCLE.remove.pending,
    target: [],
    timeoutMs,
    find: (signal) => lookupLiveShare(ctx, shareId, signal),
    status: SHARE_LIFECYCLE.status,
    initial: stillThere(SHARE_LIFECYCLE, initial),
  });
}

/**
 * The server's reason when a recipient cannot be associated: a per-resource error marked
 * `terminal` is never retried by Cloudflare, so waiting longer cannot help.
 */
export function terminalRecipientError(recipient: Pick<RecipientObject, "resources">): string | undefined {
  const failures = (recipient.resources ?? []).filter((entry) => entry.terminal && entry.error);
  if (failures.length === 0) return undefined;
  return failures.map((entry) => `${entry.error} (share resource ${entry.resource_id})`).join("; ");
}

/**
 * Until the recipient is `associated`; fails fast on a terminal per-resource error. `statusOnly`:
 * the caller keeps nothing of the result but its status (see RecipientWatch.look).
 */
export async function waitRecipientAssociated(
  ctx: WaitContext,
  shareId: string,
  recipientId: string,
  timeoutMs: WaitTimeout,
  options: { initial?: RecipientObject; afterCreate?: boolean; label?: string; statusOnly?: boolean } = {},
): Promise<RecipientObject> {
  const recipient = await waitFor<RecipientObject>(ctx, {
    kind: "recipient-associated",
    what: options.label ?? describeRecipient(shareId, recipientId),
    ...RECIPIENT_LIFECYCLE.settle,
    timeoutMs,
    find: (signal) => lookupLiveRecipient(ctx, shareId, recipientId, signal, { statusOnly: options.statusOnly }),
    status: RECIPIENT_LIFECYCLE.status,
    initial: options.initial,
    afterCreate: options.afterCreate,
    failure: terminalRecipientError,
  });
  return recipient!;
}

/**
 * Until the recipient is `disassociated` or 404. `associating` and `associated` are pending too: the
 * first look after a DELETE may still show the status from before it.
 */
export async function waitRecipientGone(
  ctx: WaitContext,
  shareId: string,
  recipientId: string,
  timeoutMs: WaitTimeout,
  initial?: RecipientObject,
): Promise<void> {
  await waitFor<RecipientObject>(ctx, {
    kind: "recipient-gone",
    what: describeRecipient(shareId, recipientId),
    pending: RECIPIENT_LIFECYCLE.remove.pending,
    target: [],
    timeoutMs,
    find: (signal) => lookupLiveRecipient(ctx, shareId, recipientId, signal),
    status: RECIPIENT_LIFECYCLE.status,
    initial: stillThere(RECIPIENT_LIFECYCLE, initial),
  });
}

/** Until the share resource is `active` (and, after a meta update, shows `meta`). */
export async function waitResourceActive(
  ctx: WaitContext,
  shareId: string,
  shareResourceId: string,
  timeoutMs: WaitTimeout,
  options: { meta?: string; initial?: ShareResourceObject; afterCreate?: boolean } = {},
): Promise<ShareResourceObject> {
  const resource = await waitFor<ShareResourceObject>(ctx, {
    kind: "resource-active",
    what: describeResource(shareId, shareResourceId),
    ...RESOURCE_LIFECYCLE.settle,
    timeoutMs,
    find: (signal) => lookupLiveResource(ctx, shareId, shareResourceId, signal),
    status: (resource) => (options.meta !== undefined && canonicalJson(resource.meta ?? {}) !== options.meta ? UPDATING : resource.status),
    initial: options.initial,
    afterCreate: options.afterCreate,
  });
  return resource!;
}

/** Until the share resource is `deleted` or 404 (also when its whole share is gone). */
export async function waitResourceGone(
  ctx: WaitContext,
  shareId: string,
  shareResourceId: string,
  timeoutMs: WaitTimeout,
  initial?: ShareResourceObject,
): Promise<void> {
  await waitFor<ShareResourceObject>(ctx, {
    kind: "resource-gone",
    what: describeResource(shareId, shareResourceId),
    pending: RESOURCE_LIFECYCLE.remove.pending,
    target: [],
    timeoutMs,
    find: (signal) => lookupLiveResource(ctx, shareId, shareResourceId, signal),
    status: RESOURCE_LIFECYCLE.status,
    initial: stillThere(RESOURCE_LIFECYCLE, initial),
  });
}

/**
 * Whether every live recipient (`associating` or `associated`) reports `version` (or later) of the
 * share resource, and Cloudflare's reason if one reports a terminal error for it. `associating` ones
 * count too: a recipient may go back to `associating` while a new object reaches it, and stay so for
 * good once it reports a terminal error for that object; left out, it would let the wait end at
 * once, before the error shows. A recipient whose answer has no per-object `resources` at all (an API
 * that does not report them) is taken at its word.
 *
 * @example
 * propagationOf(await api.recipients.listAll(account, shareId, { include_resources: true }), shareResourceId, 2);
 * // { done: false } while a recipient still reports version 1
 */
export function propagationOf(recipients: readonly RecipientObject[], shareResourceId: string, version: number): { done: boolean; terminal?: string } {
  const receiving = recipients.filter((recipient) => !isGone(RECIPIENT_LIFECYCLE, recipient.association_status));
  const failures: string[] = [];
  let done = true;
  for (const recipient of receiving) {
    if (recipient.resources === undefined) continue;
    const entry = recipient.resources.find((candidate) => candidate.resource_id === shareResourceId);
    if (entry?.terminal && entry.error) failures.push(`${entry.error} (recipient ${recipient.id}, account ${recipient.account_id})`);
    if (entry === undefined || !(entry.resource_version >= version)) done = false;
  }
  return { done, terminal: failures.length > 0 ? failures.join("; ") : undefined };
}

/**
 * After a share resource was added or its `meta` changed: until every associated recipient of the
 * share reports its new `version` (the object has reached every account it is shared with). Fails
 * fast with Cloudflare's reason on a terminal error for the object.
 *
 * @example
 * const settled = await waitResourceActive(ctx, shareId, created.id, timeout, { meta });
 * await waitResourcePropagated(ctx, shareId, settled.id, settled.resource_version, timeout);
 */
export async function waitResourcePropagated(ctx: WaitContext, shareId: string, shareResourceId: string, version: number, timeoutMs: WaitTimeout): Promise<void> {
  // Each look needs a list sent after the previous one (the first: after the object settled); one
  // the recipient watch sent for the share's waits meanwhile answers it without a request.
  let since = Date.now();
  await waitFor<RecipientObject[]>(ctx, {
    kind: "resource-propagated",
    what: `${describeResource(shareId, shareResourceId)} (version ${version}) reaching its recipients`,
    ...PROPAGATION,
    timeoutMs,
    // Every recipient at once, with its per-object state: one list answers for all of them.
    find: async (signal) => {
      const listed = await lookupRecipientsSince(ctx, shareId, since, signal);
      if (listed !== undefined) since = listed.at + 1;
      return listed?.recipients ?? [];
    },
    status: (recipients) => PROPAGATION[propagationOf(recipients, shareResourceId, version).done ? "target" : "pending"][0],
    failure: (recipients) => propagationOf(recipients, shareResourceId, version).terminal,
  });
}
