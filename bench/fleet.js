#!/usr/bin/env node
"use strict";
// Fleet benchmark: `npm run bench` (build, engine, then this file).
//
// A stack of 10 shares, each declaring 1 recipient and 1 resource inline plus 9 more of each as
// separate ShareRecipient / ShareResource resources (210 objects), is brought up, previewed,
// refreshed and destroyed with the real Pulumi engine (Automation API, file backend, offline)
// against the in-process emulator with settle times of 1–3 s, 20–50 ms latency and Cloudflare's
// real rate limit (1200 requests / 5 min, 5 min block). It runs twice, each time on a fresh
// emulator: with request coalescing (the default) and without (CLOUDFLARE_SHARING_TUNING
// {"coalesce":false}), and prints a markdown table, written also to bench/results/fleet.md.
//
// A second, large fleet (`--fleet large`): 100 shares × (10 recipients + 10 resources) = 2100
// objects, with the rate limit scaled to 1200 requests per 30 s (block 30 s) and settle times scaled
// alike (100–300 ms), so that the limit, not the settle time, bounds the run; `--parallel 2048`. It
// runs the default mode twice: as is, and with the engine's intermediate checkpoints off
// (PULUMI_SKIP_CHECKPOINTS=true), which measures what the file backend's checkpoint writes cost.
//
// Options: --fleet <small | large | all> (default all); --only <mode> runs one mode; --no-write
// skips bench/results and docs/benchmark.md; --rate-budget <json> adds client rate-budget settings
// (e.g. '{"writeReserve":0}') to every mode; --dump <file> writes the emulator's request logs and status
// histories as JSON (for diagnosis).

const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { LocalWorkspace, PulumiCommand, Stack } = require("@pulumi/pulumi/automation");
const { startEmulator } = require("../dist/emulator");
const { REPO, WORK_ROOT, PROGRAM, SEED, TOKEN, OWNER, hexId, log, engineRoot, updateTables, loadNow, emptyWindow } = require("./common");

const COMMAND = "npm run bench";

/** Settle times of every transition, in ms, scaled by `factor`. */
function timings(factor) {
  const range = [1000 * factor, 3000 * factor];
  return { recipientAssociateMs: range, recipientDisassociateMs: range, shareDeleteMs: range, resourceDeleteMs: range };
}

const FLEETS = {
  small: {
    name: "small",
    shares: 10,
    resultsFile: path.join(__dirname, "results", "fleet.md"),
    parallel: 256,
    rateLimit: { enabled: true, limit: 1200, windowMs: 300_000, blockMs: 300_000 },
    settleScale: 1,
    modes: [
      { name: "coalesced", tuning: {} }, // the provider's defaults
      { name: "uncoalesced", tuning: { coalesce: false } },
      // The engine's own share of the critical path: the file backend writes the whole checkpoint
      // before each create starts, one write at a time, so a Share's dependents start one by one.
      { name: "coalesced, no intermediate checkpoints", tuning: {}, env: { PULUMI_SKIP_CHECKPOINTS: "true" } },
    ],
    timeoutMs: { up: 600_000, preview: 180_000, refresh: 420_000, destroy: 600_000, cleanup: 420_000, setup: 120_000 },
  },
  large: {
    name: "large",
    shares: 100,
    resultsFile: path.join(__dirname, "results", "fleet-large.md"),
    parallel: 2048,
    // Cloudflare's 1200 requests, in a 30 s window instead of 5 minutes: the limit bounds the run.
    rateLimit: { enabled: true, limit: 1200, windowMs: 30_000, blockMs: 30_000 },
    emptyWindowBeforeDestroy: true,
    settleScale: 0.1,
    modes: [
      // With the file backend rewriting the whole checkpoint after every step, a 2100-object `up`
      // takes far longer than the rate limit does; it is run without intermediate checkpoints, and
      // the default is sampled: its `up` runs for `sampleMs`, and the steps it recorded are counted.
      { name: "coalesced, no intermediate checkpoints", tuning: {}, env: { PULUMI_SKIP_CHECKPOINTS: "true" } },
      { name: "coalesced, checkpoints (sampled)", tuning: {}, sampleMs: 120_000 },
      // A program that declares all 2100 resources in one synchronous loop: nothing reaches the
      // engine before the loop ends.
      { name: "coalesced, no intermediate checkpoints, one synchronous loop", tuning: {}, env: { PULUMI_SKIP_CHECKPOINTS: "true" }, synchronousLoop: true },
    ],
    timeoutMs: { up: 1_500_000, preview: 600_000, refresh: 900_000, destroy: 1_500_000, cleanup: 1_500_000, setup: 120_000 },
  },
};

// The fleet being run (set by useFleet; the benchmark runs one fleet at a time).
let FLEET;
let SHARES;
const RECIPIENTS_PER_SHARE = 10; // 1 inline + 9 ShareRecipient
const RESOURCES_PER_SHARE = 10; // 1 inline + 9 ShareResource
let OBJECTS;
// Shares (one POST with their inline items) and the separate ShareRecipient / ShareResource items.
let ONE_WRITE_OBJECTS;
let PARALLEL;
let RATE_LIMIT;
let EMULATOR_SETTINGS;
let MODES;
let TIMEOUT_MS;

function useFleet(fleet) {
  FLEET = fleet;
  SHARES = fleet.shares;
  OBJECTS = SHARES * (1 + RECIPIENTS_PER_SHARE + RESOURCES_PER_SHARE);
  ONE_WRITE_OBJECTS = SHARES + SHARES * (RECIPIENTS_PER_SHARE - 1 + RESOURCES_PER_SHARE - 1);
  PARALLEL = fleet.parallel;
  RATE_LIMIT = fleet.rateLimit;
  EMULATOR_SETTINGS = { timings: timings(fleet.settleScale), faults: { latencyMs: [20, 50] }, rateLimit: RATE_LIMIT };
  MODES = fleet.modes;
  TIMEOUT_MS = fleet.timeoutMs;
}

/** Extra client rate-budget settings for every mode (`--rate-budget <json>`, for diagnosis). */
let EXTRA_RATE_BUDGET = {};

/** The provider's tuning for a mode: its own, plus the rate window when the fleet scales it. */
function modeTuning(mode) {
  const tuning = { ...mode.tuning };
  const rateBudget = { ...(RATE_LIMIT.windowMs !== 300_000 ? { windowMs: RATE_LIMIT.windowMs } : {}), ...EXTRA_RATE_BUDGET };
  if (Object.keys(rateBudget).length) tuning.client = { rateBudget };
  return Object.keys(tuning).length ? JSON.stringify(tuning) : "";
}
/** After an abort (SIGINT to the engine), how long the engine gets to stop before we give up on it. */
const ABORT_GRACE_MS = 30_000;



function fleetConfig(mode) {
  const partners = Array.from({ length: RECIPIENTS_PER_SHARE }, (_, i) => hexId(`partner-${i}`));
  return {
    accountId: OWNER,
    // The program yields to the event loop between shares (what docs/limits-and-scale.md advises for large
    // stacks), unless the mode measures one synchronous loop.
    yieldBetweenShares: !mode.synchronousLoop,
    resourceType: "custom-ruleset",
    shares: Array.from({ length: SHARES }, (_, s) => ({
      key: `share-${String(s + 1).padStart(2, "0")}`,
      name: `fleet share ${s + 1}`,
      recipients: partners,
      resources: Array.from({ length: RESOURCES_PER_SHARE }, (_, r) => hexId(`ruleset-${s}-${r}`)),
    })),
  };
}

// ------------------------------------------------------------------ small helpers


function quantile(sorted, q) {
  if (sorted.length === 0) return undefined;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index];
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const fmtS = (ms) => (ms === undefined ? "–" : (ms / 1000).toFixed(1));
const fmtMs = (ms) => (ms === undefined ? "–" : String(Math.round(ms)));
const fmtRatio = (a, b) => (b > 0 ? `${(a / b).toFixed(2)}×` : a > 0 ? "∞" : "–");

/** Runs `run(signal)`; after `ms` aborts it (the engine gets SIGINT) and fails after a grace period. */
async function withTimeout(label, ms, run) {
  const controller = new AbortController();
  let timer;
  let graceTimer;
  let timedOut = false;
  const expiry = new Promise((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
      graceTimer = setTimeout(() => reject(new Error(`${label} timed out after ${ms / 1000} s (and did not stop when cancelled)`)), ABORT_GRACE_MS);
    }, ms);
  });
  try {
    return await Promise.race([run(controller.signal), expiry]);
  } catch (error) {
    if (timedOut) throw new Error(`${label} timed out after ${ms / 1000} s: ${error && error.message ? error.message.split("\n")[0] : error}`);
    throw error;
  } finally {
    clearTimeout(timer);
    clearTimeout(graceTimer);
  }
}


// ------------------------------------------------------------------ the engine's processes and files

const fmtMiB = (bytes) => (bytes === undefined ? "–" : (bytes / 1048576).toFixed(0));

/** Whether the process descends from this one (other work on the machine runs providers too). */
function descendsFromUs(pid) {
  for (let current = String(pid), hops = 0; current !== "0" && current !== "1" && hops < 64; hops++) {
    if (current === String(process.pid)) return true;
    // The parent pid is the 2nd field after the parenthesised command name.
    const stat = fs.readFileSync(`/proc/${current}/stat`, "utf8");
    current = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1];
  }
  return false;
}

/**
 * Peak memory of the dynamic provider process(es) the engine starts (Node running Pulumi's
 * dynamic-provider host): the largest VmHWM (peak resident set) seen in /proc while polling.
 */
function watchProviderMemory(everyMs = 250) {
  let peak;
  const poll = () => {
    let pids = [];
    try {
      pids = fs.readdirSync("/proc").filter((name) => /^\d+$/.test(name));
    } catch {
      return; // no /proc: not measured
    }
    for (const pid of pids) {
      try {
        const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
        if (!cmdline.includes("dynamic-provider") || !descendsFromUs(pid)) continue;
        const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
        if (match) peak = Math.max(peak ?? 0, Number(match[1]) * 1024);
      } catch {
        // the process ended meanwhile
      }
    }
  };
  const timer = setInterval(poll, everyMs);
  return {
    stop() {
      clearInterval(timer);
      poll();
    },
    peakBytes: () => peak,
  };
}

/**
 * How often the file backend wrote the stack's checkpoint: it writes each one to a new temporary
 * file (`<stack>.json.<random>.tmp`) and renames it into place, so the distinct temporary names
 * seen are the writes (a lower bound if the file system drops events).
 */
function watchCheckpointWrites(backendDir) {
  const seen = new Set();
  const stacks = path.join(backendDir, ".pulumi", "stacks");
  // One watcher per project folder (a recursive watch misses events in nested folders on Linux).
  const watchers = (fs.existsSync(stacks) ? fs.readdirSync(stacks) : []).map((project) =>
    fs.watch(path.join(stacks, project), (_event, file) => {
      if (file && /\.json\.[^/]+\.tmp$/.test(String(file))) seen.add(String(file));
    }),
  );
  return { stop: () => watchers.forEach((watcher) => watcher.close()), count: () => seen.size };
}

/** Where each resource's state bytes go (JSON of the stack export), per object. */
function stateBreakdown(resources) {
  const parts = { providerCode: 0, inputs: 0, outputs: 0, stackTraces: 0, engine: 0 };
  let dynamicResources = 0;
  for (const resource of resources) {
    const size = (value) => (value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value)));
    const providerCode = size(resource.inputs?.__provider) + size(resource.outputs?.__provider);
    if (resource.inputs?.__provider) dynamicResources += 1;
    const inputs = size(resource.inputs) - size(resource.inputs?.__provider);
    const outputs = size(resource.outputs) - size(resource.outputs?.__provider);
    const stackTraces = size(resource.stackTrace) + size(resource.sourcePosition);
    parts.providerCode += providerCode;
    parts.inputs += Math.max(0, inputs);
    parts.outputs += Math.max(0, outputs);
    parts.stackTraces += stackTraces;
    parts.engine += size(resource) - providerCode - Math.max(0, inputs) - Math.max(0, outputs) - stackTraces;
  }
  return { parts, dynamicResources };
}

/** The provider reference `pulumi.dynamic.Resource` would store (its serialized closure), for the "before" figure. */
function dynamicResourceReferenceBytes(programDir) {
  const script = `
    const pulumi = require("@pulumi/pulumi");
    (async () => {
      let total = 0;
      for (const name of ["share", "share-recipient", "share-resource"]) {
        const provider = require("pulumi-cloudflare-sharing/dist/provider/resources/" + name + "-provider.js");
        const result = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
        process.stdout.write(name + " " + Buffer.byteLength(JSON.stringify(result.text)) + "\\n");
      }
    })();`;
  const output = execFileSync(process.execPath, ["-e", script], { cwd: programDir, encoding: "utf8" });
  return Object.fromEntries(output.trim().split("\n").map((line) => line.split(" ")).map(([name, bytes]) => [name, Number(bytes)]));
}

// ------------------------------------------------------------------ reading the emulator's log

const PATH_RE = /^\/client\/v4\/accounts\/([^/]+)\/shares(?:\/([^/]+)(?:\/(recipients|resources)(?:\/([^/]+))?)?)?$/;

/** What a logged request addressed: the share list, one share, a sub-list or one item. */
function parseRequest(entry) {
  const m = PATH_RE.exec(entry.path);
  const includeResources = [].concat(entry.query.include_resources ?? []).includes("true");
  const includeCounts = [].concat(entry.query.include_recipient_counts ?? []).includes("true");
  if (!m) return { shareId: undefined, sub: undefined, itemId: undefined, includeResources, includeCounts, known: false };
  return { shareId: m[2], sub: m[3], itemId: m[4], includeResources, includeCounts, known: true };
}

/** A short name of the request's kind, e.g. "GET recipient list" or "POST share". */
function requestKind(entry) {
  const p = parseRequest(entry);
  const item = p.sub === "recipients" ? "recipient" : "resource";
  const collection = entry.method === "GET" ? " list" : ""; // POST to a collection creates one
  let what;
  if (!p.known) what = entry.path;
  else if (!p.shareId) what = `share${collection}`;
  else if (!p.sub) what = "share";
  else if (!p.itemId) what = `${item}${collection}`;
  else what = item;
  const extras = entry.method === "GET" ? `${p.includeResources ? " +resources" : ""}${p.includeCounts ? " +counts" : ""}` : "";
  return `${entry.method} ${what}${extras}`;
}

/** Whether a GET's answer shows `object` ({ type, id, shareId }). Lists are one page of ≤ 100: ours fit. */
function covers(request, object) {
  const p = request.parsed;
  if (!p.known) return false;
  switch (object.type) {
    case "share":
      return p.shareId === undefined || (p.shareId === object.id && p.sub === undefined);
    case "recipient":
      return p.shareId === object.shareId && p.sub === "recipients" && (p.itemId === undefined || p.itemId === object.id);
    case "resource":
      if (p.shareId === undefined) return p.includeResources;
      if (p.shareId !== object.shareId) return false;
      if (p.sub === undefined) return p.includeResources;
      return p.sub === "resources" && (p.itemId === undefined || p.itemId === object.id);
    default:
      return false;
  }
}

/**
 * Settle-detection overshoot of each object: the end of the first GET (or list) whose answer could
 * show it in its settled status, minus the moment it settled (from the emulator's history). An
 * answer is computed after the injected latency, i.e. just before the response ends, so a request
 * "could observe" the settle when `at + durationMs ≥ settledAt`; the figure in brackets uses the
 * stricter rule "arrived at or after the settle" (`at ≥ settledAt`).
 */
function overshoots(control, entries, objects, settledStatuses, okStatuses, countsCover = () => false) {
  const gets = entries
    .filter((e) => e.method === "GET" && okStatuses.includes(e.status))
    .map((e) => ({ ...e, end: e.at + e.durationMs, parsed: parseRequest(e) }));
  const shows = (g, object) => covers(g, object) || (g.parsed.includeCounts && g.status === 200 && countsCover(g, object));
  const byEnd = [...gets].sort((a, b) => a.end - b.end);
  const byArrival = [...gets].sort((a, b) => a.at - b.at);
  const values = [];
  const strict = [];
  const settleDurations = [];
  let unobserved = 0;
  for (const object of objects) {
    const history = control.history(object.id);
    const settled = history.find((change) => settledStatuses.includes(change.status));
    if (!settled) {
      unobserved += 1;
      continue;
    }
    const start = object.startAt ?? history[0].at;
    settleDurations.push(settled.at - start);
    const first = byEnd.find((g) => g.end >= settled.at && shows(g, object));
    if (!first) unobserved += 1;
    else values.push(first.end - settled.at);
    const firstStrict = byArrival.find((g) => g.at >= settled.at && shows(g, object));
    if (firstStrict) strict.push(firstStrict.end - settled.at);
  }
  values.sort((a, b) => a - b);
  strict.sort((a, b) => a - b);
  return {
    count: values.length,
    unobserved,
    median: median(values),
    p95: quantile(values, 0.95),
    max: values[values.length - 1],
    strictMedian: median(strict),
    strictP95: quantile(strict, 0.95),
    settleMedian: median(settleDurations),
  };
}

/** The object's status at `t` (from the emulator's history), undefined before it existed. */
function statusAt(control, id, t) {
  let status;
  for (const change of control.history(id)) {
    if (change.at > t) break;
    status = change.status;
  }
  return status;
}

/**
 * Whether a share list or GET with recipient counts, answered at `g.end`, showed every recipient of
 * the object's share in one of `statuses` (so the counts alone told the provider): `recipientsOf`
 * maps a share id to its recipient ids.
 */
function countsShowAll(control, recipientsOf, statuses) {
  return (g, object) => {
    const p = g.parsed;
    if (p.sub !== undefined || (p.shareId !== undefined && p.shareId !== object.shareId)) return false;
    const present = recipientsOf.get(object.shareId).map((id) => statusAt(control, id, g.end)).filter((status) => status !== undefined);
    return present.length > 0 && present.every((status) => statuses.includes(status));
  };
}

/**
 * Whether a share list or GET with recipient counts, answered at `g.end`, showed no recipient of the
 * object's share still leaving (`disassociating`) once the object itself was `disassociated`: the
 * provider reads from such counts that every recipient it saw leaving has been removed.
 */
function countsShowNoneLeaving(control, recipientsOf) {
  return (g, object) => {
    const p = g.parsed;
    if (p.sub !== undefined || (p.shareId !== undefined && p.shareId !== object.shareId)) return false;
    if (statusAt(control, object.id, g.end) !== "disassociated") return false;
    return recipientsOf.get(object.shareId).every((id) => statusAt(control, id, g.end) !== "disassociating");
  };
}

/**
 * Where `up`'s time goes, per share (medians and maxima over shares, seconds from the up call):
 * share created → inline recipient settled → seen settled → first separate item POSTed (the engine
 * hands the share id to the dependents) → last separate recipient settled → seen settled.
 */
function upPhases(control, afterUp, up) {
  const gets = up.entries.filter((e) => e.method === "GET" && e.status === 200).map((e) => ({ ...e, end: e.at + e.durationMs, parsed: parseRequest(e) }));
  const seenAt = (object, settledAt) => {
    const ends = gets.filter((g) => g.end >= settledAt && covers(g, object)).map((g) => g.end);
    return ends.length ? Math.min(...ends) : undefined;
  };
  const rows = afterUp.map((s) => {
    const shareCreated = control.history(s.share.id)[0].at;
    const recipients = s.recipients
      .map((r) => {
        const history = control.history(r.id);
        const settledAt = history.find((c) => c.status === "associated").at;
        return { id: r.id, createdAt: history[0].at, settledAt, seenAt: seenAt({ type: "recipient", id: r.id, shareId: s.share.id }, settledAt) };
      })
      .sort((a, b) => a.createdAt - b.createdAt);
    const [inline, ...separate] = recipients;
    const posts = up.entries.filter((e) => e.method === "POST" && parseRequest(e).shareId === s.share.id).map((e) => e.at);
    const lastSettled = Math.max(...separate.map((r) => r.settledAt));
    const lastSeen = Math.max(...separate.map((r) => r.seenAt ?? Infinity));
    return {
      shareCreated: shareCreated - up.started,
      inlineSettle: inline.settledAt - inline.createdAt,
      inlineSeenLate: inline.seenAt - inline.settledAt,
      handoff: Math.min(...posts) - inline.seenAt,
      postSpread: Math.max(...posts) - Math.min(...posts),
      lastSettled: lastSettled - up.started,
      lastSeen: lastSeen - up.started,
    };
  });
  const summary = {};
  for (const key of Object.keys(rows[0] ?? {})) {
    const values = rows.map((r) => r[key]);
    summary[key] = { median: median(values), max: Math.max(...values), min: Math.min(...values) };
  }
  return summary;
}

/**
 * When the engine saw each resource's `create` return: the moment the Automation API delivered its
 * resOutputsEvent (a gRPC stream since Pulumi 3.206, so no file polling in between), by object id.
 */
function createReturns(events) {
  const byId = new Map();
  for (const { at, event } of events) {
    const meta = event.resOutputsEvent?.metadata;
    if (meta?.op === "create" && meta.new?.id && !byId.has(meta.new.id)) byId.set(meta.new.id, at);
  }
  return byId;
}

/** When the engine started each resource's `create` step (its resourcePreEvent), by object id. */
function createStarts(events) {
  const byUrn = new Map();
  for (const { at, event } of events) {
    const meta = event.resourcePreEvent?.metadata;
    if (meta?.op === "create" && !byUrn.has(meta.urn)) byUrn.set(meta.urn, at);
  }
  const byId = new Map();
  for (const { event } of events) {
    const meta = event.resOutputsEvent?.metadata;
    if (meta?.op === "create" && meta.new?.id && byUrn.has(meta.urn)) byId.set(meta.new.id, byUrn.get(meta.urn));
  }
  return byId;
}

/**
 * `up`'s critical path, per object: its write reached the emulator → the last fact its `create`
 * waits for (from the emulator's history) → the first answer that could show that fact → the engine
 * saw the `create` return → (a Share) its dependents' first write. The facts a create waits for:
 * - Share: the share `active` (at once), its inline recipient `associated`, and its inline resource
 *   `active` and reported by the inline recipient at its version (§4.2);
 * - ShareRecipient: the recipient `associated`;
 * - ShareResource: the resource `active` and reported at its version by every recipient of its share.
 * The bench's emulator shows a resource's version on the recipients at once (no
 * `recipientResourceVersionLagMs`), so a resource's facts are its creation. The settle chain is the
 * longest chain of those facts one after another: per share, the Share's own (POST → its last fact),
 * then the slowest of its separate items (their POST → their last fact), the longest over shares.
 */
function criticalPath(control, afterUp, up, returns, starts) {
  const gets = up.entries.filter((e) => e.method === "GET" && e.status === 200).map((e) => ({ ...e, end: e.at + e.durationMs, parsed: parseRequest(e) }));
  const posts = up.entries.filter((e) => e.method === "POST").map((e) => ({ ...e, parsed: parseRequest(e) }));
  const created = (id) => control.history(id)[0].at;
  const associatedAt = (id) => control.history(id).find((c) => c.status === "associated").at;
  const activeAt = (id) => control.history(id).find((c) => c.status === "active").at;
  // The first answer, ending at or after the fact, that could show it.
  const firstSeen = (factAt, shows) => {
    const ends = gets.filter((g) => g.end >= factAt && shows(g)).map((g) => g.end);
    return ends.length ? Math.min(...ends) : undefined;
  };
  const recipientList = (shareId) => (g) => g.parsed.shareId === shareId && g.parsed.sub === "recipients" && g.parsed.itemId === undefined && g.parsed.includeResources;
  const recipientsOf = new Map(afterUp.map((s) => [s.share.id, s.recipients.map((r) => r.id)]));
  const allAssociated = countsShowAll(control, recipientsOf, ["associated"]);
  const rows = [];
  let chainMs = 0;
  for (const s of afterUp) {
    const byCreation = (items) => [...items].sort((a, b) => created(a.id) - created(b.id));
    const [inlineRecipient, ...recipients] = byCreation(s.recipients);
    const [inlineResource, ...resources] = byCreation(s.resources);
    const shareId = s.share.id;
    const dependentsWrite = Math.min(...posts.filter((p) => p.parsed.shareId === shareId).map((p) => p.at));
    const shareFact = Math.max(activeAt(shareId), associatedAt(inlineRecipient.id), activeAt(inlineResource.id), created(inlineResource.id));
    const shareSeen = firstSeen(shareFact, (g) => covers(g, { type: "recipient", id: inlineRecipient.id, shareId }) || (g.parsed.includeCounts && allAssociated(g, { type: "recipient", id: inlineRecipient.id, shareId })));
    rows.push({ type: "Share", id: shareId, shareId, startedAt: starts.get(shareId), writeAt: created(shareId), factAt: shareFact, seenAt: shareSeen, returnedAt: returns.get(shareId), dependentsAt: dependentsWrite });
    let slowestItem = 0;
    for (const r of recipients) {
      const factAt = associatedAt(r.id);
      slowestItem = Math.max(slowestItem, factAt - created(r.id));
      rows.push({ type: "ShareRecipient", id: r.id, shareId, startedAt: starts.get(r.id), writeAt: created(r.id), factAt, seenAt: firstSeen(factAt, (g) => covers(g, { type: "recipient", id: r.id, shareId })), returnedAt: returns.get(r.id) });
    }
    for (const r of resources) {
      const factAt = Math.max(activeAt(r.id), created(r.id));
      slowestItem = Math.max(slowestItem, factAt - created(r.id));
      rows.push({ type: "ShareResource", id: r.id, shareId, startedAt: starts.get(r.id), writeAt: created(r.id), factAt, seenAt: firstSeen(factAt, recipientList(shareId)), returnedAt: returns.get(r.id) });
    }
    chainMs = Math.max(chainMs, shareFact - created(shareId) + slowestItem);
  }
  const stat = (values) => {
    const known = values.filter((v) => v !== undefined && Number.isFinite(v)).sort((a, b) => a - b);
    return { median: median(known), p95: quantile(known, 0.95), missing: values.length - known.length };
  };
  const byType = {};
  for (const type of ["Share", "ShareRecipient", "ShareResource"]) {
    const of = rows.filter((r) => r.type === type);
    const span = (from, to) => stat(of.map((r) => (r[from] === undefined || r[to] === undefined ? undefined : r[to] - r[from])));
    byType[type] = {
      count: of.length,
      writeToFact: span("writeAt", "factAt"),
      overshoot: span("factAt", "seenAt"),
      seenToReturned: span("seenAt", "returnedAt"),
      factToReturned: span("factAt", "returnedAt"),
      returnedToDependents: type === "Share" ? span("returnedAt", "dependentsAt") : undefined,
    };
  }
  const spanMs = up.entries.length ? Math.max(...up.entries.map((e) => e.at + e.durationMs)) - Math.min(...up.entries.map((e) => e.at)) : undefined;
  return { rows, byType, chainMs, spanMs, lastChain: lastChain(rows, up), overshootMedian: stat(rows.map((r) => (r.seenAt === undefined ? undefined : r.seenAt - r.factAt))).median };
}

/**
 * Where the API span goes along the chain that ended last: the share whose last separate item was
 * seen settled last. Each part is Cloudflare's (a settle), the provider's (seeing a fact and
 * returning) or the engine's (starting a create, handing a Share's id to its dependents).
 */
function lastChain(rows, up) {
  if (up.entries.length === 0) return undefined;
  const firstAt = Math.min(...up.entries.map((e) => e.at));
  const lastEnd = Math.max(...up.entries.map((e) => e.at + e.durationMs));
  const items = rows.filter((r) => r.type !== "Share" && r.seenAt !== undefined);
  if (items.length === 0) return undefined;
  const lastItem = items.reduce((a, b) => (b.seenAt > a.seenAt ? b : a));
  const share = rows.find((r) => r.type === "Share" && r.shareId === lastItem.shareId);
  if (!share || share.returnedAt === undefined || share.seenAt === undefined) return undefined;
  // The engine's event for the first dependent's create (its step began) splits the hand-off: the
  // engine's part up to it, the provider's from it to that create's POST.
  const starts = rows.filter((r) => r.type !== "Share" && r.shareId === share.shareId && r.startedAt !== undefined).map((r) => r.startedAt);
  const dependentStart = starts.length ? Math.min(...starts) : share.dependentsAt;
  return {
    engineBeforePost: share.writeAt - firstAt,
    shareSettle: share.factAt - share.writeAt,
    shareSeen: share.seenAt - share.factAt,
    shareReturned: share.returnedAt - share.seenAt,
    engineHandOff: dependentStart - share.returnedAt,
    providerBeforePost: share.dependentsAt - dependentStart,
    itemWrite: lastItem.writeAt - share.dependentsAt,
    itemSettle: lastItem.factAt - lastItem.writeAt,
    itemSeen: lastItem.seenAt - lastItem.factAt,
    afterSeen: lastEnd - lastItem.seenAt,
  };
}

/**
 * The fewest requests `up` could send and still see every recipient settled within one `stepMs`
 * (what the median-overshoot goal takes), whatever the provider does: one write per object; one
 * recipient list per share to learn its inline recipients' ids (the create response carries none);
 * one recipient list per share per step in which one of its separate recipients settled (a share's
 * recipient counts say how many settled, not which one, and a ShareRecipient keeps its recipient's
 * own fields); and one account-wide look at the counts per step while any recipient is settling.
 */
function upFloor(control, afterUp, stepMs) {
  const writes = ONE_WRITE_OBJECTS;
  let identityLists = 0;
  const steps = new Set();
  for (const s of afterUp) {
    const [, ...separate] = s.recipients
      .map((r) => {
        const history = control.history(r.id);
        return { createdAt: history[0].at, settledAt: history.find((c) => c.status === "associated").at };
      })
      .sort((a, b) => a.createdAt - b.createdAt);
    identityLists += new Set(separate.map((r) => Math.floor(r.settledAt / stepMs))).size;
    for (const r of separate) for (let step = Math.floor(r.createdAt / stepMs); step <= Math.floor(r.settledAt / stepMs); step++) steps.add(step);
  }
  const total = writes + SHARES + identityLists + steps.size;
  return { stepMs, writes, idLists: SHARES, identityLists, countLooks: steps.size, total, perObject: total / OBJECTS };
}

function countRequests(entries) {
  const byMethod = { GET: 0, POST: 0, PUT: 0, DELETE: 0 };
  const byKind = {};
  let rateLimited = 0;
  for (const entry of entries) {
    byMethod[entry.method] = (byMethod[entry.method] ?? 0) + 1;
    const kind = requestKind(entry);
    byKind[kind] = (byKind[kind] ?? 0) + 1;
    if (entry.status === 429) rateLimited += 1;
  }
  return { total: entries.length, byMethod, byKind, rateLimited };
}

/** Everything the emulator holds for the owner: shares with recipients and resources. */
function snapshot(control) {
  return control.listShares(OWNER).map((share) => ({
    share,
    recipients: control.listRecipients(share.id),
    resources: control.listResources(share.id),
  }));
}

function statusOf(control, id) {
  const history = control.history(id);
  return history.length ? history[history.length - 1].status : "unknown";
}

// ------------------------------------------------------------------ one mode

async function runMode(mode, pulumiCommand, runDir) {
  const result = { mode: mode.name, ops: {}, notes: [] };
  const emulator = await startEmulator({ seed: SEED, settings: EMULATOR_SETTINGS });
  const { control } = emulator;
  const slug = mode.name.replace(/[^a-z0-9]+/g, "-");
  const modeDir = fs.mkdtempSync(path.join(runDir, `${slug}-`));
  const programDir = path.join(modeDir, "program");
  const backendDir = path.join(modeDir, "backend");
  const pulumiHome = path.join(modeDir, "pulumi-home");
  fs.cpSync(PROGRAM, programDir, { recursive: true });
  fs.mkdirSync(backendDir);
  fs.mkdirSync(pulumiHome);
  const envVars = {
    PULUMI_CONFIG_PASSPHRASE: "fleet-bench",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_BACKEND_URL: `file://${backendDir}`,
    PULUMI_HOME: pulumiHome,
    CLOUDFLARE_BASE_URL: emulator.url,
    CLOUDFLARE_API_TOKEN: TOKEN,
    CLOUDFLARE_SHARING_TUNING: modeTuning(mode),
    ...mode.env,
  };
  const output = [];
  const onOutput = (chunk) => output.push(chunk);
  let stack;
  let deployed = false;
  let destroyed = false;
  try {
    stack = await withTimeout(`${mode.name}: stack setup`, TIMEOUT_MS.setup, async () => {
      const workspace = await LocalWorkspace.create({ workDir: programDir, pulumiHome, envVars, pulumiCommand });
      const created = await Stack.create(`fleet-${slug}`, workspace);
      await created.setConfig("bench:fleet", { value: JSON.stringify(fleetConfig(mode)) });
      return created;
    });

    const measure = async (op, run) => {
      const from = control.requestLog().length;
      output.length = 0;
      const memory = watchProviderMemory();
      const checkpoints = watchCheckpointWrites(backendDir);
      const started = Date.now();
      let value;
      try {
        value = await withTimeout(`${mode.name}: ${op}`, TIMEOUT_MS[op], run);
      } finally {
        memory.stop();
        checkpoints.stop();
      }
      const ended = Date.now();
      const entries = control.requestLog().slice(from);
      // The provider prints a line whenever its rate budget holds a request back (runtime.ts).
      const rateHolds = output.join("").split("\n").filter((line) => line.includes("to stay under Cloudflare's rate limit")).length;
      const writesFirst = output.join("").split("\n").filter((line) => line.includes("writes-first")).length;
      // The provider prints a line when its rate budget's mode changes (latency ↔ saving).
      const modeChanges = output.join("").split("\n").filter((line) => /rate budget: (saving requests|spending on latency)/.test(line)).length;
      const measured = {
        op,
        wallMs: ended - started,
        started,
        ended,
        entries,
        requests: countRequests(entries),
        rateHolds,
        writesFirst,
        modeChanges,
        value,
        peakRssBytes: memory.peakBytes(),
        checkpointWrites: checkpoints.count(),
      };
      result.ops[op] = measured;
      log(
        `${mode.name} ${op}: ${fmtS(measured.wallMs)} s, ${measured.requests.total} requests, ${measured.requests.rateLimited} × 429, ` +
          `provider peak RSS ${fmtMiB(measured.peakRssBytes)} MiB, ~${measured.checkpointWrites} checkpoint writes`,
      );
      return measured;
    };

    if (mode.sampleMs) return await sampleUp(mode, stack, backendDir, onOutput, result);

    // ---- up
    log(`${mode.name}: up (${OBJECTS} objects, --parallel ${PARALLEL})…`);
    deployed = true; // from here on, cleanup must destroy
    // The engine's events, stamped as they arrive: when each resource's `create` returned.
    const upEvents = [];
    const onEvent = (event) => upEvents.push({ at: Date.now(), event });
    const up = await measure("up", (signal) => stack.up({ parallel: PARALLEL, onOutput, onEvent, signal }));
    if (up.value.summary.result !== "succeeded") throw new Error(`up ended ${up.value.summary.result}`);
    const afterUp = snapshot(control);
    const recipients = afterUp.flatMap((s) => s.recipients.map((r) => ({ type: "recipient", id: r.id, shareId: s.share.id, status: r.association_status })));
    const resources = afterUp.flatMap((s) => s.resources.map((r) => ({ type: "resource", id: r.id, shareId: s.share.id, status: r.status })));
    const shares = afterUp.map((s) => ({ type: "share", id: s.share.id, status: s.share.status }));
    const counts = `${shares.length} shares, ${recipients.length} recipients, ${resources.length} resources`;
    if (shares.length !== SHARES || recipients.length !== SHARES * RECIPIENTS_PER_SHARE || resources.length !== SHARES * RESOURCES_PER_SHARE) {
      throw new Error(`after up the emulator holds ${counts}, expected ${SHARES}/${SHARES * RECIPIENTS_PER_SHARE}/${SHARES * RESOURCES_PER_SHARE}`);
    }
    const unsettled = [...recipients.filter((r) => r.status !== "associated"), ...resources.filter((r) => r.status !== "active"), ...shares.filter((s) => s.status !== "active")];
    if (unsettled.length > 0) throw new Error(`up returned before ${unsettled.length} objects settled (e.g. ${unsettled[0].type} ${unsettled[0].id}: ${unsettled[0].status})`);
    // Every object settled before up returned (the emulator's histories say when).
    const lateSettles = recipients.filter((r) => control.history(r.id).find((c) => c.status === "associated").at > up.ended);
    if (lateSettles.length > 0) throw new Error(`${lateSettles.length} recipients settled after up returned`);

    // A Share's own (inline) recipients are answered by the share's counts once every recipient of
    // the share is associated (the Share keeps only their status); the others need a list.
    const recipientsOf = new Map(afterUp.map((s) => [s.share.id, s.recipients.map((r) => r.id)]));
    const inline = new Set(afterUp.map((s) => [...s.recipients].sort((a, b) => control.history(a.id)[0].at - control.history(b.id)[0].at)[0].id));
    const allAssociated = countsShowAll(control, recipientsOf, ["associated"]);
    up.overshoot = overshoots(control, up.entries, recipients, ["associated"], [200], (g, object) => inline.has(object.id) && allAssociated(g, object));
    // Longest settle chain: a share's inline recipient must settle before the Share resource is
    // created (its id is what the separate ShareRecipients need), then those settle.
    let chainMs = 0;
    let observedChainMs = 0;
    for (const s of afterUp) {
      const durations = s.recipients
        .map((r) => {
          const history = control.history(r.id);
          return { createdAt: history[0].at, settledAt: history.find((c) => c.status === "associated").at };
        })
        .sort((a, b) => a.createdAt - b.createdAt);
      const [inline, ...separate] = durations;
      const chain = inline.settledAt - inline.createdAt + Math.max(0, ...separate.map((d) => d.settledAt - d.createdAt));
      chainMs = Math.max(chainMs, chain);
      const shareCreated = control.history(s.share.id)[0].at;
      observedChainMs = Math.max(observedChainMs, Math.max(...durations.map((d) => d.settledAt)) - shareCreated);
    }
    up.critical = criticalPath(control, afterUp, up, createReturns(upEvents), createStarts(upEvents));
    // The settle chain counts every fact a create waits for (criticalPath), not only recipients.
    up.recipientChainMs = chainMs;
    up.chainMs = up.critical.chainMs;
    up.phases = upPhases(control, afterUp, up);
    up.floors = [500, 1000].map((stepMs) => upFloor(control, afterUp, stepMs));
    up.observedChainMs = observedChainMs;
    up.rateBoundMs = rateBoundMs(up.requests.total, ONE_WRITE_OBJECTS);
    const state = await withTimeout(`${mode.name}: export`, TIMEOUT_MS.setup, () => stack.exportStack());
    const stateResources = state.deployment.resources ?? [];
    up.stateBytes = Buffer.byteLength(JSON.stringify(stateResources));
    up.stateResources = stateResources.length;
    up.stateBreakdown = stateBreakdown(stateResources);
    // What the same state held when each resource stored dynamic.Resource's serialized closure.
    const closureBytes = dynamicResourceReferenceBytes(programDir);
    const kindOf = (type) => ({ Share: "share", ShareRecipient: "share-recipient", ShareResource: "share-resource" })[type.split(":").pop()];
    up.stateBytesWithClosures = stateResources.reduce((bytes, r) => {
      if (!r.inputs?.__provider) return bytes;
      const stored = Buffer.byteLength(JSON.stringify(r.inputs.__provider)) + Buffer.byteLength(JSON.stringify(r.outputs?.__provider ?? ""));
      return bytes - stored + 2 * closureBytes[kindOf(r.type)];
    }, up.stateBytes);
    up.firstRequestAt = up.entries.length ? Math.min(...up.entries.map((e) => e.at)) - up.started : undefined;
    up.lastResponseAt = up.entries.length ? Math.max(...up.entries.map((e) => e.at + e.durationMs)) - up.started : undefined;

    // ---- preview (no refresh): everything is known from state
    const preview = await measure("preview", (signal) => stack.preview({ parallel: PARALLEL, onOutput, signal }));
    preview.changes = preview.value.changeSummary;
    const previewChanged = Object.entries(preview.changes ?? {}).filter(([k, n]) => k !== "same" && n > 0);
    if (previewChanged.length > 0) result.notes.push(`preview right after up reported changes: ${JSON.stringify(preview.changes)}`);

    // ---- refresh
    const refresh = await measure("refresh", (signal) => stack.refresh({ parallel: PARALLEL, onOutput, signal }));
    if (refresh.value.summary.result !== "succeeded") throw new Error(`refresh ended ${refresh.value.summary.result}`);
    const refreshChanged = Object.entries(refresh.value.summary.resourceChanges ?? {}).filter(([k, n]) => k !== "same" && n > 0);
    if (refreshChanged.length > 0) result.notes.push(`refresh found drift: ${JSON.stringify(refresh.value.summary.resourceChanges)}`);

    // ---- destroy
    // Where the rate limit bounds the run, destroy starts from an empty window, as its bound assumes.
    if (FLEET.emptyWindowBeforeDestroy) await emptyWindow(control, RATE_LIMIT.windowMs);
    const beforeDestroy = snapshot(control);
    const destroy = await measure("destroy", (signal) => stack.destroy({ parallel: PARALLEL, onOutput, signal }));
    destroyed = true;
    if (destroy.value.summary.result !== "succeeded") throw new Error(`destroy ended ${destroy.value.summary.result}`);
    const everything = beforeDestroy.flatMap((s) => [
      { type: "share", id: s.share.id, shareId: s.share.id },
      ...s.recipients.map((r) => ({ type: "recipient", id: r.id, shareId: s.share.id })),
      ...s.resources.map((r) => ({ type: "resource", id: r.id, shareId: s.share.id })),
    ]);
    const recipientsByShare = new Map(beforeDestroy.map((s) => [s.share.id, s.recipients.map((r) => r.id)]));
    const allGone = countsShowAll(control, recipientsByShare, ["disassociated"]);
    const noneLeaving = countsShowNoneLeaving(control, recipientsByShare);
    const notGone = everything.filter((o) => !["deleted", "disassociated"].includes(statusOf(control, o.id)));
    if (notGone.length > 0) throw new Error(`after destroy ${notGone.length} objects are not gone (e.g. ${notGone[0].type} ${notGone[0].id}: ${statusOf(control, notGone[0].id)})`);
    // Gone-detection overshoot: from the moment each object was gone to the first answer that shows it.
    destroy.overshoot = overshoots(
      control,
      destroy.entries,
      everything.map((o) => {
        const history = control.history(o.id);
        const deleting = history.find((c) => c.status === "deleting" || c.status === "disassociating");
        return { ...o, startAt: deleting ? deleting.at : undefined };
      }),
      ["deleted", "disassociated"],
      [200, 404],
      // Counts showing every recipient of the share disassociated, or none of them still leaving,
      // answer each of their waits.
      (g, object) => object.type === "recipient" && (allGone(g, object) || noneLeaving(g, object)),
    );
    // Destroy's settle chain: a share is deleted after its separate recipients and resources are gone.
    let destroyChainMs = 0;
    for (const s of beforeDestroy) {
      const span = (id, gone) => {
        const history = control.history(id);
        const start = history.find((c) => c.status === "deleting" || c.status === "disassociating");
        const end = history.find((c) => gone.includes(c.status));
        return start && end ? end.at - start.at : 0;
      };
      const items = Math.max(0, ...s.recipients.map((r) => span(r.id, ["disassociated"])), ...s.resources.map((r) => span(r.id, ["deleted"])));
      destroyChainMs = Math.max(destroyChainMs, items + span(s.share.id, ["deleted"]));
    }
    destroy.chainMs = destroyChainMs;
    destroy.rateBoundMs = rateBoundMs(destroy.requests.total, ONE_WRITE_OBJECTS);
    destroy.firstRequestAt = destroy.entries.length ? Math.min(...destroy.entries.map((e) => e.at)) - destroy.started : undefined;
    destroy.lastResponseAt = destroy.entries.length ? Math.max(...destroy.entries.map((e) => e.at + e.durationMs)) - destroy.started : undefined;
    result.totalRateLimited = control.requestLog().filter((e) => e.status === 429).length;
    result.histories = Object.fromEntries(everything.map((o) => [o.id, { ...o, history: control.history(o.id) }]));
    return result;
  } catch (error) {
    const tail = output.join("").split("\n").slice(-40).join("\n");
    if (tail.trim()) log(`${mode.name}: last engine output:\n${tail}`);
    throw error;
  } finally {
    if (stack && deployed && !destroyed && !mode.sampleMs) {
      log(`${mode.name}: cleaning up (destroy)…`);
      await withTimeout(`${mode.name}: cleanup destroy`, TIMEOUT_MS.cleanup, (signal) => stack.destroy({ parallel: PARALLEL, signal })).catch((error) =>
        log(`${mode.name}: cleanup destroy failed: ${String(error && error.message).split("\n")[0]}`),
      );
    }
    await emulator.stop().catch(() => undefined);
    // A cancelled engine may still be writing there for a moment.
    try {
      fs.rmSync(modeDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 500 });
    } catch (error) {
      log(`${mode.name}: could not remove ${path.relative(REPO, modeDir)}: ${error.message}`);
    }
  }
}

/**
 * Runs `up` for `mode.sampleMs` with the engine's default checkpointing, then cancels it, and reads
 * how far it got: the resources the checkpoint records and its size. The emulator and the stack are
 * thrown away afterwards (nothing to clean up).
 */
async function sampleUp(mode, stack, backendDir, onOutput, result) {
  log(`${mode.name}: up for ${mode.sampleMs / 1000} s (${OBJECTS} objects, --parallel ${PARALLEL})…`);
  const controller = new AbortController();
  const started = Date.now();
  const memory = watchProviderMemory();
  const checkpoints = watchCheckpointWrites(backendDir);
  const running = stack.up({ parallel: PARALLEL, onOutput, signal: controller.signal }).catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, mode.sampleMs));
  const file = findCheckpoint(backendDir);
  const text = file ? fs.readFileSync(file, "utf8") : "{}";
  const latest = JSON.parse(text).checkpoint?.latest ?? {};
  result.sample = {
    ms: Date.now() - started,
    recorded: (latest.resources ?? []).filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/")).length,
    pending: (latest.pending_operations ?? []).length,
    checkpointBytes: Buffer.byteLength(text),
    checkpointWrites: checkpoints.count(),
    peakRssBytes: memory.peakBytes(),
  };
  memory.stop();
  checkpoints.stop();
  controller.abort();
  await Promise.race([running, new Promise((resolve) => setTimeout(resolve, ABORT_GRACE_MS))]);
  log(`${mode.name}: after ${fmtS(result.sample.ms)} s the checkpoint records ${result.sample.recorded} of ${ONE_WRITE_OBJECTS} resources (${result.sample.pending} operations pending), ${result.sample.checkpointBytes} bytes`);
  return result;
}

function findCheckpoint(backendDir) {
  const stacks = path.join(backendDir, ".pulumi", "stacks");
  if (!fs.existsSync(stacks)) return undefined;
  for (const project of fs.readdirSync(stacks)) {
    const dir = path.join(stacks, project);
    const file = fs.readdirSync(dir).find((name) => name.endsWith(".json"));
    if (file) return path.join(dir, file);
  }
  return undefined;
}

// ------------------------------------------------------------------ report

/**
 * The rate-limit bound of an operation. The small fleet fits in one window: ⌈(requests − limit) /
 * limit⌉ extra windows (0 there). The large fleet is bounded by the limit by design: the requests
 * it needs at minimum (one write per object written on its own) ÷ the allowed rate (limit / window).
 */
/** Requests per second Cloudflare allows from one IP address, whatever the window has left. */
const PER_IP_RATE = 200;

/**
 * The rolling-window bound of `requests`: the first window's worth go at once (at `PER_IP_RATE`), each
 * further window's worth one window later, plus the engine's own time before the first request.
 */
function rollingBoundMs(requests, engineBeforeMs) {
  const windows = Math.ceil(requests / RATE_LIMIT.limit);
  const lastBatch = requests - (windows - 1) * RATE_LIMIT.limit;
  return (windows - 1) * RATE_LIMIT.windowMs + (lastBatch / PER_IP_RATE) * 1000 + engineBeforeMs;
}

/**
 * The rolling window's bound at the pace the engine handed out requests: the provider's capacity
 * (the quota less its 5 % margin) goes in the first window at the engine's pace, and every request
 * beyond it waits until one of those leaves the window, one window after it was sent.
 */
function pacedBound(m) {
  const at = m.entries.map((e) => e.at).sort((a, b) => a - b);
  const capacity = Math.floor(RATE_LIMIT.limit * 0.95);
  const rest = Math.max(0, at.length - capacity);
  const fillMs = at[Math.min(capacity, at.length) - 1] - at[0];
  const restMs = rest > 0 ? at[Math.min(rest, capacity) - 1] - at[0] : 0;
  const windows = Math.ceil(at.length / capacity) - 1;
  return { capacity, rest, fillMs, restMs, boundMs: m.firstRequestAt + windows * RATE_LIMIT.windowMs + restMs };
}

function rateBoundMs(requests, minimumRequests) {
  if (FLEET.name === "small") return Math.ceil(Math.max(0, requests - RATE_LIMIT.limit) / RATE_LIMIT.limit) * RATE_LIMIT.windowMs;
  return (minimumRequests / RATE_LIMIT.limit) * RATE_LIMIT.windowMs;
}

const fmtWindow = (ms) => (ms >= 60_000 ? `${ms / 60_000} min` : `${ms / 1000} s`);

function row(op, mode, m) {
  const r = m.requests;
  const o = m.overshoot;
  return `| ${op} | ${mode} | ${fmtS(m.wallMs)} | ${r.byMethod.GET} | ${r.byMethod.POST} | ${r.byMethod.PUT} | ${r.byMethod.DELETE} | ${r.total} | ${(r.total / OBJECTS).toFixed(2)} | ${r.rateLimited} | ${o ? fmtMs(o.median) : "–"} | ${o ? fmtMs(o.p95) : "–"} |`;
}

function report(allResults, meta) {
  const ops = ["up", "preview", "refresh", "destroy"];
  const sampled = allResults.filter((r) => r.sample);
  const results = allResults.filter((r) => !r.sample);
  const lines = [];
  lines.push(`Command: \`${COMMAND}\` (runs \`node bench/fleet.js\` after the build) — ${meta.date}, Node ${process.version}, Pulumi ${meta.engine}, ${os.cpus().length} CPUs.`);
  lines.push("");
  lines.push(
    `Stack: ${SHARES} shares, each with 1 recipient and 1 resource inline plus ${RECIPIENTS_PER_SHARE - 1} ShareRecipient and ${RESOURCES_PER_SHARE - 1} ShareResource ` +
      `= ${OBJECTS} objects (${ONE_WRITE_OBJECTS} created one write each). Emulator: settle ${FLEET.settleScale}–${3 * FLEET.settleScale} s, latency 20–50 ms, ` +
      `rate limit ${RATE_LIMIT.limit} / ${fmtWindow(RATE_LIMIT.windowMs)} (block ${fmtWindow(RATE_LIMIT.blockMs)})` +
      `${FLEET.name === "large" ? " — Cloudflare's limit and settle times both scaled by 1/10, so that the limit bounds the run; the provider's budget is told the 30 s window" : ""}, ` +
      `seed ${SEED}, a fresh emulator per mode. Engine: \`--parallel ${PARALLEL}\` for every operation. ` +
      (FLEET.name === "small"
        ? `Modes: **coalesced** (the default) and **uncoalesced** (\`CLOUDFLARE_SHARING_TUNING='{"coalesce":false}'\`).`
        : `Modes: **coalesced** (the default) and the same **with no intermediate checkpoints** (\`PULUMI_SKIP_CHECKPOINTS=true\`, the engine writes the checkpoint only at the end), ` +
          `and that again with the program declaring every resource in **one synchronous loop**.`) +
      ` Program (\`bench/program/index.js\`): it yields to the event loop between shares (\`await new Promise(setImmediate)\`), so the engine starts on the first shares while it declares the rest` +
      `${FLEET.name === "large" ? ", except in the synchronous-loop mode" : ""}.` +
      ` Load: ${meta.load}.`,
  );
  lines.push("");
  const tableStart = lines.length;
  lines.push("| Operation | Mode | Wall (s) | GET | POST | PUT | DELETE | Requests | Requests / object | 429s | Overshoot median (ms) | Overshoot p95 (ms) |");
  lines.push("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const op of ops) for (const r of results) if (r.ops[op]) lines.push(row(op, r.mode, r.ops[op]));
  const summary = lines.slice(tableStart);
  const c = results.find((r) => r.mode === MODES[0].name);
  const u = results.find((r) => r.mode === MODES[1]?.name);
  if (c && u) {
    lines.push("");
    lines.push(`Side by side (${u.mode} ÷ ${c.mode}):`);
    lines.push("");
    lines.push("| Operation | Requests | Wall time |");
    lines.push("|---|---:|---:|");
    for (const op of ops) {
      lines.push(`| ${op} | ${u.ops[op].requests.total} ÷ ${c.ops[op].requests.total} = ${fmtRatio(u.ops[op].requests.total, c.ops[op].requests.total)} | ${fmtRatio(u.ops[op].wallMs, c.ops[op].wallMs)} |`);
    }
  }

  // Where each created object's time goes between its last awaited fact and the engine's next step.
  const critical = results.filter((r) => r.ops.up?.critical);
  if (critical.length > 0) {
    const criticalStart = lines.length;
    lines.push("");
    lines.push("Critical path of `up` (ms, median unless marked; per object: write → the last fact its create waits for → first answer that could show it → the engine saw the create return):");
    lines.push("");
    lines.push("| Mode | Type | Objects | Write → last fact | Last fact → seen (overshoot) | Seen → returned | Seen → returned p95 | Last fact → returned | Returned → dependents' first write |");
    lines.push("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    for (const r of critical) {
      for (const [type, t] of Object.entries(r.ops.up.critical.byType)) {
        const dependents = t.returnedToDependents ? fmtMs(t.returnedToDependents.median) : "–";
        lines.push(
          `| ${r.mode} | ${type} | ${t.count} | ${fmtMs(t.writeToFact.median)} | ${fmtMs(t.overshoot.median)} | ${fmtMs(t.seenToReturned.median)} | ${fmtMs(t.seenToReturned.p95)} | ${fmtMs(t.factToReturned.median)} | ${dependents} |`,
        );
      }
    }
    lines.push("");
    for (const r of critical) {
      const { up } = r.ops;
      const { chainMs, spanMs, overshootMedian } = up.critical;
      lines.push(
        `- ${r.mode}: settle chain ${fmtS(chainMs)} s; API span (first request → last response) ${fmtS(spanMs)} s = ${fmtRatio(spanMs, chainMs)} the chain; ` +
          `median overshoot over every created object ${fmtMs(overshootMedian)} ms; ${(up.requests.total / OBJECTS).toFixed(2)} requests per object; ` +
          `\`up\` ${fmtS(up.wallMs)} s, of which the engine's own ${fmtS(up.firstRequestAt)} s before the first request and ${fmtS(up.wallMs - up.lastResponseAt)} s after the last response.`,
      );
      const c = up.critical.lastChain;
      if (c && FLEET.name === "small") {
        const engine = c.engineBeforePost + c.engineHandOff;
        const provider = c.shareSeen + c.shareReturned + c.itemSeen;
        lines.push(
          `  The span along the chain that ended last (ms): the engine sent its Share's POST ${fmtMs(c.engineBeforePost)} after the first request; Cloudflare settled the Share in ${fmtMs(c.shareSettle)}; ` +
            `the provider saw that ${fmtMs(c.shareSeen)} later and returned ${fmtMs(c.shareReturned)} after; the engine announced the first dependent's create ${fmtMs(c.engineHandOff)} later (its event) ` +
            `and its POST came ${fmtMs(c.providerBeforePost)} after that (the engine's checkpoint write before it calls the provider, where checkpoints are on; the provider's journal entry and its look for a record already holding the key); ` +
            `the last of them was written ${fmtMs(c.itemWrite)} after the first, settled in ${fmtMs(c.itemSettle)} and was seen ${fmtMs(c.itemSeen)} later; the last response ended ${fmtMs(c.afterSeen)} after that. ` +
            `The engine's part: ${fmtMs(engine)} (${((100 * engine) / up.critical.spanMs).toFixed(0)} % of the span); the provider's (seeing and returning): ${fmtMs(provider)} (${((100 * provider) / up.critical.spanMs).toFixed(0)} %); ` +
            `between the dependent's event and its POST (both): ${fmtMs(c.providerBeforePost)} (${((100 * c.providerBeforePost) / up.critical.spanMs).toFixed(0)} %).`,
        );
      }
    }
    summary.push(...lines.slice(criticalStart));
  }

  // Goals, judged on the default (coalesced) mode; uncoalesced shown for reference.
  const goals = (r) => (FLEET.name === "small" ? smallGoals(r) : largeGoals(r));
  const largeGoals = (r) => {
    const { up, destroy } = r.ops;
    const engineShare = (m) => `before the first request ${fmtS(m.firstRequestAt)} s, after the last response ${fmtS(m.wallMs - m.lastResponseAt)} s`;
    return [
      { goal: "429 responses (all operations)", target: "0", value: r.totalRateLimited, show: String, met: (v) => v === 0 },
      {
        goal: "up: wall time",
        target: `≤ 1.15 × rate-limit bound (${ONE_WRITE_OBJECTS} writes ÷ ${RATE_LIMIT.limit} per ${fmtWindow(RATE_LIMIT.windowMs)} = ${fmtS(up.rateBoundMs)} s) = ${fmtS(1.15 * up.rateBoundMs)} s`,
        value: up.wallMs,
        show: (v) => `${fmtS(v)} s (${(v / up.rateBoundMs).toFixed(2)}×; ${engineShare(up)})`,
        met: (v) => v <= 1.15 * up.rateBoundMs,
      },
      {
        goal: "destroy: wall time",
        target: `≤ 1.15 × rate-limit bound (${ONE_WRITE_OBJECTS} deletes ÷ the same rate = ${fmtS(destroy.rateBoundMs)} s) = ${fmtS(1.15 * destroy.rateBoundMs)} s`,
        value: destroy.wallMs,
        show: (v) => `${fmtS(v)} s (${(v / destroy.rateBoundMs).toFixed(2)}×; ${engineShare(destroy)})`,
        met: (v) => v <= 1.15 * destroy.rateBoundMs,
      },
      ...[up, destroy].map((m) => {
        const bound = rollingBoundMs(ONE_WRITE_OBJECTS, m.firstRequestAt);
        return {
          goal: `${m.op}: wall time against the rolling-window bound`,
          target: `≤ 1.15 × (${fmtWindow(RATE_LIMIT.windowMs)} × (⌈${ONE_WRITE_OBJECTS} / ${RATE_LIMIT.limit}⌉ − 1) + the last batch at ${PER_IP_RATE}/s + the engine's ${fmtS(m.firstRequestAt)} s before the first request = ${fmtS(bound)} s) = ${fmtS(1.15 * bound)} s`,
          value: m.wallMs,
          show: (v) => `${fmtS(v)} s (${(v / bound).toFixed(2)}×)`,
          met: (v) => v <= 1.15 * bound,
        };
      }),
      ...[up, destroy].map((m) => {
        const paced = pacedBound(m);
        return {
          goal: `${m.op}: wall time against the rolling-window bound at the engine's pace`,
          target: `(reported) the engine handed out the first window's ${paced.capacity} requests in ${fmtS(paced.fillMs)} s (${Math.round((1000 * paced.capacity) / paced.fillMs)} a second, against ${PER_IP_RATE}); the window lets the other ${paced.rest} go only as those leave it: the engine's ${fmtS(m.firstRequestAt)} s before the first request + ${fmtWindow(RATE_LIMIT.windowMs)} + the ${fmtS(paced.restMs)} s the first ${paced.rest} took = ${fmtS(paced.boundMs)} s`,
          value: m.wallMs,
          show: (v) => `${fmtS(v)} s (${(v / paced.boundMs).toFixed(2)}×)`,
          met: () => true,
        };
      }),
      { goal: "up: requests per object", target: "(reported)", value: up.requests.total / OBJECTS, show: (v) => v.toFixed(2), met: () => true },
      { goal: "destroy: requests per object", target: "(reported)", value: destroy.requests.total / OBJECTS, show: (v) => v.toFixed(2), met: () => true },
    ];
  };
  const smallGoals = (r) => {
    const up = r.ops.up;
    const refreshLimit = SHARES + 2 * Math.ceil(OBJECTS / 100);
    const overshootLimit = Math.max(300, 0.1 * (up.overshoot.settleMedian ?? 0));
    const wallBound = Math.max(up.rateBoundMs, up.chainMs);
    const all429 = r.totalRateLimited;
    const critical = up.critical;
    const slowestReturn = Math.max(...Object.values(critical.byType).map((t) => t.seenToReturned.median ?? Infinity));
    return [
      {
        goal: "up: each type's create returns after its last awaited fact is seen, median",
        target: "≤ 300 ms",
        value: slowestReturn,
        show: (v) => `${fmtMs(v)} ms (the slowest type; ${Object.entries(critical.byType).map(([type, t]) => `${type} ${fmtMs(t.seenToReturned.median)}`).join(", ")})`,
        met: (v) => v <= 300,
      },
      {
        goal: "up: API span (first request → last response)",
        target: `≤ 1.15 × the settle chain (${fmtS(critical.chainMs)} s) = ${fmtS(1.15 * critical.chainMs)} s`,
        value: critical.spanMs,
        show: (v) => `${fmtS(v)} s (${fmtRatio(v, critical.chainMs)})`,
        met: (v) => v <= 1.15 * critical.chainMs,
      },
      { goal: "up: requests per object", target: "≤ 1.15", value: up.requests.total / OBJECTS, show: (v) => v.toFixed(2), met: (v) => v <= 1.15 },
      { goal: "destroy: requests per object", target: "≤ 1.3", value: r.ops.destroy.requests.total / OBJECTS, show: (v) => v.toFixed(2), met: (v) => v <= 1.3 },
      {
        goal: "up: settle-detection overshoot, median",
        target: `≤ 10 % of the settle time (median ${fmtMs(up.overshoot.settleMedian)} ms) or ≤ 300 ms, i.e. ≤ ${fmtMs(overshootLimit)} ms`,
        value: up.overshoot.median,
        show: (v) => `${fmtMs(v)} ms (p95 ${fmtMs(up.overshoot.p95)} ms)`,
        met: (v) => v !== undefined && v <= overshootLimit && up.overshoot.unobserved === 0,
      },
      { goal: "429 responses (all operations)", target: "0", value: all429, show: String, met: (v) => v === 0 },
      { goal: "preview (no refresh): requests", target: "0", value: r.ops.preview.requests.total, show: String, met: (v) => v === 0 },
      { goal: "refresh: requests", target: `≤ shares + 2 × ⌈objects / 100⌉ = ${refreshLimit}`, value: r.ops.refresh.requests.total, show: String, met: (v) => v <= refreshLimit },
      {
        goal: "up: wall time",
        target: `≤ 1.15 × max(rate-limit bound ${fmtS(up.rateBoundMs)} s, longest settle chain ${fmtS(up.chainMs)} s) = ${fmtS(1.15 * wallBound)} s`,
        value: up.wallMs,
        show: (v) =>
          `${fmtS(v)} s (${(v / wallBound).toFixed(2)}×); first request → last response ${fmtS(up.lastResponseAt - up.firstRequestAt)} s ` +
          `(${((up.lastResponseAt - up.firstRequestAt) / wallBound).toFixed(2)}×)`,
        met: (v) => v <= 1.15 * wallBound,
      },
    ];
  };
  let allMet = true;
  if (c) {
    lines.push("");
    lines.push(`Goals (judged on the default, coalesced mode; ${MODES[1].name} for reference):`);
    lines.push("");
    lines.push(`| Goal | Target | Measured (coalesced) | Met | ${MODES[1].name} |`);
    lines.push("|---|---|---|---|---|");
    const cg = goals(c);
    const ug = u ? goals(u) : [];
    cg.forEach((g, i) => {
      const met = g.met(g.value);
      allMet &&= met;
      const ref = ug[i] ? `${ug[i].show(ug[i].value)} (${ug[i].met(ug[i].value) ? "met" : "missed"})` : "–";
      lines.push(`| ${g.goal} | ${g.target} | ${g.show(g.value)} | ${met ? "**met**" : "**missed**"} | ${ref} |`);
    });
    summary.push("", ...lines.slice(lines.indexOf("| Goal | Target | Measured (coalesced) | Met | " + MODES[1].name + " |")));
  }

  lines.push("");
  lines.push("How it is measured:");
  lines.push("");
  lines.push(`- *Wall*: the Automation API call (\`stack.up/preview/refresh/destroy({ parallel: ${PARALLEL} })\`), engine start-up and program run included.`);
  lines.push(`- *Requests*: every \`/client/v4\` request the emulator logged during the operation; *requests / object* divides by the stack's ${OBJECTS} objects.`);
  lines.push(
    "- *Overshoot* (settle detection): per object, the end of the first GET or list whose answer could show the object settled " +
      "(a GET of it, a list of its share's recipients or resources, a share GET or share list with `include_resources` for a resource; " +
      "a share GET or list with recipient counts for a recipient when the counts show every recipient of its share gone or, once it is gone, none of them still leaving (`destroy`) or, for a Share's " +
      "own recipient (the Share keeps only its status), every recipient of its share `associated` (`up`); " +
      "the answer is computed after the injected latency, so a request counts when `at + durationMs ≥ settled`), minus the moment the emulator's " +
      `history says it settled. For \`up\`: the ${SHARES * RECIPIENTS_PER_SHARE} recipients (\`associating\` → \`associated\`; shares and resources are \`active\` at once). ` +
      `For \`destroy\`: all ${OBJECTS} objects (→ \`deleted\` / \`disassociated\`, 404 counts as gone). Measured on the emulator side: it is when the provider *could* have known, ` +
      "a lower bound of when the engine reported the object done.",
  );
  lines.push(
    "- *Critical path* (`up`), per created object, from the emulator's request log and status history and the engine's events: its write (the emulator's creation time) → " +
      "the last fact its `create` legitimately waits for (a Share: its inline recipient `associated` and its inline resource `active` and reported by that recipient at its version; " +
      "a ShareRecipient: `associated`; a ShareResource: `active` and reported at its version by every recipient of its share; the bench's emulator reports a resource's version at once) → " +
      "*seen*: the end of the first answer that could show that fact (as for the overshoot) → *returned*: when the engine's event stream (Automation API `onEvent`, a gRPC stream) delivered the " +
      "resource's outputs → for a Share, its dependents' first write. A negative *seen → returned* means the provider learned the fact from an answer the bench does not count (a Share's recipient counts, say).",
  );
  lines.push("- *Settle chain* (`up`): the longest chain of facts the provider legitimately waits for, from the emulator's history: max over shares of the Share's own (its POST → its last fact) " +
    "plus the slowest of its separate ShareRecipients and ShareResources (their POST → their last fact), since they can only be created once the Share has returned its id. " +
    "*API span*: the first request's start → the last response's end. " +
    (FLEET.name === "small"
      ? "*Rate-limit bound*: ⌈(requests − 1200) / 1200⌉ extra 5-minute windows."
      : `*Rate-limit bound* (steady rate): the requests needed at minimum (${ONE_WRITE_OBJECTS}: one write per object written on its own) ÷ the allowed rate (${RATE_LIMIT.limit} per ${fmtWindow(RATE_LIMIT.windowMs)}). ` +
        `*Rolling-window bound*: a rolling window lets the first ${RATE_LIMIT.limit} go at once (at most ${PER_IP_RATE} a second), so N requests need ${fmtWindow(RATE_LIMIT.windowMs)} × (⌈N / ${RATE_LIMIT.limit}⌉ − 1) ` +
        `plus the last batch at ${PER_IP_RATE} a second, plus the engine's own time before the first request.`));
  lines.push(
    "- *Engine*: the time before the first request (engine start, program run, first steps) and after the last response (wrap-up, last checkpoint); " +
      "`preview` sends no request, so its wall time is the engine's and the program's own cost; *checkpoint writes*: the temporary files the file backend writes each checkpoint to before renaming it into place " +
      "(a lower bound if the file system drops events); *provider peak RSS*: the largest VmHWM of the dynamic provider process (Node) seen in /proc, polled every 250 ms.",
  );
  lines.push("");
  lines.push("Details:");
  lines.push("");
  for (const r of results) {
    const up = r.ops.up;
    lines.push(
      `- ${r.mode}: up — settle chain ${fmtS(up.chainMs)} s (recipients only: ${fmtS(up.recipientChainMs)} s; first share create → its last recipient settled, as observed: ${fmtS(up.observedChainMs)} s), ` +
        `rate-limit bound ${fmtS(up.rateBoundMs)} s; first request ${fmtS(up.firstRequestAt)} s and last response ${fmtS(up.lastResponseAt)} s after the up call started ` +
        `(engine start-up and program run before, engine wrap-up after); preview (no requests) took ${fmtS(r.ops.preview.wallMs)} s. ` +
        `Overshoot under the stricter "arrived after the settle" rule: median ${fmtMs(up.overshoot.strictMedian)} ms, p95 ${fmtMs(up.overshoot.strictP95)} ms; ` +
        `max ${fmtMs(up.overshoot.max)} ms${up.overshoot.unobserved ? `; ${up.overshoot.unobserved} recipients never observed settled` : ""}.`,
    );
    const b = up.stateBreakdown.parts;
    const per = (bytes) => Math.round(bytes / OBJECTS);
    lines.push(
      `- ${r.mode}: state ${up.stateBytes} bytes for ${up.stateResources} state entries = **${per(up.stateBytes)} bytes per object** ` +
        `(JSON of the stack export's resources ÷ ${OBJECTS}); with \`dynamic.Resource\`'s serialized provider closure instead of the one-line reference it would be ` +
        `${per(up.stateBytesWithClosures)} bytes per object. Per object: provider reference ${per(b.providerCode)} (stored twice: inputs and outputs), inputs ${per(b.inputs)}, ` +
        `outputs ${per(b.outputs)}, the SDK's stack traces and source positions ${per(b.stackTraces)}, other engine fields (URN, parent, dependencies, provider, timestamps) ${per(b.engine)}.`,
    );
    lines.push(
      `- ${r.mode}: engine — ${["up", "preview", "refresh", "destroy"].map((op) => `${op} ${fmtS(r.ops[op].wallMs)} s, ~${r.ops[op].checkpointWrites} checkpoint writes, provider peak RSS ${fmtMiB(r.ops[op].peakRssBytes)} MiB`).join("; ")}; ` +
        `preview (no request) costs ${fmtMs(r.ops.preview.wallMs / OBJECTS)} ms per object; up: first request ${fmtS(up.firstRequestAt)} s after the call, last response ${fmtS(up.wallMs - up.lastResponseAt)} s before it returned; ` +
        `destroy: ${fmtS(r.ops.destroy.firstRequestAt)} s and ${fmtS(r.ops.destroy.wallMs - r.ops.destroy.lastResponseAt)} s. ` +
        `Provider lines "writes-first" (looks held so writes go first): ${["up", "refresh", "destroy"].map((op) => `${op} ${r.ops[op].writesFirst}`).join(", ")}; ` +
        `lines saying the rate budget's mode changed (saving requests ↔ spending on latency): ${["up", "refresh", "destroy"].map((op) => `${op} ${r.ops[op].modeChanges}`).join(", ")}.`,
    );
    const ph = up.phases;
    const span = (k) => `${fmtS(ph[k].median)} s (${fmtS(ph[k].min)}–${fmtS(ph[k].max)})`;
    lines.push(
      `- ${r.mode}: up, per share (median, range over the ${SHARES} shares; times from the up call): share created at ${span("shareCreated")}; ` +
        `inline recipient settled after ${span("inlineSettle")}, seen settled ${span("inlineSeenLate")} later; ` +
        `first separate item POSTed ${span("handoff")} after that (Share create returns, the engine hands its id to the dependents); ` +
        `separate POSTs spread over ${span("postSpread")}; last separate recipient settled at ${span("lastSettled")}, seen at ${span("lastSeen")}; up returned at ${fmtS(up.wallMs)} s.`,
    );
    if (FLEET.name === "small") {
      const floor = (f) =>
        `${f.total} = ${f.perObject.toFixed(2)} per object (${f.writes} writes + ${f.idLists} lists for the inline recipients' ids + ${f.identityLists} lists, one per share per ${fmtMs(f.stepMs)} ms step in which one of its recipients settled + ${f.countLooks} looks at the counts, one per step while any settled)`;
      lines.push(
        `- ${r.mode}: up, fewest requests that could see every recipient settled within one step, whatever the provider does (a share's counts say how many of its recipients settled, not which): ` +
          `with 500 ms steps (what a median overshoot of 300 ms or less takes) ${floor(up.floors[0])}; with 1 s steps ${floor(up.floors[1])}.`,
      );
    }
    const d = r.ops.destroy;
    lines.push(
      `- ${r.mode}: destroy — longest delete chain ${fmtS(d.chainMs)} s (items gone, then their share); gone-detection overshoot median ${fmtMs(d.overshoot.median)} ms, p95 ${fmtMs(d.overshoot.p95)} ms` +
        `${d.overshoot.unobserved ? ` (${d.overshoot.unobserved} objects never observed gone)` : ""}.`,
    );
    for (const op of ["up", "refresh", "destroy"]) {
      const kinds = Object.entries(r.ops[op].requests.byKind).sort((a, b) => b[1] - a[1]);
      lines.push(`- ${r.mode}: ${op} requests by kind — ${kinds.map(([k, n]) => `${k}: ${n}`).join(", ") || "none"}.`);
    }
    const holds = ["up", "preview", "refresh", "destroy"].filter((op) => r.ops[op].rateHolds > 0).map((op) => `${op} ${r.ops[op].rateHolds}`);
    const windowRequests = ["up", "preview", "refresh", "destroy"].reduce((n, op) => n + r.ops[op].requests.total, 0);
    lines.push(
      `- ${r.mode}: ${windowRequests} requests in all four operations (one emulator, one rate window); ` +
        `provider lines "holding … to stay under Cloudflare's rate limit": ${holds.length ? `${holds.join(", ")} (that wall time and overshoot include the time requests were held)` : "none"}.`,
    );
    for (const note of r.notes) lines.push(`- ${r.mode}: ${note}`);
  }
  for (const r of sampled) {
    const { ms, recorded, pending, checkpointBytes, checkpointWrites, peakRssBytes } = r.sample;
    const line =
      `- ${r.mode}: \`up\` with the engine's default checkpointing, stopped after ${fmtS(ms)} s: the checkpoint recorded ${recorded} of the ${ONE_WRITE_OBJECTS} resources ` +
      `(${(recorded / (ms / 1000)).toFixed(1)} per second; ${pending} operations pending), the file was ${(checkpointBytes / 1048576).toFixed(1)} MiB and rewritten ` +
      `~${checkpointWrites} times (with a backup copy each time); provider peak RSS ${fmtMiB(peakRssBytes)} MiB. At that pace the ${ONE_WRITE_OBJECTS} resources would take ` +
      `${recorded > 0 ? `about ${fmtS((ONE_WRITE_OBJECTS / recorded) * ms)} s` : "longer than the sample"}, and more, since the file grows with every step.`;
    lines.push(line);
    summary.push("", line.slice(2));
  }
  lines.push("");
  lines.push(
    "Large stacks: Pulumi runs 4 × CPU cores resource operations at once by default (8 here), so most of the stack's 1–3 s settle waits " +
      "would run one after another. Pass `--parallel` (e.g. `pulumi up --parallel 256`, also for `refresh` and `destroy`) so the waits overlap; " +
      "the provider's request coalescing and its rate budget keep the request count and the rate limit in check.",
  );
  const header = `Measured with \`${COMMAND}\` on ${meta.date} (Node ${process.version}, Pulumi ${meta.engine}, ${os.cpus().length} CPUs; load: ${meta.load}); details in \`${path.relative(REPO, FLEET.resultsFile)}\`:`;
  return { markdown: lines.join("\n") + "\n", allMet, summary: [header, "", ...summary].join("\n") };
}

// ------------------------------------------------------------------ main


async function main() {
  const args = process.argv.slice(2);
  const onlyIndex = args.indexOf("--only");
  const only = onlyIndex >= 0 ? args[onlyIndex + 1] : undefined;
  const fleetIndex = args.indexOf("--fleet");
  const fleetArg = fleetIndex >= 0 ? args[fleetIndex + 1] : "all";
  const fleets = fleetArg === "all" ? [FLEETS.small, FLEETS.large] : [FLEETS[fleetArg]];
  if (fleets.some((f) => f === undefined)) throw new Error("--fleet takes small, large or all");
  const write = !args.includes("--no-write");
  const rateBudgetIndex = args.indexOf("--rate-budget");
  if (rateBudgetIndex >= 0) EXTRA_RATE_BUDGET = JSON.parse(args[rateBudgetIndex + 1]);

  const root = engineRoot();
  const pulumiCommand = await PulumiCommand.get({ root });
  const engine = `v${pulumiCommand.version ?? "?"}`;
  fs.mkdirSync(WORK_ROOT, { recursive: true });
  const runDir = fs.mkdtempSync(path.join(WORK_ROOT, "fleet-"));
  const cleanupRunDir = () => {
    fs.rmSync(runDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 500 });
    if (fs.existsSync(WORK_ROOT) && fs.readdirSync(WORK_ROOT).length === 0) fs.rmdirSync(WORK_ROOT);
  };
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, () => {
      log(`${signal}: removing ${path.relative(REPO, runDir)} and exiting`);
      cleanupRunDir();
      process.exit(130);
    });
  }
  const started = Date.now();
  let everyGoalMet = true;
  try {
    for (const fleet of fleets) {
      useFleet(fleet);
      const modes = MODES.filter((m) => only === undefined || m.name === only);
      if (modes.length === 0) throw new Error(`--only takes one of ${MODES.map((m) => m.name).join(", ")}`);
      const loadBefore = loadNow();
      const results = [];
      for (const mode of modes) results.push(await runMode(mode, pulumiCommand, runDir));
      const dumpIndex = args.indexOf("--dump");
      if (dumpIndex >= 0) {
        const dump = results.map((r) => ({ mode: r.mode, critical: r.ops.up?.critical?.rows, ops: Object.fromEntries(Object.entries(r.ops).map(([op, m]) => [op, { started: m.started, ended: m.ended, entries: m.entries }])), histories: r.histories }));
        fs.writeFileSync(`${args[dumpIndex + 1]}.${fleet.name}.json`, JSON.stringify(dump));
      }
      const load = `1-minute load average ${loadBefore} before and ${loadNow()} after, on a machine shared with other work`;
      const { markdown, allMet, summary } = report(results, { date: new Date().toISOString().slice(0, 10), engine, load });
      everyGoalMet &&= allMet;
      process.stdout.write(`\n${markdown}`);
      if (write && modes.length === MODES.length) {
        fs.mkdirSync(path.dirname(fleet.resultsFile), { recursive: true });
        const title = fleet.name === "small" ? "Fleet benchmark" : "Fleet benchmark: the large fleet";
        fs.writeFileSync(fleet.resultsFile, `# ${title}\n\n${markdown}`);
        log(`wrote ${path.relative(REPO, fleet.resultsFile)}`);
        updateTables(fleet.name, summary);
      }
    }
    log(`done in ${fmtS(Date.now() - started)} s; goals ${everyGoalMet ? "all met" : "NOT all met (see the tables)"}`);
  } finally {
    cleanupRunDir();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    log(`FAILED: ${error && error.stack ? error.stack : error}`);
    process.exit(1);
  },
);
