// The build's check for duplicate JSON keys (scripts/check-json-keys.js): JSON keeps only the last of two
// equal keys without a word, so a duplicate in package.json or a shipped JSON file must stop the build.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

interface Duplicate {
  key: string;
  pointer: string;
  line: number;
  firstLine: number;
}

const repoRoot = path.resolve(__dirname, "..", "..");
const script = path.join(repoRoot, "scripts", "check-json-keys.js");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { duplicateKeys, problems } = require(script) as { duplicateKeys(text: string): Duplicate[]; problems(root: string): string[] };

/** A package folder holding `files` (relative path → text); removed by the caller. */
function packageDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "json-keys-"));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe("duplicate JSON keys", () => {
  it("are found at any depth, with the object's pointer and both lines", () => {
    const text = [
      "{",
      '  "resources": {',
      '    "cloudflare-sharing:index:Share": {',
      '      "properties": [{ "name": "a", "type": "string",',
      '        "name": "b" }]',
      "    }",
      "  }",
      "}",
    ].join("\n");
    expect(duplicateKeys(text)).toEqual([{ key: "name", pointer: "/resources/cloudflare-sharing:index:Share/properties/0", line: 5, firstLine: 4 }]);
  });

  it("compare decoded keys, and ignore equal keys in different objects and braces or quotes inside strings", () => {
    expect(duplicateKeys('{"a": 1, "\\u0061": 2}')).toEqual([{ key: "a", pointer: "", line: 1, firstLine: 1 }]);
    expect(duplicateKeys('{"a": {"b": 1}, "c": {"b": 2}, "d": [{"b": 3}, {"b": 4}], "e": "{\\"b\\": 1, \\"b\\": 2}", "f/~": {"g": true, "h": null, "i": -1.5e3, "j": []}}')).toEqual([]);
    expect(duplicateKeys('{"a/b": {"~": 1, "~": 2}}')).toEqual([{ key: "~", pointer: "/a~1b", line: 1, firstLine: 1 }]);
  });

  it("text that is not JSON fails with JSON's own error", () => {
    expect(() => duplicateKeys('{"a": 1,}')).toThrow(SyntaxError);
  });

  it("fail the check, naming the file and the key, for package.json and for a JSON file the package ships", () => {
    const dir = packageDir({
      "package.json": '{\n  "name": "x",\n  "files": ["dist/", "schema.json"],\n  "bin": {"a": "a.js"},\n  "bin": {"b": "b.js"}\n}\n',
      "schema.json": '{"name": "x"}',
      "dist/deep/data.json": '{"outer": {"inner": {"k": 1, "k": 2}}}',
      "notes.json": '{"k": 1, "k": 2}', // not shipped
    });
    try {
      const run = spawnSync(process.execPath, [script, dir], { encoding: "utf8" });
      expect(run.status).toBe(1);
      expect(run.stderr.trim().split("\n")).toEqual([
        'dist/deep/data.json: duplicate key "k" in /outer/inner (lines 1 and 1): JSON keeps only the last',
        'package.json: duplicate key "bin" at the top level (lines 4 and 5): JSON keeps only the last',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("pass a package without any, this one included; the build runs the check", () => {
    const dir = packageDir({ "package.json": '{"name": "x", "files": ["schema.json"], "bin": {"a": "a.js", "b": "b.js"}}', "schema.json": '{"a": {"k": 1}, "b": {"k": 2}}' });
    try {
      const run = spawnSync(process.execPath, [script, dir], { encoding: "utf8" });
      expect([run.status, run.stderr]).toEqual([0, ""]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(problems(repoRoot)).toEqual([]);
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(manifest.scripts.build).toContain("node scripts/check-json-keys.js");
  });
});
