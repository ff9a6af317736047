#!/usr/bin/env node
"use strict";
// Parallel benchmark: `npm run bench` runs it after bench/fleet.js; alone: `node bench/parallel.js`
// (after `npm run build`).
//
// A pipeline that runs several stacks at once with one token: 4 stacks of 24 shares, each share with
// 10 recipients and 10 resources (1 of each inline, the others as ShareRecipient / ShareResource
// resources): 504 objects a stack, 2016 together. All four `pulumi up` start at the same moment
// (separate engines, one machine, one token), then all four `destroy`. The emulator has the large
// fleet's scaled limit (1200 requests per 30 s, 30 s block) and settle times (0.1–0.3 s), so the
// rate limit bounds the run. Reported per operation: wall time, requests, 429s, and the rolling
// window's bound for all the stacks' requests together. `destroy` starts once the window holds none of
// the `up`'s requests, as the bound assumes.
//
// Options: --stacks <n> (default 4); --shares <n> per stack (default 24); --no-write skips
// bench/results/parallel.md and docs/benchmark.md.

const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { LocalWorkspace, PulumiCommand, Stack } = require("@pulumi/pulumi/automation");
const { startEmulator } = require("../dist/emulator");
const { WORK_ROOT, PROGRAM, SEED, TOKEN, OWNER, hexId, log, engineRoot, updateTables, loadNow, emptyWindow } = require("./common");

const RESULTS_FILE = path.join(__dirname, "results", "parallel.md");
const PER_SHARE = 10; // recipients and resources per share, 1 of each inline
const RATE_LIMIT = { enabled: true, limit: 1200, windowMs: 30_000, blockMs: 30_000 };
/** Cloudflare's per-IP cap beside the rolling window: at most 200 requests a second. */
const PER_SECOND = 200;
const SETTLE = [100, 300];
const TIMEOUT_MS = 1_500_000;

/** The program's `bench:fleet` config for stack `s`: its own shares and objects, the same partners. */
function stackConfig(s, shares) {
  const partners = Array.from({ length: PER_SHARE }, (_, i) => hexId(`partner-${i}`));
  return {
    accountId: OWNER,
    yieldBetweenShares: true,
    resourceType: "custom-ruleset",
    shares: Array.from({ length: shares }, (_, i) => ({
      key: `share-${String(i + 1).padStart(2, "0")}`,
      name: `parallel stack ${s + 1} share ${i + 1}`,
      recipients: partners,
      resources: Array.from({ length: PER_SHARE }, (_, r) => hexId(`parallel-${s}-${i}-${r}`)),
    })),
  };
}

/**
 * What the rolling window allows at best for `requests` sent together: the first window's quota at
 * once (at 200 a second), then one window per further quota, the last part again at 200 a second.
 */
function rollingBoundMs(requests) {
  const windows = Math.ceil(requests / RATE_LIMIT.limit);
  const lastBatch = requests - (windows - 1) * RATE_LIMIT.limit;
  return (windows - 1) * RATE_LIMIT.windowMs + (lastBatch / PER_SECOND) * 1000;
}

/** The same for a steady rate: the quota spread over the window. */
function steadyBoundMs(requests) {
  return (requests / RATE_LIMIT.limit) * RATE_LIMIT.windowMs;
}

async function makeStack(s, runDir, emulator, pulumiCommand, shares) {
  const dir = path.join(runDir, `stack-${s + 1}`);
  const programDir = path.join(dir, "program");
  const backendDir = path.join(dir, "backend");
  const pulumiHome = path.join(dir, "pulumi-home");
  fs.cpSync(PROGRAM, programDir, { recursive: true });
  fs.mkdirSync(backendDir);
  fs.mkdirSync(pulumiHome);
  const envVars = {
    PULUMI_CONFIG_PASSPHRASE: "parallel-bench",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_BACKEND_URL: `file://${backendDir}`,
    PULUMI_HOME: pulumiHome,
    // As the large fleet: the file backend's per-step checkpoints would bound the run, not the limit.
    PULUMI_SKIP_CHECKPOINTS: "true",
    CLOUDFLARE_BASE_URL: emulator.url,
    CLOUDFLARE_API_TOKEN: TOKEN,
    CLOUDFLARE_SHARING_TUNING: JSON.stringify({ client: { rateBudget: { windowMs: RATE_LIMIT.windowMs } } }),
    CLOUDFLARE_SHARING_RATE_DIR: path.join(runDir, "rate"),
  };
  const workspace = await LocalWorkspace.create({ workDir: programDir, pulumiHome, envVars, pulumiCommand });
  const stack = await Stack.create(`parallel-${s + 1}`, workspace);
  await stack.setConfig("bench:fleet", { value: JSON.stringify(stackConfig(s, shares)) });
  return stack;
}

/** Runs `op` on every stack at once and measures it from the emulator's log. */
async function measure(op, stacks, control) {
  const from = control.requestLog().length;
  const started = Date.now();
  const walls = await Promise.all(
    stacks.map(async (stack) => {
      const begin = Date.now();
      const timer = setTimeout(() => stack.cancel().catch(() => undefined), TIMEOUT_MS);
      try {
        const result = op === "up" ? await stack.up({ parallel: 2048 }) : await stack.destroy({ parallel: 2048 });
        if (result.summary.result !== "succeeded") throw new Error(`${op} of ${stack.name}: ${result.summary.result}`);
      } finally {
        clearTimeout(timer);
      }
      return Date.now() - begin;
    }),
  );
  const ended = Date.now();
  const entries = control.requestLog().slice(from);
  const rejected = entries.filter((entry) => entry.status === 429).length;
  const requests = entries.length;
  const writes = entries.filter((entry) => entry.method !== "GET").length;
  const firstAt = entries.length ? entries[0].at : ended;
  const lastAt = entries.length ? entries[entries.length - 1].at : ended;
  const engineBeforeMs = firstAt - started;
  const rollingMs = rollingBoundMs(requests);
  const measured = {
    op,
    wallMs: ended - started,
    slowestStackMs: Math.max(...walls),
    requests,
    writes,
    rejected,
    engineBeforeMs,
    engineAfterMs: ended - lastAt,
    apiSpanMs: lastAt - firstAt,
    rollingMs,
    steadyMs: steadyBoundMs(requests),
    boundMs: engineBeforeMs + rollingMs,
  };
  log(`${op}: ${(measured.wallMs / 1000).toFixed(1)} s for ${stacks.length} stacks, ${requests} requests, ${rejected} × 429`);
  return measured;
}

function report(results, meta) {
  const s = (ms) => (ms / 1000).toFixed(1);
  const lines = [
    `Measured with \`npm run bench\` on ${meta.date} (${meta.versions}; load: ${meta.load}):`,
    "",
    "| Operation | Stacks × objects | Wall (s) | Requests (writes) | 429s | Engine before first request (s) | API span (s) | Rolling-window bound (s) | Wall ÷ (engine before + rolling bound) | Steady-rate bound (s) |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const m of results) {
    lines.push(
      `| ${m.op} | ${meta.stacks} × ${meta.objects} | ${s(m.wallMs)} | ${m.requests} (${m.writes}) | ${m.rejected} | ${s(m.engineBeforeMs)} | ${s(m.apiSpanMs)} | ${s(m.rollingMs)} | ${(m.wallMs / m.boundMs).toFixed(2)}× | ${s(m.steadyMs)} |`,
    );
  }
  lines.push("");
  const met = results.every((m) => m.rejected === 0 && m.wallMs <= 1.15 * m.boundMs);
  lines.push(
    `Goals: 0 × 429 and wall ≤ 1.15 × (engine before first request + rolling-window bound for all the stacks' requests): **${met ? "met" : "missed"}**` +
      ` (${results.map((m) => `${m.op} ${m.rejected} × 429, ${(m.wallMs / m.boundMs).toFixed(2)}×`).join("; ")}).`,
  );
  return { markdown: lines.join("\n"), met };
}

async function main() {
  const args = process.argv.slice(2);
  const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
  const stackCount = option("--stacks", 4);
  const shares = option("--shares", 24);
  const write = !args.includes("--no-write");
  const pulumiCommand = await PulumiCommand.get({ root: engineRoot() });
  fs.mkdirSync(WORK_ROOT, { recursive: true });
  const runDir = fs.mkdtempSync(path.join(WORK_ROOT, "parallel-"));
  const emulator = await startEmulator({
    seed: SEED,
    settings: {
      timings: { recipientAssociateMs: SETTLE, recipientDisassociateMs: SETTLE, shareDeleteMs: SETTLE, resourceDeleteMs: SETTLE },
      faults: { latencyMs: [20, 50] },
      rateLimit: RATE_LIMIT,
    },
  });
  const loadBefore = loadNow();
  try {
    const stacks = await Promise.all(Array.from({ length: stackCount }, (_, s) => makeStack(s, runDir, emulator, pulumiCommand, shares)));
    const up = await measure("up", stacks, emulator.control);
    await emptyWindow(emulator.control, RATE_LIMIT.windowMs);
    const results = [up, await measure("destroy", stacks, emulator.control)];
    const meta = {
      date: new Date().toISOString().slice(0, 10),
      versions: `Node ${process.version}, Pulumi v${pulumiCommand.version ?? "?"}, ${os.cpus().length} CPUs`,
      load: `1-minute load average ${loadBefore} before and ${loadNow()} after`,
      stacks: stackCount,
      objects: shares * (1 + 2 * PER_SHARE),
    };
    const { markdown, met } = report(results, meta);
    process.stdout.write(`\n${markdown}\n`);
    if (write) {
      fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
      fs.writeFileSync(RESULTS_FILE, `# Parallel benchmark: ${stackCount} stacks at once, one token\n\n${markdown}\n`);
      updateTables("parallel", markdown);
    }
    log(`goals ${met ? "met" : "NOT met"}`);
  } finally {
    await emulator.stop();
    fs.rmSync(runDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 500 });
    if (fs.existsSync(WORK_ROOT) && fs.readdirSync(WORK_ROOT).length === 0) fs.rmdirSync(WORK_ROOT);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    log(`FAILED: ${error && error.stack ? error.stack : error}`);
    process.exit(1);
  },
);
