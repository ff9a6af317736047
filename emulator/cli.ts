#!/usr/bin/env node
// Runs the emulator as a process:
// `node dist/emulator/cli.js --port <p> [--settings <json file>] [--fast] [--profile <name>] [--seed <n>]`.
// Prints exactly one line with the base URL, then serves until SIGINT/SIGTERM.

import { readFileSync } from "node:fs";
import { FAST_TIMINGS, type DeepPartial, type EmulatorSettings, mergeSettings, DEFAULT_SETTINGS } from "./settings";
import { startEmulator } from "./server";
import { getProfile, profileSettings } from "./profiles";

interface CliOptions {
  port: number;
  settings: DeepPartial<EmulatorSettings>;
  seed?: number;
}

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: cli.js --port <p> [--settings <json file>] [--fast] [--profile <name>] [--seed <n>]\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): CliOptions {
  let port = 0;
  let fileSettings: DeepPartial<EmulatorSettings> = {};
  let fast = false;
  let seed: number | undefined;
  let profile = "default";
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => argv[++i] ?? usage(`${arg} needs a value`);
    if (arg === "--port") port = Number(value());
    else if (arg === "--settings") fileSettings = JSON.parse(readFileSync(value(), "utf8")) as DeepPartial<EmulatorSettings>;
    else if (arg === "--fast") fast = true;
    else if (arg === "--seed") seed = Number(value());
    else if (arg === "--profile") profile = value();
    else usage(`unknown argument ${arg}`);
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) usage("--port must be an integer in 0..65535");
  try {
    getProfile(profile);
  } catch (error) {
    usage((error as Error).message);
  }
  // --fast replaces the timings first; the profile comes next (its times scaled up 20× without --fast,
  // like the default timings); a settings file still overrides single values.
  const base = fast ? mergeSettings(DEFAULT_SETTINGS, { timings: FAST_TIMINGS }) : DEFAULT_SETTINGS;
  return { port, settings: mergeSettings(profileSettings(profile, base, fast ? 1 : 20), fileSettings), seed };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const emulator = await startEmulator({ port: options.port, settings: options.settings, seed: options.seed });
  process.stdout.write(`Cloudflare Resource Sharing emulator listening on ${emulator.url}\n`);
  const shutdown = () => {
    void emulator.stop().then(() => process.exit(0));
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`emulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
