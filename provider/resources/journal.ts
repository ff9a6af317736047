// The journal of in-flight creates: how a resource recognises, after a killed `pulumi up`, the object
// its own create made but never handed to the engine, without ever taking another resource's.
//
// Before a create's POST, an entry is written to a small file; when the POST's response arrives, the
// entry gains the object's id; when the provider hands the id to the engine (its create or update
// returns, or fails with the object kept in state), the entry is marked so, and it is removed once the
// engine ends the operation in order (it stops its plugins with SIGINT only after its last
// checkpoint; ./hand-over), or when the engine shows the resource back. From then on the engine's
// state is the truth. An entry still there on a later run is proof that that very resource's create
// was interrupted before the engine recorded the object (a killed `pulumi up`: the provider may even
// finish the create after the engine died): the object it names (or, if no response ever arrived, the
// one object holding the natural key created since the POST) is taken over instead of created twice.
//
// An entry names exactly one creating resource: the backend (a fingerprint of its URL, no secrets),
// the organization where one is known, the stack and the resource's URN. Only that URN reads it, so
// a renamed resource, a new stack that took a renamed stack's name, or a stack of the same name on
// another backend never takes over what another resource made.
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

/** The resource a create belongs to: its stack (`<project>/<stack>`) and its URN. */
export interface JournalOwner {
  stack: string;
  urn: string;
}

/** What one in-flight create left behind. */
export interface JournalEntry {
  /** The backend's fingerprint and organization, and the stack (see {@link journalScope}). */
  scope: string;
  /** The URN of the resource whose create sent the POST: the only one that may take its object over. */
  urn: string;
  /** `share`, `recipient` or `resource`. */
  kind: string;
  /** The object's natural key (see provider/client/natural-keys). */
  key: string;
  /** When the POST was first sent, local epoch ms. */
  startedAt: number;
  /** The created object's id, once the POST's response arrived. */
  id?: string;
  /** When the provider handed the id to the engine (its create or update returned it), local epoch ms. */
  handedOverAt?: number;
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

/**
 * The backend URL the engine uses, as the CLI chooses it: `PULUMI_BACKEND_URL`, else the project's
 * `backend.url` (Pulumi.yaml in the working directory, which is the program's), else the one
 * `pulumi login` recorded in `$PULUMI_HOME/credentials.json`. Undefined when none is known.
 *
 * @example
 * backendUrl(); // "file:///home/me/.pulumi-state" or "https://api.pulumi.com"
 */
export function backendUrl(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string | undefined {
  if (env.PULUMI_BACKEND_URL) return env.PULUMI_BACKEND_URL;
  try {
    // `backend:` then an indented `url:`; a Pulumi.yaml without one falls through.
    const match = /^backend:\s*\n(?:[ \t]+.*\n)*?[ \t]+url:\s*["']?([^"'\s#]+)/m.exec(fs.readFileSync(path.join(cwd, "Pulumi.yaml"), "utf8") + "\n");
    if (match) return match[1];
  } catch {
    // No project file here: the next source decides.
  }
  try {
    const home = env.PULUMI_HOME || path.join(os.homedir(), ".pulumi");
    const current = (JSON.parse(fs.readFileSync(path.join(home, "credentials.json"), "utf8")) as { current?: unknown }).current;
    if (typeof current === "string" && current.length > 0) return current;
  } catch {
    // Never logged in on this machine: no backend to tell apart.
  }
  return undefined;
}

/**
 * A backend URL without what may be secret (user info, query parameters such as keys), reduced to a
 * digest: stable for one backend, different for two, never the URL itself.
 *
 * @example
 * backendFingerprint("s3://bucket?region=eu-west-1&awssdk=v2"); // same as for "s3://bucket"
 */
export function backendFingerprint(url: string | undefined): string {
  if (url === undefined) return "unknown-backend";
  let bare = url.trim();
  try {
    const parsed = new URL(bare);
    parsed.username = "";
    parsed.password = "";
    parsed.search = "";
    parsed.hash = "";
    bare = parsed.toString();
  } catch {
    bare = bare.replace(/[?#].*$/, "");
  }
  return digest(bare.replace(/\/+$/, ""));
}

/**
 * The scope of a stack's entries: the backend, the organization (where the engine names one) and the
 * stack. Two stacks of one name on two backends, or in two organizations, never meet.
 *
 * @example
 * journalScope("proj/dev"); // "3f2a…/org-acme/proj/dev"
 */
export function journalScope(stack: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const organization = env.PULUMI_ORGANIZATION ?? "";
  return `${backendFingerprint(backendUrl(env, cwd))}/${organization}/${stack}`;
}

function entryPath(scope: string, urn: string, kind: string, key: string): string {
  return path.join(journalDir(), digest(scope), `${kind}-${digest(`${urn}\n${key}`)}.json`);
}

/**
 * The entry an interrupted create of this very resource left for this object, if any (and not too
 * old to trust).
 *
 * @example
 * const interrupted = readEntry(owner, "share", shareNaturalKey(accountId, body));
 */
export function readEntry(owner: JournalOwner, kind: string, key: string): JournalEntry | undefined {
  const scope = journalScope(owner.stack);
  try {
    const entry = JSON.parse(fs.readFileSync(entryPath(scope, owner.urn, kind, key), "utf8")) as JournalEntry;
    if (entry.scope !== scope || entry.urn !== owner.urn || entry.kind !== kind || entry.key !== key) return undefined;
    if (!(Date.now() - entry.startedAt < ENTRY_LIFETIME_MS)) return undefined;
    return entry;
  } catch {
    return undefined;
  }
}

/**
 * Writes (or rewrites) an entry, atomically: a reader sees the old entry or the new one, never half.
 * Returns the entry's file, which {@link handOver} removes once the engine has the id.
 *
 * @example
 * writeEntry(owner, { kind: "share", key, startedAt: Date.now() });
 */
export function writeEntry(owner: JournalOwner, entry: Omit<JournalEntry, "scope" | "urn">): string {
  const scope = journalScope(owner.stack);
  const file = entryPath(scope, owner.urn, entry.kind, entry.key);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.${Math.random().toString(16).slice(2)}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify({ scope, urn: owner.urn, ...entry } satisfies JournalEntry), { mode: 0o600 });
  fs.renameSync(temporary, file);
  // Found by the object's id too: any resource, of any stack, that shows the object back ends the entry.
  if (entry.id !== undefined) {
    fs.mkdirSync(path.dirname(idIndexPath(entry.kind, entry.id)), { recursive: true, mode: 0o700 });
    fs.writeFileSync(idIndexPath(entry.kind, entry.id), file, { mode: 0o600 });
    pruneOnce(path.dirname(idIndexPath(entry.kind, entry.id)));
  }
  pruneOnce(path.dirname(file));
  return file;
}

function idIndexPath(kind: string, id: string): string {
  return path.join(journalDir(), "by-id", `${kind}-${digest(id)}`);
}

/**
 * Removes the entry, whoever wrote it, that names the object `id`: a resource holds that object in
 * state now (shown back to the provider by the engine, in any stack), so no other may take it over.
 *
 * @example
 * removeEntryById("share", id);
 */
export function removeEntryById(kind: string, id: string): void {
  const index = idIndexPath(kind, id);
  let file: string;
  try {
    file = fs.readFileSync(index, "utf8");
  } catch {
    return; // the common case: no entry names it
  }
  try {
    const entry = JSON.parse(fs.readFileSync(file, "utf8")) as JournalEntry;
    if (entry.kind === kind && entry.id === id) fs.rmSync(file, { force: true });
  } catch {
    // Removed already.
  }
  fs.rmSync(index, { force: true });
  pruneOnce(path.dirname(index));
}

/**
 * Removes an entry: its object's id has reached the engine (or no object was made).
 *
 * @example
 * removeEntry(owner, "share", key);
 */
export function removeEntry(owner: JournalOwner, kind: string, key: string): void {
  removeEntryFile(entryPath(journalScope(owner.stack), owner.urn, kind, key));
}

/**
 * Removes the entry at `file` and its index by id.
 *
 * @example
 * removeEntryFile(file);
 */
export function removeEntryFile(file: string): void {
  try {
    const entry = JSON.parse(fs.readFileSync(file, "utf8")) as JournalEntry;
    if (entry.id !== undefined) fs.rmSync(idIndexPath(entry.kind, entry.id), { force: true });
  } catch {
    // No such entry, or unreadable: nothing is indexed for it.
  }
  fs.rmSync(file, { force: true });
}

/**
 * Marks the entries at `files` whose object id is in `handedToEngine` (the outputs or partial state a
 * create or update returns) as handed over, and returns them: the engine has the id now. They are
 * removed once the engine ends the operation in order (./hand-over); an engine killed before that may
 * not have recorded the id, and the entry still lets that same resource's next run recover it.
 *
 * @example
 * const handed = markHandedOver(filesWrittenInThisCall, JSON.stringify(outs));
 */
export function markHandedOver(files: Iterable<string>, handedToEngine: string): string[] {
  const handed: string[] = [];
  for (const file of files) {
    try {
      const entry = JSON.parse(fs.readFileSync(file, "utf8")) as JournalEntry;
      if (entry.id === undefined || !handedToEngine.includes(entry.id)) continue;
      const temporary = `${file}.${process.pid}.${Math.random().toString(16).slice(2)}.tmp`;
      fs.writeFileSync(temporary, JSON.stringify({ ...entry, handedOverAt: Date.now() } satisfies JournalEntry), { mode: 0o600 });
      fs.renameSync(temporary, file);
      handed.push(file);
    } catch {
      // Gone already (removed by a definite refusal), or unreadable: nothing to hand over.
    }
  }
  return handed;
}

const pruned = new Set<string>();

/**
 * Once per process and scope directory: removes entries too old to be trusted, and temporary files a
 * killed writer left. They can no longer apply; left alone they would only grow.
 */
function pruneOnce(directory: string): void {
  if (pruned.has(directory)) return;
  pruned.add(directory);
  try {
    const indexes = path.basename(directory) === "by-id";
    for (const name of fs.readdirSync(directory)) {
      const file = path.join(directory, name);
      if (indexes) {
        // An index whose entry is gone (removed by a process killed in between) points nowhere.
        if (!fs.existsSync(fs.readFileSync(file, "utf8"))) fs.rmSync(file, { force: true });
        continue;
      }
      const stale = name.endsWith(".tmp") ? Date.now() - fs.statSync(file).mtimeMs > 3_600_000 : entryExpired(file);
      if (stale) removeEntryFile(file);
    }
  } catch {
    // Pruning is tidiness: it never fails a create.
  }
}

function entryExpired(file: string): boolean {
  try {
    const entry = JSON.parse(fs.readFileSync(file, "utf8")) as JournalEntry;
    return !(Date.now() - entry.startedAt < ENTRY_LIFETIME_MS);
  } catch {
    return true;
  }
}

/**
 * The resource a create belongs to, from its inputs (`ownerStack` and `ownerUrn`, which the TypeScript
 * classes and the plugin set); undefined for inputs without them (then no journal: nothing taken over).
 *
 * @example
 * const spec = shareCreate(api, log, journalOwner(inputs), accountId, body);
 */
export function journalOwner(inputs: { ownerStack?: string; ownerUrn?: string }): JournalOwner | undefined {
  const { ownerStack, ownerUrn } = inputs;
  return typeof ownerStack === "string" && typeof ownerUrn === "string" && ownerStack && ownerUrn ? { stack: ownerStack, urn: ownerUrn } : undefined;
}
