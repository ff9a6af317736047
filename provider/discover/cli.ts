#!/usr/bin/env node
// The `pulumi-cloudflare-sharing` command (package.json `bin`): `discover`, `audit`, `recover` and `probe`.

import { AUDIT_USAGE, runAudit } from "../audit/command";
import { VERSION } from "../client/version";
import { PROBE_USAGE, runProbe } from "../probe/command";
import { RECOVER_USAGE, runRecover } from "../recover/command";
import { runDiscover, USAGE } from "./command";

/** What every subcommand is given: results on stdout, progress on stderr, the time. */
const io = { out: (line: string) => console.log(line), progress: (line: string) => console.error(line), now: () => new Date() };

const SUBCOMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  discover: (argv) => runDiscover(argv, io),
  audit: (argv) => runAudit(argv, io),
  recover: (argv) => runRecover(argv, io),
  probe: (argv) => runProbe(argv, io),
};

async function main(argv: string[]): Promise<number> {
  const [subcommand, ...rest] = argv;
  const run = subcommand === undefined ? undefined : SUBCOMMANDS[subcommand];
  if (run !== undefined && Object.hasOwn(SUBCOMMANDS, subcommand)) return run(rest);
  if (subcommand === "--version" || subcommand === "-v") {
    console.log(VERSION);
    return 0;
  }
  const help = subcommand === undefined || subcommand === "--help" || subcommand === "-h" || subcommand === "help";
  (help ? console.log : console.error)(`${help ? "" : `Unknown command ${JSON.stringify(subcommand)}.\n\n`}${USAGE}\n${AUDIT_USAGE}\n${RECOVER_USAGE}\n${PROBE_USAGE}`);
  return help ? 0 : 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
);
