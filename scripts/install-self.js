#!/usr/bin/env node
// Installs the freshly built package into this repository's own node_modules, as npm would install
// it for a user: a real copy of the published files, not a symlink. The examples, the demo and the
// end-to-end tests then load it by name, exactly as a user's program does, and Pulumi serializes
// its providers as a one-line require() (a symlinked package resolves outside node_modules and
// would be serialized by value instead).
"use strict";

const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const manifest = require(path.join(root, "package.json"));
const target = path.join(root, "node_modules", manifest.name);

fs.rmSync(target, { recursive: true, force: true });
fs.mkdirSync(target, { recursive: true });
for (const entry of ["package.json", "README.md", "LICENSE", ...manifest.files]) {
  const source = path.join(root, entry);
  // Release artifacts (npm run release) are built into dist/release/ but are not part of the package.
  const published = (file) => path.relative(root, file) !== path.join("dist", "release");
  if (fs.existsSync(source)) fs.cpSync(source, path.join(target, entry), { recursive: true, filter: published });
}
process.stderr.write(`installed ${manifest.name}@${manifest.version} into ${path.relative(root, target)}\n`);
