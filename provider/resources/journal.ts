// The journal of in-flight creates: how a stack recognises, after a killed `pulumi up`, the objects it
// created but never recorded in state, without ever taking another stack's.
//
// Before a create's POST, an entry keyed by the stack and the object's natural key is written to a
// small file; when the POST's response arrives, the entry gains the object's id; once the provider
// hands the id to the engine (its call returns, or fails with the object kept in state), the entry is
// removed. An entry still there on a later run of the same stack is proof that that stack's create
// was interrupted: the object it names (or, if no response ever arrived, the one object holding the
// natural key created since the POST) is taken over instead of created twice. Entries are never read
// by another stack, so nothing another stack made is ever taken.
//
// The journal lives on the machine that ran `pulumi up` (CLOUDFLARE_SHARING_JOURNAL_DIR, by default
// ~/.pulumi-cloudflare-sharing/journal): see the README, "Recovering after a killed `pulumi up`".

import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** Where the journal is kept; overridden by this environment variable (e.g. to a CI cache). */
export const JOURNAL_DIR_ENV = "CLOUDFLARE_SHARING_JOURNAL_DIR";

/** An interrupted create older than this is not trusted: the object may have changed hands since. */
const ENTRY_LIFETIME_MS = 7 * 24 * 3_600_000;

/** What one in-flight create left behind. */
export interface JournalEntry {
  /** The stack (`<project>/<stack>`) whose `pulumi up` sent the POST. */
  stack: string;
  /** `share`, `recipient` or `resource`. */
  kind: string;
  /** The object's natural key (see provider/client/natural-keys). */
  key: string;
  /** When the POST was first sent, local epoch ms. */
  startedAt: number;
  /** The created object's id, once the POST's response arrived. */
  id?: string;
}

/**
 * The journal directory in force now.
 *
 * @example
 * journalDir(); // "/home/ci/.pulumi-cloudflare-sharing/journal", or $CLOUDFLARE_SHARING_JOURNAL_DIR
 */
export function journalDir(): string {
  const configured = process.env[JOURNAL_DIR_ENV];
  return configured && configured.length > 0 ? configured : path.join(os.homedir(), ".pulumi-cloudflare-sharing", "journal");
}

function digest(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 32);
}

function entryPath(stack: string, kind: string, key: string): string {
  return path.join(journalDir(), digest(stack), `${kind}-${digest(key)}.json`);
}

/**
 * The entry a previous run of `stack` left for this object, if any (and not too old to trust).
 *
 * @example
 * const interrupted = readEntry("proj/dev", "share", shareNaturalKey(accountId, body));
 */
export function readEntry(stack: string, kind: string, key: string): JournalEntry | undefined {
  try {
    const entry = JSON.parse(fs.readFileSync(entryPath(stack, kind, key), "utf8")) as JournalEntry;
    if (entry.stack !== stack || entry.kind !== kind || entry.key !== key) return undefined;
    if (!(Date.now() - entry.startedAt < ENTRY_LIFETIME_MS)) return undefined;
    return entry;
  } catch {
    return undefined;
  }
}

/**
 * Writes (or rewrites) an entry, atomically: a reader sees the old entry or the new one, never half.
 *
 * @example
 * writeEntry({ stack, kind: "share", key, startedAt: Date.now() });
 */
export function writeEntry(entry: JournalEntry): void {
  const file = entryPath(entry.stack, entry.kind, entry.key);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.${Math.random().toString(16).slice(2)}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(entry), { mode: 0o600 });
  fs.renameSync(temporary, file);
}

/**
 * Removes an entry: its object's id has reached the engine (or no object was made).
 *
 * @example
 * removeEntry(stack, "share", key);
 */
export function removeEntry(stack: string, kind: string, key: string): void {
  fs.rmSync(entryPath(stack, kind, key), { force: true });
}
