// `preview` of a JavaScript program on the plugin's `plugin.*` classes shows the plan `up` carries
// out, as the YAML program does (preview.test.ts): for each change, the same summary and per-resource
// steps, and no request during the preview.
import type { EngineEvent } from "@pulumi/pulumi/automation";
import type { RunningEmulator } from "../../../emulator";
import { createTestStack, TestStack } from "../harness";
import { FAST_TUNING, OWNER, PARTNER_A, PARTNER_B, PARTNER_C, PARTNER_D, POLICY_1, RULESET_1, RULESET_2, startE2eEmulator, TOKEN } from "../fixtures";
import { changeCounts, stepsOf } from "./plans";

jest.setTimeout(300_000);

const initial = {
  accountId: OWNER,
  shareName: "waf rules",
  inlineRecipients: [PARTNER_A],
  inlineMeta: { tier: "gold" } as Record<string, string>,
  partner: PARTNER_B,
  policyMeta: { note: "shared" } as Record<string, string>,
  ruleset: RULESET_1,
  otherRuleset: RULESET_2,
  policy: POLICY_1,
  timeout: undefined as string | undefined,
};

describe("preview of the plugin.* classes shows the plan up carries out", () => {
  let emulator: RunningEmulator;
  let testStack: TestStack;
  let declared = initial;
  const record = (line: string) => testStack.printed.push(line);

  beforeAll(async () => {
    emulator = await startE2eEmulator();
    testStack = await createTestStack({
      program: "plugin-preview",
      config: { "e2e:declared": { value: JSON.stringify(initial) } },
      env: { CLOUDFLARE_BASE_URL: emulator.url, CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_SHARING_TUNING: FAST_TUNING },
    });
    const up = await testStack.stack.up({ onOutput: record });
    expect(up.summary.resourceChanges).toMatchObject({ create: 5 });
  });
  afterAll(async () => {
    await testStack?.destroyAndRemove().catch(() => undefined);
    await emulator?.stop();
  });

  /** Declares `change`, previews it (no request may be sent), runs `up`, and returns both plans. */
  async function previewThenUp(change: Partial<typeof initial>) {
    declared = { ...declared, ...change };
    await testStack.stack.setConfig("e2e:declared", { value: JSON.stringify(declared) });
    const previewEvents: EngineEvent[] = [];
    emulator.control.clearLog();
    const preview = await testStack.stack.preview({ onOutput: record, onEvent: (event) => previewEvents.push(event) });
    expect(emulator.control.requestLog()).toEqual([]);
    const upEvents: EngineEvent[] = [];
    const up = await testStack.stack.up({ onOutput: record, onEvent: (event) => upEvents.push(event) });
    expect(up.summary.result).toBe("succeeded");
    return {
      preview: { summary: changeCounts(preview.changeSummary), steps: stepsOf(previewEvents) },
      up: { summary: changeCounts(up.summary.resourceChanges as Record<string, number>), steps: stepsOf(upEvents) },
    };
  }

  it("a rename of the share: one update, nothing that reads its outputs changes", async () => {
    const plans = await previewThenUp({ shareName: "waf rules (EU)" });
    expect(plans.up.steps).toMatchObject({ share: "update", partner: "same", companyWide: "same", policy: "same" });
    expect(plans.preview).toEqual(plans.up);
  });

  it("a meta change, of an inline resource and of a ShareResource", async () => {
    const plans = await previewThenUp({ inlineMeta: { tier: "platinum" }, policyMeta: { note: "revised" } });
    expect(plans.up.steps).toMatchObject({ share: "update", policy: "update", companyWide: "same" });
    expect(plans.preview).toEqual(plans.up);
  });

  it("a recipient change: an inline recipient replaced by another, a ShareRecipient's target replaced", async () => {
    const plans = await previewThenUp({ inlineRecipients: [PARTNER_C], partner: PARTNER_D });
    expect(plans.up.steps).toMatchObject({ share: "update", partner: "create-replacement,delete-replaced,replace", companyWide: "same", policy: "update" });
    expect(plans.preview).toEqual(plans.up);
  });

  it("a timeout change of every resource: updates with no request", async () => {
    const plans = await previewThenUp({ timeout: "7m" });
    expect(plans.up.steps).toMatchObject({ share: "update", partner: "update", policy: "update", companyWide: "same" });
    expect(plans.preview).toEqual(plans.up);
  });
});
