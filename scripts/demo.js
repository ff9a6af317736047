#!/usr/bin/env node
// The offline demo (npm run demo): starts the Resource Sharing API emulator on loopback, points the
// quickstart program (examples/quickstart, the root Pulumi.yaml) at it, and runs the real Pulumi CLI
// on a throw-away local file backend: `up` (watch the resources wait and settle), then `preview`
// (nothing to do), then `destroy`. No Cloudflare account, no Pulumi Cloud, no internet.
"use strict";

const { execFileSync, spawn } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const { startEmulator } = require(path.join(root, "dist", "emulator"));

const STACK = "demo";
const bold = (text) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);
const say = (text) => process.stdout.write(`\n${bold(`▶ ${text}`)}\n\n`);

function engineBinDir() {
  const output = execFileSync(process.execPath, [path.join(__dirname, "engine.js")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  return output.trim().split("\n").pop();
}

function pulumi(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn("pulumi", args, { cwd: root, env, stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`pulumi ${args.join(" ")} exited with ${code}`))));
  });
}

async function main() {
  const binDir = engineBinDir();
  // Realistic timings, a little slow so the waiting is visible: recipients take 2–5 s to associate.
  const emulator = await startEmulator({
    settings: {
      timings: { recipientAssociateMs: [2000, 5000], recipientDisassociateMs: [1000, 3000], shareDeleteMs: [1000, 3000], resourceDeleteMs: [1000, 2000] },
      faults: { latencyMs: [20, 60] },
    },
  });
  const backend = fs.mkdtempSync(path.join(os.tmpdir(), "sharing-demo-state-"));
  const env = {
    ...process.env,
    PATH: `${binDir}${path.delimiter}${process.env.PATH}`,
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: "demo",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    // What a user sets for a real account; here the emulator accepts any token.
    CLOUDFLARE_API_TOKEN: "demo-token",
    CLOUDFLARE_BASE_URL: emulator.url,
    // Progress lines every 2 s instead of every 10 s, so the waits show.
    CLOUDFLARE_SHARING_TUNING: JSON.stringify({ progressEveryMs: 2000 }),
  };
  let created = false;
  try {
    say(`Cloudflare Resource Sharing API emulator listening on ${emulator.url}`);
    await pulumi(["stack", "select", "--create", STACK], env);
    created = true;

    say("pulumi up: creates a share, 3 recipients and 3 shared objects, and returns only when Cloudflare reports them settled");
    const started = Date.now();
    await pulumi(["up", "--yes", "--skip-preview"], env);
    say(`up took ${((Date.now() - started) / 1000).toFixed(1)} s. What the API reports now:`);
    for (const share of emulator.control.listShares()) {
      process.stdout.write(`  share ${share.id} "${share.name}": ${share.status}\n`);
      for (const r of emulator.control.listRecipients(share.id)) process.stdout.write(`    recipient ${r.account_id}: ${r.association_status}\n`);
      for (const r of emulator.control.listResources(share.id)) process.stdout.write(`    ${r.resource_type} ${r.resource_id}: ${r.status}\n`);
    }

    emulator.control.clearLog();
    say("pulumi preview --expect-no-changes: the program matches what Cloudflare has, so there is nothing to do");
    await pulumi(["preview", "--expect-no-changes"], env);
    process.stdout.write(`\n  requests the preview sent to the API: ${emulator.control.requestLog().length}\n`);

    say("pulumi destroy: returns once the share is deleted and every recipient disassociated");
    await pulumi(["destroy", "--yes"], env);
    say("Done. Next: the README's \"Using it with your account\" section.");
  } finally {
    if (created) await pulumi(["stack", "rm", "--yes", "--force", STACK], env).catch(() => undefined);
    await emulator.stop();
    fs.rmSync(backend, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`demo failed: ${error.message}\n`);
  process.exit(1);
});
