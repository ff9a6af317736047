// The requests every process on this machine sent with one token, in a small shared record.
//
// Pipelines run several `pulumi up` at once with one token. The server's `Ratelimit` headers tie
// their budgets together, but only one round trip late: processes that start at the same instant
// each see a whole window free and together overshoot it (and a 429 blocks the token for the whole
// window). On one machine they can do better: each process appends the requests it sends to a file
// of its own in a folder named after the API and the token's digest, and reads the others' files,
// under a lock, whenever it decides what to send. What it reads is exact: no round trip, no guess.
//
// One writer per file, so appends need no lock; the lock only makes "read the others, decide, record
// what was granted" one step, so two processes never grant the window's last slot twice. Anything
// that goes wrong with the files (read-only home, full disk) turns the record off for this process:
// the server's headers still pace it, as without a record.
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** Overrides where the records live; `off` turns them off. */
export const RATE_DIR_ENV = "CLOUDFLARE_SHARING_RATE_DIR";

/** A request another process on this machine sent with the same token. */
export interface NeighbourRequest {
  sentAt: number;
  /** When its answer came; undefined while in flight (or if its process died before the answer). */
  doneAt: number | undefined;
}

/** The record as a rate budget uses it (see RateBudget). */
export interface RequestLedger {
  /**
   * Runs `decide` with the other processes' requests newer than `sinceMs`, holding the lock, so what
   * it records with `sent` inside counts for the others before they decide again.
   */
  transact<T>(sinceMs: number, decide: (neighbours: readonly NeighbourRequest[]) => T): T;
  /** Records a request of this process sent at `sentAt`; returns its number for {@link done}. Call inside {@link transact}. */
  sent(sentAt: number): number;
  /** Records the answer to request `seq` at `doneAt`. */
  done(seq: number, doneAt: number): void;
}

/** How long a lock may stand before it is taken as left by a dead process: it is held for microseconds. */
const STALE_LOCK_MS = 2_000;
/** How long to wait for the lock before deciding without it (the server's headers still pace the run). */
const LOCK_WAIT_MS = 250;
/** A record untouched this long is of a finished run and no window is that long: it is removed. */
const STALE_FILE_MS = 60 * 60_000;

interface Neighbour {
  offset: number;
  /** Unfinished last line, completed by the next read. */
  partial: string;
  pid: number;
  requests: Map<number, NeighbourRequest>;
}

/**
 * The folder of records for one API and token. Off (`CLOUDFLARE_SHARING_RATE_DIR=off`) → undefined.
 *
 * @example
 * ledgerDir("https://api.cloudflare.com/client/v4 5f2c…"); // "~/.pulumi-cloudflare-sharing/rate/3b1e…"
 */
export function ledgerDir(budgetKey: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = env[RATE_DIR_ENV];
  if (configured === "off") return undefined;
  const root = configured && configured.length > 0 ? configured : path.join(os.homedir(), ".pulumi-cloudflare-sharing", "rate");
  // The key holds a digest of the token already; digesting again keeps even that out of a file name.
  return path.join(root, createHash("sha256").update(budgetKey).digest("hex").slice(0, 32));
}

/**
 * One process's view of the shared record in `dir`: its own file, and the others' read incrementally.
 *
 * @example
 * const ledger = new MachineLedger(ledgerDir(key)!);
 * const budget = new RateBudget(settings, realClock, ledger);
 */
export class MachineLedger implements RequestLedger {
  private readonly file: string;
  private readonly lockDir: string;
  private readonly neighbours = new Map<string, Neighbour>();
  private nextSeq = 1;
  /** Set once a file operation failed: the process goes on without the record. */
  private broken = false;

  constructor(
    readonly dir: string,
    /** Names this process's file: `<pid>-<random>` unless a test gives several budgets of one process distinct ids. */
    private readonly id: string = `${process.pid}-${randomBytes(4).toString("hex")}`,
  ) {
    this.file = path.join(dir, `${this.id}.log`);
    this.lockDir = path.join(dir, "lock");
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      fs.writeFileSync(this.file, "", { flag: "a", mode: 0o600 });
      this.removeStaleFiles();
    } catch {
      this.broken = true;
    }
  }

  /** False once the record failed and this process decides without it. */
  get working(): boolean {
    return !this.broken;
  }

  transact<T>(sinceMs: number, decide: (neighbours: readonly NeighbourRequest[]) => T): T {
    if (this.broken) return decide([]);
    const locked = this.lock();
    try {
      return decide(this.readNeighbours(sinceMs));
    } finally {
      if (locked) this.unlock();
    }
  }

  sent(sentAt: number): number {
    const seq = this.nextSeq++;
    this.append(`s ${seq} ${sentAt}\n`);
    return seq;
  }

  done(seq: number, doneAt: number): void {
    this.append(`d ${seq} ${doneAt}\n`);
  }

  private append(line: string): void {
    if (this.broken) return;
    try {
      fs.appendFileSync(this.file, line);
    } catch {
      this.broken = true;
    }
  }

  /** The others' requests newer than `sinceMs` (or still in flight), each file read from where the last read stopped. */
  private readNeighbours(sinceMs: number): NeighbourRequest[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir).filter((name) => name.endsWith(".log") && name !== `${this.id}.log`);
    } catch {
      this.broken = true;
      return [];
    }
    const result: NeighbourRequest[] = [];
    for (const name of names) {
      const neighbour = this.read(name);
      if (!neighbour) continue;
      // A dead process's unanswered requests were counted by the server when sent: they leave then.
      const alive = isAlive(neighbour.pid);
      for (const [seq, request] of neighbour.requests) {
        const doneAt = request.doneAt ?? (alive ? undefined : request.sentAt);
        if (doneAt !== undefined && doneAt < sinceMs) {
          neighbour.requests.delete(seq);
          continue;
        }
        result.push({ sentAt: request.sentAt, doneAt });
      }
      // A finished process whose requests have all left: nothing in its file counts any more, so
      // nobody needs to open it again at every decision.
      if (!alive && neighbour.requests.size === 0) this.forget(name);
    }
    for (const name of this.neighbours.keys()) if (!names.includes(name)) this.neighbours.delete(name);
    return result;
  }

  private forget(name: string): void {
    this.neighbours.delete(name);
    try {
      fs.rmSync(path.join(this.dir, name), { force: true });
    } catch {
      // another process removed it first
    }
  }

  private read(name: string): Neighbour | undefined {
    let neighbour = this.neighbours.get(name);
    if (!neighbour) {
      const pid = Number(name.split("-")[0]);
      neighbour = { offset: 0, partial: "", pid: Number.isInteger(pid) ? pid : -1, requests: new Map() };
      this.neighbours.set(name, neighbour);
    }
    let chunk: Buffer;
    try {
      const fd = fs.openSync(path.join(this.dir, name), "r");
      try {
        const size = fs.fstatSync(fd).size;
        chunk = Buffer.alloc(Math.max(0, size - neighbour.offset));
        if (chunk.length > 0) fs.readSync(fd, chunk, 0, chunk.length, neighbour.offset);
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      this.neighbours.delete(name); // removed meanwhile: its process is done with it
      return undefined;
    }
    neighbour.offset += chunk.length;
    const text = neighbour.partial + chunk.toString("utf8");
    const lines = text.split("\n");
    neighbour.partial = lines.pop() ?? "";
    for (const line of lines) {
      const [kind, seqText, atText] = line.split(" ");
      const seq = Number(seqText);
      const at = Number(atText);
      if (!Number.isFinite(seq) || !Number.isFinite(at)) continue;
      if (kind === "s") neighbour.requests.set(seq, { sentAt: at, doneAt: undefined });
      else if (kind === "d") {
        const request = neighbour.requests.get(seq);
        if (request) request.doneAt = at;
      }
    }
    return neighbour;
  }

  // mkdir is atomic on every file system Node runs on: the one that creates the folder holds the lock.
  private lock(): boolean {
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        fs.mkdirSync(this.lockDir);
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
          this.broken = true;
          return false;
        }
      }
      try {
        if (Date.now() - fs.statSync(this.lockDir).mtimeMs > STALE_LOCK_MS) fs.rmdirSync(this.lockDir);
      } catch {
        // released or removed meanwhile: try again
      }
      if (Date.now() > deadline) return false;
      sleepSync(1);
    }
  }

  private unlock(): void {
    try {
      fs.rmdirSync(this.lockDir);
    } catch {
      // a neighbour took it as stale: nothing to release
    }
  }

  private removeStaleFiles(): void {
    const now = Date.now();
    for (const name of fs.readdirSync(this.dir)) {
      if (!name.endsWith(".log") || name === `${this.id}.log`) continue;
      try {
        const file = path.join(this.dir, name);
        if (now - fs.statSync(file).mtimeMs > STALE_FILE_MS && !isAlive(Number(name.split("-")[0]))) fs.rmSync(file, { force: true });
      } catch {
        // another process removed it first
      }
    }
  }
}

function isAlive(pid: number): boolean {
  if (!(pid > 0)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // alive, another user's
  }
}

const SLEEPER = new Int32Array(new SharedArrayBuffer(4));

/** Blocks this thread for `ms`: the lock is held for microseconds, and the decision it guards is synchronous. */
function sleepSync(ms: number): void {
  Atomics.wait(SLEEPER, 0, 0, ms);
}
