// `pulumi-cloudflare-sharing discover`: arguments, the run, and what the user is told. Nothing is
// written unless everything was read: a bad token, an unknown account or any failed read ends
// with a message and no file.

import * as path from "node:path";
import { parseArgs } from "node:util";
import { AuthenticationError, CloudflareSharingError, NotFoundError, RateLimitError } from "../client/core/errors";
import { MissingCredentialsError } from "../config";
import { lookupContextFrom, LookupContext } from "../functions/context";
import { Checker } from "../resources/inputs";
import { LANGUAGES, Language, renderProgram, summary } from "./program";
import { readAccountSharing } from "./read";
import { outputDirectoryProblem, writeProgram } from "./write";

export const USAGE = `Usage: pulumi-cloudflare-sharing discover --account <id> [--organization <id>] [--out <dir>] [--language typescript] [--exclusive]

Reads every share the account sends, with its recipients and resources, and writes a Pulumi program
that takes them over (adopt) with no write to Cloudflare. Credentials: CLOUDFLARE_API_TOKEN (or
CLOUDFLARE_API_KEY + CLOUDFLARE_EMAIL); CLOUDFLARE_BASE_URL overrides the API endpoint. Reads only:
a read-only token is enough.

  --account <id>        the account whose shares to bring under code (32 hexadecimal characters)
  --organization <id>   its organization: recognises organization recipients, counts other accounts' shares
  --out <dir>           where to write the program (absent or empty; default ./cloudflare-sharing-<account>)
  --language <lang>     typescript (the only one for now)
  --exclusive           declare every share exclusive: true (its items are its complete set), so that a
                        scheduled \`pulumi refresh --preview-only --expect-no-changes\` fails on any grant made
                        out of band and \`pulumi up --refresh\` removes it
  -h, --help            print this help
`;

/**
 * A command-line mistake: the message names the option and the rule; exit code 2.
 *
 * @example
 * throw new UsageError("--account is required: a Cloudflare id of up to 32 hexadecimal characters");
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export interface DiscoverCommand {
  accountId: string;
  organizationId?: string;
  out: string;
  language: Language;
  /** Declare every share `exclusive: true`. */
  exclusive?: boolean;
}

/**
 * Parses and checks `discover`'s options; throws {@link UsageError} naming every broken rule.
 *
 * @example
 * parseDiscoverArgs(["--account", "023e105f4ecef8ad9ca31a8372d0c353", "--out", "shares"])
 * // { accountId: "023e…", out: "shares", language: "typescript", exclusive: false }
 */
export function parseDiscoverArgs(argv: readonly string[]): DiscoverCommand {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { account: { type: "string" }, organization: { type: "string" }, out: { type: "string" }, language: { type: "string" }, exclusive: { type: "boolean" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${USAGE}`);
  }
  const checker = new Checker();
  checker.id("--account", values.account);
  checker.id("--organization", values.organization, false);
  const language = (values.language as string | undefined) ?? "typescript";
  if (!(LANGUAGES as readonly string[]).includes(language)) {
    checker.fail("--language", `--language must be one of ${LANGUAGES.join(", ")}, got ${JSON.stringify(language)}`);
  }
  if (values.out !== undefined && String(values.out).trim() === "") checker.fail("--out", "--out must not be empty");
  if (checker.failures.length > 0) throw new UsageError(`${checker.failures.map((f) => f.reason).join("\n")}\n\n${USAGE}`);
  const accountId = values.account as string;
  return {
    accountId,
    organizationId: values.organization as string | undefined,
    out: (values.out as string | undefined) ?? `cloudflare-sharing-${accountId.slice(0, 8)}`,
    language: language as Language,
    exclusive: values.exclusive === true,
  };
}

/**
 * A failure of the run, said in terms of what the user can fix (never showing a credential).
 * `commandName` is the subcommand that failed (`discover`, `audit`).
 *
 * @example
 * explainFailure(new MissingCredentialsError(), command) // "No Cloudflare credentials: set CLOUDFLARE_API_TOKEN (…)."
 */
export function explainFailure(error: unknown, command: Pick<DiscoverCommand, "accountId" | "organizationId">, commandName = "discover"): string {
  if (error instanceof MissingCredentialsError) return "No Cloudflare credentials: set CLOUDFLARE_API_TOKEN (or CLOUDFLARE_API_KEY + CLOUDFLARE_EMAIL).";
  if (error instanceof AuthenticationError && error.path.startsWith("/organizations/")) {
    return (
      `Cloudflare refused to list the shares of organization ${command.organizationId} (${error.status}${error.errors[0] ? `, code ${error.errors[0].code}: ${error.errors[0].message}` : ""}). ` +
      `Check the organization id and that the token can read it, or leave out --organization.`
    );
  }
  if (error instanceof AuthenticationError) {
    return (
      `Cloudflare refused the credentials for account ${command.accountId} (${error.status}${error.errors[0] ? `, code ${error.errors[0].code}: ${error.errors[0].message}` : ""}). ` +
      `Check that the token is valid and can read Resource Sharing on this account.`
    );
  }
  if (error instanceof NotFoundError && (error.path.endsWith("/shares") || error.path.startsWith("/organizations/"))) {
    const what = error.path.startsWith("/organizations/") ? `organization ${command.organizationId}` : `account ${command.accountId}`;
    return `Cloudflare does not know ${what}, or this token cannot see it (${error.status}${error.errors[0] ? `, code ${error.errors[0].code}: ${error.errors[0].message}` : ""}). Check the id.`;
  }
  if (error instanceof RateLimitError) {
    return `Cloudflare's rate limit is exhausted for this token${error.retryAfterMs !== undefined ? ` for another ${Math.ceil(error.retryAfterMs / 1000)} s` : ""}: run ${commandName} again later.`;
  }
  if (error instanceof CloudflareSharingError) return `Reading the shares of account ${command.accountId} failed: ${error.message}`;
  return `${commandName} failed: ${error instanceof Error ? error.message : String(error)}`;
}

/** Where the run's lines go, and the clock. */
export interface DiscoverIo {
  out: (line: string) => void;
  progress: (line: string) => void;
  now: () => Date;
  /** Builds the lookup context; the environment's credentials by default. */
  context?: () => LookupContext;
}

/**
 * Runs `discover`: returns the exit code (0 written or help printed, 1 failed, 2 bad usage). Prints the summary on
 * success and one clear message on failure; writes no file unless every read succeeded.
 *
 * @example
 * process.exitCode = await runDiscover(["--account", accountId], { out: console.log, progress: console.error, now: () => new Date() });
 */
export async function runDiscover(argv: readonly string[], io: DiscoverIo): Promise<number> {
  // Asking for help is not a mistake: the usage goes to stdout, whatever else was typed.
  if (argv.some((arg) => arg === "--help" || arg === "-h")) {
    io.out(USAGE.trimEnd());
    return 0;
  }
  let command: DiscoverCommand;
  try {
    command = parseDiscoverArgs(argv);
  } catch (error) {
    io.progress(error instanceof UsageError ? error.message : String(error));
    return 2;
  }
  const outProblem = outputDirectoryProblem(command.out);
  if (outProblem) {
    io.progress(outProblem.message);
    return 2;
  }
  try {
    const ctx = io.context ? io.context() : lookupContextFrom(undefined, (event) => {
      if (event.type === "rate-wait") io.progress(`holding requests for ${Math.ceil((event.waitMs ?? 0) / 1000)}s to stay under Cloudflare's rate limit`);
    });
    const discovery = await readAccountSharing(ctx, { accountId: command.accountId, organizationId: command.organizationId, progress: io.progress });
    if (discovery.sharesRead === 0) {
      io.progress(
        `Account ${command.accountId} sends no share that this token can see: nothing to write. ` +
          `Check the account id (an unknown account lists no share) and that the token can read its Resource Sharing.`,
      );
      return 1;
    }
    if (discovery.shares.length === 0) {
      for (const line of summary(discovery)) io.out(line);
      io.progress(`None of the ${discovery.sharesRead} shares can be declared (see "Left out" above): nothing to write.`);
      return 1;
    }
    writeProgram(command.out, renderProgram(discovery, { generatedAt: io.now(), language: command.language, exclusive: command.exclusive }));
    for (const line of summary(discovery)) io.out(line);
    io.out(`Wrote index.ts, package.json, Pulumi.yaml, tsconfig.json and README.md to ${path.resolve(command.out)}.`);
    io.out(`Next: cd ${command.out} && npm install && pulumi stack init && pulumi config set --secret cloudflare:apiToken <token> && pulumi up`);
    return 0;
  } catch (error) {
    io.progress(explainFailure(error, command));
    return 1;
  }
}
