// `pulumi-cloudflare-sharing probe`: measures, on the account's real API, every point the reference
// leaves open and names the emulator profile it behaves like. Everything it makes is removed before
// it ends (also on Ctrl-C and on errors) unless --keep.

import { parseArgs } from "node:util";
import { CloudflareSharingClient } from "../client";
import { CLIENT_DEFAULTS } from "../client/core/defaults";
import { NotFoundError } from "../client/core/errors";
import { currentBaseUrl, currentCredentials } from "../config";
import { explainFailure, UsageError } from "../discover/command";
import { Checker } from "../resources/inputs";
import { providerSettings } from "../runtime";
import { isGone, SHARE_LIFECYCLE } from "../wait/lifecycle";
import { compareWithProfiles, describeValue, settingsFrom } from "./compare";
import { type Made, Probe, type ProbeTarget, requestBound } from "./measure";
import { OPEN_POINTS } from "./points";

export const PROBE_USAGE = `Usage: pulumi-cloudflare-sharing probe --account <id> --recipient-account <id> --resource-type <type> --resource-id <id> [--resource-id <id>] [--json] [--keep] [--read-only] [--time-scale <n>]

Measures what the API really does on every point its reference leaves open (create status, list lag,
duplicates, re-adds, organization recipients, how long each step takes, pagination, rate-limit
headers, error envelopes) and names the emulator profile that behaves the same. Makes one share named
"pulumi-cloudflare-sharing probe <timestamp>" (then a share with no recipient, if allowed, and one
shared with the whole organization, for seconds) and deletes all of them before it ends.
Credentials: CLOUDFLARE_API_TOKEN (or CLOUDFLARE_API_KEY + CLOUDFLARE_EMAIL); CLOUDFLARE_BASE_URL
overrides the API endpoint.

  --account <id>             the account that shares (32 hexadecimal characters)
  --recipient-account <id>   another account of its organization to share with
  --resource-type <type>     the type of the object(s) to share, e.g. custom-ruleset
  --resource-id <id>         an object of the account to share; a second one also times a resource's
                             delete and its arrival at the recipient
  --json                     one JSON object on stdout: profile, observations, settings (a profile file)
  --keep                     leave what it made (listed at the end)
  --read-only                make nothing: only pagination, rate-limit headers and error envelopes
  --time-scale <n>           how many times slower than the emulator's test profiles the API is (20)

Exit codes: 0 a profile matches, 1 none matches (the closest and its differences are shown), 2 bad
usage or refused credentials, 3 the probe could not finish (what it made is removed and listed).
`;

/** The exit codes, as documented in README.md. */
export const PROBE_EXIT = { matched: 0, different: 1, usage: 2, failed: 3 } as const;

export interface ProbeCommand {
  accountId: string;
  recipientAccountId: string;
  resourceType?: string;
  resourceIds: string[];
  json: boolean;
  keep: boolean;
  readOnly: boolean;
  timeScale: number;
}

/**
 * Parses and checks `probe`'s options; throws {@link UsageError} naming every broken rule.
 *
 * @example
 * parseProbeArgs(["--account", a, "--recipient-account", b, "--resource-type", "custom-ruleset", "--resource-id", r]);
 */
export function parseProbeArgs(argv: readonly string[]): ProbeCommand {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        account: { type: "string" },
        "recipient-account": { type: "string" },
        "resource-type": { type: "string" },
        "resource-id": { type: "string", multiple: true },
        json: { type: "boolean" },
        keep: { type: "boolean" },
        "read-only": { type: "boolean" },
        "time-scale": { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${PROBE_USAGE}`);
  }
  const checker = new Checker();
  const readOnly = values["read-only"] === true;
  const resourceIds = (values["resource-id"] as string[] | undefined) ?? [];
  checker.id("--account", values.account);
  checker.id("--recipient-account", values["recipient-account"], !readOnly);
  if (!readOnly && values["recipient-account"] !== undefined && values["recipient-account"] === values.account) checker.fail("--recipient-account", "--recipient-account must be another account than --account");
  if (!readOnly && resourceIds.length === 0) checker.fail("--resource-id", "--resource-id is required (unless --read-only): an object of the account to share, e.g. a custom ruleset id");
  if (resourceIds.length > 2) checker.fail("--resource-id", "--resource-id is taken once or twice");
  if (new Set(resourceIds).size < resourceIds.length) checker.fail("--resource-id", "--resource-id must name two different objects");
  for (const id of resourceIds) checker.nonEmptyString("--resource-id", id);
  if (!readOnly) checker.nonEmptyString("--resource-type", values["resource-type"]);
  const timeScale = values["time-scale"] === undefined ? 20 : Number(values["time-scale"]);
  if (!(Number.isFinite(timeScale) && timeScale > 0)) checker.fail("--time-scale", `--time-scale must be a number above 0, got "${values["time-scale"]}"`);
  if (checker.failures.length > 0) throw new UsageError(`${checker.failures.map((f) => f.reason).join("\n")}\n\n${PROBE_USAGE}`);
  return {
    accountId: values.account as string,
    recipientAccountId: (values["recipient-account"] as string | undefined) ?? "",
    resourceType: values["resource-type"] as string | undefined,
    resourceIds,
    json: values.json === true,
    keep: values.keep === true,
    readOnly,
    timeScale,
  };
}

/** Where the run's lines go, the clock, and what stops it (Ctrl-C by default). */
export interface ProbeIo {
  out: (line: string) => void;
  progress: (line: string) => void;
  now: () => Date;
  /** Aborts the run; its clean-up still happens. Unset: SIGINT does. */
  signal?: AbortSignal;
}

/** The name of everything a run made at `at`. */
export function probeName(at: Date): string {
  return `pulumi-cloudflare-sharing probe ${at.toISOString()}`;
}

/**
 * Runs `probe`: returns the exit code ({@link PROBE_EXIT}). Results go to `io.out` (text, or one JSON
 * object with `--json`), progress and what could not be removed to `io.progress`.
 *
 * @example
 * process.exitCode = await runProbe(["--account", a, "--read-only"], { out: console.log, progress: console.error, now: () => new Date() });
 */
export async function runProbe(argv: readonly string[], io: ProbeIo): Promise<number> {
  let command: ProbeCommand;
  try {
    command = parseProbeArgs(argv);
  } catch (error) {
    io.progress(error instanceof UsageError ? error.message : String(error));
    return PROBE_EXIT.usage;
  }
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort(new Error("interrupted (Ctrl-C)"));
  if (io.signal) io.signal.addEventListener("abort", () => interrupt.abort(io.signal!.reason), { once: true });
  else process.once("SIGINT", onSigint);

  const target: ProbeTarget = {
    accountId: command.accountId,
    recipientAccountId: command.recipientAccountId,
    resources: command.resourceIds.map((id) => ({ type: command.resourceType ?? "", id })),
    name: probeName(io.now()),
    timeScale: command.timeScale,
  };
  let probe: Probe | undefined;
  let api: CloudflareSharingClient | undefined;
  let failure: unknown;
  try {
    const client = providerSettings().client;
    const bound = requestBound({ readOnly: command.readOnly, maxRetries: client.maxRetries ?? CLIENT_DEFAULTS.maxRetries });
    io.progress(`probe: at most ${bound} requests${command.readOnly ? ", reads only" : `; everything made is named "${target.name}"${command.keep ? " and kept (--keep)" : " and deleted before the end"}`}`);
    const onResponse = (response: Parameters<Probe["onResponse"]>[0]) => probe?.onResponse(response);
    api = new CloudflareSharingClient({ credentials: currentCredentials(), baseUrl: currentBaseUrl() ?? CLIENT_DEFAULTS.baseUrl, defaults: client, onResponse, onEvent: (event) => {
      if (event.type === "rate-wait") io.progress(`holding requests for ${Math.ceil((event.waitMs ?? 0) / 1000)}s to stay under Cloudflare's rate limit`);
    } });
    probe = new Probe(api, target, interrupt.signal);
    await probe.run(command.readOnly);
  } catch (error) {
    failure = error;
  }
  const leftovers = probe && api && !command.readOnly ? await cleanUp(api, target, probe.made, command.keep, io) : [];
  if (!io.signal) process.removeListener("SIGINT", onSigint);
  for (const line of leftovers) io.progress(line);
  if (failure !== undefined) {
    io.progress(interrupt.signal.aborted ? `probe stopped: ${(interrupt.signal.reason as Error)?.message ?? "interrupted"}` : explainFailure(failure, command, "probe"));
    return PROBE_EXIT.failed;
  }

  const observations = probe!.observations;
  for (const point of OPEN_POINTS) observations[point.name] ??= null;
  const comparison = compareWithProfiles(observations, command.timeScale);
  const facts = { ...probe!.facts, requests: api!.http.stats.attempts };
  const rateLimit = rateLimitSettings(facts.rateLimitHeaders);
  const report = { profile: comparison.profile, closest: comparison.closest, differences: comparison.differences, distances: comparison.distances, observations, settings: settingsFrom(observations, command.timeScale, rateLimit ? { rateLimit } : {}), timeScale: command.timeScale, facts, kept: command.keep ? probe!.made.shares.map((s) => s.id) : [] };
  if (command.json) io.out(JSON.stringify(report, null, 2));
  else {
    for (const point of OPEN_POINTS) {
      const seen = observations[point.name];
      const unit = point.kind === "duration" && seen !== null ? " ms" : "";
      io.out(`${point.name}: ${seen === null ? "not measured" : `${JSON.stringify(seen)}${unit}`} (${point.what}) → ${point.setting}${seen === null ? "" : ` = ${point.kind === "duration" ? Math.round(Number(seen) / command.timeScale) : JSON.stringify(seen)}`}`);
    }
    io.out(`rate-limit headers: ${Object.entries(facts.rateLimitHeaders).map(([k, v]) => `${k}: ${v}`).join("; ") || "none"}`);
    io.out(`pagination: default per_page ${facts.defaultPerPage ?? "not told"}, per_page=101 ${facts.perPageAbove100}`);
    io.out(`errors: ${Object.entries(facts.errors).map(([k, v]) => `${k} ${v ? `${v.status}${v.code !== undefined ? ` code ${v.code}` : ""}` : "not seen"}`).join(", ")}`);
    for (const missing of facts.notMeasured) io.out(`not measured: ${missing}`);
    io.out(`requests sent: ${facts.requests}`);
    if (comparison.profile) io.out(`profile: ${comparison.profile} (no difference)`);
    else {
      io.out(`profile: none matches; closest: ${comparison.closest}, differing in:`);
      for (const d of comparison.differences) io.out(`  ${d.point} (${d.setting}): observed ${JSON.stringify(d.observed)}, ${comparison.closest} has ${describeValue(d.profile)}`);
    }
  }
  return comparison.profile ? PROBE_EXIT.matched : PROBE_EXIT.different;
}

/** `rateLimit.limit` / `windowMs` from `Ratelimit-Policy` (`q=`, `w=`) or `X-RateLimit-Limit`. */
function rateLimitSettings(headers: Record<string, string>): { limit: number; windowMs?: number } | undefined {
  const policy = Object.entries(headers).find(([name]) => name.toLowerCase() === "ratelimit-policy")?.[1];
  const quota = Number(/q=(\d+)/.exec(policy ?? "")?.[1] ?? Object.entries(headers).find(([name]) => name.toLowerCase() === "x-ratelimit-limit")?.[1]);
  const windowSeconds = Number(/w=(\d+)/.exec(policy ?? "")?.[1]);
  if (!(quota >= 1)) return undefined;
  return { limit: quota, ...(windowSeconds >= 1 ? { windowMs: windowSeconds * 1000 } : {}) };
}

/**
 * Deletes every share the run made (their recipients and resources go with them), and any share with
 * the run's name a cut-short create may have made; returns a line per share it could not delete.
 */
async function cleanUp(api: CloudflareSharingClient, target: ProbeTarget, made: Made, keep: boolean, io: ProbeIo): Promise<string[]> {
  if (keep) return made.shares.map((share) => `kept: share ${share.id} ("${share.name}")`);
  // Its own deadline: an interrupted run still removes what it made, but never hangs.
  const signal = AbortSignal.timeout(60_000);
  const ids = new Set(made.shares.map((share) => share.id));
  const failures: string[] = [];
  try {
    for (const share of await api.shares.listAll(target.accountId, { kind: "sent" }, { signal })) {
      if (share.name === target.name && !isGone(SHARE_LIFECYCLE, share.status)) ids.add(share.id);
    }
  } catch (error) {
    failures.push(`could not list the shares named "${target.name}" to find any a cut-short create made: ${(error as Error).message}`);
  }
  for (const id of ids) {
    try {
      await api.shares.delete(target.accountId, id, { signal });
    } catch (error) {
      if (error instanceof NotFoundError) continue;
      failures.push(`NOT DELETED: share ${id} ("${target.name}"): ${(error as Error).message}`);
    }
  }
  if (ids.size > 0) io.progress(`probe: deleted ${ids.size - failures.filter((f) => f.startsWith("NOT")).length} share(s) named "${target.name}"`);
  return failures;
}
