#!/usr/bin/env node
// Makes the Pulumi engine available offline and prints the directory holding it as the last line.
//
// The engine is `pulumi` (CLI), the language hosts `pulumi-language-nodejs`, `pulumi-language-yaml`,
// `pulumi-language-python` (with its `pulumi-language-python-exec` shim) and `pulumi-language-go`,
// and `pulumi-resource-pulumi-nodejs` (the dynamic-provider plugin script from @pulumi/pulumi).
// They go where the official `pulumi` npm package and the Automation API look:
// $PULUMI_HOME/versions/<version>/bin (default ~/.pulumi). If they are already there (an official
// install on a machine with internet, or an earlier run of this script), they are used as they are.
// Otherwise they are built from Go modules by the small modules in scripts/engine/: cli (the CLI),
// langhost (the Node.js and Python hosts), nodehost (what the Node.js host lacks for policy packs),
// golang (the Go host), gohost (what the Go host lacks to run a prebuilt program) and yaml (the YAML
// host); nodehost and gohost share hostproxy (a library, taken through a `replace` line), which starts
// the older host beside them and forwards calls to it. Each host is built only when it is missing.
//
// The Go host compiles a program with `go build` at every run unless Pulumi.yaml names a binary
// built beforehand (`runtime: { name: go, options: { binary: <path> } }`), which is how the engine
// tests run Go programs: compiled once per test file.
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

function cliInstalled() {
  return reportedVersion(path.join(binDir, "pulumi")) === `v${version}`;
}

/** The language hosts, each built from one of the modules in scripts/engine/ when it is missing. */
const LANGUAGE_HOSTS = [
  {
    name: "pulumi-language-nodejs",
    module: "langhost",
    pkg: "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs",
    versionModule: "github.com/pulumi/pulumi/sdk/v3",
    // The v3.68.0 host cannot start a Node.js policy pack (it has no RunPlugin): the host installed
    // under this name is scripts/engine/nodehost, which adds RunPlugin for policy packs and hands
    // every other call to the v3.68.0 host, installed in a folder of its own beside it.
    wrapper: { module: "nodehost", pkg: ".", innerPath: path.join("nodejs-host-v3.68.0", "pulumi-language-nodejs") },
  },
  {
    name: "pulumi-language-python",
    module: "langhost",
    pkg: "github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python",
    versionModule: "github.com/pulumi/pulumi/sdk/v3",
    // The host runs programs through this script, shipped in the same Go module as the host.
    companions: [{ name: "pulumi-language-python-exec", modulePath: "github.com/pulumi/pulumi/sdk/v3", file: "python/cmd/pulumi-language-python-exec" }],
  },
  {
    name: "pulumi-language-go",
    module: "golang",
    pkg: "github.com/pulumi/pulumi/sdk/v3/go/pulumi-language-go",
    versionModule: "github.com/pulumi/pulumi/sdk/v3",
    // The v3.66.0 host takes the runtime option `binary` (a program compiled beforehand) only as a
    // flag, which CLI v3.259 no longer passes: the host installed under this name is
    // scripts/engine/gohost, which starts the v3.66.0 host with that flag for a Run that names a binary
    // and hands every other call to it.
    wrapper: { module: "gohost", pkg: ".", innerPath: path.join("go-host-v3.66.0", "pulumi-language-go") },
  },
  {
    name: "pulumi-language-yaml",
    module: "yaml",
    pkg: "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml",
    versionModule: "github.com/pulumi/pulumi-yaml",
    versionVariable: "github.com/pulumi/pulumi-yaml/pkg/version.Version",
  },
];

// Only the host itself is looked for: an official install has newer hosts that need no companion
// script, and they must not be replaced by these older builds. A host that needs a wrapper is rebuilt
// only if it is an earlier build of this script without one: the Go package it was built from (kept
// in every Go binary) is then the host's own, not the wrapper's.
function hostInstalled(host) {
  const file = path.join(binDir, host.name);
  if (!isExecutable(file)) return false;
  return !host.wrapper || !builtFromPackage(file, host.pkg);
}

/** Whether a Go binary's main package is `pkg` (its build information says `path<TAB>pkg`). */
function builtFromPackage(file, pkg) {
  return fs.readFileSync(file).includes(`path\t${pkg}\n`);
}

function installed() {
  return cliInstalled() && LANGUAGE_HOSTS.every(hostInstalled);
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

const GO_ENV = { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "-mod=mod -buildvcs=false" };

function goBuild(moduleDir, pkg, output, binaryVersion, versionVariable = "github.com/pulumi/pulumi/sdk/v3/go/common/version.Version") {
  const started = Date.now();
  // The version ldflag matters: without it `pulumi version` is empty and the Automation API refuses the CLI.
  const ldflags = `-s -w -X ${versionVariable}=v${binaryVersion}`;
  execFileSync("go", ["build", "-trimpath", "-ldflags", ldflags, "-o", output, pkg], {
    cwd: moduleDir,
    stdio: ["ignore", "inherit", "inherit"],
    // GOTOOLCHAIN=local: never try to download another Go toolchain; GOFLAGS=-mod=mod lets a
    // missing go.sum line be filled from the module proxy instead of failing.
    env: GO_ENV,
  });
  log(`built ${path.basename(output)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** The version of `modulePath` that the module in scripts/engine/<module> requires. */
function requiredVersion(module, modulePath) {
  const goMod = fs.readFileSync(path.join(__dirname, "engine", module, "go.mod"), "utf8");
  const escaped = modulePath.replace(/[.\/-]/g, (c) => `\\${c}`);
  const match = new RegExp(`${escaped} v([0-9][^\\s]*)`).exec(goMod);
  if (!match) throw new Error(`scripts/engine/${module}/go.mod does not require ${modulePath}`);
  return match[1];
}

/** Where the Go module cache holds `modulePath` as required by scripts/engine/<module>. */
function moduleDir(module, modulePath) {
  return execFileSync("go", ["list", "-m", "-f", "{{.Dir}}", modulePath], {
    cwd: path.join(__dirname, "engine", module),
    encoding: "utf8",
    env: GO_ENV,
  }).trim();
}

/** Copy then rename: a half-written file is never left where the official package would trust it. */
function install(source, name) {
  const target = path.join(binDir, name);
  fs.copyFileSync(source, `${target}.partial`);
  fs.chmodSync(`${target}.partial`, 0o755);
  fs.renameSync(`${target}.partial`, target);
}

function buildCli() {
  const goVersion = requireGo();
  log(`building Pulumi v${version} with ${goVersion} (first run only; a cold build takes a few minutes)`);
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-engine-"));
  try {
    goBuild(path.join(__dirname, "engine", "cli"), "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi", path.join(staging, "pulumi"), version);
    fs.mkdirSync(binDir, { recursive: true });
    install(path.join(staging, "pulumi"), "pulumi");
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function buildHost(host) {
  const goVersion = requireGo();
  const hostVersion = requiredVersion(host.module, host.versionModule);
  log(`building ${host.name} v${hostVersion} with ${goVersion}`);
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-engine-"));
  try {
    const moduleRoot = path.join(__dirname, "engine", host.module);
    goBuild(moduleRoot, host.pkg, path.join(staging, host.name), hostVersion, host.versionVariable);
    if (host.wrapper) {
      fs.mkdirSync(path.join(staging, "wrapper"));
      goBuild(path.join(__dirname, "engine", host.wrapper.module), host.wrapper.pkg, path.join(staging, "wrapper", host.name), hostVersion);
    }
    fs.mkdirSync(binDir, { recursive: true });
    for (const companion of host.companions ?? []) {
      install(path.join(moduleDir(host.module, companion.modulePath), companion.file), companion.name);
    }
    if (host.wrapper) {
      // The wrapped host first: the wrapper replaces the host only once what it starts is in place.
      fs.mkdirSync(path.join(binDir, path.dirname(host.wrapper.innerPath)), { recursive: true });
      install(path.join(staging, host.name), host.wrapper.innerPath);
      install(path.join(staging, "wrapper", host.name), host.name);
    } else {
      install(path.join(staging, host.name), host.name);
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
    if (force || !cliInstalled()) buildCli();
    if (!cliInstalled()) throw new Error(`the built engine in ${binDir} does not report v${version}`);
    for (const host of LANGUAGE_HOSTS) {
      if (force || !hostInstalled(host)) buildHost(host);
    }
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
