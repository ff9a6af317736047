// The examples type-check against the package as installed (node_modules), as in a user's project.
import { execFileSync } from "node:child_process";
import * as path from "node:path";

const root = path.resolve(__dirname, "..");
const tsc = require.resolve("typescript/bin/tsc");

it.each(["quickstart", "ruleset-share", "lookups"])("examples/%s type-checks", (example) => {
  const run = () => execFileSync(process.execPath, [tsc, "--noEmit", "-p", path.join(root, "examples", example, "tsconfig.json")], { encoding: "utf8", stdio: "pipe" });
  expect(run).not.toThrow();
}, 120_000);
