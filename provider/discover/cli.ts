#!/usr/bin/env node
// The `pulumi-cloudflare-sharing` command (package.json `bin`): `discover` and `audit`.

import { AUDIT_USAGE, runAudit } from "../audit/command";
import { VERSION } from "../client/version";
import { runDiscover, USAGE } from "./command";

const SUBCOMMANDS = { discover: runDiscover, audit: runAudit } as const;

async function main(argv: string[]): Promise<number> {
  const [subcommand, ...rest] = argv;
  if (subcommand === "discover" || subcommand === "audit") {
    return SUBCOMMANDS[subcommand](rest, { out: (line) => console.log(line), progress: (line) => console.error(line), now: () => new Date() });
  }
  if (subcommand === "--version" || subcommand === "-v") {
    console.log(VERSION);
    return 0;
  }
  const help = subcommand === undefined || subcommand === "--help" || subcommand === "-h" || subcommand === "help";
  (help ? console.log : console.error)(`${help ? "" : `Unknown command ${JSON.stringify(subcommand)}.\n\n`}${USAGE}\n${AUDIT_USAGE}`);
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
