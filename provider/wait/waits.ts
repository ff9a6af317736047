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
  return { ...ctx.schedule, firstDelayMs: learned, thenDelayMs: Math.max(ctx.schedule.firstDelayMs, learned / 2) };
}

/** Records how long a wait of `kind` that had to poll took to see its target. */
function learn(ctx: WaitContext, kind: string, elapsedMs: number): void {
  const key = `${ctx.scope}|${kind}`;
  const samples = settleTimes().get(key) ?? [];
  samples.push(elapsedMs);
  if (samples.length > 50) samples.shift();
  settleTimes().set(key, samples);
}

/** Runs a wait of `kind` with its learned schedule and records how long it took. */
async function timed<T>(ctx: WaitContext, kind: string, hadInitial: boolean, run: (schedule: PollSchedule) => Promise<T>): Promise<T> {
  const started = ctx.clock.now();
  const result = await run(scheduleFor(ctx, kind));
  const elapsed = ctx.clock.now() - started;
  // A wait answered by the write's own response (no poll) says nothing about the settle time.
  if (!hadInitial || elapsed > 0) learn(ctx, kind, elapsed);
  return result;
}

/** Forgets what was learned (tests). */
export function clearLearnedSettleTimes(): void {
  settleTimes().clear();
}

function progress(ctx: WaitContext) {
  return (p: Parameters<typeof describeProgress>[0]) => ctx.log(describeProgress(p));
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
  const status = (share: ShareObject) => (options.name !== undefined && share.name !== options.name ? UPDATING : share.status);
  const share = await timed(ctx, "share-active", options.initial !== undefined, (schedule) =>
    waitForStatus<ShareObject>({
      what: describeShare(shareId),
      pending: [UPDATING],
      target: ["active"],
      timeoutMs,
      refresh: async () => observe(await findShare(ctx, shareId), status),
      initial: observe(options.initial, status),
      notFoundChecks: options.afterCreate ? ctx.createNotFoundChecks : 0,
      schedule,
      clock: ctx.clock,
      onProgress: progress(ctx),
      progressEveryMs: ctx.progressEveryMs,
      isTransient: isTransientApiError,
    }),
  );
  return share!;
}

/** Until the share is `deleted` or 404. */
export async function waitShareGone(ctx: WaitContext, shareId: string, timeoutMs: number, initial?: ShareObject): Promise<void> {
  await timed(ctx, "share-gone", initial !== undefined, (schedule) =>
    waitForStatus<ShareObject>({
      what: describeShare(shareId),
      pending: ["active", "deleting"],
      target: [],
      timeoutMs,
      refresh: async () => observe(await findShare(ctx, shareId), (share) => share.status),
      initial: initial && initial.status !== "deleted" ? observe(initial, (share) => share.status) : undefined,
      schedule,
      clock: ctx.clock,
      onProgress: progress(ctx),
      progressEveryMs: ctx.progressEveryMs,
      isTransient: isTransientApiError,
    }),
  );
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

/** Until the recipient is `associated`; fails fast on a terminal per-resource error. */
export async function waitRecipientAssociated(
  ctx: WaitContext,
  shareId: string,
  recipientId: string,
  timeoutMs: number,
  options: { initial?: RecipientObject; afterCreate?: boolean; label?: string } = {},
): Promise<RecipientObject> {
  const status = (recipient: RecipientObject) => recipient.association_status;
  const recipient = await timed(ctx, "recipient-associated", options.initial !== undefined, (schedule) =>
    waitForStatus<RecipientObject>({
      what: options.label ?? describeRecipient(shareId, recipientId),
      pending: ["associating"],
      target: ["associated"],
      timeoutMs,
      refresh: async () => observe(await findRecipient(ctx, shareId, recipientId), status),
      initial: observe(options.initial, status),
      notFoundChecks: options.afterCreate ? ctx.createNotFoundChecks : 0,
      failure: terminalRecipientError,
      schedule,
      clock: ctx.clock,
      onProgress: progress(ctx),
      progressEveryMs: ctx.progressEveryMs,
      isTransient: isTransientApiError,
    }),
  );
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
  const status = (recipient: RecipientObject) => recipient.association_status;
  await timed(ctx, "recipient-gone", initial !== undefined, (schedule) =>
    waitForStatus<RecipientObject>({
      what: describeRecipient(shareId, recipientId),
      pending: ["associating", "associated", "disassociating"],
      target: [],
      timeoutMs,
      refresh: async () => observe(await findRecipient(ctx, shareId, recipientId), status),
      initial: initial && initial.association_status !== "disassociated" ? observe(initial, status) : undefined,
      schedule,
      clock: ctx.clock,
      onProgress: progress(ctx),
      progressEveryMs: ctx.progressEveryMs,
      isTransient: isTransientApiError,
    }),
  );
}

/** Until the share resource is `active` (and, after a meta update, shows `meta`). */
export async function waitResourceActive(
  ctx: WaitContext,
  shareId: string,
  shareResourceId: string,
  timeoutMs: number,
  options: { meta?: string; initial?: ShareResourceObject; afterCreate?: boolean } = {},
): Promise<ShareResourceObject> {
  const status = (resource: ShareResourceObject) =>
    options.meta !== undefined && canonicalJson(resource.meta ?? {}) !== options.meta ? UPDATING : resource.status;
  const resource = await timed(ctx, "resource-active", options.initial !== undefined, (schedule) =>
    waitForStatus<ShareResourceObject>({
      what: describeResource(shareId, shareResourceId),
      pending: [UPDATING],
      target: ["active"],
      timeoutMs,
      refresh: async () => observe(await findResource(ctx, shareId, shareResourceId), status),
      initial: observe(options.initial, status),
      notFoundChecks: options.afterCreate ? ctx.createNotFoundChecks : 0,
      schedule,
      clock: ctx.clock,
      onProgress: progress(ctx),
      progressEveryMs: ctx.progressEveryMs,
      isTransient: isTransientApiError,
    }),
  );
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
  const status = (resource: ShareResourceObject) => resource.status;
  await timed(ctx, "resource-gone", initial !== undefined, (schedule) =>
    waitForStatus<ShareResourceObject>({
      what: describeResource(shareId, shareResourceId),
      pending: ["active", "deleting"],
      target: [],
      timeoutMs,
      refresh: async () => observe(await findResource(ctx, shareId, shareResourceId), status),
      initial: initial && initial.status !== "deleted" ? observe(initial, status) : undefined,
      schedule,
      clock: ctx.clock,
      onProgress: progress(ctx),
      progressEveryMs: ctx.progressEveryMs,
      isTransient: isTransientApiError,
    }),
  );
}
