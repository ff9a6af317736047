// A TypeScript/JavaScript stack moves from the dynamic providers to the plugin's resources with
// `aliases`: the engine replaces nothing, Cloudflare sees no write, and the plugin then manages
// the same objects (a later change and `destroy` go through it).
import type { RunningEmulator } from "../../../emulator";
import { createTestStack, TestStack } from "../harness";
import { FAST_TUNING, OWNER, PARTNER_A, PARTNER_B, POLICY_1, RULESET_1, startE2eEmulator, TOKEN, writes } from "../fixtures";

jest.setTimeout(240_000);

const spec = { accountId: OWNER, name: "moved", inlineRecipient: PARTNER_A, recipient: PARTNER_B, ruleset: RULESET_1, policy: POLICY_1 };

describe("moving a stack from the dynamic providers to the plugin", () => {
  let emulator: RunningEmulator;
  let testStack: TestStack;
  const record = (line: string) => testStack.printed.push(line);
  const types = async () => (((await testStack.exportState()).resources ?? []) as { type: string; id?: string }[]).map((r) => `${r.type}=${r.id ?? ""}`).sort();

  beforeAll(async () => {
    emulator = await startE2eEmulator();
    testStack = await createTestStack({
      program: "migrate",
      config: { "e2e:spec": { value: JSON.stringify(spec) }, "e2e:face": { value: "dynamic" } },
      env: { CLOUDFLARE_BASE_URL: emulator.url, CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_SHARING_TUNING: FAST_TUNING },
    });
  });
  afterAll(async () => {
    await testStack?.destroyAndRemove().catch(() => undefined);
    await emulator?.stop();
  });

  it("keeps every object: no replacement, no write, the same ids under the plugin's types", async () => {
    const first = await testStack.stack.up({ onOutput: record });
    expect(first.summary.resourceChanges).toMatchObject({ create: 4 });
    const ids = { share: first.outputs.shareId.value, partner: first.outputs.partnerId.value, policy: first.outputs.policyId.value };
    expect((await types()).filter((entry) => entry.startsWith("pulumi-nodejs:dynamic/cloudflare:"))).toHaveLength(3);

    await testStack.stack.setConfig("e2e:face", { value: "plugin" });
    const preview = await testStack.stack.preview({ onOutput: record, diff: true });
    expect(preview.changeSummary.replace ?? 0).toBe(0);
    expect(preview.changeSummary.create ?? 0).toBe(0);
    expect(preview.changeSummary.delete ?? 0).toBe(0);

    emulator.control.clearLog();
    const moved = await testStack.stack.up({ onOutput: record });
    expect(moved.summary.resourceChanges?.replace ?? 0).toBe(0);
    expect(moved.summary.resourceChanges?.create ?? 0).toBe(0);
    expect(moved.summary.resourceChanges?.delete ?? 0).toBe(0);
    expect(writes(emulator)).toEqual([]);
    expect(moved.outputs.shareId.value).toBe(ids.share);
    expect(moved.outputs.partnerId.value).toBe(ids.partner);
    expect(moved.outputs.policyId.value).toBe(ids.policy);
    expect(await types()).toEqual(
      expect.arrayContaining([
        `cloudflare-sharing:index:Share=${ids.share}`,
        `cloudflare-sharing:index:ShareRecipient=${ids.partner}`,
        `cloudflare-sharing:index:ShareResource=${ids.policy}`,
      ]),
    );
    expect((await types()).filter((entry) => entry.startsWith("pulumi-nodejs:dynamic/"))).toEqual([]);
  });

  it("the plugin then manages the moved objects, through to destroy", async () => {
    const refresh = await testStack.stack.refresh({ onOutput: record });
    expect(refresh.summary.resourceChanges?.delete ?? 0).toBe(0);
    const preview = await testStack.stack.preview({ onOutput: record });
    expect(preview.changeSummary).toMatchObject({ same: 4 });

    const shareId = (await testStack.stack.outputs()).shareId.value as string;
    const destroy = await testStack.stack.destroy({ onOutput: record });
    expect(destroy.summary.result).toBe("succeeded");
    expect(emulator.control.getShare(shareId)?.status ?? "deleted").toBe("deleted");
  });
});
