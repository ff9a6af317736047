// The plugin from a Go program: tests/e2e/programs/plugin-go on the SDK generated into sdk/go (taken
// through a `replace` line), compiled once for this file and run as a prebuilt binary by the Go
// language host that `npm run engine` builds. Its separate recipient and resource set no
// DeleteBeforeReplace: `pulumi up --replace` (which asks no provider how to replace) relies on the
// SDK deleting them first by default, since the API keeps one record per target and per object.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RunningEmulator } from "../../../emulator";
import { createTestStack, TestStack } from "../harness";
import { FAST_TUNING, OWNER, PARTNER_A, PARTNER_B, POLICY_1, RULESET_1, startE2eEmulator, TOKEN } from "../fixtures";
import { liveObjects, PLUGIN_RECIPIENT_TYPE, PLUGIN_RESOURCE_TYPE } from "../invariants";
import { expectReplaced, Held } from "../replaced";
import { buildGoProgram, GoProgram, goPulumiYaml } from "./go-program";

// The first build of the program after a cold Go build cache takes minutes; later ones seconds.
jest.setTimeout(600_000);

describe("the plugin under the real engine, from a Go program", () => {
  let emulator: RunningEmulator;
  let testStack: TestStack;
  let program: GoProgram;
  const journalDir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-journal-"));
  const record = (line: string) => testStack.printed.push(line);
  const heldBy = (values: Record<string, { value: any }>): Held => ({ shareId: values.shareId.value, recipientId: values.partnerId.value, resourceId: values.policyId.value });
  let before: Held;

  beforeAll(async () => {
    program = buildGoProgram("plugin-go");
    emulator = await startE2eEmulator();
    // The project folder holds only Pulumi.yaml: the host runs the binary and has nothing to compile.
    const source = fs.mkdtempSync(path.join(os.tmpdir(), "plugin-go-"));
    fs.writeFileSync(path.join(source, "Pulumi.yaml"), goPulumiYaml("plugin-go", program.binary));
    testStack = await createTestStack({
      program: source,
      config: {
        "e2e:spec": { value: JSON.stringify({ accountId: OWNER, name: "from go", inlineRecipient: PARTNER_A, recipient: PARTNER_B, ruleset: RULESET_1, policy: POLICY_1 }) },
        "cloudflare-sharing:apiToken": { value: TOKEN, secret: true },
        "cloudflare-sharing:baseUrl": { value: emulator.url },
      },
      env: { CLOUDFLARE_SHARING_TUNING: FAST_TUNING, CLOUDFLARE_SHARING_JOURNAL_DIR: journalDir },
    });
    fs.rmSync(source, { recursive: true, force: true });
  });
  afterAll(async () => {
    await testStack?.destroyAndRemove().catch(() => undefined);
    await emulator?.stop();
    program?.remove();
    fs.rmSync(journalDir, { recursive: true, force: true });
  });

  it("up waits until the share, the recipients and the resources settled", async () => {
    const up = await testStack.stack.up({ onOutput: record });
    expect(up.summary.result).toBe("succeeded");
    expect(up.summary.resourceChanges).toMatchObject({ create: 4 });
    expect(up.outputs.shareStatus.value).toBe("active");
    expect(up.outputs.partnerStatus.value).toBe("associated");
    expect(up.outputs.policyStatus.value).toBe("active");
    expect(up.outputs.policyMeta.value).toBe('{"note":"shared"}');
    before = heldBy(up.outputs);
    const recipients = emulator.control.listRecipients(before.shareId);
    expect(recipients.map((r) => [r.account_id, r.association_status]).sort()).toEqual([[PARTNER_A, "associated"], [PARTNER_B, "associated"]]);
    const resources = emulator.control.listResources(before.shareId);
    expect(resources.map((r) => [r.resource_id, r.status, r.meta])).toHaveLength(2);
    expect(resources.map((r) => [r.resource_id, r.status, r.meta])).toEqual(
      expect.arrayContaining([
        [POLICY_1, "active", { note: "shared" }],
        [RULESET_1, "active", { tier: "gold" }],
      ]),
    );
  });

  it("up --replace of the recipient and the resource deletes each first: new ids, the old records gone, no orphan or duplicate", async () => {
    const replace = (((await testStack.exportState()).resources ?? []) as { type: string; urn: string }[])
      .filter((resource) => resource.type === PLUGIN_RECIPIENT_TYPE || resource.type === PLUGIN_RESOURCE_TYPE)
      .map((resource) => resource.urn);
    expect(replace).toHaveLength(2);

    const up = await testStack.stack.up({ replace, onOutput: record });
    expect(up.summary.resourceChanges).toMatchObject({ replace: 2 });
    await expectReplaced(emulator, testStack, before, heldBy(up.outputs));
  });

  it("preview --expect-no-changes is clean and sends no request", async () => {
    emulator.control.clearLog();
    const preview = await testStack.stack.preview({ expectNoChanges: true, onOutput: record });
    expect(preview.changeSummary).toMatchObject({ same: 4 });
    expect(emulator.control.requestLog()).toEqual([]);
  });

  it("destroy leaves nothing, and the token was never written", async () => {
    const destroy = await testStack.stack.destroy({ onOutput: record });
    expect(destroy.summary.result).toBe("succeeded");
    expect(liveObjects(emulator, OWNER)).toEqual([]);
    expect([...testStack.persistedState(), ...testStack.printed].filter((text) => text.includes(TOKEN))).toEqual([]);
  });
});
