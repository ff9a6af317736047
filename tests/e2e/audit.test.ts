// `audit` under the real engine: three real stacks (the dynamic providers from a TypeScript program,
// the plugin from a Pulumi YAML program, and the program `discover` writes, which adopts more than a
// page of shares) declare everything an emulated account sends; the command (as installed in
// node_modules, with a read-only token) checks their `pulumi stack export` files against the account.
// Items then added out of band over HTTP are listed, exactly, and nothing else; nothing is written.
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FAST_TIMINGS } from "../../emulator";
import type { RunningEmulator } from "../../emulator";
import type { AuditReport, UndeclaredShare } from "../../provider/audit";
import { CloudflareSharingClient } from "../../provider/client";
import { createTestStack, engineDir, TestStack } from "./harness";
import { FAST_TUNING, OWNER, PARTNER_A, PARTNER_B, PARTNER_C, PARTNER_D, PARTNER_E, POLICY_1, POLICY_2, RULESET_1, RULESET_2, sharingStack, startE2eEmulator, TOKEN, writes } from "./fixtures";
import { hexIdOf } from "./invariants";
import { writeProgramDir, yamlProgram } from "./plugin/yaml-program";

jest.setTimeout(600_000);

const CLI = path.resolve(__dirname, "..", "..", "node_modules", "pulumi-cloudflare-sharing", "dist", "provider", "discover", "cli.js");
const ORGANIZATION = "4f1c2d3e5a6b7c8d9e0fa1b2c3d4e5f6"; // the emulator's default organization
const READ_ONLY_TOKEN = "e2e-read-only-0cc175b9c0f1b6a831c399e269772661";
const BULK_SHARES = 102; // with the two stacks' shares, more than one page of 100

interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the installed command, as `npx pulumi-cloudflare-sharing …` would. */
function runCli(args: string[], env: Record<string, string>): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? "", ...env }, encoding: "utf8" }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** `pulumi stack export --file <file>`, as a pipeline runs it (secrets stay encrypted). */
function exportStack(testStack: TestStack, file: string): string {
  execFileSync(path.join(engineDir(), "bin", "pulumi"), ["stack", "export", "--stack", testStack.stack.name, "--file", file], {
    cwd: testStack.programDir,
    env: { ...process.env, ...testStack.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return file;
}

/** Polls `condition` every 50 ms for at most `ms`. */
async function until(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("audit lists every grant no stack declares", () => {
  let emulator: RunningEmulator;
  const stacks: TestStack[] = [];
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "audit-"));
  let env: Record<string, string>;
  let exports: { typescript: string; yaml: string; discovered: string };
  let typescriptShare: string;
  let yamlShare: string;
  let siblingShare: string;
  const audit = (args: string[], extraEnv: Record<string, string> = {}) => runCli(["audit", "--account", OWNER, ...args], { ...env, ...extraEnv });
  const states = (...files: string[]) => files.flatMap((file) => ["--state", file]);

  beforeAll(async () => {
    emulator = await startE2eEmulator({
      auth: { tokens: [TOKEN], readOnlyTokens: [READ_ONLY_TOKEN] },
      timings: { ...FAST_TIMINGS, deletedShareRetentionMs: 600_000, deletedResourceRetentionMs: 600_000 },
      // The audits read every share's recipients, over and over: more than Cloudflare's 1200 per 5 min.
      rateLimit: { limit: 20_000 },
    });
    env = { CLOUDFLARE_BASE_URL: emulator.url, CLOUDFLARE_API_TOKEN: READ_ONLY_TOKEN };
  });
  afterAll(async () => {
    await Promise.all(stacks.map((stack) => stack.destroyAndRemove().catch(() => undefined)));
    await emulator?.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("exports of three stacks (dynamic, plugin, discovered) that hold everything: exit 0, reads only", async () => {
    const { control } = emulator;
    for (let i = 0; i < BULK_SHARES; i++) {
      control.seedShare({
        accountId: OWNER,
        name: `bulk ${i}`,
        recipients: i % 9 === 0 ? [{ organization_id: ORGANIZATION }] : [{ recipient_account_id: [PARTNER_A, PARTNER_B, PARTNER_C][i % 3] }],
        resources: [{ resource_type: "custom-ruleset", resource_id: hexIdOf(`bulk ${i}`), resource_account_id: OWNER, meta: { index: i } }],
        settled: true,
      });
    }
    // Not grants of this account now: a deleted share; a share another account of the organization sends it.
    const retired = control.seedShare({ accountId: OWNER, name: "retired", recipients: [{ recipient_account_id: PARTNER_A }], resources: [{ resource_type: "custom-ruleset", resource_id: hexIdOf("retired"), resource_account_id: OWNER, meta: {} }], settled: true });
    control.deleteShare(retired.share.id);
    siblingShare = control.seedShare({ accountId: PARTNER_A, name: "sibling", recipients: [{ recipient_account_id: OWNER }], resources: [{ resource_type: "custom-ruleset", resource_id: hexIdOf("sibling"), resource_account_id: PARTNER_A, meta: {} }], settled: true }).share.id;

    // The third stack: the program discover writes for the bulk shares, adopting them with no write.
    const discovered = path.join(scratch, "discovered");
    expect((await runCli(["discover", "--account", OWNER, "--out", discovered], env)).code).toBe(0);
    const discoveredStack = await createTestStack({ program: discovered, env: { CLOUDFLARE_BASE_URL: emulator.url, CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_SHARING_TUNING: FAST_TUNING } });
    const typescriptStack = await sharingStack(emulator, {
      accountId: OWNER,
      shares: { ts: { name: "typescript share", recipients: [{ recipientAccountId: PARTNER_A }], resources: [{ resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: OWNER }] } },
      recipients: { partner: { share: "ts", recipientAccountId: PARTNER_B } },
      resources: { policy: { share: "ts", resourceType: "gateway-policy", resourceId: POLICY_1, resourceAccountId: OWNER } },
    });
    const source = writeProgramDir(
      yamlProgram(
        {
          share: { type: "Share", properties: { accountId: OWNER, name: "yaml share", recipients: [{ recipientAccountId: PARTNER_C }], resources: [{ resourceType: "custom-ruleset", resourceId: RULESET_2, resourceAccountId: OWNER }] } },
          partner: { type: "ShareRecipient", properties: { accountId: OWNER, shareId: "${share.id}", recipientAccountId: PARTNER_D } },
          policy: { type: "ShareResource", properties: { accountId: OWNER, shareId: "${share.id}", resourceType: "gateway-policy", resourceId: POLICY_2, resourceAccountId: OWNER } },
        },
        { shareId: "${share.id}" },
      ),
    );
    const yamlStack = await createTestStack({
      program: source,
      config: { "cloudflare-sharing:apiToken": { value: TOKEN, secret: true }, "cloudflare-sharing:baseUrl": { value: emulator.url } },
      env: { CLOUDFLARE_SHARING_TUNING: FAST_TUNING },
    });
    fs.rmSync(source, { recursive: true, force: true });
    stacks.push(discoveredStack, typescriptStack, yamlStack);

    const [, typescriptUp, yamlUp] = await Promise.all(stacks.map((stack) => stack.stack.up({ onOutput: (line) => stack.printed.push(line) })));
    typescriptShare = typescriptUp.outputs.shares.value.ts.id;
    yamlShare = yamlUp.outputs.shareId.value;
    exports = {
      discovered: exportStack(discoveredStack, path.join(scratch, "discovered.json")),
      typescript: exportStack(typescriptStack, path.join(scratch, "typescript.json")),
      yaml: exportStack(yamlStack, path.join(scratch, "yaml.json")),
    };

    emulator.control.clearLog();
    const run = await audit(states(exports.typescript, exports.yaml, exports.discovered));
    expect(run.stderr).toContain(`read 100 shares of account ${OWNER}…`); // progress, on stderr
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Account ${OWNER}: ${BULK_SHARES + 2} live shares, ${BULK_SHARES + 4} recipients, ${BULK_SHARES + 4} resources.`);
    expect(run.stdout).toContain("Nothing undeclared: every live share, recipient and resource is held by a given state.");
    expect(writes(emulator)).toEqual([]);
    // Every page of the share list, each list with an explicit page size.
    const log = emulator.control.requestLog();
    for (const entry of log) expect(entry.query.per_page).toBe("100");
    expect(log.some((entry) => entry.path.endsWith(`/accounts/${OWNER}/shares`) && entry.query.page === "2")).toBe(true);
  });

  it("items added out of band over HTTP are listed, exactly, with exit 1; an undeclared share once, with its items", async () => {
    const api = new CloudflareSharingClient({ credentials: { apiToken: TOKEN }, baseUrl: emulator.url });
    const share = await api.shares.create(OWNER, {
      name: "made in the dashboard",
      recipients: [{ recipient_account_id: PARTNER_E }],
      resources: [{ resource_type: "custom-ruleset", resource_id: hexIdOf("dashboard"), resource_account_id: OWNER, meta: {} }],
    });
    const recipient = await api.recipients.create(OWNER, typescriptShare, { recipient_account_id: PARTNER_E });
    const resource = await api.resources.create(OWNER, yamlShare, { resource_type: "gateway-policy", resource_id: hexIdOf("dashboard policy"), resource_account_id: OWNER, meta: { by: "hand" } });
    const settled = () => [...emulator.control.listRecipients(share.id), ...emulator.control.listRecipients(typescriptShare)].every((r) => r.association_status === "associated");
    await until(settled, 10_000, "the recipients added out of band"); // so the statuses compared below do not change under the audit

    emulator.control.clearLog();
    const run = await audit(["--json", ...states(exports.typescript, exports.yaml, exports.discovered)]);
    expect(run.code).toBe(1);
    expect(writes(emulator)).toEqual([]);
    const report = JSON.parse(run.stdout) as AuditReport; // stdout is one JSON object
    const [newRecipient] = emulator.control.listRecipients(share.id);
    const [newResource] = emulator.control.listResources(share.id);
    const addedRecipient = emulator.control.listRecipients(typescriptShare).find((r) => r.id === recipient.id)!;
    const addedResource = emulator.control.listResources(yamlShare).find((r) => r.id === resource.id)!;
    const shareNow = emulator.control.getShare(share.id)!;
    const byKind = (a: { kind: string }, b: { kind: string }) => a.kind.localeCompare(b.kind); // the API's order follows the shares', which the parallel ups made in any order
    expect([...report.undeclared].sort(byKind)).toEqual([
      {
        kind: "recipient",
        shareId: typescriptShare,
        shareName: "typescript share",
        id: recipient.id,
        recipientAccountId: PARTNER_E,
        status: addedRecipient.association_status,
        created: addedRecipient.created,
        modified: addedRecipient.modified,
      },
      {
        kind: "resource",
        shareId: yamlShare,
        shareName: "yaml share",
        id: resource.id,
        resourceType: "gateway-policy",
        resourceId: hexIdOf("dashboard policy"),
        resourceAccountId: OWNER,
        status: "active",
        created: addedResource.created,
        modified: addedResource.modified,
      },
      {
        kind: "share",
        id: share.id,
        shareId: share.id,
        name: "made in the dashboard",
        accountId: OWNER,
        organizationId: ORGANIZATION,
        status: "active",
        targetType: "account",
        created: shareNow.created,
        modified: shareNow.modified,
        via: "account",
        recipients: [{ id: newRecipient.id, recipientAccountId: PARTNER_E, status: "associated", created: newRecipient.created, modified: newRecipient.modified }],
        resources: [
          { id: newResource.id, resourceType: "custom-ruleset", resourceId: hexIdOf("dashboard"), resourceAccountId: OWNER, status: "active", created: newResource.created, modified: newResource.modified },
        ],
      },
    ]);
    expect(report).toMatchObject({
      accountId: OWNER,
      stateFiles: [exports.typescript, exports.yaml, exports.discovered],
      read: { shares: BULK_SHARES + 3, recipients: BULK_SHARES + 6, resources: BULK_SHARES + 6 },
      declared: { shares: BULK_SHARES + 2, recipients: BULK_SHARES + 4, resources: BULK_SHARES + 4 },
      warnings: [],
    });
    expect(Date.parse(report.auditedAt)).not.toBeNaN();
    expect(report.requests).toBeGreaterThanOrEqual(BULK_SHARES + 4);

    // The text form says the same, one line per item.
    const text = await audit(states(exports.typescript, exports.yaml, exports.discovered));
    expect(text.code).toBe(1);
    expect(text.stdout).toContain("Undeclared (3, held by no given state):");
    expect(text.stdout).toContain(`  recipient ${recipient.id} of share ${typescriptShare} "typescript share": account ${PARTNER_E} (`);
    expect(text.stdout).toContain(`  resource ${resource.id} of share ${yamlShare} "yaml share": gateway-policy ${hexIdOf("dashboard policy")} of account ${OWNER} (active, created `);
    expect(text.stdout).toContain(`  share ${share.id} "made in the dashboard" (active, created ${shareNow.created}, modified ${shareNow.modified}, targets accounts)`);
    expect(text.stdout).toContain(`    recipient ${newRecipient.id}: account ${PARTNER_E} (associated, created `);

    // Without the discovered stack's export, its shares are undeclared too: every page was compared.
    const partial = await audit(["--json", ...states(exports.typescript, exports.yaml)]);
    expect(partial.code).toBe(1);
    const undeclaredShares = (JSON.parse(partial.stdout) as AuditReport).undeclared.filter((item): item is UndeclaredShare => item.kind === "share");
    expect(undeclaredShares).toHaveLength(BULK_SHARES + 1);
    expect(undeclaredShares.filter((item) => item.recipients?.some((r) => r.organizationId === ORGANIZATION))).toHaveLength(Math.ceil(BULK_SHARES / 9));

    // --organization also lists the share another account of the organization sends, from the organization's list.
    const organization = await audit(["--json", "--organization", ORGANIZATION, ...states(exports.typescript, exports.yaml, exports.discovered)]);
    expect(organization.code).toBe(1);
    expect((JSON.parse(organization.stdout) as AuditReport).undeclared.filter((item) => item.kind === "share" && item.via === "organization")).toEqual([
      expect.objectContaining({ kind: "share", id: siblingShare, accountId: PARTNER_A, name: "sibling", status: "active" }),
    ]);
    expect(writes(emulator)).toEqual([]);

    // Removed again: a recipient disassociating and a share or resource deleting grant nothing.
    await api.recipients.delete(OWNER, typescriptShare, recipient.id);
    await api.resources.delete(OWNER, yamlShare, resource.id);
    await api.shares.delete(OWNER, share.id);
    await until(() => emulator.control.getShare(share.id)?.status !== "active", 10_000, "the share's delete");
    emulator.control.clearLog();
    const clean = await audit(states(exports.typescript, exports.yaml, exports.discovered));
    expect(clean.stdout).toContain("Nothing undeclared");
    expect(clean.code).toBe(0);
    expect(writes(emulator)).toEqual([]);
  });

  it("exit 2, with nothing on stdout and no request, on a bad option or a file that is not a stack export; 2 on refused credentials", async () => {
    const notAnExport = path.join(scratch, "Pulumi.yaml");
    fs.writeFileSync(notAnExport, "name: prod\nruntime: yaml\n");
    const configJson = path.join(scratch, "config.json");
    fs.writeFileSync(configJson, JSON.stringify({ config: { "cloudflare-sharing:baseUrl": emulator.url } }));
    emulator.control.clearLog();

    const cases: [string[], string][] = [
      [["--account", "not-an-account", "--state", exports.yaml], '--account must be hexadecimal (a Cloudflare id such as 023e105f4ecef8ad9ca31a8372d0c353), got "not-an-account"'],
      [["--account", OWNER], "--state is required: the file of a `pulumi stack export`, once per stack"],
      [["--account", OWNER, "--state", exports.yaml, "--stat", exports.yaml], "Unknown option '--stat'"],
      [["--account", OWNER, "--state", exports.yaml, "--state", notAnExport], `${notAnExport} is not a Pulumi stack export (it is not JSON)`],
      [["--account", OWNER, "--state", configJson], `${configJson} is not a Pulumi stack export (it has no \`version\` and \`deployment\`)`],
      [["--account", OWNER, "--state", path.join(scratch, "missing.json")], `${path.join(scratch, "missing.json")} is not a Pulumi stack export (it cannot be read: ENOENT)`],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(["audit", ...args], env);
      expect({ args, code: run.code, stdout: run.stdout }).toEqual({ args, code: 2, stdout: "" });
      expect(run.stderr).toContain(message);
    }
    expect(emulator.control.requestLog()).toEqual([]); // refused before any request

    const refused = await audit(states(exports.yaml), { CLOUDFLARE_API_TOKEN: "a-token-without-access" });
    expect([refused.code, refused.stdout]).toEqual([2, ""]);
    expect(refused.stderr).toContain(`Cloudflare refused the credentials for account ${OWNER} (401, code 10000: Authentication error)`);
    expect(refused.stderr).not.toContain("a-token-without-access");

    const none = await runCli(["audit", "--account", OWNER, ...states(exports.yaml)], { CLOUDFLARE_BASE_URL: emulator.url });
    expect([none.code, none.stdout]).toEqual([2, ""]);
    expect(none.stderr).toContain("No Cloudflare credentials: set CLOUDFLARE_API_TOKEN");
    expect(writes(emulator)).toEqual([]);
  });
});
