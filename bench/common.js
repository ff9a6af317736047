"use strict";
// What the benchmarks (fleet.js, parallel.js) share: where they work, the emulator's account and
// token, deterministic ids, the engine, and the page their tables go to.

const { execFileSync } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const REPO = path.resolve(__dirname, "..");
/** Scratch space of a run (program copies, backends, PULUMI_HOMEs), removed at its end. */
const WORK_ROOT = path.join(REPO, ".bench-work");
/** The program every benchmark stack runs (configured through `bench:fleet`). */
const PROGRAM = path.join(__dirname, "program");
/** The page that holds the benchmarks' tables, each between its markers. */
const TABLES_FILE = path.join(REPO, "docs", "benchmark.md");
const SEED = 20260717;
const TOKEN = "bench-token-8c3f5e0d2a9b4c1e";
const OWNER = "023e105f4ecef8ad9ca31a8372d0c353";

/**
 * Deterministic 32-hex ids.
 *
 * @example
 * hexId("partner-0"); // the same id at every run
 */
function hexId(label) {
  return crypto.createHash("sha256").update(`fleet-bench:${label}`).digest("hex").slice(0, 32);
}

/**
 * A progress line on stderr (stdout carries the tables).
 *
 * @example
 * log("up: 48.1 s");
 */
function log(line) {
  process.stderr.write(`bench: ${line}\n`);
}

/**
 * The folder of the Pulumi CLI `npm run engine` provides (found or built).
 *
 * @example
 * const pulumiCommand = await PulumiCommand.get({ root: engineRoot() });
 */
function engineRoot() {
  const output = execFileSync(process.execPath, [path.join(REPO, "scripts", "engine.js")], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return path.dirname(output.trim().split("\n").pop());
}

/**
 * Replaces docs/benchmark.md's text between `<!-- fleet-<name>:start -->` and `<!-- fleet-<name>:end -->`.
 *
 * @example
 * updateTables("parallel", markdown);
 */
function updateTables(name, text) {
  const page = fs.readFileSync(TABLES_FILE, "utf8");
  const start = `<!-- fleet-${name}:start -->`;
  const end = `<!-- fleet-${name}:end -->`;
  const from = page.indexOf(start);
  const to = page.indexOf(end);
  if (from < 0 || to < from) {
    log(`docs/benchmark.md has no ${start} … ${end} section: not updated`);
    return;
  }
  fs.writeFileSync(TABLES_FILE, `${page.slice(0, from + start.length)}\n${text}\n${page.slice(to)}`);
  log(`updated the ${name} table in docs/benchmark.md`);
}

/**
 * The 1-minute load average, as the tables quote it.
 *
 * @example
 * `load ${loadNow()} before`;
 */
const loadNow = () => os.loadavg()[0].toFixed(1);

/**
 * Waits until the emulator's rate window holds none of the requests logged so far, so that the next
 * operation starts from an empty window, as the rolling-window bound assumes. (A `destroy` started
 * right after an `up` that filled the window waits for the `up`'s requests to leave it first: that
 * wait is the earlier operation's, not this one's.) Returns how long it waited.
 *
 * @example
 * const waitedMs = await emptyWindow(emulator.control, 30_000);
 */
async function emptyWindow(control, windowMs) {
  const entries = control.requestLog();
  if (entries.length === 0) return 0;
  const last = Math.max(...entries.map((entry) => entry.at + (entry.durationMs ?? 0)));
  const waitMs = Math.max(0, last + windowMs + 1_000 - Date.now());
  if (waitMs > 0) {
    log(`waiting ${(waitMs / 1000).toFixed(1)} s for the rate window to empty`);
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
  return waitMs;
}

module.exports = { REPO, WORK_ROOT, PROGRAM, TABLES_FILE, SEED, TOKEN, OWNER, hexId, log, engineRoot, updateTables, loadNow, emptyWindow };
