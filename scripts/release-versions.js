// Every place the package's version is written: one release carries one version, in the npm package,
// the schema the plugin serves, the Python package, both SDKs' plugin manifests (which tell the
// engine which plugin version a Python or Go program needs) and the policy pack. The release refuses to build when they
// differ, and a unit test checks them on every run.
"use strict";

const fs = require("node:fs");
const path = require("node:path");

const repoRoot = path.resolve(__dirname, "..");

/**
 * The version each file declares, by file (relative to `root`, the repository by default).
 *
 * @example
 * declaredVersions(); // { "package.json": "0.1.0", "schema.json": "0.1.0", "sdk/python/setup.py": "0.1.0", … }
 */
function declaredVersions(root = repoRoot) {
  const readJson = (file) => JSON.parse(fs.readFileSync(path.join(root, file), "utf8"));
  const setupPy = fs.readFileSync(path.join(root, "sdk/python/setup.py"), "utf8");
  return {
    "package.json": readJson("package.json").version,
    "schema.json": readJson("schema.json").version,
    "sdk/python/setup.py": (setupPy.match(/^VERSION = "([^"]*)"$/m) ?? [])[1],
    "sdk/python/pulumi_cloudflare_sharing/pulumi-plugin.json": readJson("sdk/python/pulumi_cloudflare_sharing/pulumi-plugin.json").version,
    "sdk/go/cloudflaresharing/pulumi-plugin.json": readJson("sdk/go/cloudflaresharing/pulumi-plugin.json").version,
    // The policy pack's version, which the engine prints with every finding.
    "policy/package.json": readJson("policy/package.json").version,
  };
}

/**
 * The one version of the release; throws, naming each file and its version, when they differ.
 *
 * @example
 * releaseVersion(); // "0.1.0"
 */
function releaseVersion(root = repoRoot) {
  const versions = declaredVersions(root);
  const distinct = new Set(Object.values(versions));
  if (distinct.size !== 1 || distinct.has(undefined)) {
    const listed = Object.entries(versions).map(([file, version]) => `${file}: ${version ?? "no version found"}`);
    throw new Error(`the version must be the same everywhere, but ${listed.join(", ")}`);
  }
  return [...distinct][0];
}

module.exports = { declaredVersions, releaseVersion };
