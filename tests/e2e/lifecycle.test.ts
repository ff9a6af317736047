// The lifecycle of a share under the real engine, as a pipeline runs it: scenarios 1–6 and 10 run in
// order on one stack, each asserting both what Pulumi reports and what the API (emulator) has.
import type { RunningEmulator } from "../../emulator";
import type { TestStack } from "./harness";
import { pause, readsSettleMs } from "../support/provider-env";
import {
  OWNER, PARTNER_A, PARTNER_B, PARTNER_C, PARTNER_D, PARTNER_E, POLICY_1, POLICY_2, RULESET_1, RULESET_2, RULESET_3,
  requests, setSpec, sharingStack, Spec, startE2eEmulator, writes,
} from "./fixtures";

jest.setTimeout(180_000);

const baseSpec = (): Spec => ({
  accountId: OWNER,
  shares: {
    main: {
      name: "waf rules",
      recipients: [{ recipientAccountId: PARTNER_A }, { recipientAccountId: PARTNER_B }],
      resources: [
        { resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: OWNER, meta: { tier: "gold" } },
        { resourceType: "custom-ruleset", resourceId: RULESET_2, resourceAccountId: OWNER },
      ],
    },
  },
  recipients: { extra: { share: "main", recipientAccountId: PARTNER_C } },
  resources: { policy: { share: "main", resourceType: "gateway-policy", resourceId: POLICY_1, resourceAccountId: OWNER, meta: '{"note":"shared"}' } },
});

describe("a share's lifecycle under the real engine", () => {
  let emulator: RunningEmulator;
  let testStack: TestStack;
  let spec: Spec;
  let shareId: string;

  beforeAll(async () => {
    emulator = await startE2eEmulator();
    spec = baseSpec();
    testStack = await sharingStack(emulator, spec);
  });
  afterAll(async () => {
    await testStack?.destroyAndRemove().catch(() => undefined);
    await emulator?.stop();
  });

  const outputs = async () => (await testStack.stack.outputs()) as Record<string, { value: any }>;
  const share = (id = shareId) => emulator.control.getShare(id);
  const shareInState = async () => {
    const state = await testStack.exportState();
    const resources = state.resources as { type: string; outputs: Record<string, any> }[];
    return resources.find((r) => r.type === "pulumi-nodejs:dynamic/cloudflare:Share")!.outputs;
  };

  it("1. up completes only after everything settled", async () => {
    const up = await testStack.stack.up({ onOutput: (line) => testStack.printed.push(line) });
    const finished = Date.now();
    expect(up.summary.result).toBe("succeeded");
    expect(up.summary.resourceChanges).toMatchObject({ create: 4 });

    const out = up.outputs;
    shareId = out.shares.value.main.id;
    expect(out.shares.value.main.status).toBe("active");
    expect(out.shares.value.main.recipients.map((r: any) => r.associationStatus)).toEqual(["associated", "associated"]);
    expect(out.shares.value.main.resources.map((r: any) => r.status)).toEqual(["active", "active"]);
    expect(out.recipients.value.extra.associationStatus).toBe("associated");
    expect(out.resources.value.policy).toMatchObject({ status: "active", meta: '{"note":"shared"}' });

    // The emulator agrees, and every object had settled before `up` returned.
    const recipients = emulator.control.listRecipients(shareId);
    expect(recipients.map((r) => r.association_status).sort()).toEqual(["associated", "associated", "associated"]);
    expect(emulator.control.listResources(shareId).map((r) => r.status)).toEqual(["active", "active", "active"]);
    for (const object of [...recipients, ...emulator.control.listResources(shareId)]) {
      const history = emulator.control.history(object.id);
      expect(history[history.length - 1].at).toBeLessThanOrEqual(finished);
    }
    expect(emulator.control.listShares(OWNER)).toHaveLength(1);
  });

  it("2. preview right after finds no changes and sends no request at all", async () => {
    emulator.control.clearLog();
    const preview = await testStack.stack.preview();
    expect(preview.changeSummary).toEqual({ same: 4 }); // the stack, the share, the recipient, the resource
    expect(requests(emulator)).toEqual([]);
  });

  it("3. renaming the share updates it in place, keeps its id and waits until the name is visible", async () => {
    spec.shares!.main = { ...spec.shares!.main, name: "waf rules (eu)" };
    await setSpec(testStack, spec);
    emulator.control.clearLog();
    const up = await testStack.stack.up();
    expect(up.summary.resourceChanges).toMatchObject({ update: 1, same: 3 });
    expect(up.outputs.shares.value.main.id).toBe(shareId);
    expect(share()?.name).toBe("waf rules (eu)"); // visible to reads: the wait was real
    expect(writes(emulator)).toEqual([`PUT /shares/${shareId}`]);
  });

  it("4. adding and removing inline items and changing meta go through the sub-resources", async () => {
    const before = (await outputs()).shares.value.main;
    const removedRecipient = before.recipients.find((r: any) => r.recipientAccountId === PARTNER_B).id;
    const removedResource = before.resources.find((r: any) => r.resourceId === RULESET_2).id;
    spec.shares!.main = {
      ...spec.shares!.main,
      recipients: [{ recipientAccountId: PARTNER_A }, { recipientAccountId: PARTNER_D }],
      resources: [
        { resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: OWNER, meta: { tier: "platinum" } },
        { resourceType: "custom-ruleset", resourceId: RULESET_3, resourceAccountId: OWNER },
      ],
    };
    await setSpec(testStack, spec);
    emulator.control.clearLog();
    const up = await testStack.stack.up();
    expect(up.summary.resourceChanges).toMatchObject({ update: 1, same: 3 });
    const main = up.outputs.shares.value.main;
    expect(main.id).toBe(shareId);
    expect(main.recipients.map((r: any) => [r.recipientAccountId, r.associationStatus])).toEqual([[PARTNER_A, "associated"], [PARTNER_D, "associated"]]);
    expect(main.resources.map((r: any) => [r.resourceId, r.meta])).toEqual([[RULESET_1, '{"tier":"platinum"}'], [RULESET_3, "{}"]]);
    expect(emulator.control.listRecipients(shareId).find((r) => r.id === removedRecipient)?.association_status).toBe("disassociated");
    expect(emulator.control.listResources(shareId).find((r) => r.id === removedResource)?.status ?? "gone").toMatch(/deleted|gone/);
    expect(writes(emulator).sort()).toEqual(
      [
        `DELETE /shares/${shareId}/recipients/${removedRecipient}`,
        `DELETE /shares/${shareId}/resources/${removedResource}`,
        `POST /shares/${shareId}/recipients`,
        `POST /shares/${shareId}/resources`,
        `PUT /shares/${shareId}/resources/${before.resources[0].id}`,
      ].sort(),
    );
  });

  it("5. changing an immutable field replaces the object, and the old one is gone after the step", async () => {
    const before = await outputs();
    const oldResource = before.resources.value.policy.id;
    const oldRecipient = before.recipients.value.extra.id;
    spec.resources!.policy = { ...spec.resources!.policy, resourceId: POLICY_2 };
    spec.recipients!.extra = { share: "main", recipientAccountId: PARTNER_E };
    await setSpec(testStack, spec);
    const up = await testStack.stack.up();
    expect(up.summary.resourceChanges).toMatchObject({ replace: 2 });
    expect(up.outputs.resources.value.policy.id).not.toBe(oldResource);
    expect(up.outputs.resources.value.policy).toMatchObject({ resourceId: POLICY_2, status: "active" });
    expect(up.outputs.recipients.value.extra.id).not.toBe(oldRecipient);
    expect(emulator.control.listResources(shareId).find((r) => r.id === oldResource)?.status ?? "gone").toMatch(/deleted|gone/);
    expect(emulator.control.listRecipients(shareId).find((r) => r.id === oldRecipient)?.association_status).toBe("disassociated");
  });

  it("6. drift: refresh shows it, preview --refresh shows the repair, up repairs it", async () => {
    const main = (await outputs()).shares.value.main;
    const driftedRecipient = main.recipients.find((r: any) => r.recipientAccountId === PARTNER_A).id;
    emulator.control.renameShare(shareId, "renamed by hand");
    emulator.control.removeRecipient(shareId, driftedRecipient);
    await waitFor(() => share()?.name === "renamed by hand" && emulator.control.listRecipients(shareId).find((r) => r.id === driftedRecipient)?.association_status === "disassociated");

    const refresh = await testStack.stack.refresh();
    expect(refresh.summary.resourceChanges).toMatchObject({ update: 1 });
    // Stack outputs are recomputed only by `up`; the refreshed truth is in the state.
    const refreshed = await shareInState();
    expect(refreshed.name).toBe("renamed by hand");
    expect(refreshed.recipients.map((r: any) => r.recipientAccountId)).toEqual([PARTNER_D]);

    // A pipeline's `pulumi preview --refresh` shows the repair it would make.
    emulator.control.clearLog();
    const preview = await testStack.stack.preview({ refresh: true });
    expect(preview.changeSummary).toMatchObject({ update: 1 });
    expect(writes(emulator)).toEqual([]);

    const up = await testStack.stack.up();
    expect(up.summary.resourceChanges).toMatchObject({ update: 1 });
    expect(share()?.name).toBe("waf rules (eu)");
    const live = emulator.control.listRecipients(shareId).filter((r) => r.association_status === "associated").map((r) => r.account_id).sort();
    expect(live).toEqual([PARTNER_A, PARTNER_D, PARTNER_E].sort());
  });

  it("6b. a share deleted out of band leaves state on refresh and is created again by the next up", async () => {
    emulator.control.deleteShare(shareId);
    await waitFor(() => share()?.status === "deleted" || share() === undefined);
    await pause(readsSettleMs(emulator)); // until reads can show it (lists trail writes under laggy)
    const refresh = await testStack.stack.refresh();
    expect(refresh.summary.resourceChanges).toMatchObject({ delete: 3 });
    const state = await testStack.exportState();
    expect((state.resources as { type: string }[]).filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/cloudflare"))).toEqual([]);

    const up = await testStack.stack.up();
    expect(up.summary.resourceChanges).toMatchObject({ create: 3 });
    const recreated = up.outputs.shares.value.main.id;
    expect(recreated).not.toBe(shareId);
    shareId = recreated;
    expect(share()?.status).toBe("active");
    expect(emulator.control.listRecipients(shareId).map((r) => r.association_status)).toEqual(["associated", "associated", "associated"]);
  });

  it("10. destroy leaves every object gone, deleted or disassociated, and the stack empty", async () => {
    const all = emulator.control.listShares(OWNER);
    const destroy = await testStack.stack.destroy();
    expect(destroy.summary.result).toBe("succeeded");
    for (const s of all) {
      const share = emulator.control.getShare(s.id);
      expect(share?.status ?? "gone").toMatch(/deleted|gone/);
      if (!share) continue; // purged after its retention (a share deleted earlier, in 6b): nothing of it is left
      expect(emulator.control.listRecipients(s.id).every((r) => r.association_status === "disassociated")).toBe(true);
      expect(emulator.control.listResources(s.id).every((r) => r.status === "deleted")).toBe(true);
    }
    const state = await testStack.exportState();
    expect(state.resources ?? []).toEqual([]);
  });
});

/** Polls a condition about the emulator (which settles on its own clock), bounded. */
async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
