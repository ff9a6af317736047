// The discover command in process: its options, what it refuses before reading, and that what it
// declares is exactly what a strict adopt accepts, for both readings of an organization recipient.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import shareProvider = require("../../provider/resources/share-provider");
import type { RunningEmulator } from "../../emulator";
import { AuthenticationError, NotFoundError } from "../../provider/client";
import { explainFailure, parseDiscoverArgs, readAccountSharing, runDiscover, UsageError } from "../../provider/discover";
import { lookupContextFrom } from "../../provider/functions";
import type { ShareInputs } from "../../provider/resources/share-model";
import { startProviderEnvironment, stopProviderEnvironment } from "../support/provider-env";

const OWNER = "023e105f4ecef8ad9ca31a8372d0c353";
const PARTNER = "9a7806061c88ada191ed06f989cc3dac";
const ORGANIZATION = "4f1c2d3e5a6b7c8d9e0fa1b2c3d4e5f6";
const RULESET = "2f2feab2026849078ba485f918791bdc";

describe("discover options", () => {
  it("default the output directory and the language", () => {
    expect(parseDiscoverArgs(["--account", OWNER])).toEqual({ accountId: OWNER, organizationId: undefined, out: "cloudflare-sharing-023e105f", language: "typescript", exclusive: false });
    expect(parseDiscoverArgs(["--account", OWNER, "--exclusive"]).exclusive).toBe(true);
  });

  it("name each wrong option and its rule", () => {
    const messageOf = (argv: string[]) => {
      try {
        parseDiscoverArgs(argv);
      } catch (error) {
        expect(error).toBeInstanceOf(UsageError);
        return (error as Error).message;
      }
      throw new Error("accepted");
    };
    expect(messageOf([])).toContain("--account is required: a Cloudflare id of up to 32 hexadecimal characters");
    expect(messageOf(["--account", OWNER, "--organization", "org-1"])).toContain('--organization must be hexadecimal');
    expect(messageOf(["--account", OWNER, "--language", "python"])).toContain('--language must be one of typescript, got "python"');
    expect(messageOf(["--account", OWNER, "--acount", "x"])).toContain("Unknown option '--acount'");
  });

  it("--help and -h print the usage to stdout and exit 0, whatever else is given", async () => {
    for (const argv of [["--help"], ["-h"], ["--account", OWNER, "--help"]]) {
      const out: string[] = [];
      const progress: string[] = [];
      const code = await runDiscover(argv, { out: (line) => out.push(line), progress: (line) => progress.push(line), now: () => new Date(0) });
      expect(code).toBe(0);
      expect(out.join("\n")).toContain("Usage: pulumi-cloudflare-sharing discover --account <id>");
      expect(progress).toEqual([]);
    }
  });
});

describe("discover's failure messages", () => {
  const command = { accountId: OWNER, organizationId: ORGANIZATION, out: "x", language: "typescript" as const };
  const refused = (path: string) => new AuthenticationError({ method: "GET", path, status: 403, errors: [{ code: 10000, message: "Authentication error" }] });

  it("say which id was refused or unknown, and what to check", () => {
    expect(explainFailure(refused(`/accounts/${OWNER}/shares`), command)).toBe(
      `Cloudflare refused the credentials for account ${OWNER} (403, code 10000: Authentication error). Check that the token is valid and can read Resource Sharing on this account.`,
    );
    expect(explainFailure(refused(`/organizations/${ORGANIZATION}/shares`), command)).toMatch(new RegExp(`^Cloudflare refused to list the shares of organization ${ORGANIZATION} \\(403.*leave out --organization\\.$`));
    const unknown = new NotFoundError({ method: "GET", path: `/accounts/${OWNER}/shares`, status: 404, errors: [{ code: 1004, message: "not found" }] });
    expect(explainFailure(unknown, command)).toBe(`Cloudflare does not know account ${OWNER}, or this token cannot see it (404, code 1004: not found). Check the id.`);
  });
});

describe("discover against the emulator", () => {
  let emulator: RunningEmulator;
  let scratch: string;
  beforeEach(async () => {
    emulator = await startProviderEnvironment();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "discover-unit-"));
  });
  afterEach(async () => {
    fs.rmSync(scratch, { recursive: true, force: true });
    await stopProviderEnvironment(emulator);
  });

  const io = (lines: string[]) => ({ out: (line: string) => lines.push(line), progress: (line: string) => lines.push(line), now: () => new Date(0) });

  it("refuses a non-empty output directory before sending any request", async () => {
    fs.writeFileSync(path.join(scratch, "index.ts"), "// mine");
    const lines: string[] = [];
    expect(await runDiscover(["--account", OWNER, "--out", scratch], io(lines))).toBe(2);
    expect(lines).toEqual([`--out ${scratch} already exists and is not empty: choose another directory (nothing was written)`]);
    expect(fs.readFileSync(path.join(scratch, "index.ts"), "utf8")).toBe("// mine");
    expect(emulator.control.requestLog()).toEqual([]);
  });

  it("writes nothing when no share can be declared, and says why", async () => {
    const { share } = emulator.control.seedShare({ accountId: OWNER, name: "retired", recipients: [{ recipient_account_id: PARTNER }], resources: [{ resource_type: "custom-ruleset", resource_id: RULESET, resource_account_id: OWNER, meta: {} }], settled: true });
    emulator.control.deleteShare(share.id);
    const lines: string[] = [];
    const out = path.join(scratch, "program");
    expect(await runDiscover(["--account", OWNER, "--out", out], io(lines))).toBe(1);
    expect(lines.join("\n")).toMatch(/Left out: 1 × share is (deleting|deleted)/);
    expect(lines.at(-1)).toBe('None of the 1 shares can be declared (see "Left out" above): nothing to write.');
    expect(fs.existsSync(out)).toBe(false);
  });

  it("a share deleted and purged while discover reads it is left out, and said so", async () => {
    const seed = (name: string, resourceId: string) =>
      emulator.control.seedShare({ accountId: OWNER, name, recipients: [{ recipient_account_id: PARTNER }], resources: [{ resource_type: "custom-ruleset", resource_id: resourceId, resource_account_id: OWNER, meta: {} }], settled: true });
    const kept = seed("kept", RULESET);
    const purged = seed("purged", RULESET.replace(/^2/, "3"));
    const ctx = lookupContextFrom();
    const listAll = ctx.api.recipients.listAll.bind(ctx.api.recipients);
    ctx.api.recipients.listAll = (accountId, shareId, query, options) => {
      if (shareId === purged.share.id) emulator.control.purgeShare(shareId); // gone between the share list and this read
      return listAll(accountId, shareId, query, options);
    };
    const discovery = await readAccountSharing(ctx, { accountId: OWNER });
    expect(discovery.shares.map((share) => share.id)).toEqual([kept.share.id]);
    expect(discovery.leftOut).toEqual([{ kind: "share", id: purged.share.id, description: `share ${purged.share.id} "purged"`, reason: "it was deleted while discover ran" }]);
  });

  it("stays under the rate limit on an account that needs more requests than one window allows: it holds, and says so", async () => {
    emulator.control.configure({ rateLimit: { enabled: true, limit: 30, windowMs: 2_000, blockMs: 60_000 } });
    const tuning = process.env.CLOUDFLARE_SHARING_TUNING;
    process.env.CLOUDFLARE_SHARING_TUNING = JSON.stringify({ ...JSON.parse(tuning ?? "{}"), client: { rateBudget: { limit: 30, windowMs: 2_000 } } });
    try {
      for (let i = 0; i < 45; i++) {
        emulator.control.seedShare({ accountId: OWNER, name: `share ${i}`, recipients: [{ recipient_account_id: PARTNER }], resources: [{ resource_type: "custom-ruleset", resource_id: RULESET, resource_account_id: OWNER, meta: {} }], settled: true });
      }
      const lines: string[] = [];
      const out = path.join(scratch, "program");
      expect(await runDiscover(["--account", OWNER, "--out", out], io(lines))).toBe(0);
      const log = emulator.control.requestLog();
      expect(log).toHaveLength(46); // one page of shares, one recipient list per share
      expect(log.filter((entry) => entry.status === 429)).toEqual([]);
      expect(lines.some((line) => /^holding requests for \d+s to stay under Cloudflare's rate limit$/.test(line))).toBe(true);
      expect(fs.readdirSync(out)).toContain("index.ts");
    } finally {
      process.env.CLOUDFLARE_SHARING_TUNING = tuning;
    }
  }, 30_000);

  it("--exclusive declares every share exclusive, and a strict adopt of that declaration sends no write", async () => {
    const { share } = emulator.control.seedShare({ accountId: OWNER, name: "waf", recipients: [{ recipient_account_id: PARTNER }], resources: [{ resource_type: "custom-ruleset", resource_id: RULESET, resource_account_id: OWNER, meta: {} }], settled: true });
    const lines: string[] = [];
    const out = path.join(scratch, "program");
    expect(await runDiscover(["--account", OWNER, "--out", out, "--exclusive"], io(lines))).toBe(0);
    const index = fs.readFileSync(path.join(out, "index.ts"), "utf8");
    expect(index).toContain(`  adopt: "${share.id}",\n  adoptOnlyIfMatching: true,\n  exclusive: true,`);
    expect(fs.readFileSync(path.join(out, "README.md"), "utf8")).toContain("pulumi refresh --preview-only --expect-no-changes");

    const declared: ShareInputs = {
      accountId: OWNER,
      name: "waf",
      recipients: [{ recipientAccountId: PARTNER }],
      resources: [{ resourceType: "custom-ruleset", resourceId: RULESET, resourceAccountId: OWNER, meta: {} }],
      adopt: share.id,
      adoptOnlyIfMatching: true,
      exclusive: true,
    };
    const checked = await shareProvider.check!({} as ShareInputs, declared);
    expect(checked.failures).toBeUndefined();
    emulator.control.clearLog();
    const created = await shareProvider.create(checked.inputs!);
    expect(created.outs).toMatchObject({ exclusive: true, undeclaredRecipients: [], undeclaredResources: [] });
    expect(emulator.control.requestLog().filter((entry) => entry.method !== "GET")).toEqual([]);
  });

  for (const reading of ["organization", "owner"] as const) {
    it(`an organization recipient (account_id holds the ${reading} id) is declared as one, and a strict adopt accepts the declaration with no write`, async () => {
      emulator.control.configure({ behaviour: { organizationRecipientAccountId: reading } });
      emulator.control.seedShare({ accountId: OWNER, name: "org wide", recipients: [{ organization_id: ORGANIZATION }], resources: [{ resource_type: "custom-ruleset", resource_id: RULESET, resource_account_id: OWNER, meta: { x: [1, 2] } }], settled: true });
      const discovery = await readAccountSharing(lookupContextFrom(), { accountId: OWNER });
      expect(discovery.shares).toHaveLength(1);
      const [found] = discovery.shares;
      expect(found.recipients.map(({ recipientAccountId, organizationId }) => ({ recipientAccountId, organizationId }))).toEqual([{ recipientAccountId: undefined, organizationId: ORGANIZATION }]);

      // What the generated program declares for it, adopted strictly.
      const declared: ShareInputs = {
        accountId: OWNER,
        name: found.name,
        recipients: found.recipients.map((r) => (r.recipientAccountId ? { recipientAccountId: r.recipientAccountId } : { organizationId: r.organizationId })),
        resources: found.resources.map((r) => ({ resourceType: r.resourceType, resourceId: r.resourceId, resourceAccountId: r.resourceAccountId, meta: JSON.parse(r.meta) })),
        adopt: found.id,
        adoptOnlyIfMatching: true,
      };
      const checked = await shareProvider.check!({} as ShareInputs, declared);
      expect(checked.failures).toBeUndefined();
      emulator.control.clearLog();
      const created = await shareProvider.create(checked.inputs!);
      expect(created.id).toBe(found.id);
      expect(emulator.control.requestLog().filter((entry) => entry.method !== "GET")).toEqual([]);
    });
  }
});
