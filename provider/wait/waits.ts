// Waits for each transition of each object: which statuses are pending and which are the target.
// The finders (./finders) decide what "gone" means; waitForStatus (./waiter) does the timing.

import { ConnectionError, RateLimitError, RequestTimeoutError, ServerError } from "../client/core/errors";
import type { RecipientObject, ShareObject, ShareResourceObject } from "../client/types";
import { canonicalJson } from "../resources/inputs";
import { findRecipient, findResource, findShare, LookupContext } from "./finders";
import { describeProgress, Observation, PollSchedule, waitForStatus, WaitClock } from "./waiter";

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

// A status the API never reports: the object exists but the change just written is not visible yet.
const UPDATING = "updating";

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
 * process learns it: once a few waits of a kind have settled, later ones take their first look at
 * 80 % of the quickest settle seen, instead of spending requests on looks that cannot succeed yet.
 * Until then the first look comes soon after the write.
 */
export function scheduleFor(ctx: WaitContext, kind: string): PollSchedule {
  const samples = settleTimes().get(`${ctx.scope}|${kind}`) ?? [];
  if (samples.length < LEARN_AFTER_SAMPLES) return ctx.schedule;
  const learned = Math.min(ctx.schedule.maxDelayMs, LEARNED_FRACTION * Math.min(...samples));
  if (learned <= ctx.schedule.firstDelayMs) return ctx.schedule;
  // After the late first look, settles are due any moment: look again at half that delay, growing.
  return { ...ctx.schedule, firstDelayMs: learned, thenDelayMs: Math.max(ctx.schedule.firstDelayMs, learned * 0.4) };
}

/** Records how long a wait of `kind` that had to poll took to see its target. */
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
    timeoutMs: number;
    find: () => Promise<T | undefined>;
    status: (value: T) => string;
    initial?: T;
    afterCreate?: boolean;
    failure?: (value: T) => string | undefined;
  },
): Promise<T | undefined> {
  const started = ctx.clock.now();
  const result = await waitForStatus<T>({
    what: spec.what,
    pending: spec.pending,
    target: spec.target,
    timeoutMs: spec.timeoutMs,
    refresh: async () => observe(await spec.find(), spec.status),
    initial: observe(spec.initial, spec.status),
    notFoundChecks: spec.afterCreate ? ctx.createNotFoundChecks : 0,
    failure: spec.failure,
    schedule: scheduleFor(ctx, spec.kind),
    clock: ctx.clock,
    onProgress: (progress) => ctx.log(describeProgress(progress)),
    progressEveryMs: ctx.progressEveryMs,
    isTransient: isTransientApiError,
  });
  // A wait answered by an observation already in hand says nothing about how long settling takes.
  const elapsed = ctx.clock.now() - started;
  if (elapsed > 0) learn(ctx, spec.kind, elapsed);
  return result;
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
  timeoutMs: number,
  options: { name?: string; initial?: ShareObject; afterCreate?: boolean } = {},
): Promise<ShareObject> {
  const share = await waitFor<ShareObject>(ctx, {
    kind: "share-active",
    what: describeShare(shareId),
    pending: [UPDATING],
    target: ["active"],
    timeoutMs,
    find: () => findShare(ctx, shareId),
    status: (share) => (options.name !== undefined && share.name !== options.name ? UPDATING : share.status),
    initial: options.initial,
    afterCreate: options.afterCreate,
  });
  return share!;
}

/** Until the share is `deleted` or 404. */
export async function waitShareGone(ctx: WaitContext, shareId: string, timeoutMs: number, initial?: ShareObject): Promise<void> {
  await waitFor<ShareObject>(ctx, {
    kind: "share-gone",
    what: describeShare(shareId),
    pending: ["active", "deleting"],
    target: [],
    timeoutMs,
    find: () => findShare(ctx, shareId),
    status: (share) => share.status,
    initial: initial?.status === "deleted" ? undefined : initial,
  });
}

/**
 * The server's reason when a recipient cannot be associated: a per-resource error marked
 * `terminal` is never retried by Cloudflare, so waiting longer cannot help.
 */
export function terminalRecipientError(recipient: RecipientObject): string | undefined {
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
  timeoutMs: number,
  options: { initial?: RecipientObject; afterCreate?: boolean; label?: string; statusOnly?: boolean } = {},
): Promise<RecipientObject> {
  const recipient = await waitFor<RecipientObject>(ctx, {
    kind: "recipient-associated",
    what: options.label ?? describeRecipient(shareId, recipientId),
    pending: ["associating"],
    target: ["associated"],
    timeoutMs,
    find: () => findRecipient(ctx, shareId, recipientId, { statusOnly: options.statusOnly }),
    status: (recipient) => recipient.association_status,
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
  timeoutMs: number,
  initial?: RecipientObject,
): Promise<void> {
  await waitFor<RecipientObject>(ctx, {
    kind: "recipient-gone",
    what: describeRecipient(shareId, recipientId),
    pending: ["associating", "associated", "disassociating"],
    target: [],
    timeoutMs,
    find: () => findRecipient(ctx, shareId, recipientId),
    status: (recipient) => recipient.association_status,
    initial: initial?.association_status === "disassociated" ? undefined : initial,
  });
}

/** Until the share resource is `active` (and, after a meta update, shows `meta`). */
export async function waitResourceActive(
  ctx: WaitContext,
  shareId: string,
  shareResourceId: string,
  timeoutMs: number,
  options: { meta?: string; initial?: ShareResourceObject; afterCreate?: boolean } = {},
): Promise<ShareResourceObject> {
  const resource = await waitFor<ShareResourceObject>(ctx, {
    kind: "resource-active",
    what: describeResource(shareId, shareResourceId),
    pending: [UPDATING],
    target: ["active"],
    timeoutMs,
    find: () => findResource(ctx, shareId, shareResourceId),
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
  timeoutMs: number,
  initial?: ShareResourceObject,
): Promise<void> {
  await waitFor<ShareResourceObject>(ctx, {
    kind: "resource-gone",
    what: describeResource(shareId, shareResourceId),
    pending: ["active", "deleting"],
    target: [],
    timeoutMs,
    find: () => findResource(ctx, shareId, shareResourceId),
    status: (resource) => resource.status,
    initial: initial?.status === "deleted" ? undefined : initial,
  });
}
