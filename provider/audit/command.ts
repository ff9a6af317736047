// `pulumi-cloudflare-sharing audit`: arguments, the run, and what the user is told. Everything
// given is checked (options, every state file) before the first request; reads only.

import * as fs from "node:fs";
import { parseArgs } from "node:util";
import { AuthenticationError, NotFoundError } from "../client/core/errors";
import type { ShareObject } from "../client/types";
import { MissingCredentialsError } from "../config";
import { explainFailure, UsageError } from "../discover/command";
import { readSentShares } from "../discover/read";
import { lookupContextFrom, LookupContext } from "../functions/context";
import { uniqueById } from "../functions/results";
import { Checker } from "../resources/inputs";
import { isGone, RECIPIENT_LIFECYCLE, RESOURCE_LIFECYCLE, SHARE_LIFECYCLE } from "../wait/lifecycle";
import { undeclaredItems } from "./compare";
import { AuditReport, reportLines } from "./report";
import { declaredInExport, NotAStackExportError, noIds, StateExportContents } from "./state-export";

export const AUDIT_USAGE = `Usage: pulumi-cloudflare-sharing audit --account <id> --state <file> [--state <file>…] [--organization <id>] [--json]

Lists every live share, recipient and shared object of the account that none of the given stack
exports (\`pulumi stack export --file <file>\`, any backend, either face of the providers) holds: grants
made outside code. Credentials: CLOUDFLARE_API_TOKEN (or CLOUDFLARE_API_KEY + CLOUDFLARE_EMAIL);
CLOUDFLARE_BASE_URL overrides the API endpoint. Reads only: a read-only token is enough.

  --account <id>        the account whose shares to audit (32 hexadecimal characters)
  --state <file>        a stack export; repeat it for every stack that declares shares of the account
  --organization <id>   its organization: recognises organization recipients, and also lists the
                        shares of the organization's other accounts that no export holds
  --json                one JSON object on stdout instead of text

Exit codes: 0 nothing undeclared, 1 something undeclared, 2 bad usage, an unreadable state file or
refused credentials, 3 the audit could not finish (network, rate limit, server errors).
`;

/** The exit codes, as documented in README.md. */
export const AUDIT_EXIT = { clean: 0, undeclared: 1, usage: 2, failed: 3 } as const;

export interface AuditCommand {
  accountId: string;
  organizationId?: string;
  stateFiles: string[];
  json: boolean;
}

/**
 * Parses and checks `audit`'s options; throws {@link UsageError} naming every broken rule.
 *
 * @example
 * parseAuditArgs(["--account", "023e105f4ecef8ad9ca31a8372d0c353", "--state", "prod.json"])
 * // { accountId: "023e…", stateFiles: ["prod.json"], json: false }
 */
export function parseAuditArgs(argv: readonly string[]): AuditCommand {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { account: { type: "string" }, organization: { type: "string" }, state: { type: "string", multiple: true }, json: { type: "boolean" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${AUDIT_USAGE}`);
  }
  const checker = new Checker();
  checker.id("--account", values.account);
  checker.id("--organization", values.organization, false);
  const stateFiles = (values.state as string[] | undefined) ?? [];
  if (stateFiles.length === 0) checker.fail("--state", "--state is required: the file of a `pulumi stack export`, once per stack");
  if (stateFiles.some((file) => file.trim() === "")) checker.fail("--state", "--state must not be empty");
  if (checker.failures.length > 0) throw new UsageError(`${checker.failures.map((f) => f.reason).join("\n")}\n\n${AUDIT_USAGE}`);
  return { accountId: values.account as string, organizationId: values.organization as string | undefined, stateFiles, json: values.json === true };
}

/**
 * Reads every state file given; throws {@link NotAStackExportError} (naming the file) for one that
 * cannot be read or is not a stack export.
 *
 * @example
 * const states = readStateFiles(["prod.json", "staging.json"]);
 */
export function readStateFiles(files: readonly string[]): StateExportContents[] {
  return files.map((file) => {
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (error) {
      throw new NotAStackExportError(file, `it cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    return declaredInExport(file, text);
  });
}

/** Where the run's lines go, and the clock. */
export interface AuditIo {
  out: (line: string) => void;
  progress: (line: string) => void;
  now: () => Date;
  /** Builds the lookup context; the environment's credentials by default. */
  context?: () => LookupContext;
}

/**
 * Runs `audit`: returns the exit code ({@link AUDIT_EXIT}). The report goes to `io.out` (text, or one
 * JSON object with `--json`); progress and failures to `io.progress`, and nothing to `io.out` then.
 *
 * @example
 * process.exitCode = await runAudit(["--account", accountId, "--state", "prod.json"], { out: console.log, progress: console.error, now: () => new Date() });
 */
export async function runAudit(argv: readonly string[], io: AuditIo): Promise<number> {
  let command: AuditCommand;
  let states: StateExportContents[];
  try {
    command = parseAuditArgs(argv);
    states = readStateFiles(command.stateFiles);
  } catch (error) {
    io.progress(error instanceof UsageError || error instanceof NotAStackExportError ? error.message : String(error));
    return AUDIT_EXIT.usage;
  }
  for (const warning of states.flatMap((state) => state.warnings)) io.progress(`warning: ${warning}`);
  const declared = noIds();
  for (const state of states) for (const kind of ["shares", "recipients", "resources"] as const) for (const id of state[kind]) declared[kind].add(id);

  try {
    const ctx = io.context ? io.context() : lookupContextFrom(undefined, (event) => {
      if (event.type === "rate-wait") io.progress(`holding requests for ${Math.ceil((event.waitMs ?? 0) / 1000)}s to stay under Cloudflare's rate limit`);
    });
    const startRequests = ctx.api.http.stats.attempts;
    const { shares, recipientsOf } = await readSentShares(ctx, { accountId: command.accountId, progress: io.progress });
    let organizationShares: ShareObject[] | undefined;
    if (command.organizationId !== undefined) {
      organizationShares = uniqueById(await ctx.api.organizations.listAllShares(command.organizationId, {}, { signal: ctx.signal }));
      io.progress(`read ${organizationShares.length} shares of organization ${command.organizationId}`);
    }
    if (shares.length === 0) io.progress(`Account ${command.accountId} sends no share that this token can see: check the account id (an unknown account lists none).`);
    const organizationIds = new Set([...shares.map((share) => share.organization_id), ...(command.organizationId ? [command.organizationId] : [])]);
    const undeclared = undeclaredItems({ shares, recipientsOf, organizationShares, organizationIds }, declared);
    const liveShares = shares.filter((share) => !isGone(SHARE_LIFECYCLE, share.status));
    const report: AuditReport = {
      accountId: command.accountId,
      organizationId: command.organizationId,
      auditedAt: io.now().toISOString(),
      stateFiles: command.stateFiles,
      read: {
        shares: liveShares.length,
        recipients: liveShares.flatMap((share) => recipientsOf.get(share.id) ?? []).filter((r) => !isGone(RECIPIENT_LIFECYCLE, r.association_status)).length,
        resources: liveShares.flatMap((share) => share.resources ?? []).filter((r) => !isGone(RESOURCE_LIFECYCLE, r.status)).length,
        organizationShares: organizationShares?.filter((share) => share.account_id !== command.accountId && !isGone(SHARE_LIFECYCLE, share.status)).length,
      },
      declared: { shares: declared.shares.size, recipients: declared.recipients.size, resources: declared.resources.size },
      undeclared,
      warnings: states.flatMap((state) => state.warnings),
      requests: ctx.api.http.stats.attempts - startRequests,
    };
    if (command.json) io.out(JSON.stringify(report, null, 2));
    else for (const line of reportLines(report)) io.out(line);
    return undeclared.length === 0 ? AUDIT_EXIT.clean : AUDIT_EXIT.undeclared;
  } catch (error) {
    io.progress(explainFailure(error, command, "audit"));
    return refused(error) ? AUDIT_EXIT.usage : AUDIT_EXIT.failed;
  }
}

/** Missing or refused credentials, or an id Cloudflare does not know: the caller must fix the command. */
function refused(error: unknown): boolean {
  return error instanceof MissingCredentialsError || error instanceof AuthenticationError || (error instanceof NotFoundError && (error.path.endsWith("/shares") || error.path.startsWith("/organizations/")));
}
