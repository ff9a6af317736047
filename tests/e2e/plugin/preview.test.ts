// `preview` through the plugin shows exactly the plan `up` then carries out: an update keeps its
// known outputs known, so what reads them (an item id, the share's organization) is not previewed
// as replaced or updated when it is not. Each change of each resource: the preview's summary and
// per-resource steps equal the `up`'s, and the preview sends no request.
import * as fs from "node:fs";
import * as path from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import type { RunningEmulator } from "../../../emulator";
import { TestStack } from "../harness";
import { OWNER, PARTNER_A, PARTNER_B, PARTNER_C, PARTNER_D, POLICY_1, RULESET_1, RULESET_2, startE2eEmulator } from "../fixtures";
import { changeCounts, stepsOf } from "./plans";
import { yamlProgram, YamlResource } from "./yaml-program";
import { yamlTestStack } from "./yaml-stack";

jest.setTimeout(300_000);

interface Declared {
  shareName: string;
  inlineMeta: Record<string, string>;
  inlineRecipients: string[];
  partner: string;
  policyMeta: Record<string, string>;
  timeout?: string;
}

/**
 * A share, a recipient and two resources that read its outputs: `policy` its item ids (in `meta`),
 * `companyWide` its organization.
 */
function program(declared: Declared): Record<string, YamlResource> {
  const timeouts = declared.timeout ? { timeouts: { create: declared.timeout, delete: declared.timeout } } : {};
  const updateTimeouts = declared.timeout ? { timeouts: { create: declared.timeout, update: declared.timeout, delete: declared.timeout } } : {};
  return {
    share: {
      type: "Share",
      properties: {
        accountId: OWNER,
        name: declared.shareName,
        recipients: declared.inlineRecipients.map((recipientAccountId) => ({ recipientAccountId })),
        resources: [{ resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: OWNER, meta: declared.inlineMeta }],
        ...updateTimeouts,
      },
    },
    partner: { type: "ShareRecipient", properties: { accountId: OWNER, shareId: "${share.id}", recipientAccountId: declared.partner, ...timeouts } },
    // Shared with the whole organization the first share's account belongs to.
    companyWide: {
      type: "Share",
      properties: {
        accountId: OWNER,
        name: "for the whole company",
        recipients: [{ organizationId: "${share.organizationId}" }],
        resources: [{ resourceType: "custom-ruleset", resourceId: RULESET_2, resourceAccountId: OWNER }],
      },
    },
    policy: {
      type: "ShareResource",
      properties: {
        accountId: OWNER,
        shareId: "${share.id}",
        resourceType: "gateway-policy",
        resourceId: POLICY_1,
        resourceAccountId: OWNER,
        meta: { ...declared.policyMeta, ruleset: "${share.resourceIds[0]}", firstRecipient: "${share.recipientIds[0]}" },
        ...updateTimeouts,
      },
    },
  };
}

const initial: Declared = { shareName: "waf rules", inlineMeta: { tier: "gold" }, inlineRecipients: [PARTNER_A], partner: PARTNER_B, policyMeta: { note: "shared" } };

describe("preview through the plugin shows the plan up carries out", () => {
  let emulator: RunningEmulator;
  let testStack: TestStack;
  let declared = initial;
  const record = (line: string) => testStack.printed.push(line);

  beforeAll(async () => {
    emulator = await startE2eEmulator();
    testStack = await yamlTestStack(emulator, yamlProgram(program(initial)));
    const up = await testStack.stack.up({ onOutput: record });
    expect(up.summary.resourceChanges).toMatchObject({ create: 5 });
  });
  afterAll(async () => {
    await testStack?.destroyAndRemove().catch(() => undefined);
    await emulator?.stop();
  });

  /** Declares `change`, previews it (no request may be sent), runs `up`, and returns both plans. */
  async function previewThenUp(change: Partial<Declared>) {
    declared = { ...declared, ...change };
    fs.writeFileSync(path.join(testStack.programDir, "Pulumi.yaml"), yamlProgram(program(declared)));
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
    // The inline recipient the policy reads goes, so the policy changes in both.
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
