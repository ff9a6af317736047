// `discover` under the real engine: the command (as installed in node_modules) reads an emulated
// account with more than one page of shares, writes a program, and that program's `up` adopts every
// share with no write to the API, after which `preview --expect-no-changes` passes.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FAST_TIMINGS } from "../../emulator";
import type { RunningEmulator } from "../../emulator";
import { createTestStack, TestStack } from "./harness";
import { FAST_TUNING, OWNER, PARTNER_A, PARTNER_B, PARTNER_C, requests, startE2eEmulator, TOKEN, writes } from "./fixtures";
import { hexIdOf, idsInState, liveObjects, orphans } from "./invariants";

jest.setTimeout(600_000);

const CLI = path.resolve(__dirname, "..", "..", "node_modules", "pulumi-cloudflare-sharing", "dist", "provider", "discover", "cli.js");
const ORGANIZATION = "4f1c2d3e5a6b7c8d9e0fa1b2c3d4e5f6"; // the emulator's default organization
const TYPES = ["custom-ruleset", "gateway-policy", "gateway-destination-ip"];
const SHARES = 104; // more than one page of 100

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

/** Seeds the account: shares of every shape discover must handle, and some it must leave out. */
function seedAccount(emulator: RunningEmulator) {
  const { control } = emulator;
  const partners = [PARTNER_A, PARTNER_B, PARTNER_C];
  const expected = new Set<string>();
  for (let i = 0; i < SHARES; i++) {
    const { share } = control.seedShare({
      accountId: OWNER,
      // Some names repeat (names are not unique in Cloudflare), one has characters a resource name cannot keep.
      name: i % 10 === 0 ? "WAF rules" : i === 1 ? "Règles — prod / EU" : `share ${i}`,
      recipients: i % 7 === 0 ? [{ organization_id: ORGANIZATION }] : [{ recipient_account_id: partners[i % 3] }, ...(i % 2 ? [{ recipient_account_id: partners[(i + 1) % 3] }] : [])],
      resources: TYPES.slice(0, 1 + (i % 3)).map((type, j) => ({
        resource_type: type,
        resource_id: hexIdOf(`object ${i} ${j}`),
        resource_account_id: OWNER,
        meta: j === 0 ? { tier: i % 2 ? "gold" : "silver", index: i } : {},
      })),
      settled: true,
    });
    expected.add(share.id);
  }
  // A share the account receives: never declared.
  control.seedShare({
    accountId: PARTNER_A,
    name: "received",
    recipients: [{ recipient_account_id: OWNER }],
    resources: [{ resource_type: "custom-ruleset", resource_id: hexIdOf("received"), resource_account_id: PARTNER_A, meta: {} }],
    settled: true,
  });
  // A share being deleted, a removed recipient, a removed resource: left out, and said so.
  const deleted = control.seedShare({ accountId: OWNER, name: "retired", recipients: [{ recipient_account_id: PARTNER_A }], resources: [{ resource_type: "custom-ruleset", resource_id: hexIdOf("retired"), resource_account_id: OWNER, meta: {} }], settled: true });
  control.deleteShare(deleted.share.id);
  const trimmed = control.seedShare({
    accountId: OWNER,
    name: "trimmed",
    recipients: [{ recipient_account_id: PARTNER_A }, { recipient_account_id: PARTNER_B }],
    resources: [
      { resource_type: "custom-ruleset", resource_id: hexIdOf("kept"), resource_account_id: OWNER, meta: {} },
      { resource_type: "gateway-policy", resource_id: hexIdOf("removed"), resource_account_id: OWNER, meta: {} },
    ],
    settled: true,
  });
  control.removeRecipient(trimmed.share.id, trimmed.recipients[1].id);
  control.removeResource(trimmed.share.id, trimmed.resources[1].id);
  expected.add(trimmed.share.id);
  return { expected, deleted: deleted.share.id, trimmed };
}

describe("discover brings an account's shares under code", () => {
  let emulator: RunningEmulator;
  let testStack: TestStack | undefined;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "discover-"));

  beforeAll(async () => {
    // Deleted objects stay listed as deleted for the whole test, however slow the machine.
    emulator = await startE2eEmulator({ timings: { ...FAST_TIMINGS, deletedShareRetentionMs: 600_000, deletedResourceRetentionMs: 600_000 } });
  });
  afterAll(async () => {
    await testStack?.destroyAndRemove().catch(() => undefined);
    await emulator?.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("writes a program whose up adopts everything with no write, and whose next preview expects no changes", async () => {
    const { expected, deleted, trimmed } = seedAccount(emulator);
    await new Promise((resolve) => setTimeout(resolve, 400)); // the FAST_TIMINGS removals settle
    const out = path.join(scratch, "program");
    emulator.control.clearLog();

    const run = await runCli(["discover", "--account", OWNER, "--organization", ORGANIZATION, "--out", out], {
      CLOUDFLARE_BASE_URL: emulator.url,
      CLOUDFLARE_API_TOKEN: TOKEN,
    });
    expect(run.stderr).toContain(`read 100 shares of account ${OWNER}…`); // progress
    expect(run.code).toBe(0);
    expect(writes(emulator)).toEqual([]);
    // Every list was read with an explicit page size.
    for (const entry of emulator.control.requestLog()) expect(entry.query.per_page).toBe("100");
    expect(run.stdout).toContain(`${SHARES + 2} shares sent by it, ${SHARES + 1} to declare.`);
    expect(run.stdout).toMatch(/Left out: 1 × share is (deleting|deleted); 1 × recipient is disassociat\w+; 1 × resource is (deleting|deleted)/);
    expect(fs.readdirSync(out).sort()).toEqual(["Pulumi.yaml", "README.md", "index.ts", "package.json", "tsconfig.json"]);

    const index = fs.readFileSync(path.join(out, "index.ts"), "utf8");
    expect(index.match(/new Share\(/g)).toHaveLength(SHARES + 1);
    expect(index).not.toContain(deleted);
    expect(index).not.toContain(trimmed.recipients[1].id);
    expect(index).toContain(`{ organizationId: "${ORGANIZATION}" }`);
    expect(index).toContain('new Share("regles-prod-eu", {');
    const readme = fs.readFileSync(path.join(out, "README.md"), "utf8");
    for (const id of expected) expect(readme).toContain(`share ${id} `);
    expect(readme).toContain(`recipient ${trimmed.recipients[1].id} (account ${PARTNER_B}) of share ${trimmed.share.id} "trimmed": it is disassociat`);

    testStack = await createTestStack({
      program: out,
      env: { CLOUDFLARE_BASE_URL: emulator.url, CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_SHARING_TUNING: FAST_TUNING },
    });
    emulator.control.clearLog();
    const up = await testStack.stack.up({ onOutput: (line) => testStack!.printed.push(line) });
    expect(up.summary.result).toBe("succeeded");
    expect(up.summary.resourceChanges).toMatchObject({ create: SHARES + 2 }); // the shares and the stack
    // The request log proves it: no POST, PUT or DELETE.
    expect(writes(emulator)).toEqual([]);
    expect(requests(emulator).length).toBeGreaterThan(0);
    // Every live object of the account is now in state, once.
    const state = idsInState(await testStack.exportState());
    expect(orphans(liveObjects(emulator, OWNER), state)).toEqual([]);
    expect([...state.shares].sort()).toEqual([...expected].sort());

    emulator.control.clearLog();
    const preview = await testStack.stack.preview({ expectNoChanges: true });
    expect(preview.changeSummary).toEqual({ same: SHARES + 2 });
    expect(requests(emulator)).toEqual([]);
  });

  it("a share changed between discover and up is not adopted: up names the difference and writes nothing", async () => {
    const small = await startE2eEmulator();
    let stack: TestStack | undefined;
    try {
      const seed = (name: string, resourceId: string) =>
        small.control.seedShare({
          accountId: OWNER,
          name,
          recipients: [{ recipient_account_id: PARTNER_A }],
          resources: [{ resource_type: "custom-ruleset", resource_id: resourceId, resource_account_id: OWNER, meta: { tier: "gold" } }],
          settled: true,
        });
      const unchanged = seed("unchanged", hexIdOf("unchanged"));
      const edited = seed("edited later", hexIdOf("edited"));
      const out = path.join(scratch, "changed");
      const env = { CLOUDFLARE_BASE_URL: small.url, CLOUDFLARE_API_TOKEN: TOKEN };
      expect((await runCli(["discover", "--account", OWNER, "--out", out], env)).code).toBe(0);

      // Changed in the dashboard after discover ran.
      small.control.renameShare(edited.share.id, "edited later (v2)");
      small.control.setResourceMeta(edited.share.id, edited.resources[0].id, { tier: "platinum" });
      await new Promise((resolve) => setTimeout(resolve, 300));

      stack = await createTestStack({ program: out, env: { ...env, CLOUDFLARE_SHARING_TUNING: FAST_TUNING } });
      small.control.clearLog();
      const printed: string[] = [];
      await expect(stack.stack.up({ onOutput: (line) => printed.push(line) })).rejects.toThrow();
      const output = printed.join("");
      expect(output).toContain(`cannot adopt share ${edited.share.id} "edited later (v2)": it differs from the program`);
      expect(output).toContain('its name is "edited later (v2)", the program says "edited later"');
      // Which keys differ, never their values (a meta may hold secrets).
      expect(output).toContain(`the meta of its resource custom-ruleset/${hexIdOf("edited")} differs from the program's in key "tier"`);
      expect(output).not.toContain("platinum");
      expect(writes(small)).toEqual([]);
      // The unchanged share was adopted; the changed one is still as the dashboard left it.
      expect(idsInState(await stack.exportState()).shares).toEqual(new Set([unchanged.share.id]));
      expect(small.control.getShare(edited.share.id)?.name).toBe("edited later (v2)");
    } finally {
      await stack?.destroyAndRemove().catch(() => undefined);
      await small.stop();
    }
  });

  for (const reading of ["organization", "owner"] as const) {
    it(`an organization recipient (its account_id holds the ${reading} id) is declared as the organization; up adopts it with no write and the next preview expects no changes`, async () => {
      const small = await startE2eEmulator({ behaviour: { organizationRecipientAccountId: reading } });
      let stack: TestStack | undefined;
      try {
        const ruleset = (name: string) => [{ resource_type: "custom-ruleset", resource_id: hexIdOf(name), resource_account_id: OWNER, meta: {} }];
        small.control.seedShare({ accountId: OWNER, name: "org wide", recipients: [{ organization_id: ORGANIZATION }], resources: ruleset("org wide"), settled: true });
        // An account recipient next to the organization one: each keeps its own target.
        small.control.seedShare({
          accountId: OWNER,
          name: "partner and org",
          recipients: [{ recipient_account_id: PARTNER_A }, { organization_id: ORGANIZATION }],
          resources: ruleset("partner and org"),
          settled: true,
        });
        const out = path.join(scratch, `organization-${reading}`);
        const env = { CLOUDFLARE_BASE_URL: small.url, CLOUDFLARE_API_TOKEN: TOKEN };
        // Without --organization: the shares' own organization is enough to recognise it.
        expect((await runCli(["discover", "--account", OWNER, "--out", out], env)).code).toBe(0);
        const index = fs.readFileSync(path.join(out, "index.ts"), "utf8");
        expect(index.match(new RegExp(`\\{ organizationId: "${ORGANIZATION}" \\}`, "g"))).toHaveLength(2);
        expect(index).toContain(`{ recipientAccountId: "${PARTNER_A}" }`);
        expect(index).not.toContain(`{ recipientAccountId: "${OWNER}" }`);
        expect(index).not.toContain(`{ recipientAccountId: "${ORGANIZATION}" }`);

        stack = await createTestStack({ program: out, env: { ...env, CLOUDFLARE_SHARING_TUNING: FAST_TUNING } });
        small.control.clearLog();
        const up = await stack.stack.up({ onOutput: (line) => stack!.printed.push(line) });
        expect(up.summary.resourceChanges).toMatchObject({ create: 3 }); // the two shares and the stack
        expect(writes(small)).toEqual([]);
        small.control.clearLog();
        const preview = await stack.stack.preview({ expectNoChanges: true });
        expect(preview.changeSummary).toEqual({ same: 3 });
        expect(requests(small)).toEqual([]);
      } finally {
        await stack?.destroyAndRemove().catch(() => undefined);
        await small.stop();
      }
    });
  }

  it("share names that are JavaScript's or the program's own identifiers, and a __proto__ meta key: the program compiles and its up adopts with no write", async () => {
    const small = await startE2eEmulator();
    let stack: TestStack | undefined;
    try {
      // Reserved words, strict-mode restricted names, CommonJS wrapper names and the program's own identifiers.
      const names = ["exports", "require", "module", "__filename", "__dirname", "eval", "arguments", "share ids", "shareIds", "account id", "Share", "class", "undefined"];
      // A meta whose keys an object literal would turn into prototypes (JSON.parse keeps them as own keys).
      const meta = JSON.parse('{"__proto__":{"tier":"gold"},"nested":{"__proto__":"x"}}') as Record<string, unknown>;
      const seeded = names.map((name, i) =>
        small.control.seedShare({
          accountId: OWNER,
          name,
          recipients: [{ recipient_account_id: PARTNER_A }],
          resources: [{ resource_type: "custom-ruleset", resource_id: hexIdOf(`special ${i}`), resource_account_id: OWNER, meta }],
          settled: true,
        }),
      );
      const out = path.join(scratch, "special-names");
      const env = { CLOUDFLARE_BASE_URL: small.url, CLOUDFLARE_API_TOKEN: TOKEN };
      expect((await runCli(["discover", "--account", OWNER, "--out", out], env)).code).toBe(0);
      // Such a meta is declared as its JSON text: an object would lose the key to Pulumi's serialization.
      expect(fs.readFileSync(path.join(out, "index.ts"), "utf8")).toContain('meta: "{\\"__proto__\\":');

      stack = await createTestStack({ program: out, env: { ...env, CLOUDFLARE_SHARING_TUNING: FAST_TUNING } });
      // The program type-checks as its own tsconfig says (inside the checkout, so it finds the package).
      const tsc = path.resolve(__dirname, "..", "..", "node_modules", ".bin", "tsc");
      const compiled = await new Promise<CommandResult>((resolve) =>
        execFile(tsc, ["-p", stack!.programDir, "--noEmit"], { encoding: "utf8" }, (error, stdout, stderr) => resolve({ code: error ? 1 : 0, stdout, stderr })),
      );
      expect(compiled.stdout + compiled.stderr).toBe("");
      expect(compiled.code).toBe(0);

      small.control.clearLog();
      const up = await stack.stack.up({ onOutput: (line) => stack!.printed.push(line) });
      expect(up.summary.resourceChanges).toMatchObject({ create: names.length + 1 });
      expect(writes(small)).toEqual([]);
      expect(idsInState(await stack.exportState()).shares).toEqual(new Set(seeded.map((s) => s.share.id)));
      expect(Object.keys(up.outputs.shareIds.value).length).toBe(names.length);
    } finally {
      await stack?.destroyAndRemove().catch(() => undefined);
      await small.stop();
    }
  });

  it("bad input: an invalid account id, a token without access, an unknown account: a clear error and no file", async () => {
    const guarded = await startE2eEmulator({ auth: { tokens: [TOKEN] } });
    try {
      guarded.control.seedShare({
        accountId: OWNER,
        name: "waf",
        recipients: [{ recipient_account_id: PARTNER_A }],
        resources: [{ resource_type: "custom-ruleset", resource_id: hexIdOf("waf"), resource_account_id: OWNER, meta: {} }],
        settled: true,
      });
      const out = path.join(scratch, "never");
      const env = { CLOUDFLARE_BASE_URL: guarded.url, CLOUDFLARE_API_TOKEN: TOKEN };

      const invalid = await runCli(["discover", "--account", "not-an-account", "--out", out], env);
      expect(invalid.code).toBe(2);
      expect(invalid.stderr).toContain('--account must be hexadecimal (a Cloudflare id such as 023e105f4ecef8ad9ca31a8372d0c353), got "not-an-account"');

      const noAccess = await runCli(["discover", "--account", OWNER, "--out", out], { ...env, CLOUDFLARE_API_TOKEN: "a-token-without-access" });
      expect(noAccess.code).toBe(1);
      expect(noAccess.stderr).toContain(`Cloudflare refused the credentials for account ${OWNER} (401, code 10000: Authentication error)`);
      expect(noAccess.stderr).not.toContain("a-token-without-access");

      const unknown = await runCli(["discover", "--account", hexIdOf("nobody"), "--out", out], env);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain(`Account ${hexIdOf("nobody")} sends no share that this token can see: nothing to write.`);

      const noCredentials = await runCli(["discover", "--account", OWNER, "--out", out], { CLOUDFLARE_BASE_URL: guarded.url });
      expect(noCredentials.code).toBe(1);
      expect(noCredentials.stderr).toContain("No Cloudflare credentials: set CLOUDFLARE_API_TOKEN");

      expect(fs.existsSync(out)).toBe(false);
      expect(fs.readdirSync(scratch).filter((name) => name.startsWith(".never"))).toEqual([]); // no staging left behind
      expect(writes(guarded)).toEqual([]);
    } finally {
      await guarded.stop();
    }
  });
});
