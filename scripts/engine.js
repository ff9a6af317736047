#!/usr/bin/env node
// Makes the Pulumi engine available offline and prints the directory holding it as the last line.
//
// The engine is `pulumi` (CLI), `pulumi-language-nodejs` (language host) and
// `pulumi-resource-pulumi-nodejs` (the dynamic-provider plugin script from @pulumi/pulumi).
// They go where the official `pulumi` npm package and the Automation API look:
// $PULUMI_HOME/versions/<version>/bin (default ~/.pulumi). If they are already there (an official
// install on a machine with internet, or an earlier run of this script), they are used as they are.
// Otherwise they are built from Go modules by the two small modules in scripts/engine/.
//
// Usage: npm run engine [-- --force]   (--force rebuilds even if the binaries are present)
"use strict";

const { execFileSync, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
// The release the official `pulumi` npm package of this project installs, so that `npx pulumi`
// finds the binaries and downloads nothing.
const version = require(path.join(root, "package.json")).devDependencies.pulumi.replace(/^[^0-9]*/, "");
const pulumiHome = process.env.PULUMI_HOME || path.join(os.homedir(), ".pulumi");
const binDir = path.join(pulumiHome, "versions", version, "bin");
const force = process.argv.includes("--force");

function log(message) {
  process.stderr.write(`engine: ${message}\n`);
}

function reportedVersion(binary) {
  try {
    return execFileSync(binary, ["version"], { encoding: "utf8", env: quietEnv() }).trim();
  } catch {
    return undefined;
  }
}

function quietEnv() {
  return { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true", PULUMI_HOME: pulumiHome };
}

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).size > 0;
  } catch {
    return false;
  }
}

function installed() {
  return (
    reportedVersion(path.join(binDir, "pulumi")) === `v${version}` &&
    isExecutable(path.join(binDir, "pulumi-language-nodejs"))
  );
}

function requireGo() {
  const result = spawnSync("go", ["env", "GOVERSION"], { encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(
      "The Pulumi engine is not installed and Go is not available to build it. Install the Pulumi CLI " +
        `v${version} (https://www.pulumi.com/docs/install/), or install Go >= 1.25.11 and run npm run engine again.`,
    );
  }
  const goVersion = result.stdout.trim();
  const [major, minor, patch] = goVersion.replace(/^go/, "").split(/[.a-z]/).map(Number);
  const tooOld = major < 1 || (major === 1 && (minor < 25 || (minor === 25 && (patch || 0) < 11)));
  if (tooOld) throw new Error(`Building the Pulumi engine needs Go >= 1.25.11 (found ${goVersion}).`);
  return goVersion;
}

function goBuild(moduleDir, pkg, output, binaryVersion) {
  const started = Date.now();
  // The version ldflag matters: without it `pulumi version` is empty and the Automation API refuses the CLI.
  const ldflags = `-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${binaryVersion}`;
  execFileSync("go", ["build", "-trimpath", "-ldflags", ldflags, "-o", output, pkg], {
    cwd: moduleDir,
    stdio: ["ignore", "inherit", "inherit"],
    // GOTOOLCHAIN=local: never try to download another Go toolchain; GOFLAGS=-mod=mod lets a
    // missing go.sum line be filled from the module proxy instead of failing.
    env: { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "-mod=mod -buildvcs=false" },
  });
  log(`built ${path.basename(output)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function langhostVersion() {
  const goMod = fs.readFileSync(path.join(__dirname, "engine", "langhost", "go.mod"), "utf8");
  const match = /github\.com\/pulumi\/pulumi\/sdk\/v3 v([0-9.]+)/.exec(goMod);
  if (!match) throw new Error("scripts/engine/langhost/go.mod does not require github.com/pulumi/pulumi/sdk/v3");
  return match[1];
}

function build() {
  const goVersion = requireGo();
  log(`building Pulumi v${version} with ${goVersion} (first run only; a cold build takes a few minutes)`);
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-engine-"));
  try {
    goBuild(
      path.join(__dirname, "engine", "cli"),
      "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
      path.join(staging, "pulumi"),
      version,
    );
    goBuild(
      path.join(__dirname, "engine", "langhost"),
      "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs",
      path.join(staging, "pulumi-language-nodejs"),
      langhostVersion(),
    );
    fs.mkdirSync(binDir, { recursive: true });
    for (const name of ["pulumi", "pulumi-language-nodejs"]) {
      // Copy then rename: a half-written binary is never left where the official package would trust it.
      const target = path.join(binDir, name);
      fs.copyFileSync(path.join(staging, name), `${target}.partial`);
      fs.chmodSync(`${target}.partial`, 0o755);
      fs.renameSync(`${target}.partial`, target);
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** The dynamic-provider plugin is a small shell script shipped inside @pulumi/pulumi. */
function installDynamicProviderPlugin() {
  const target = path.join(binDir, "pulumi-resource-pulumi-nodejs");
  if (isExecutable(target)) return;
  const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [root] }));
  fs.copyFileSync(path.join(sdkDir, "pulumi-resource-pulumi-nodejs"), target);
  fs.chmodSync(target, 0o755);
}

function main() {
  const started = Date.now();
  if (force || !installed()) {
    build();
    if (!installed()) throw new Error(`the built engine in ${binDir} does not report v${version}`);
  } else {
    log(`using the Pulumi v${version} engine already in ${binDir}`);
  }
  installDynamicProviderPlugin();
  log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.stdout.write(`${binDir}\n`);
}

try {
  main();
} catch (error) {
  process.stderr.write(`engine: ${error.message}\n`);
  process.exit(1);
}
