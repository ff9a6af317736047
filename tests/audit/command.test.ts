// The audit command in process: its options, and how a run that cannot finish ends.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { AUDIT_EXIT, parseAuditArgs, runAudit } from "../../provider/audit";
import { UsageError } from "../../provider/discover";
import { startProviderEnvironment, stopProviderEnvironment } from "../support/provider-env";

const OWNER = "023e105f4ecef8ad9ca31a8372d0c353";
const PARTNER = "9a7806061c88ada191ed06f989cc3dac";
const RULESET = "2f2feab2026849078ba485f918791bdc";

describe("audit options", () => {
  it("take every --state given, and --json", () => {
    expect(parseAuditArgs(["--account", OWNER, "--state", "a.json", "--state", "b.json", "--json"])).toEqual({ accountId: OWNER, organizationId: undefined, stateFiles: ["a.json", "b.json"], json: true });
  });

  it("name each wrong option and its rule", () => {
    const messageOf = (argv: string[]) => {
      try {
        parseAuditArgs(argv);
      } catch (error) {
        expect(error).toBeInstanceOf(UsageError);
        return (error as Error).message;
      }
      throw new Error("accepted");
    };
    expect(messageOf(["--state", "a.json"])).toContain("--account is required: a Cloudflare id of up to 32 hexadecimal characters");
    expect(messageOf(["--account", OWNER])).toContain("--state is required");
    expect(messageOf(["--account", OWNER, "--state", "a.json", "--organization", "org-1"])).toContain("--organization must be hexadecimal");
    expect(messageOf(["--account", OWNER, "--state", " "])).toContain("--state must not be empty");
    expect(messageOf(["--account", OWNER, "--state", "a.json", "extra"])).toContain("Unexpected argument 'extra'");
  });
});

describe("audit against the emulator", () => {
  let emulator: RunningEmulator;
  let scratch: string;
  let emptyExport: string;
  beforeEach(async () => {
    emulator = await startProviderEnvironment();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "audit-unit-"));
    emptyExport = path.join(scratch, "empty.json");
    fs.writeFileSync(emptyExport, JSON.stringify({ version: 3, deployment: { manifest: {}, resources: [] } }));
  });
  afterEach(async () => {
    fs.rmSync(scratch, { recursive: true, force: true });
    await stopProviderEnvironment(emulator);
  });

  const io = (out: string[], progress: string[]) => ({ out: (line: string) => out.push(line), progress: (line: string) => progress.push(line), now: () => new Date(0) });

  it("ends with exit 3 and nothing on stdout when a read keeps failing (not 1: nothing was compared)", async () => {
    emulator.control.seedShare({ accountId: OWNER, name: "waf", recipients: [{ recipient_account_id: PARTNER }], resources: [{ resource_type: "custom-ruleset", resource_id: RULESET, resource_account_id: OWNER, meta: {} }], settled: true });
    emulator.control.configure({ faults: { serverErrorRate: 1 } });
    const out: string[] = [];
    const progress: string[] = [];
    expect(await runAudit(["--account", OWNER, "--state", emptyExport], io(out, progress))).toBe(AUDIT_EXIT.failed);
    expect(out).toEqual([]);
    expect(progress.at(-1)).toMatch(new RegExp(`^Reading the shares of account ${OWNER} failed: GET /accounts/${OWNER}/shares failed: 5\\d\\d `));
  });

  it("says so on stderr when the account sends no share (a wrong id lists none), and finds nothing undeclared", async () => {
    const out: string[] = [];
    const progress: string[] = [];
    expect(await runAudit(["--account", OWNER, "--state", emptyExport], io(out, progress))).toBe(AUDIT_EXIT.clean);
    expect(progress).toContain(`Account ${OWNER} sends no share that this token can see: check the account id (an unknown account lists none).`);
    expect(out.at(-1)).toBe("Nothing undeclared: every live share, recipient and resource is held by a given state.");
  });
});
