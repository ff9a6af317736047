#!/usr/bin/env node
// The test command: every suite under the `default` emulator profile, then the provider suites and the
// end-to-end lifecycle suite (with drift) under every other profile (emulator/profiles.ts), each a
// plausible real API, and the chaos suite under `laggy` too. Prints each profile's pass count and ends with one plain line:
// `tests: N passed, M failed`, summed over all runs.
//
//   node scripts/test-matrix.js                      # the whole matrix (what `npm test` runs)
//   EMULATOR_PROFILES=default,laggy node scripts/test-matrix.js   # some profiles only
//   node scripts/test-matrix.js tests/resources      # these jest arguments, under $EMULATOR_PROFILE (default)
//   EMULATOR_PROFILE_FILE=probe.json node scripts/test-matrix.js   # the matrix suites under a probe's profile
"use strict";

const { spawn } = require("node:child_process");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const jestBin = path.join(root, "node_modules", "jest", "bin", "jest.js");
const { PROFILE_NAMES, PROFILES, getProfile } = require(path.join(root, "dist", "emulator", "profiles.js"));

/**
 * The suites every profile runs: where the providers meet the API's open behaviours. The exclusive
 * share's drift job runs here through the plugin (under a minute per profile); its dynamic-face suite,
 * tests/e2e/exclusive.test.ts (a killed `up`, lost DELETEs: 2.5 to 5 minutes per profile), runs
 * under `default` only; run it under a profile by hand with EMULATOR_PROFILE.
 */
const MATRIX_SUITES = ["tests/resources", "tests/e2e/lifecycle.test.ts", "tests/e2e/plugin/exclusive-yaml.test.ts"];
/**
 * The chaos suite (a fleet under injected faults, the heaviest) runs under `default` and `laggy` only:
 * lost responses meet lagging lists there, and the whole run stays within CI's 30 minutes on 2 cores.
 */
const CHAOS_PROFILES = ["laggy"];
const CHAOS_SUITE = "tests/e2e/chaos.test.ts";

/** Runs jest under `profile`, streaming its output; resolves with its counts. */
function runJest(profile, args) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [jestBin, ...args], {
      cwd: root,
      // EMULATOR_PROFILE_FILE would override the profile named here.
      env: { ...process.env, EMULATOR_PROFILE: profile, EMULATOR_PROFILE_FILE: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let tail = "";
    const collect = (stream, sink) =>
      stream.on("data", (chunk) => {
        sink.write(chunk);
        tail = (tail + chunk.toString("utf8")).slice(-20_000);
      });
    collect(child.stdout, process.stdout);
    collect(child.stderr, process.stderr);
    child.on("close", (code) => {
      const summary = tail.split("\n").filter((line) => /^Tests:/.test(line)).pop() ?? "";
      const count = (word) => Number((summary.match(new RegExp(`(\\d+) ${word}`)) ?? [0, 0])[1]);
      // A run that ends without a summary (it crashed) counts as one failure, so it cannot pass silently.
      const failed = count("failed") || (code !== 0 && count("passed") === 0 ? 1 : 0);
      resolve({ profile, passed: count("passed"), failed, skipped: count("skipped"), code, seconds: (Date.now() - started) / 1000 });
    });
  });
}

async function main() {
  const args = process.argv.slice(2);
  const runs = [];
  // A profile file (a probe's --json output, or EMULATOR_PROFILE=file:<path>) stands for one real account:
  // the matrix suites run under it alone.
  const fileProfile = process.env.EMULATOR_PROFILE_FILE ? `file:${process.env.EMULATOR_PROFILE_FILE}` : (process.env.EMULATOR_PROFILE || "").startsWith("file:") ? process.env.EMULATOR_PROFILE : undefined;
  if (fileProfile !== undefined) {
    const profile = getProfile(fileProfile);
    process.stdout.write(`\n=== emulator profile ${profile.name}: ${profile.standsFor}\n`);
    runs.push(await runJest(fileProfile, args.length > 0 ? args : [...MATRIX_SUITES]));
  } else if (args.length > 0) {
    runs.push(await runJest(process.env.EMULATOR_PROFILE || "default", args));
  } else {
    const selected = (process.env.EMULATOR_PROFILES || PROFILE_NAMES.join(",")).split(",").map((name) => name.trim()).filter(Boolean);
    for (const name of selected) {
      if (!PROFILE_NAMES.includes(name)) throw new Error(`unknown emulator profile "${name}": use one of ${PROFILE_NAMES.join(", ")}`);
    }
    for (const name of selected) {
      process.stdout.write(`\n=== emulator profile ${name}: ${PROFILES[name].standsFor}\n`);
      // `default` runs every suite; the other profiles the matrix suites.
      runs.push(await runJest(name, name === "default" ? [] : [...MATRIX_SUITES, ...(CHAOS_PROFILES.includes(name) ? [CHAOS_SUITE] : [])]));
    }
  }
  process.stdout.write("\n");
  for (const run of runs) {
    process.stdout.write(`profile ${run.profile}: ${run.passed} passed, ${run.failed} failed${run.skipped ? `, ${run.skipped} skipped` : ""} (${run.seconds.toFixed(0)} s)\n`);
  }
  const passed = runs.reduce((sum, run) => sum + run.passed, 0);
  const failed = runs.reduce((sum, run) => sum + run.failed, 0);
  process.stdout.write(`tests: ${passed} passed, ${failed} failed\n`);
  process.exitCode = runs.every((run) => run.code === 0) ? 0 : 1;
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
