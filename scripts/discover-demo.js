#!/usr/bin/env node
// The offline demo of `discover` (npm run demo:discover): seeds the Resource Sharing API emulator
// with an account whose shares were made in the dashboard, runs the installed
// `pulumi-cloudflare-sharing discover` command on it, then runs the real Pulumi CLI on the program it
// wrote: `up` (takes every share over), `preview --expect-no-changes`, and counts the writes the
// API received (the emulator's request log). No Cloudflare account, no internet.
"use strict";

const { execFileSync, spawn } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const { startEmulator } = require(path.join(root, "dist", "emulator"));
const CLI = path.join(root, "node_modules", "pulumi-cloudflare-sharing", "dist", "provider", "discover", "cli.js");

const ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353";
const ORGANIZATION = "4f1c2d3e5a6b7c8d9e0fa1b2c3d4e5f6";
const PARTNERS = ["9a7806061c88ada191ed06f989cc3dac", "b1946ac92492d2347c6235b4d2611184", "7d793037a0760186574b0282f2f435e7"];
const TYPES = ["custom-ruleset", "gateway-policy", "gateway-destination-ip"];
const SHARES = 120;

const bold = (text) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);
const say = (text) => process.stdout.write(`\n${bold(`▶ ${text}`)}\n\n`);
const idOf = (label) => crypto.createHash("md5").update(label).digest("hex");

function engineBinDir() {
  const output = execFileSync(process.execPath, [path.join(__dirname, "engine.js")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  return output.trim().split("\n").pop();
}

function run(command, args, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(command)} ${args.join(" ")} exited with ${code}`))));
  });
}

/** An account as the dashboard left it: shares of several shapes, and some things being removed. */
function seed(control) {
  for (let i = 0; i < SHARES; i++) {
    control.seedShare({
      accountId: ACCOUNT,
      name: i % 40 === 0 ? "WAF rules" : `${["Gateway", "WAF", "DNS"][i % 3]} policies ${i}`,
      recipients: i % 9 === 0 ? [{ organization_id: ORGANIZATION }] : PARTNERS.slice(0, 1 + (i % 3)).map((id) => ({ recipient_account_id: id })),
      resources: TYPES.slice(0, 1 + (i % 3)).map((type, j) => ({ resource_type: type, resource_id: idOf(`${i}/${j}`), resource_account_id: ACCOUNT, meta: j ? {} : { tier: i % 2 ? "gold" : "silver" } })),
      settled: true,
    });
  }
  const retired = control.seedShare({ accountId: ACCOUNT, name: "Retired rules", recipients: [{ recipient_account_id: PARTNERS[0] }], resources: [{ resource_type: "custom-ruleset", resource_id: idOf("retired"), resource_account_id: ACCOUNT, meta: {} }], settled: true });
  control.deleteShare(retired.share.id);
  const trimmed = control.seedShare({ accountId: ACCOUNT, name: "Trimmed", recipients: PARTNERS.slice(0, 2).map((id) => ({ recipient_account_id: id })), resources: [{ resource_type: "custom-ruleset", resource_id: idOf("trimmed"), resource_account_id: ACCOUNT, meta: {} }], settled: true });
  control.removeRecipient(trimmed.share.id, trimmed.recipients[1].id);
  // A share the account receives from a partner: not the account's to declare.
  control.seedShare({ accountId: PARTNERS[0], name: "From a partner", recipients: [{ recipient_account_id: ACCOUNT }], resources: [{ resource_type: "custom-ruleset", resource_id: idOf("partner"), resource_account_id: PARTNERS[0], meta: {} }], settled: true });
}

async function main() {
  const binDir = engineBinDir();
  const emulator = await startEmulator({
    seed: 1,
    settings: { timings: { shareDeleteMs: [200, 400], recipientDisassociateMs: [200, 400] }, faults: { latencyMs: [20, 60] } },
  });
  // Inside the repository, so the program resolves the package from its node_modules, as a user's would.
  fs.mkdirSync(path.join(root, ".e2e-work"), { recursive: true });
  const work = fs.mkdtempSync(path.join(root, ".e2e-work", "discover-demo-"));
  const backend = fs.mkdtempSync(path.join(os.tmpdir(), "discover-demo-state-"));
  const program = path.join(work, "shares");
  const env = {
    ...process.env,
    PATH: `${binDir}${path.delimiter}${process.env.PATH}`,
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: "demo",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    CLOUDFLARE_API_TOKEN: "demo-token",
    CLOUDFLARE_BASE_URL: emulator.url,
  };
  try {
    seed(emulator.control);
    await new Promise((resolve) => setTimeout(resolve, 600)); // the removals above settle
    const writes = () => emulator.control.requestLog().filter((entry) => entry.method !== "GET").length;

    say(`npx pulumi-cloudflare-sharing discover --account ${ACCOUNT} --organization ${ORGANIZATION} --out shares`);
    await run(process.execPath, [CLI, "discover", "--account", ACCOUNT, "--organization", ORGANIZATION, "--out", program], { cwd: work, env });
    process.stdout.write(`\n  files: ${fs.readdirSync(program).join(", ")}\n`);
    const index = fs.readFileSync(path.join(program, "index.ts"), "utf8");
    const first = index.indexOf("// \"WAF rules\"");
    process.stdout.write(`\n  a share in index.ts:\n\n${index.slice(first, index.indexOf("});", first) + 3)}\n`);

    say("pulumi up: takes every share over");
    emulator.control.clearLog();
    await run("pulumi", ["stack", "select", "--create", "demo"], { cwd: program, env });
    const started = Date.now();
    await run("pulumi", ["up", "--yes", "--skip-preview", "--parallel", "32"], { cwd: program, env });
    const requests = emulator.control.requestLog();
    process.stdout.write(`\n  up took ${((Date.now() - started) / 1000).toFixed(1)} s; the API received ${requests.length} requests: ${requests.length - writes()} GET, ${writes()} POST/PUT/DELETE\n`);

    say("pulumi preview --expect-no-changes");
    emulator.control.clearLog();
    await run("pulumi", ["preview", "--expect-no-changes"], { cwd: program, env });
    process.stdout.write(`\n  requests the preview sent to the API: ${emulator.control.requestLog().length}\n`);
  } finally {
    await run("pulumi", ["stack", "rm", "--yes", "--force", "demo"], { cwd: program, env }).catch(() => undefined);
    await emulator.stop();
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(backend, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`demo failed: ${error.message}\n`);
  process.exit(1);
});
