#!/usr/bin/env node
// Builds the release artifacts into dist/release/ (`npm run release`, after `npm run build`):
//   pulumi-cloudflare-sharing-<version>.tgz                            the npm package (npm pack)
//   pulumi-resource-cloudflare-sharing-v<version>-<os>-<arch>.tar.gz  the plugin, no Node.js needed
//   pulumi_cloudflare_sharing-<version>-py3-none-any.whl              the Python SDK's wheel
//   pulumi_cloudflare_sharing-<version>.tar.gz                        the Python SDK's sdist
//   SHA256SUMS                                                        `sha256sum -c` checks them
// The Python build tool (PyPI's `build`) is installed by this script into a virtual environment under
// .release-work/, so a fresh clone needs only python3 with venv and pip.
//
// Usage: node scripts/release.js [--out DIR]   (default DIR: dist/release)
"use strict";

const { execFileSync } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { buildPluginTarball } = require("./plugin-binary");
const { releaseVersion } = require("./release-versions");

const root = path.resolve(__dirname, "..");
/**
 * PyPI's standard build front end and the SDK's build back end (setup.py), pinned so that every machine
 * builds the same way; the build runs in this venv (no isolated venv per build, which takes a while).
 */
const PYTHON_BUILD_TOOLS = ["build==1.6.1", "setuptools==84.2.1"];

/** The venv holding the Python build tool, made on first use and reused while its pin holds. */
function pythonBuildTool() {
  const venv = path.join(root, ".release-work", "python-build");
  const python = path.join(venv, "bin", "python");
  const marker = path.join(venv, "installed.txt");
  const wanted = `${PYTHON_BUILD_TOOLS.join("\n")}\n`;
  if (!fs.existsSync(marker) || fs.readFileSync(marker, "utf8") !== wanted) {
    fs.rmSync(venv, { recursive: true, force: true });
    execFileSync("python3", ["-m", "venv", venv], { stdio: "inherit" });
    execFileSync(python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", ...PYTHON_BUILD_TOOLS], { stdio: "inherit" });
    fs.writeFileSync(marker, wanted);
  }
  return python;
}

/** Builds the Python SDK's wheel and sdist into `outDir`, from a copy so that no build files land in sdk/. */
function buildPythonPackages(outDir) {
  const python = pythonBuildTool();
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "python-sdk-"));
  try {
    fs.cpSync(path.join(root, "sdk", "python"), copy, { recursive: true });
    execFileSync(python, ["-m", "build", "--no-isolation", "--sdist", "--wheel", "--outdir", outDir, copy], { stdio: ["ignore", "ignore", "pipe"] });
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

/**
 * The text of a SHA256SUMS file for every file in `dir`, in `sha256sum` format.
 *
 * @example
 * sha256Sums("dist/release"); // "3f2a…  pulumi-cloudflare-sharing-0.1.0.tgz\n…"
 */
function sha256Sums(dir) {
  return fs
    .readdirSync(dir)
    .sort()
    .map((name) => `${crypto.createHash("sha256").update(fs.readFileSync(path.join(dir, name))).digest("hex")}  ${name}\n`)
    .join("");
}

/**
 * Builds every artifact into `outDir` (emptied first); resolves with the files' names.
 *
 * @example
 * await buildRelease("dist/release"); // ["SHA256SUMS", "pulumi-cloudflare-sharing-0.1.0.tgz", …]
 */
async function buildRelease(outDir) {
  const version = releaseVersion();
  const out = path.resolve(outDir);
  fs.rmSync(out, { recursive: true, force: true });
  // Built aside, then moved in place: npm pack takes all of dist/, and must not take earlier artifacts.
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), `release-${version}-`));
  try {
    execFileSync("npm", ["pack", "--quiet", "--pack-destination", stage], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
    await buildPluginTarball(stage);
    buildPythonPackages(stage);
    fs.writeFileSync(path.join(stage, "SHA256SUMS"), sha256Sums(stage));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.cpSync(stage, out, { recursive: true });
    fs.chmodSync(out, 0o755);
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
  // Keeps the artifacts out of a later `npm pack` (the package's files include dist/).
  fs.writeFileSync(path.join(out, ".npmignore"), "*\n");
  return fs.readdirSync(out).filter((name) => !name.startsWith(".")).sort();
}

module.exports = { buildRelease, sha256Sums };

if (require.main === module) {
  const outAt = process.argv.indexOf("--out");
  const outDir = outAt >= 0 ? process.argv[outAt + 1] : path.join(root, "dist", "release");
  buildRelease(outDir)
    .then((names) => process.stdout.write(`${names.map((name) => path.join(outDir, name)).join("\n")}\n`))
    .catch((error) => {
      process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
      process.exit(1);
    });
}
