// The package's public surface, as a user's program sees it from node_modules: the resources, the client
// and its errors from the root; the emulator from "pulumi-cloudflare-sharing/emulator"; nothing internal
// (HTTP core, rate budget, test clock, waiter, emulator internals) through the root or a deep path.
// And existing stacks keep working: the provider module paths Pulumi stored in their state still load,
// and a provider serialized into state still runs.
import { execFileSync } from "node:child_process";
import * as path from "node:path";

const repoRoot = path.resolve(__dirname, "..", "..");

/** Runs `script` in a plain Node process from a program folder, as a user's program runs; returns its JSON output. */
function inProgram<T>(script: string): T {
  const output = execFileSync(process.execPath, ["-e", script], { cwd: path.join(repoRoot, "tests", "e2e", "programs", "smoke"), encoding: "utf8" });
  return JSON.parse(output) as T;
}

const tryRequire = `
const tryRequire = (id) => { try { require(id); return "ok"; } catch (error) { return error.code || String(error); } };
`;

it("the root exports the resources, the client and its errors, and no internals", () => {
  const keys = inProgram<string[]>(`process.stdout.write(JSON.stringify(Object.keys(require("pulumi-cloudflare-sharing"))))`);
  for (const name of ["Share", "ShareRecipient", "ShareResource", "CloudflareSharingClient", "NotFoundError", "PaginationError", "WaitTimeoutError", "KNOWN_RESOURCE_TYPES"]) {
    expect(keys).toContain(name);
  }
  for (const name of ["client", "wait", "HttpCore", "RateBudget", "sharedRateBudget", "ManualClock", "Batcher", "waitForStatus", "startEmulator"]) {
    expect(keys).not.toContain(name);
  }
}, 60_000);

it("internal modules cannot be reached through a deep path; the emulator only through its own entry", () => {
  const results = inProgram<Record<string, string>>(`${tryRequire}
  const ids = [
    "pulumi-cloudflare-sharing/dist/provider/client/core/http.js",
    "pulumi-cloudflare-sharing/dist/provider/client/core/rate-budget.js",
    "pulumi-cloudflare-sharing/dist/provider/client/testing.js",
    "pulumi-cloudflare-sharing/dist/provider/wait/index.js",
    "pulumi-cloudflare-sharing/dist/emulator/store.js",
    "pulumi-cloudflare-sharing/dist/emulator/index.js",
    "pulumi-cloudflare-sharing/emulator",
  ];
  const out = Object.fromEntries(ids.map((id) => [id, tryRequire(id)]));
  out.emulatorKeys = Object.keys(require("pulumi-cloudflare-sharing/emulator")).join(",");
  process.stdout.write(JSON.stringify(out));`);
  const { emulatorKeys, ...required } = results;
  expect(required).toEqual({
    "pulumi-cloudflare-sharing/dist/provider/client/core/http.js": "ERR_PACKAGE_PATH_NOT_EXPORTED",
    "pulumi-cloudflare-sharing/dist/provider/client/core/rate-budget.js": "ERR_PACKAGE_PATH_NOT_EXPORTED",
    "pulumi-cloudflare-sharing/dist/provider/client/testing.js": "ERR_PACKAGE_PATH_NOT_EXPORTED",
    "pulumi-cloudflare-sharing/dist/provider/wait/index.js": "ERR_PACKAGE_PATH_NOT_EXPORTED",
    "pulumi-cloudflare-sharing/dist/emulator/store.js": "ERR_PACKAGE_PATH_NOT_EXPORTED",
    "pulumi-cloudflare-sharing/dist/emulator/index.js": "ERR_PACKAGE_PATH_NOT_EXPORTED",
    "pulumi-cloudflare-sharing/emulator": "ok",
  });
  expect(emulatorKeys.split(",")).toEqual(expect.arrayContaining(["startEmulator", "DEFAULT_SETTINGS", "FAST_TIMINGS", "PROFILES", "profileSettings"]));
  expect(emulatorKeys.split(",")).not.toContain("Store");
}, 60_000);

it("existing stacks keep working: each provider path stored in state loads, with or without .js, and a serialized provider runs", () => {
  const results = inProgram<Record<string, unknown>>(`${tryRequire}
  const pulumi = require("@pulumi/pulumi");
  (async () => {
    const out = {};
    for (const name of ["share", "share-recipient", "share-resource"]) {
      const id = "pulumi-cloudflare-sharing/dist/provider/resources/" + name + "-provider";
      out[name] = [tryRequire(id), tryRequire(id + ".js")];
      // What Pulumi stores in state: the serialized function text. The dynamic-provider host evaluates it
      // and calls the handler to get the provider back.
      const { text } = await pulumi.runtime.serializeFunction(() => require(id + ".js"), { allowSecrets: true });
      const module = { exports: {} };
      new Function("exports", "module", "require", text)(module.exports, module, require);
      const provider = module.exports.handler();
      out[name + " methods"] = ["check", "diff", "create", "read", "update", "delete"].filter((m) => typeof provider[m] === "function");
    }
    process.stdout.write(JSON.stringify(out));
  })().catch((error) => { console.error(error); process.exit(1); });`);
  for (const name of ["share", "share-recipient", "share-resource"]) {
    expect(results[name]).toEqual(["ok", "ok"]);
    expect(results[`${name} methods`]).toEqual(expect.arrayContaining(["create", "read", "delete"]));
  }
}, 60_000);
