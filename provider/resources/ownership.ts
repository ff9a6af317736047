// Explicit ownership. An object already on Cloudflare is taken over only (a) through `adopt`, or
// (b) when it is provably this resource's own: the client's recovery of its own lost response (inside
// one request, provider/client), or an interrupted create of this very resource (same backend, stack
// and URN) found through the journal (./journal). Anything else that already exists is an error naming the object, its id and
// status, and the `adopt` line that takes it over.
//
// A journal entry is removed as soon as its object's id is handed to the engine (./hand-over): the
// engine's checkpoint, or its record of a create in flight, is the truth from then on.
//
// Nothing here lets a delete skip an object: what a delete may remove is decided by state alone, so
// two runs end as one does. A resource renamed without an alias is a replacement (Pulumi's meaning):
// the new one gets its own object, or the adopt error; an alias keeps the object.

import { ApiError, ConflictError, ServerError } from "../client/core/errors";
import { noteJournalled } from "./hand-over";
import { JournalOwner, readEntry, removeEntry, removeEntryById, writeEntry } from "./journal";

/** How far around an interrupted POST's start an object may have been created and still be its. */
const INTERRUPTED_CREATE_MARGIN_MS = 60_000;
/** The longest a POST (with its retries and lost-response recovery) can have been in flight. */
const LONGEST_POST_MS = 10 * 60_000;

/** What a create needs to know about the objects it may meet. */
interface ApiObject {
  id: string;
  created: string;
}

/** One create, described for ownership checks. */
export interface OwnedCreate<T extends ApiObject> {
  /** The resource running the create (its stack and URN); undefined when unknown (then no journal). */
  owner: JournalOwner | undefined;
  kind: "share" | "recipient" | "resource";
  /** The object's natural key (provider/client/natural-keys). */
  key: string;
  /** The object, for messages: `share "rules" in account 023e…`. */
  what: string;
  /** The POST. */
  post(): Promise<T>;
  /** Live objects holding the natural key, created at or after `createdNotBefore` (epoch ms), oldest first. */
  find(createdNotBefore: number): Promise<T[]>;
  /**
   * Live objects holding the natural key now, oldest first, from looks shared with other creates and
   * waits (the same answer as `find(0)`, from a request sent after the call or a list proven still
   * current). Default `find(0)`.
   */
  holders?(): Promise<T[]>;
  /** The object with this id, unless it is gone or on its way out. */
  lookup(id: string): Promise<T | undefined>;
  statusOf(item: T): string;
  /**
   * Whether the natural key is one object's at most (recipients, share resources). An API that accepts
   * a second record with the key instead of answering 409 would otherwise make a duplicate of an
   * object another resource holds: such a create first looks for a live holder.
   */
  unique?: boolean;
  /**
   * Whether a holder of the key is the very object this create would make (a share resource of the
   * same resource account); one that differs is not in the way of a create the API accepts.
   */
  sameObject?(item: T): boolean;
  /** How long lists may trail writes (the client's `listLagMs`); 0 when they never do. */
  listLagMs?: number;
  /** What to add to the program to take `item` over, e.g. `adopt: "<id>"` on this resource. */
  adoptAdvice(item: T): string;
  log(line: string): void;
}

/**
 * An object exists that nothing proves is this stack's own; the message names it and the adopt line.
 *
 * @example
 * if (error instanceof NotOwnedError) console.log(error.message); // "… already exists as 5c1e… (status associated …"
 */
export class NotOwnedError extends Error {
  readonly code = "NOT_OWNED";
  constructor(message: string) {
    super(message);
    this.name = "NotOwnedError";
  }
}

const CREATED_HERE = Symbol.for("pulumi-cloudflare-sharing.createdHere");

/**
 * Objects created by a POST of this process: held by the resource that made them, so an interrupted
 * create's recovery never takes one of them (it may only decline a take-over, never allow one).
 */
function createdHere(): Set<string> {
  const holder = globalThis as unknown as Record<symbol, Set<string> | undefined>;
  return (holder[CREATED_HERE] ??= new Set());
}

/**
 * Forgets every object made in this process (tests that run several "runs" in one process).
 *
 * @example
 * beforeEach(() => forgetObjectsMadeHere());
 */
export function forgetObjectsMadeHere(): void {
  createdHere().clear();
}

/** The object a create ends with, and whether it was left by an interrupted run rather than made now. */
export interface OwnedObject<T> {
  object: T;
  recovered: boolean;
}

/**
 * Creates an object, or takes over the one an interrupted run of this very resource created (found
 * through the journal). Anything else holding the natural key (a 409) is a {@link NotOwnedError}.
 *
 * @example
 * const { object: created, recovered } = await createOwned(spec);
 */
export async function createOwned<T extends ApiObject>(spec: OwnedCreate<T>): Promise<OwnedObject<T>> {
  const { owner, kind, key } = spec;
  if (owner !== undefined) {
    const recovered = await recoverInterrupted(spec, owner);
    if (recovered !== undefined) {
      // Kept until the id is handed to the engine: this call may still be cut short.
      noteJournalled(writeEntry(owner, { kind, key, startedAt: Date.now(), id: recovered.id }));
      return { object: recovered, recovered: true };
    }
    noteJournalled(writeEntry(owner, { kind, key, startedAt: Date.now() }));
  }
  if (spec.unique) {
    const existing = await liveHolder(spec, (item) => spec.sameObject?.(item) ?? true);
    if (existing !== undefined) {
      if (owner !== undefined) removeEntry(owner, kind, key);
      throw notOwned(spec, existing);
    }
  }
  let created: T;
  try {
    created = await spec.post();
  } catch (error) {
    // A definite refusal made nothing: the entry is done with. An ambiguous failure keeps it.
    const definite = error instanceof ApiError && !(error instanceof ServerError);
    if (owner !== undefined && definite) removeEntry(owner, kind, key);
    if (error instanceof ConflictError) throw await alreadyExists(spec, error);
    throw error;
  }
  if (owner !== undefined) noteJournalled(writeEntry(owner, { kind, key, startedAt: Date.now(), id: created.id }));
  createdHere().add(`${kind}:${created.id}`);
  return { object: created, recovered: false };
}

/** The object an interrupted create of this very resource made, if the journal shows one and it still exists. */
async function recoverInterrupted<T extends ApiObject>(spec: OwnedCreate<T>, owner: JournalOwner): Promise<T | undefined> {
  const entry = readEntry(owner, spec.kind, spec.key);
  if (entry === undefined) return undefined;
  // The id, when the response arrived, is proof enough (the object may have gained items since);
  // without it, the objects holding the natural key made while that POST can have been in flight.
  const candidates = (
    entry.id !== undefined
      ? [await spec.lookup(entry.id)].filter((item): item is T => item !== undefined)
      : (await findWhileListsLag(spec, entry.startedAt - INTERRUPTED_CREATE_MARGIN_MS)).filter((item) => Date.parse(item.created) <= entry.startedAt + LONGEST_POST_MS)
  ).filter((item) => !createdHere().has(`${spec.kind}:${item.id}`)); // one made by this very run belongs to the resource that made it
  if (candidates.length === 0) return undefined; // it never landed, or is gone since: create it anew
  if (candidates.length > 1) {
    const list = candidates.map((item) => `${item.id} (${spec.statusOf(item)}, created ${item.created}): ${spec.adoptAdvice(item)}`).join("; ");
    throw new NotOwnedError(
      `an interrupted run of this resource sent the create of ${spec.what} at ${new Date(entry.startedAt).toISOString()}, and ${candidates.length} objects ` +
        `like it have been created since; which one is this stack's cannot be told. Take over the right one and delete the others: ${list}`,
    );
  }
  const [found] = candidates;
  spec.log(
    `${spec.what} exists as ${found.id} (${spec.statusOf(found)}): this resource created it in an interrupted run that never recorded it ` +
      `(its journal entry says so); taking it over instead of creating it twice`,
  );
  return found;
}

/** The error for a 409: names what exists and how to take it over. */
/**
 * `spec.find` once lists have caught up. A list that trails writes may miss what the interrupted POST
 * made a moment ago (so nothing would be found), or miss a second candidate (so the wrong one would be
 * taken over): the answer that counts is a look made when `listLagMs` has passed since this started.
 * Only a create that an interrupted run left behind pays this wait.
 */
async function findWhileListsLag<T extends ApiObject>(spec: OwnedCreate<T>, createdNotBefore: number): Promise<T[]> {
  const lagMs = spec.listLagMs ?? 0;
  if (lagMs > 0) await new Promise((resolve) => setTimeout(resolve, lagMs));
  return spec.find(createdNotBefore);
}

/**
 * The live object holding the key, as its GET shows it now: a list that trails writes may still show
 * one removed a moment ago with its earlier status.
 */
async function liveHolder<T extends ApiObject>(spec: OwnedCreate<T>, accept: (item: T) => boolean = () => true): Promise<T | undefined> {
  for (const listed of await (spec.holders ? spec.holders() : spec.find(0))) {
    const current = await spec.lookup(listed.id);
    if (current !== undefined && accept(current)) return current;
  }
  return undefined;
}

async function alreadyExists<T extends ApiObject>(spec: OwnedCreate<T>, conflict: ConflictError): Promise<Error> {
  const existing = await liveHolder(spec).catch(() => undefined);
  if (existing === undefined) return conflict;
  return notOwned(spec, existing);
}

function notOwned<T extends ApiObject>(spec: OwnedCreate<T>, existing: T): NotOwnedError {
  return new NotOwnedError(
    `${spec.what} already exists as ${existing.id} (status ${spec.statusOf(existing)}, created ${existing.created}), and nothing shows it is this stack's own ` +
      `(another resource or stack may manage it). To manage it here, ${spec.adoptAdvice(existing)}; if another declaration manages it, remove it there instead ` +
        `(a resource renamed in code keeps its object through an \`aliases\` option).`,
  );
}

/**
 * The engine has shown this resource back to the provider with the object `id` (a diff, read, update
 * or delete of a resource in state, e.g. after `recover` put it there): its journal entry is done with,
 * whatever id it holds (a later create of the same URN is a replacement, which must make its own
 * object), and so is any entry of any resource that names `id` (that object is held now).
 *
 * @example
 * confirmInState(ownerOf(olds), "recipient", key, id);
 */
export function confirmInState(owner: JournalOwner | undefined, kind: string, key: string, id: string): void {
  try {
    removeEntryById(kind, id);
    if (owner !== undefined) removeEntry(owner, kind, key);
  } catch {
    // A journal that cannot be tidied must not fail a diff or a delete; a stale entry names an
    // object this resource made, which is all it may ever take over.
  }
}
