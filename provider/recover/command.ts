// `pulumi-cloudflare-sharing recover`: after a killed `pulumi up`, finds on Cloudflare what each of the
// stack's pending creates made and, with --apply, puts it in state (./state-edit says why not through
// `pulumi refresh --import-pending-creates`). It works from the stack export (the backend every
// runner shares) and Cloudflare alone, so it works on a runner that never saw the killed run.
// Exit codes: 0 every pending create of ours resolved, 1 one needs a person, 2 bad usage or credentials.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { AuthenticationError, CloudflareSharingError, RateLimitError } from "../client/core/errors";
import { MissingCredentialsError } from "../config";
import { lookupContextFrom, LookupContext } from "../functions/context";
import { Resolution, resolvePendingCreate, UnreadableCreateError } from "./candidates";
import { ExportError, readStackExport, StackPendingCreates } from "./pending-creates";
import { PulumiRunner, runPulumi, shellLine, UNATTENDED } from "./pulumi-cli";
import { withPendingCreatesResolved } from "./state-edit";

export const RECOVER_USAGE = `Usage: pulumi-cloudflare-sharing recover [--stack <name>] [--export <file>] [--apply]

After a killed \`pulumi up\`: finds on Cloudflare the object each of the stack's pending creates made
(by its natural key, leaving out objects the stack already holds) and says what it found; with
--apply it puts them in state (\`pulumi stack import\` of the export so edited, then \`pulumi refresh\`)
and drops the pending creates shown never to have been made. Other providers' are left as they are.
Run it in the program's folder with the stack's Cloudflare credentials: CLOUDFLARE_API_TOKEN (or CLOUDFLARE_API_KEY +
CLOUDFLARE_EMAIL); CLOUDFLARE_BASE_URL overrides the API endpoint. Reads only, unless --apply.

  --stack <name>    the stack (default: the current one)
  --export <file>   read this output of \`pulumi stack export\` instead of running it
  --apply           put what was made in state and drop what never was

Exit status: 0 every pending create resolved, 1 one needs a person, 2 bad usage or credentials.
`;

/**
 * A command-line mistake: the message names the option and the rule; exit code 2.
 *
 * @example
 * throw new RecoverUsageError("--stack must not be empty");
 */
export class RecoverUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RecoverUsageError";
  }
}

export interface RecoverCommand {
  stack?: string;
  exportFile?: string;
  apply: boolean;
}

/**
 * Parses and checks `recover`'s options; throws {@link RecoverUsageError} naming the broken rule.
 *
 * @example
 * parseRecoverArgs(["--stack", "prod", "--apply"]); // { stack: "prod", exportFile: undefined, apply: true }
 */
export function parseRecoverArgs(argv: readonly string[]): RecoverCommand {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { stack: { type: "string" }, export: { type: "string" }, apply: { type: "boolean" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new RecoverUsageError(`${(error as Error).message}\n\n${RECOVER_USAGE}`);
  }
  for (const option of ["stack", "export"] as const) {
    if (values[option] !== undefined && String(values[option]).trim() === "") throw new RecoverUsageError(`--${option} must not be empty\n\n${RECOVER_USAGE}`);
  }
  return { stack: values.stack as string | undefined, exportFile: values.export as string | undefined, apply: values.apply === true };
}

/** Where the run's lines go, and how Cloudflare and Pulumi are reached (the environment's by default). */
export interface RecoverIo {
  out: (line: string) => void;
  progress: (line: string) => void;
  context?: () => LookupContext;
  pulumi?: PulumiRunner;
}

/** A run that ends early, with its exit code and what to say. */
class Stop extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

/**
 * Runs `recover`: returns the exit code (0 resolved, 1 needs a person, 2 bad usage or credentials).
 *
 * @example
 * process.exitCode = await runRecover(["--apply"], { out: console.log, progress: console.error });
 */
export async function runRecover(argv: readonly string[], io: RecoverIo): Promise<number> {
  const pulumi = io.pulumi ?? runPulumi;
  try {
    let command: RecoverCommand;
    try {
      command = parseRecoverArgs(argv);
    } catch (error) {
      throw new Stop(2, (error as Error).message);
    }
    const stack = await readPendingCreates(command, pulumi);
    const ours = stack.pendingCreates.filter((create) => create.kind !== undefined);
    const notOurs = stack.pendingCreates.filter((create) => create.kind === undefined);
    for (const create of notOurs) io.out(`not ours: ${create.urn} (${create.type}): left as it is`);
    if (ours.length === 0) {
      io.out(`No pending create of a Cloudflare sharing resource${command.stack ? ` in stack ${command.stack}` : ""}: nothing to recover.`);
      return 0;
    }
    const resolutions = await resolveAll(ours, stack.heldIds, io);
    return await conclude(command, stack.exported, resolutions, pulumi, io);
  } catch (error) {
    if (error instanceof Stop) {
      io.progress(error.message);
      return error.code;
    }
    io.progress(explainRecoverFailure(error));
    return error instanceof MissingCredentialsError || error instanceof AuthenticationError ? 2 : 1;
  }
}

async function readPendingCreates(command: RecoverCommand, pulumi: PulumiRunner): Promise<StackPendingCreates & { exported: string }> {
  let text: string;
  if (command.exportFile !== undefined) {
    try {
      text = fs.readFileSync(command.exportFile, "utf8");
    } catch (error) {
      throw new Stop(2, `--export ${command.exportFile}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  } else {
    const args = ["stack", "export", ...(command.stack !== undefined ? ["--stack", command.stack] : [])];
    const run = await pulumi(args, "capture");
    if (run.code !== 0) {
      throw new Stop(2, `\`${shellLine(["pulumi", ...args])}\` failed (exit ${run.code}): ${run.stderr.trim() || run.stdout.trim()}\nRun recover in the program's folder; check --stack and the backend login.`);
    }
    text = run.stdout;
  }
  try {
    return { ...readStackExport(text), exported: text };
  } catch (error) {
    if (error instanceof ExportError) throw new Stop(2, `${command.exportFile !== undefined ? `--export ${command.exportFile}: ` : ""}${error.message}`);
    throw error;
  }
}

type Outcome = Resolution | { create: Resolution["create"]; outcome: "unreadable"; reason: string };

async function resolveAll(ours: Resolution["create"][], heldIds: ReadonlySet<string>, io: RecoverIo): Promise<Outcome[]> {
  // Credentials are read only now: a run with nothing to recover needs none.
  const ctx = io.context ? io.context() : lookupContextFrom();
  // A list that trails writes may not show yet what the killed run made a moment ago: look once it has caught up.
  const lagMs = ctx.api.http.settings.listLagMs ?? 0;
  if (lagMs > 0) await new Promise((resolve) => setTimeout(resolve, lagMs));
  const outcomes: Outcome[] = [];
  for (const create of ours) {
    try {
      outcomes.push(await resolvePendingCreate(ctx.api, create, heldIds));
    } catch (error) {
      if (!(error instanceof UnreadableCreateError)) throw error;
      outcomes.push({ create, outcome: "unreadable", reason: error.message });
    }
  }
  return outcomes;
}

async function conclude(command: RecoverCommand, exported: string, outcomes: Outcome[], pulumi: PulumiRunner, io: RecoverIo): Promise<number> {
  const imports: { urn: string; id: string }[] = [];
  const neverMade: string[] = [];
  let needsPerson = 0;
  for (const outcome of outcomes) {
    const { urn, kind } = outcome.create;
    if (outcome.outcome === "made") {
      imports.push({ urn, id: outcome.object.id });
      io.out(`made: ${urn} is ${kind} ${outcome.object.id} (${outcome.object.status}, created ${outcome.object.created}): put it in state`);
    } else if (outcome.outcome === "never-made") {
      neverMade.push(urn);
      io.out(`never made: ${urn}: no live ${kind} outside this stack's state holds its natural key: drop the pending create; the next \`pulumi up\` creates it`);
    } else if (outcome.outcome === "ambiguous") {
      needsPerson++;
      io.out(`ambiguous: ${urn}: ${outcome.candidates.length} live objects outside this stack's state hold its natural key; which one the killed run made cannot be told:`);
      for (const candidate of outcome.candidates) io.out(`  ${candidate.id} (${candidate.status}, created ${candidate.created})`);
      io.out(
        "  A person must choose: delete in Cloudflare each one that nobody should have (or that another stack or tool manages, " +
          "leave it and delete the others), then run recover again: with one left it is put in state, with none the next `pulumi up` creates it.",
      );
    } else {
      needsPerson++;
      io.out(`unreadable: ${outcome.reason}`);
    }
  }
  const code = needsPerson > 0 ? 1 : 0;
  if (imports.length === 0 && neverMade.length === 0) return code;
  const stackFlag = command.stack !== undefined ? ["--stack", command.stack] : [];
  if (!command.apply) {
    io.out(`Run \`${shellLine(["npx", "pulumi-cloudflare-sharing", "recover", ...stackFlag, "--apply"])}\` to do so, then \`pulumi up\`.`);
    return code;
  }
  // The edited export is written where only this user can read it, and removed at once.
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "cloudflare-sharing-recover-"));
  try {
    const file = path.join(folder, "stack.json");
    fs.writeFileSync(file, withPendingCreatesResolved(exported, imports, neverMade), { mode: 0o600 });
    const steps = [
      { args: ["stack", "import", "--file", file, ...stackFlag], ifFailed: "the stack is as it was: run recover again" },
      ...(imports.length > 0
        ? [{ args: ["refresh", ...stackFlag, ...UNATTENDED], ifFailed: "what was found is in state already: fix the cause, then run `pulumi refresh` and `pulumi up`" }]
        : []),
    ];
    for (const { args, ifFailed } of steps) {
      io.progress(`Running: ${shellLine(["pulumi", ...args])}`);
      const run = await pulumi(args, "show");
      if (run.code !== 0) {
        io.progress(`\`pulumi ${args[0] === "stack" ? "stack import" : "refresh"}\` failed (exit ${run.code}): ${ifFailed}.`);
        return 1;
      }
    }
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
  io.out(needsPerson > 0 ? "Recovered what could be told; the rest needs a person (above)." : "Done: run `pulumi up`.");
  return code;
}

/**
 * A failure of the run, said in terms of what the user can fix (never showing a credential).
 *
 * @example
 * explainRecoverFailure(new MissingCredentialsError()); // "No Cloudflare credentials: set CLOUDFLARE_API_TOKEN (…)."
 */
export function explainRecoverFailure(error: unknown): string {
  if (error instanceof MissingCredentialsError) return "No Cloudflare credentials: set CLOUDFLARE_API_TOKEN (or CLOUDFLARE_API_KEY + CLOUDFLARE_EMAIL) to the stack's credentials.";
  if (error instanceof AuthenticationError) {
    return (
      `Cloudflare refused the credentials (${error.status}${error.errors[0] ? `, code ${error.errors[0].code}: ${error.errors[0].message}` : ""}). ` +
      `Check that the token is valid and can read Resource Sharing on the stack's account.`
    );
  }
  if (error instanceof RateLimitError) {
    return `Cloudflare's rate limit is exhausted for this token${error.retryAfterMs !== undefined ? ` for another ${Math.ceil(error.retryAfterMs / 1000)} s` : ""}: run recover again later.`;
  }
  if (error instanceof CloudflareSharingError) return `Reading Cloudflare failed: ${error.message}`;
  return `recover failed: ${error instanceof Error ? error.message : String(error)}`;
}
