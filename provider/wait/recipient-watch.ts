// Recipient status looks for waits, answered account-wide.
//
// Recipients live under their share: only a list per share shows their statuses. During a large
// `up` or `destroy`, recipients of many shares are being waited for at the same instants (the poll
// grid lines them up), and most of those shares have not changed since they were last listed. One
// share list with `include_recipient_counts` (the same request that answers share and resource
// waits) tells which shares did change: only those are listed again. Statuses only move forward,
// in the order of the lifecycle table (./lifecycle: associating → associated → disassociating →
// disassociated), and recipients are never removed from the list (reference §7), so the number of
// recipients past a status never goes down: while it is what the last list showed, no recipient has
// moved past that status since, and a recipient the list showed in it is still there. That list
// then still answers the wait.
//
// Counts alone answer ("every recipient is removed", or for a status-only look "every recipient is
// settled") only for recipients they can be trusted to show: not one this process created less than
// `listLagMs` ago, since lists (and counts) may trail writes.
//
// What counts cannot show, a per-resource error appearing on a recipient that stays `associating`,
// is caught by listing every share with waiters on such recipients at least every `recheckMs` (a leaving
// recipient has no such error: its removal shows in the counts).

import type { RecipientObject, ShareObject } from "../client/types";
import { whenAllAborted } from "./coalesce";
import { isGone, isRemoved, isSettled, RECIPIENT_LIFECYCLE } from "./lifecycle";

/** A look's answer: the recipient as listed, undefined when absent (404 or not listed), or ALL_GONE. */
export type RecipientLook = RecipientObject | undefined | typeof ALL_GONE;

/** The share's counts say every recipient on it is removed (or it has none): whatever was waited for is gone. */
export const ALL_GONE = Symbol("all recipients gone");

/** Where the watch gets its answers; the finders pass the API (through the share batcher), tests a fake. */
export interface RecipientWatchSources {
  /**
   * The share with its `*_recipient_count` fields, from a request sent after this call, or after
   * `since` (when the looks it answers were asked); undefined on 404. `signal`: no look wants the
   * answer any more (their deadlines passed).
   */
  share(shareId: string, signal?: AbortSignal, since?: number): Promise<ShareObject | undefined>;
  /**
   * Every recipient of the share (all pages), undefined on 404. `onSent` must be called when its
   * first request leaves (after any rate wait): until then, later looks join this list.
   */
  recipients(shareId: string, signal?: AbortSignal, onSent?: () => void): Promise<RecipientObject[] | undefined>;
}

/** Tuning of a {@link RecipientWatch}. */
export interface RecipientWatchOptions {
  /** How long looks are collected before they are answered together. */
  windowMs: number;
  /** Longest time a share with waiters goes unlisted while its counts stay the same. */
  recheckMs: number;
  /**
   * How long lists (and the counts of a share list) may trail writes: counts asked sooner than this
   * after a recipient was created may not show it yet. Default 0.
   */
  listLagMs?: number;
  /**
   * How long a look that needs a list newer than the last one (listedSince) may wait for the list
   * that the share's recipient waits will make anyway, while this process awaits a recipient of the
   * share (one it added or removed, or a wait saw still moving). 0, the default: it lists at once.
   */
  listPatienceMs?: number;
  /**
   * Whether looks spend requests on latency now (the rate budget far from binding): while it says
   * so, a look never waits its `listPatienceMs`. Default: never.
   */
  spendOnLatency?: () => boolean;
  now?: () => number;
}

/** How many recipients of a share are in each status of the lifecycle table. */
type Counts = Record<string, number>;

interface Listing {
  /** When the list request was sent (for a baseline: when its counts were asked). */
  at: number;
  counts: Counts;
  byId: Map<string, RecipientObject>;
  /**
   * Not a list but a baseline: the share's counts with only the recipients this process's writes
   * showed. It answers waits on those as a list would (by the counts), never "every recipient".
   */
  baseline?: boolean;
}

/** When the listing's whole list was sent; never, for a baseline. */
function wholeListAt(listing: Listing | undefined): number {
  return listing === undefined || listing.baseline ? -Infinity : listing.at;
}

/**
 * What a look asks: one recipient (a wait), every live member of the share (is a natural key held?),
 * or the whole list as sent at or after `since` (per-object versions, which counts do not show).
 */
type Question = { kind: "recipient"; recipientId: string; statusOnly: boolean } | { kind: "members" } | { kind: "listedSince"; since: number };

interface PendingLook {
  shareId: string;
  /** When it was asked: an answer from a request sent since then is current enough. */
  askedAt: number;
  question: Question;
  signal?: AbortSignal;
  resolve: (answer: unknown) => void;
  reject: (error: unknown) => void;
  /** It waited its `listPatienceMs` for a list of the share: it is not held again. */
  patient?: boolean;
  /** While it waits for the share's next list: stops that wait. */
  unpark?: () => void;
}

/** A share's recipients as one answer shows them: each by id, and all of them (undefined on 404). */
interface View {
  one(id: string): RecipientLook;
  all: RecipientObject[] | undefined;
  /** When the list behind the answer was sent. */
  at: number;
}

/** A list asked of the sources whose request has not left yet. */
interface UnsentList {
  recipients: Promise<RecipientObject[] | undefined>;
  /** The signal of the looks it serves. */
  signal?: AbortSignal;
}

/** A whole list of a share's recipients and when it was sent. */
export interface DatedList {
  at: number;
  recipients: RecipientObject[];
}

/** What the watch did, for tests and diagnostics. */
export interface RecipientWatchStats {
  /** Looks answered. */
  looks: number;
  /** Share lists of recipients sent. */
  lists: number;
  /** Share lookups (for counts) asked of the share source. */
  countChecks: number;
  /** Shares whose looks were answered from an earlier list because their counts had not changed. */
  unchanged: number;
}

/**
 * Answers "what is recipient R of share S now" for many waits at once.
 *
 * @example
 * const watch = new RecipientWatch({ share: (id) => lookupShare(ctx, id), recipients: (id) => listRecipients(id) }, { windowMs: 15, recheckMs: 2_000 });
 * const look = await watch.look(shareId, recipientId); // ALL_GONE, undefined, or the recipient
 */
export class RecipientWatch {
  readonly stats: RecipientWatchStats = { looks: 0, lists: 0, countChecks: 0, unchanged: 0 };
  private queue: PendingLook[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly listings = new Map<string, Listing>();
  /** When this process's writes showed each new recipient, per share: until then counts may miss it. */
  private readonly createdAt = new Map<string, Map<string, number>>();
  /**
   * Recipients this process awaits, per share, and when that was last seen: added or removed by its
   * writes, or still moving when a wait last looked. While a share has one, its waits will list it.
   */
  private readonly awaited = new Map<string, Map<string, number>>();
  /** What this process's writes showed of recipients of shares it never listed, for a baseline. */
  private readonly written = new Map<string, Map<string, RecipientObject>>();
  /** The list of each share that has been asked for but not sent yet. */
  private readonly unsent = new Map<string, UnsentList>();
  /** Looks waiting (up to `listPatienceMs`) for the next list of their share. */
  private parked: PendingLook[] = [];
  private readonly now: () => number;

  constructor(
    private readonly sources: RecipientWatchSources,
    private readonly options: RecipientWatchOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /**
   * The recipient as the server has it now: from a request sent after this call, or an earlier list
   * the counts prove current. `statusOnly`: the caller uses nothing but `association_status` (a
   * Share keeps only that of its inline recipients), so counts showing every recipient of the
   * share settled (`associated`) answer without a list: the last listed object, with that status.
   * `signal`: this look's time is up; requests made only for looks that gave up stop.
   */
  look(shareId: string, recipientId: string, options: { statusOnly?: boolean; signal?: AbortSignal } = {}): Promise<RecipientLook> {
    return this.ask<RecipientLook>(shareId, { kind: "recipient", recipientId, statusOnly: options.statusOnly ?? false }, options.signal);
  }

  /**
   * Every recipient of the share (any status), as current as a request sent after this call: the
   * share's counts prove the last list (with this process's writes) still holds every recipient when
   * their total is its length, since recipients are never removed from the list (reference §7); a
   * status it shows may have moved on since. Undefined on 404.
   *
   * @example
   * const holders = (await watch.members(shareId))?.filter((r) => recipientHoldsKey(r, body)) ?? [];
   */
  members(shareId: string, signal?: AbortSignal): Promise<RecipientObject[] | undefined> {
    return this.ask<RecipientObject[] | undefined>(shareId, { kind: "members" }, signal);
  }

  /**
   * The share's whole list as sent at or after `since` (epoch ms, this watch's clock): the last list
   * if it is that recent, else one sent in the next batch, which answers the other looks on the share
   * too. For what counts cannot show, e.g. which version of an object each recipient reports.
   * Undefined on 404.
   *
   * @example
   * const listed = await watch.listedSince(shareId, waitStartedAt); // then ask again with since: listed.at + 1
   */
  listedSince(shareId: string, since: number, signal?: AbortSignal): Promise<DatedList | undefined> {
    const listing = this.listings.get(shareId);
    if (listing !== undefined && wholeListAt(listing) >= since && !signal?.aborted) return Promise.resolve({ at: listing.at, recipients: [...listing.byId.values()] });
    return this.ask<DatedList | undefined>(shareId, { kind: "listedSince", since }, signal);
  }

  private ask<A>(shareId: string, question: Question, signal: AbortSignal | undefined): Promise<A> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<A>((resolve, reject) => {
      this.queue.push({ shareId, askedAt: this.now(), question, signal, resolve: resolve as (answer: unknown) => void, reject });
      this.timer ??= setTimeout(() => void this.flush(), this.options.windowMs);
    });
  }

  /**
   * Lists the share's recipients now and keeps the list for later looks (a Share's create lists its
   * recipients to learn their ids; its waits can then start from that list).
   */
  async list(shareId: string, signal?: AbortSignal): Promise<RecipientObject[] | undefined> {
    // A list of the share still waiting to be sent (held by the rate budget, say) answers from a
    // moment after this call too: join it rather than queue a second one.
    const unsent = this.unsent.get(shareId);
    if (unsent !== undefined) {
      try {
        return await unsent.recipients;
      } catch (error) {
        // That list was given up by the looks it served; this caller still wants one.
        if (!unsent.signal?.aborted || signal?.aborted) throw error;
      }
    }
    const startedAt = this.now();
    this.stats.lists += 1;
    let sentAt: number | undefined;
    const entry: UnsentList = { recipients: Promise.resolve(undefined), signal };
    entry.recipients = this.sources.recipients(shareId, signal, () => {
      sentAt ??= this.now();
      if (this.unsent.get(shareId) === entry) this.unsent.delete(shareId);
    });
    this.unsent.set(shareId, entry);
    let recipients: RecipientObject[] | undefined;
    try {
      recipients = await entry.recipients;
    } finally {
      if (this.unsent.get(shareId) === entry) this.unsent.delete(shareId);
    }
    const at = sentAt ?? startedAt;
    if (recipients === undefined) this.listings.delete(shareId);
    else this.listings.set(shareId, { at, counts: countsOfList(recipients), byId: new Map(recipients.map((r) => [r.id, r])) });
    this.written.delete(shareId);
    for (const recipient of recipients ?? []) if (this.awaited.get(shareId)?.has(recipient.id)) this.markAwaited(shareId, recipient);
    this.answerParked(shareId, at, recipients);
    return recipients;
  }

  /**
   * Whether a list of the share is coming anyway: this process awaits one of its recipients (seen
   * within the last `3 × recheckMs`, so that a wait that gave up without a word stops counting).
   */
  private listComing(shareId: string, now: number): boolean {
    const awaited = this.awaited.get(shareId);
    if (awaited === undefined) return false;
    for (const [id, seenAt] of awaited) if (now - seenAt > 3 * this.options.recheckMs) awaited.delete(id);
    return awaited.size > 0;
  }

  /** Keeps track of whether the recipient is still moving (awaited) after what a write or a look showed. */
  private markAwaited(shareId: string, recipient: RecipientObject): void {
    const status = recipient.association_status;
    const moving = RECIPIENT_LIFECYCLE.settle.pending.includes(status) || LEAVING.includes(status);
    const awaited = this.awaited.get(shareId) ?? new Map<string, number>();
    if (moving) this.awaited.set(shareId, awaited.set(recipient.id, this.now()));
    else awaited.delete(recipient.id);
  }

  /** Holds a look until the share's next list, or until its patience is spent (then it lists by itself). */
  private park(pending: PendingLook): void {
    this.parked.push(pending);
    const unpark = () => {
      clearTimeout(timer);
      pending.signal?.removeEventListener("abort", onAbort);
      this.parked = this.parked.filter((p) => p !== pending);
    };
    const onAbort = () => {
      unpark();
      pending.reject(pending.signal!.reason);
    };
    const timer = setTimeout(() => {
      unpark();
      this.queue.push({ ...pending, patient: true });
      this.timer ??= setTimeout(() => void this.flush(), this.options.windowMs);
    }, Math.max(0, (this.options.listPatienceMs ?? 0) - (this.now() - pending.askedAt)));
    pending.signal?.addEventListener("abort", onAbort, { once: true });
    pending.unpark = unpark;
  }

  /** Answers the looks parked on the share with a list just made (sent at `at`). */
  private answerParked(shareId: string, at: number, recipients: RecipientObject[] | undefined): void {
    const answered = this.parked.filter((p) => p.shareId === shareId && p.question.kind === "listedSince" && at >= p.question.since);
    if (answered.length === 0) return;
    for (const pending of answered) {
      pending.unpark?.();
      pending.resolve(recipients === undefined ? undefined : { at, recipients: [...recipients] });
    }
  }

  /**
   * The share's recipients as the last list showed them (with what writes showed since), without a
   * request; undefined if the share was never listed.
   */
  lastList(shareId: string): RecipientObject[] | undefined {
    const listing = this.listings.get(shareId);
    return listing === undefined || listing.baseline ? undefined : [...listing.byId.values()];
  }

  /**
   * Records what a write of the caller showed (a POST's new recipient, a DELETE's `disassociating`
   * one) in the share's last list, so that its wait does not need a list of its own: the share's
   * counts include that change, and still prove the list current as long as nothing else moved.
   * A status the list already shows further along is kept. Without a list, it is kept for a
   * baseline (see baselineFrom).
   */
  remember(shareId: string, recipient: RecipientObject): void {
    this.markAwaited(shareId, recipient);
    if (!isGone(RECIPIENT_LIFECYCLE, recipient.association_status)) {
      const created = this.createdAt.get(shareId) ?? new Map<string, number>();
      if (!created.has(recipient.id)) this.createdAt.set(shareId, created.set(recipient.id, this.now()));
    }
    const listing = this.listings.get(shareId);
    const status = recipient.association_status;
    if (!isStatus(status)) return;
    if (listing === undefined) {
      // No list yet: kept for a baseline (see baselineFrom).
      const written = this.written.get(shareId) ?? new Map<string, RecipientObject>();
      this.written.set(shareId, written.set(recipient.id, { ...written.get(recipient.id), ...recipient }));
      return;
    }
    const known = listing.byId.get(recipient.id);
    if (known !== undefined && (!isStatus(known.association_status) || STATUS_ORDER.indexOf(known.association_status) >= STATUS_ORDER.indexOf(status))) return;
    const counts = { ...listing.counts, [status]: listing.counts[status] + 1 };
    if (known !== undefined) counts[known.association_status] -= 1;
    this.listings.set(shareId, { at: listing.at, counts, byId: new Map([...listing.byId, [recipient.id, { ...known, ...recipient }]]) });
  }

  private async flush(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    this.timer = undefined;
    const byShare = new Map<string, PendingLook[]>();
    const now = this.now();
    // Far from the rate limit, a look does not wait for a list another wait will make.
    const patience = this.options.spendOnLatency?.() ? 0 : (this.options.listPatienceMs ?? 0);
    for (const pending of batch) {
      const { question: q, shareId } = pending;
      // Its wait gave up while the look was queued: nothing is asked for it.
      if (pending.signal?.aborted) pending.reject(pending.signal.reason);
      // Only a list newer than the last answers it, and the share's waits will make one soon.
      else if (q.kind === "listedSince" && !pending.patient && !(wholeListAt(this.listings.get(shareId)) >= q.since) && patience > 0 && this.listComing(shareId, now)) {
        this.park(pending);
      } else byShare.set(shareId, [...(byShare.get(shareId) ?? []), pending]);
    }
    // Counts can only spare a list where an earlier list knows every recipient asked about; with
    // several shares one share list answers them all, so counts are asked for every share then.
    const answerable = (shareId: string, looks: PendingLook[]) => {
      const listing = this.listings.get(shareId);
      return (
        listing !== undefined &&
        looks.every(({ question: q }) =>
          q.kind === "members" ? true : q.kind === "listedSince" ? wholeListAt(listing) >= q.since : listing.byId.has(q.recipientId) && this.stillAnswers(listing, q.recipientId, now),
        )
      );
    };
    const several = byShare.size > 1;
    await Promise.all(
      [...byShare.entries()].map(async ([shareId, looks]) => {
        try {
          const useCounts = several || answerable(shareId, looks);
          const signal = whenAllAborted(looks.map((l) => l.signal));
          const view = await this.answer(shareId, looks, useCounts, signal);
          for (const pending of looks) {
            const answer = answerTo(pending.question, view);
            if (pending.question.kind === "recipient") this.noteAnswer(shareId, pending.question.recipientId, answer as RecipientLook);
            pending.resolve(answer);
          }
        } catch (error) {
          for (const pending of looks) pending.reject(error);
        }
        this.stats.looks += looks.length;
      }),
    );
  }

  private async answer(shareId: string, looks: PendingLook[], useCounts: boolean, signal: AbortSignal | undefined): Promise<View> {
    const askedAt = this.now();
    const ids = looks.flatMap(({ question: q }) => (q.kind === "recipient" ? [q.recipientId] : []));
    const statusOnly = looks.every(({ question: q }) => q.kind !== "recipient" || q.statusOnly);
    const wantsMembers = looks.some(({ question: q }) => q.kind === "members");
    // A look that needs a list sent after a moment the last list predates: only a list answers it.
    const listing = this.listings.get(shareId);
    const needsList = looks.some(({ question: q }) => q.kind === "listedSince" && !(wholeListAt(listing) >= q.since));
    if (useCounts && !needsList) {
      this.stats.countChecks += 1;
      // The looks were asked a window ago: a share list sent since then (the one answering the
      // share and resource waits of the same instant) answers their counts too.
      const share = await this.sources.share(shareId, signal, Math.min(...looks.map((l) => l.askedAt)));
      if (share === undefined) return { one: () => undefined, all: undefined, at: askedAt };
      const counts = countsOfShare(share);
      const listing = this.listings.get(shareId) ?? this.baselineFrom(shareId, counts, askedAt, ids);
      // Members are known when the counts add up to the last list (with this process's writes).
      const membersKnown = !wantsMembers || (listing !== undefined && counts !== undefined && total(counts) === listing.byId.size);
      if (counts !== undefined && membersKnown) {
        const listed = listing === undefined ? [] : [...listing.byId.values()];
        const at = listing?.at ?? askedAt;
        // Counts that may not show a recipient asked about yet say nothing of it, except that it
        // has not moved (below: the last list then answers with what it showed, never further).
        const counted = ids.every((id) => this.countedBy(shareId, id, askedAt));
        if (counted && STATUS_ORDER.every((status) => isRemoved(RECIPIENT_LIFECYCLE, status) || counts[status] === 0)) return { one: () => ALL_GONE, all: listed, at };
        const known = listing !== undefined && ids.every((id) => listing.byId.has(id));
        if ((ids.length === 0 && listing !== undefined) || (known && ids.every((id) => this.stillAnswers(listing, id, askedAt) && unmoved(listing.byId.get(id)!.association_status, listing.counts, counts)))) {
          this.stats.unchanged += 1;
          return { one: (id) => listing!.byId.get(id), all: listed, at };
        }
        // Every recipient the last list shows leaving has been removed since, and nothing else
        // moved (statuses only move forward and the total is the same, so no other reading of the
        // counts exists): the list, with those moved on, answers without a new one.
        const allLeft = listing !== undefined && counted && known && allLeavingRemoved(listing.counts, counts);
        if (allLeft) {
          this.stats.unchanged += 1;
          const moved = new Map([...listing.byId].map(([id, r]) => [id, LEAVING.includes(r.association_status) ? { ...r, association_status: REMOVED_STATUS } : r]));
          this.listings.set(shareId, { at: listing.at, counts, byId: moved });
          return { one: (id) => moved.get(id), all: [...moved.values()], at: listing.at };
        }
        // Every recipient of the share settled: every recipient waited for is associated.
        if (statusOnly && counted && known && STATUS_ORDER.every((status) => isSettled(RECIPIENT_LIFECYCLE, status) || counts[status] === 0)) {
          this.stats.unchanged += 1;
          return { one: (id) => ({ ...listing!.byId.get(id)!, association_status: SETTLED_STATUS }), all: listed, at };
        }
      }
    }
    const recipients = await this.list(shareId, signal);
    const byId = new Map((recipients ?? []).map((r) => [r.id, r]));
    return { one: (id) => byId.get(id), all: recipients, at: this.listings.get(shareId)?.at ?? askedAt };
  }

  /**
   * A share never listed, whose waits are all on recipients this process's writes showed (a
   * `destroy`'s DELETEs, say): the counts now, with those recipients as the writes left them, serve
   * as the list the later counts are compared with. Not when the counts show fewer recipients in a
   * status than the writes left there: one of them may have moved on already, which later counts
   * could not show. Kept as the share's listing.
   */
  private baselineFrom(shareId: string, counts: Counts | undefined, askedAt: number, ids: string[]): Listing | undefined {
    const written = this.written.get(shareId);
    if (counts === undefined || written === undefined || ids.length === 0 || !ids.every((id) => written.has(id))) return undefined;
    const wrote = countsOfList([...written.values()]);
    if (STATUS_ORDER.some((status) => wrote[status] > counts[status])) return undefined;
    const baseline: Listing = { at: askedAt, counts, byId: new Map(written), baseline: true };
    this.listings.set(shareId, baseline);
    this.written.delete(shareId);
    return baseline;
  }

  /**
   * Whether the listing may still answer for the recipient (while counts show it unmoved): a list
   * younger than `recheckMs`, or any age for a leaving recipient, which has no per-resource error to
   * catch, only its removal, which the counts show.
   */
  private stillAnswers(listing: Listing, recipientId: string, at: number): boolean {
    return at - listing.at < this.options.recheckMs || LEAVING.includes(listing.byId.get(recipientId)!.association_status);
  }

  /** What a wait's look showed: a recipient still moving stays awaited, one settled or gone no longer is. */
  private noteAnswer(shareId: string, recipientId: string, look: RecipientLook): void {
    if (look === ALL_GONE) this.awaited.delete(shareId);
    else if (look === undefined) this.awaited.get(shareId)?.delete(recipientId);
    else this.markAwaited(shareId, look);
  }

  /** Whether counts asked at `askedAt` show the recipient: it was not created by this process within `listLagMs`. */
  private countedBy(shareId: string, recipientId: string, askedAt: number): boolean {
    const createdAt = this.createdAt.get(shareId)?.get(recipientId);
    return createdAt === undefined || askedAt - createdAt >= (this.options.listLagMs ?? 0);
  }
}

const LEAVING: readonly string[] = RECIPIENT_LIFECYCLE.leaving;
const REMOVED_STATUS = RECIPIENT_LIFECYCLE.removed[0] as RecipientObject["association_status"];

/**
 * Whether `now` is `then` with every leaving recipient removed and nothing else changed. Statuses
 * only move forward and recipients are never dropped from the counts, so with an equal total this
 * is the only way to get from `then` to `now`, and at least one recipient moved.
 */
function allLeavingRemoved(then: Counts, now: Counts): boolean {
  const leaving = LEAVING.reduce((sum, status) => sum + then[status], 0);
  if (leaving === 0) return false;
  return STATUS_ORDER.every((status) => {
    if (LEAVING.includes(status)) return now[status] === 0;
    if (status === REMOVED_STATUS) return now[status] === then[status] + leaving;
    return now[status] === then[status];
  });
}

/** What `question` gets from a share's answer. */
function answerTo(question: Question, view: View): unknown {
  if (question.kind === "recipient") return view.one(question.recipientId);
  if (question.kind === "members") return view.all;
  return view.all === undefined ? undefined : { at: view.at, recipients: view.all };
}

/** How many recipients the counts show in all. */
function total(counts: Counts): number {
  return STATUS_ORDER.reduce((sum, status) => sum + counts[status], 0);
}

/** The recipient statuses in the order a recipient moves through them (the lifecycle table's). */
const STATUS_ORDER: readonly string[] = [
  ...RECIPIENT_LIFECYCLE.settle.pending,
  ...RECIPIENT_LIFECYCLE.settle.target,
  ...RECIPIENT_LIFECYCLE.leaving,
  ...RECIPIENT_LIFECYCLE.removed,
];

const SETTLED_STATUS = RECIPIENT_LIFECYCLE.settle.target[0] as RecipientObject["association_status"];

function isStatus(status: string): boolean {
  return STATUS_ORDER.includes(status);
}

/** The share's `<status>_recipient_count` fields; undefined unless every status has one. */
function countsOfShare(share: ShareObject): Counts | undefined {
  const fields = share as unknown as Record<string, unknown>;
  const counts: Counts = {};
  for (const status of STATUS_ORDER) {
    const count = fields[`${status}_recipient_count`];
    if (typeof count !== "number") return undefined;
    counts[status] = count;
  }
  return counts;
}

function countsOfList(recipients: readonly RecipientObject[]): Counts {
  const counts: Counts = Object.fromEntries(STATUS_ORDER.map((status) => [status, 0]));
  for (const recipient of recipients) {
    if (isStatus(recipient.association_status)) counts[recipient.association_status] += 1;
  }
  return counts;
}

/** How many recipients are past `status` (never fewer later: statuses only move forward). */
function pastStatus(counts: Counts, status: string): number {
  return STATUS_ORDER.slice(STATUS_ORDER.indexOf(status) + 1).reduce((sum, later) => sum + counts[later], 0);
}

/** Whether a recipient listed in `status` when the share had `then` is still in it now that it has `now`. */
function unmoved(status: string, then: Counts, now: Counts): boolean {
  return isStatus(status) && pastStatus(now, status) === pastStatus(then, status);
}
