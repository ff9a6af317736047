#!/usr/bin/env node
// Fails the build on a duplicate key in package.json or in any JSON file the package ships (the
// folders and files of package.json's "files"). JSON keeps only the last of two equal keys without a
// word, so a merge that kept two "bin" objects shipped a package without one of its commands.
//
//   node scripts/check-json-keys.js            # this package
//   node scripts/check-json-keys.js <dir>      # the package in <dir>
"use strict";

const fs = require("node:fs");
const path = require("node:path");

/**
 * Every key that appears twice in one object of the JSON `text`, with the JSON Pointer of that object
 * and the lines of both occurrences. Keys are compared as decoded strings ("a" equals "\u0061").
 * Throws the JSON.parse error on text that is not JSON.
 *
 * @example
 * duplicateKeys('{"bin": {"a": "x"},\n "bin": {"b": "y"}}')
 * // [{ key: "bin", pointer: "", line: 2, firstLine: 1 }]
 */
function duplicateKeys(text) {
  JSON.parse(text); // not JSON at all: JSON's own error says where
  const found = [];
  let at = 0;
  const lineAt = (index) => text.slice(0, index).split("\n").length;
  const skipSpace = () => {
    while (at < text.length && " \t\n\r".includes(text[at])) at++;
  };
  const readString = () => {
    const start = at++;
    while (text[at] !== '"') at += text[at] === "\\" ? 2 : 1;
    at++;
    return JSON.parse(text.slice(start, at));
  };
  const escape = (key) => key.replace(/~/g, "~0").replace(/\//g, "~1");
  const readValue = (pointer) => {
    skipSpace();
    const char = text[at];
    if (char === "{") {
      at++;
      const seen = new Map();
      skipSpace();
      if (text[at] === "}") return void at++;
      for (;;) {
        skipSpace();
        const keyIndex = at;
        const key = readString();
        if (seen.has(key)) found.push({ key, pointer, line: lineAt(keyIndex), firstLine: seen.get(key) });
        else seen.set(key, lineAt(keyIndex));
        skipSpace();
        at++; // ':'
        readValue(`${pointer}/${escape(key)}`);
        skipSpace();
        if (text[at++] === "}") return;
      }
    }
    if (char === "[") {
      at++;
      skipSpace();
      if (text[at] === "]") return void at++;
      for (let index = 0; ; index++) {
        readValue(`${pointer}/${index}`);
        skipSpace();
        if (text[at++] === "]") return;
      }
    }
    if (char === '"') return void readString();
    // A number, true, false or null: up to the next delimiter.
    while (at < text.length && !",]} \t\n\r".includes(text[at])) at++;
  };
  readValue("");
  return found;
}

/**
 * The JSON files of the package in `root`: package.json and every *.json under its "files" entries.
 *
 * @example
 * shippedJsonFiles(process.cwd()) // ["package.json", "schema.json", …]
 */
function shippedJsonFiles(root) {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  const files = new Set(["package.json"]);
  for (const entry of manifest.files ?? []) {
    const full = path.join(root, entry);
    if (!fs.existsSync(full)) continue;
    if (fs.statSync(full).isDirectory()) {
      for (const item of fs.readdirSync(full, { recursive: true, withFileTypes: true })) {
        if (item.isFile() && item.name.endsWith(".json")) files.add(path.relative(root, path.join(item.parentPath, item.name)));
      }
    } else if (entry.endsWith(".json")) {
      files.add(path.relative(root, full));
    }
  }
  return [...files].sort();
}

/**
 * One line per duplicate key of the package in `root`, naming the file, the key, where it is and both lines.
 *
 * @example
 * problems(process.cwd()) // ['package.json: duplicate key "bin" at the top level (lines 8 and 61): JSON keeps only the last']
 */
function problems(root) {
  const lines = [];
  for (const file of shippedJsonFiles(root)) {
    let duplicates;
    try {
      duplicates = duplicateKeys(fs.readFileSync(path.join(root, file), "utf8"));
    } catch (error) {
      lines.push(`${file}: not valid JSON: ${error.message}`);
      continue;
    }
    for (const { key, pointer, line, firstLine } of duplicates) {
      const where = pointer === "" ? "at the top level" : `in ${pointer}`;
      lines.push(`${file}: duplicate key ${JSON.stringify(key)} ${where} (lines ${firstLine} and ${line}): JSON keeps only the last`);
    }
  }
  return lines;
}

if (require.main === module) {
  const root = path.resolve(process.argv[2] ?? path.join(__dirname, ".."));
  const found = problems(root);
  if (found.length > 0) {
    process.stderr.write(`${found.join("\n")}\n`);
    process.exit(1);
  }
}

module.exports = { duplicateKeys, shippedJsonFiles, problems };
