// The probe against the emulator: under each profile it names that profile; with one setting changed,
// the closest profile and exactly that difference; and it leaves nothing behind, even when interrupted.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FAST_TIMINGS, mergeSettings, PROFILE_NAMES, profileSettings, startEmulator, type RunningEmulator } from "../../emulator";
import type { DeepPartial, EmulatorSettings } from "../../emulator/settings";
import { parseProbeArgs, requestBound, runProbe } from "../../provider/probe";
import { UsageError } from "../../provider/discover";
import { FAST_TUNING, TEST_TOKEN } from "../support/provider-env";

const OWNER = "023e105f4ecef8ad9ca31a8372d0c353";
const PARTNER = "9a7806061c88ada191ed06f989cc3dac";
const RULESET = "2f2feab2026849078ba485f918791bdc";
const OTHER_RULESET = "3c1e0e2b58ea4b6f9a4d1d6b0c9e8f71";
// The emulator runs the profiles' own (fast) scale, so the probe compares at scale 1.
const PROBE_ARGS = ["--account", OWNER, "--recipient-account", PARTNER, "--resource-type", "custom-ruleset", "--resource-id", RULESET, "--resource-id", OTHER_RULESET, "--time-scale", "1", "--json"];
const CLI = path.join(__dirname, "..", "..", "dist", "provider", "discover", "cli.js");

jest.setTimeout(60_000);

let emulator: RunningEmulator | undefined;
async function start(settings: EmulatorSettings): Promise<RunningEmulator> {
  emulator = await startEmulator({ seed: 7, settings });
  process.env.CLOUDFLARE_BASE_URL = emulator.url;
  process.env.CLOUDFLARE_API_TOKEN = TEST_TOKEN;
  process.env.CLOUDFLARE_SHARING_TUNING = JSON.stringify(FAST_TUNING);
  return emulator;
}
afterEach(async () => {
  delete process.env.CLOUDFLARE_BASE_URL;
  delete process.env.CLOUDFLARE_API_TOKEN;
  delete process.env.CLOUDFLARE_SHARING_TUNING;
  await emulator?.stop();
  emulator = undefined;
});

const fast = (name: string, pinned: DeepPartial<EmulatorSettings> = {}) => mergeSettings(profileSettings(name, { timings: FAST_TIMINGS }), pinned);

async function probe(argv: string[] = PROBE_ARGS) {
  const out: string[] = [];
  const progress: string[] = [];
  const code = await runProbe(argv, { out: (line) => out.push(line), progress: (line) => progress.push(line), now: () => new Date() });
  return { code, report: argv.includes("--json") && out.length > 0 ? JSON.parse(out.join("\n")) : undefined, out, progress };
}

/** What a run may leave: nothing live once deletes settle and retention passes. */
async function settledState(running: RunningEmulator): Promise<unknown> {
  const retention = running.control.settings.timings.deletedShareRetentionMs as number;
  const deadline = Date.now() + 15_000;
  for (;;) {
    const shares = running.control.listShares();
    if (shares.every((share) => !share.name.startsWith("pulumi-cloudflare-sharing probe")) || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, retention / 4));
  }
  return running.control.listShares().map((share) => ({ ...share, recipients: running.control.listRecipients(share.id), resources: running.control.listResources(share.id) }));
}

describe("probe against the emulator", () => {
  it.each([...PROFILE_NAMES])("names profile %s with no difference, within the stated request count", async (name) => {
    await start(fast(name));
    const { code, report } = await probe();
    expect(report.differences).toEqual([]);
    expect(report.profile).toBe(name);
    expect(code).toBe(0);
    expect(report.facts.requests).toBeLessThanOrEqual(requestBound({ readOnly: false, maxRetries: FAST_TUNING.client.maxRetries }));
    expect(JSON.stringify(report)).not.toContain(TEST_TOKEN);
  });

  it("with one setting changed, names the closest profile and exactly that difference", async () => {
    await start(fast("laggy", { behaviour: { duplicateResource: "allow" } }));
    const { code, report } = await probe();
    expect(code).toBe(1);
    expect(report.profile).toBeNull();
    expect(report.closest).toBe("laggy");
    expect(report.differences).toEqual([{ point: "duplicateResource", setting: "behaviour.duplicateResource", observed: "allow", profile: "reject" }]);
  });

  it("writes settings that, as a profile file, make the emulator the API it probed", async () => {
    await start(fast("slow-deletes"));
    const { report } = await probe();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "probe-")), "probe.json");
    fs.writeFileSync(file, JSON.stringify(report));
    // What EMULATOR_PROFILE_FILE=probe.json (or EMULATOR_PROFILE=file:probe.json) runs the suites under.
    const again = profileSettings(`file:${file}`, { timings: FAST_TIMINGS });
    await emulator!.stop();
    await start(again);
    expect((await probe()).report.profile).toBe("slow-deletes");
  });

  it("refuses a profile file without settings, naming the file", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "probe-")), "broken.json");
    fs.writeFileSync(file, JSON.stringify({ profile: null }));
    expect(() => profileSettings(`file:${file}`)).toThrow(`emulator profile file ${file}: needs a \`settings\` object`);
  });

  it("leaves the account as it found it", async () => {
    const running = await start(fast("lenient"));
    running.control.seedShare({ accountId: OWNER, name: "kept", recipients: [{ recipient_account_id: PARTNER }], resources: [{ resource_type: "custom-ruleset", resource_id: RULESET, resource_account_id: OWNER, meta: {} }], settled: true });
    const before = await settledState(running);
    expect((await probe()).code).toBe(0);
    expect(await settledState(running)).toEqual(before);
  });

  it("with --read-only makes nothing and sends only its reads", async () => {
    const running = await start(fast("default"));
    const { code, report } = await probe(["--account", OWNER, "--read-only", "--json", "--time-scale", "1"]);
    expect(code).toBe(0);
    expect(report.observations.unpaginatedWhenNoPageParams).toBe(true);
    expect(report.facts.requests).toBe(requestBound({ readOnly: true, maxRetries: 0 }));
    expect(report.facts.rateLimitHeaders).toHaveProperty("ratelimit-policy");
    expect(running.control.listShares()).toEqual([]);
  });

  it("removes what it made when Ctrl-C stops it half-way", async () => {
    const running = await start(fast("slow-deletes"));
    const before = await settledState(running);
    const child = spawn(process.execPath, [CLI, "probe", ...PROBE_ARGS], { env: { ...process.env }, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    // Interrupt once the probe's share exists and it is waiting on a slow delete.
    const deadline = Date.now() + 20_000;
    while (!running.control.listShares().some((share) => share.name.startsWith("pulumi-cloudflare-sharing probe")) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.kill("SIGINT");
    expect(await exited).toBe(3);
    expect(stderr).toContain("probe stopped: interrupted (Ctrl-C)");
    expect(stderr).not.toContain("NOT DELETED");
    expect(await settledState(running)).toEqual(before);
  });
});

describe("probe options", () => {
  const messageOf = (argv: string[]) => {
    try {
      parseProbeArgs(argv);
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      return (error as Error).message;
    }
    throw new Error("accepted");
  };

  it("name each wrong option and its rule, before any request", () => {
    expect(messageOf(["--account", OWNER, "--recipient-account", PARTNER, "--resource-type", "custom-ruleset"])).toContain("--resource-id is required (unless --read-only)");
    expect(messageOf(["--account", OWNER, "--recipient-account", OWNER, "--resource-type", "t", "--resource-id", RULESET])).toContain("--recipient-account must be another account than --account");
    expect(messageOf(["--account", OWNER, "--read-only", "--time-scale", "0"])).toContain("--time-scale must be a number above 0");
    expect(messageOf(["--read-only"])).toContain("--account is required");
  });

  it("need only --account with --read-only", () => {
    expect(parseProbeArgs(["--account", OWNER, "--read-only"])).toMatchObject({ accountId: OWNER, readOnly: true, resourceIds: [], timeScale: 20 });
  });
});
