#!/usr/bin/env node
// Builds the provider plugin as one executable that needs no Node.js installed, packed as a Pulumi
// plugin tarball (`pulumi plugin install resource cloudflare-sharing <version> --file <tarball>`):
//   1. esbuild bundles the plugin launcher (bin/pulumi-resource-cloudflare-sharing, which runs the
//      compiled dist/provider/plugin/main.js) and every dependency into one CommonJS file, with
//      schema.json and the package version embedded (an executable has no package folder to read);
//   2. Node.js makes that file a single executable application: a blob (`--experimental-sea-config`)
//      that postject injects into a copy of the running node binary;
//   3. tar packs the executable at the tarball's root, as the engine installs plugin tarballs.
// Run `npm run build` first (the bundle is made from dist/).
//
// Usage: node scripts/plugin-binary.js [--out DIR]   (default DIR: dist/release; prints the tarball's path)
"use strict";

const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const PLUGIN_NAME = "cloudflare-sharing";
const EXECUTABLE = `pulumi-resource-${PLUGIN_NAME}`;
/** The fuse Node.js looks for to know that a blob was injected (documented with single executable applications). */
const SEA_FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";
/** Pulumi's names for the platforms Node.js reports. */
const PULUMI_OS = { linux: "linux", darwin: "darwin", win32: "windows" };
const PULUMI_ARCH = { x64: "amd64", arm64: "arm64" };

/**
 * The plugin tarball's file name for this package version on this machine, as the engine names
 * plugin downloads: `pulumi-resource-cloudflare-sharing-v0.1.0-linux-amd64.tar.gz`.
 *
 * @example
 * pluginTarballName("0.1.0"); // "pulumi-resource-cloudflare-sharing-v0.1.0-linux-amd64.tar.gz" on Linux x64
 */
function pluginTarballName(version, platform = process.platform, arch = process.arch) {
  const osName = PULUMI_OS[platform];
  const archName = PULUMI_ARCH[arch];
  if (osName === undefined || archName === undefined) throw new Error(`no Pulumi plugin platform for ${platform}-${arch}`);
  return `${EXECUTABLE}-v${version}-${osName}-${archName}.tar.gz`;
}

/**
 * Bundles the plugin into `outFile`; resolves with the bundle's size in bytes.
 *
 * @example
 * await bundlePlugin("/tmp/plugin.js", "0.1.0");
 */
async function bundlePlugin(outFile, version) {
  const esbuild = require("esbuild");
  const schema = fs.readFileSync(path.join(root, "schema.json"), "utf8");
  await esbuild.build({
    entryPoints: [path.join(root, "bin", EXECUTABLE)],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    outfile: outFile,
    logLevel: "error",
    // provider/plugin/package-files.ts reads these instead of the package's files.
    define: { CLOUDFLARE_SHARING_EMBEDDED: JSON.stringify({ version, schema }) },
    // Everything is bundled: a single executable application can require Node's built-in modules only.
    // @grpc/grpc-js loads .proto files from its own folder only for its channelz and ORCA services,
    // which the plugin never turns on, and it has no native module.
  });
  return fs.statSync(outFile).size;
}

/**
 * Makes `bundle` a single executable application at `executable`: a copy of this node binary with
 * the bundle injected.
 *
 * @example
 * await makeExecutable("/tmp/plugin.js", "/tmp/out/pulumi-resource-cloudflare-sharing");
 */
async function makeExecutable(bundle, executable) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "plugin-sea-"));
  try {
    const blob = path.join(work, "sea-prep.blob");
    const config = path.join(work, "sea-config.json");
    fs.writeFileSync(config, JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true }));
    execFileSync(process.execPath, ["--experimental-sea-config", config], { stdio: ["ignore", "ignore", "inherit"] });
    fs.copyFileSync(process.execPath, executable);
    fs.chmodSync(executable, 0o755);
    const { inject } = require("postject");
    await inject(executable, "NODE_SEA_BLOB", fs.readFileSync(blob), { sentinelFuse: SEA_FUSE });
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Builds the plugin tarball into `outDir`; resolves with its path.
 *
 * @example
 * await buildPluginTarball("dist/release"); // "dist/release/pulumi-resource-cloudflare-sharing-v0.1.0-linux-amd64.tar.gz"
 */
async function buildPluginTarball(outDir) {
  const { version } = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), "plugin-stage-"));
  try {
    const bundle = path.join(stage, "bundle", "plugin.js");
    await bundlePlugin(bundle, version);
    await makeExecutable(bundle, path.join(stage, EXECUTABLE));
    fs.mkdirSync(outDir, { recursive: true });
    const tarball = path.join(path.resolve(outDir), pluginTarballName(version));
    execFileSync("tar", ["-czf", tarball, "-C", stage, EXECUTABLE]);
    return tarball;
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

module.exports = { PLUGIN_NAME, EXECUTABLE, pluginTarballName, buildPluginTarball };

if (require.main === module) {
  const outAt = process.argv.indexOf("--out");
  const outDir = outAt >= 0 ? process.argv[outAt + 1] : path.join(root, "dist", "release");
  buildPluginTarball(outDir)
    .then((tarball) => process.stdout.write(`${tarball}\n`))
    .catch((error) => {
      process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
      process.exit(1);
    });
}
