#!/usr/bin/env node
// Generates the Python and Go SDKs of the provider plugin from schema.json into sdk/python and
// sdk/go, with the Pulumi code generators (scripts/engine/sdkgen, a small Go module of this project
// that calls the generators `pulumi package gen-sdk` asks a language host to run; the hosts built
// here are too old to answer that), then makes ShareRecipient and ShareResource delete before
// replacing by default (./sdk-delete-before-replace.js). YAML needs no SDK, only the schema the plugin serves.
//
// Usage: node scripts/sdk.js [--check]   (--check: exit 1 if sdk/ is not what schema.json makes)
"use strict";

const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { deleteBeforeReplaceByDefault } = require("./sdk-delete-before-replace");

const root = path.resolve(__dirname, "..");
const LANGUAGES = ["python", "go"];
const GO_ENV = { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "-mod=mod -buildvcs=false" };

function buildGenerator() {
  const output = path.join(os.tmpdir(), `pulumi-cloudflare-sharing-sdkgen-${process.getuid?.() ?? 0}`);
  // go build is incremental: a second run only checks the cache.
  execFileSync("go", ["build", "-trimpath", "-o", output, "."], { cwd: path.join(__dirname, "engine", "sdkgen"), stdio: "inherit", env: GO_ENV });
  return output;
}

/**
 * The Go SDK's module file when there is none yet: the generator writes packages only. Once made,
 * go.mod and go.sum are kept as `go mod tidy` left them. Users `replace` this path with their checkout.
 */
const GO_MOD = `module pulumi-cloudflare-sharing/sdk/go

go 1.25

require github.com/pulumi/pulumi/sdk/v3 v3.259.0
`;

const MODULE_FILES = ["go.mod", "go.sum"];

function generate(generator, outDir) {
  for (const language of LANGUAGES) {
    const target = path.join(outDir, language);
    const kept = new Map(
      MODULE_FILES.filter((name) => fs.existsSync(path.join(target, name))).map((name) => [name, fs.readFileSync(path.join(target, name))]),
    );
    fs.rmSync(target, { recursive: true, force: true });
    execFileSync(generator, [path.join(root, "schema.json"), language, target], { stdio: "inherit" });
    deleteBeforeReplaceByDefault(language, target);
    if (language === "go") {
      if (!kept.has("go.mod")) fs.writeFileSync(path.join(target, "go.mod"), GO_MOD);
      for (const [name, content] of kept) fs.writeFileSync(path.join(target, name), content);
    }
  }
}

function listFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

function main() {
  const generator = buildGenerator();
  if (!process.argv.includes("--check")) {
    generate(generator, path.join(root, "sdk"));
    process.stderr.write("wrote sdk/python and sdk/go\n");
    return;
  }
  const fresh = fs.mkdtempSync(path.join(os.tmpdir(), "sdk-check-"));
  try {
    generate(generator, fresh);
    const stale = [];
    for (const language of LANGUAGES) {
      const expected = path.join(fresh, language);
      const actual = path.join(root, "sdk", language);
      const names = new Set([...listFiles(expected), ...listFiles(actual)]);
      for (const name of [...names].filter((name) => !MODULE_FILES.includes(name))) {
        const a = fs.existsSync(path.join(expected, name)) ? fs.readFileSync(path.join(expected, name), "utf8") : undefined;
        const b = fs.existsSync(path.join(actual, name)) ? fs.readFileSync(path.join(actual, name), "utf8") : undefined;
        if (a !== b) stale.push(`sdk/${language}/${name}`);
      }
    }
    if (stale.length > 0) {
      process.stderr.write(`sdk/ is out of date (${stale.join(", ")}): run \`npm run sdk\`\n`);
      process.exit(1);
    }
  } finally {
    fs.rmSync(fresh, { recursive: true, force: true });
  }
}

main();
