// A resource `get` through the plugin under the real engine (Pulumi YAML): the bare id a resource
// exposes as `id`, with its account (and share) as the get's properties, reads the object, as does
// the import form of the id alone. Nothing is written.
import type { RunningEmulator } from "../../../emulator";
import { TestStack } from "../harness";
import { OWNER, PARTNER_A, RULESET_1, startE2eEmulator, writes } from "../fixtures";
import { yamlProgram } from "./yaml-program";
import { yamlTestStack } from "./yaml-stack";

jest.setTimeout(180_000);

describe("a resource get through the plugin", () => {
  let emulator: RunningEmulator;
  let testStack: TestStack;

  afterAll(async () => {
    await testStack?.destroyAndRemove().catch(() => undefined);
    await emulator?.stop();
  });

  it("reads a share and a recipient by their bare ids with accountId (and shareId) beside them, and a share resource by its import id", async () => {
    emulator = await startE2eEmulator();
    const { share, recipients, resources } = emulator.control.seedShare({
      accountId: OWNER,
      name: "made elsewhere",
      recipients: [{ recipient_account_id: PARTNER_A }],
      resources: [{ resource_type: "custom-ruleset", resource_id: RULESET_1, resource_account_id: OWNER, meta: { tier: "gold" } }],
      settled: true,
    });
    testStack = await yamlTestStack(emulator,
      yamlProgram(
        {
          found: { type: "Share", get: { id: share.id, state: { accountId: OWNER } } },
          foundRecipient: { type: "ShareRecipient", get: { id: recipients[0].id, state: { accountId: OWNER, shareId: share.id } } },
          foundResource: { type: "ShareResource", get: { id: `${OWNER}/${share.id}/${resources[0].id}` } },
        },
        {
          shareId: "${found.id}",
          shareName: "${found.name}",
          shareRecipientIds: "${found.recipientIds}",
          recipientId: "${foundRecipient.id}",
          recipientStatus: "${foundRecipient.associationStatus}",
          resourceId: "${foundResource.id}",
          resourceMeta: "${foundResource.meta}",
        },
      ),
    );

    emulator.control.clearLog();
    const up = await testStack.stack.up({ onOutput: (line) => testStack.printed.push(line) });
    expect(up.summary.result).toBe("succeeded");
    // Only the stack is created; the three are in state as read, not managed.
    expect(up.summary.resourceChanges).toEqual({ create: 1 });
    const inState = ((await testStack.exportState()).resources ?? []) as { type: string; id?: string; external?: boolean }[];
    const found = inState.filter((r) => r.type.startsWith("cloudflare-sharing:index:"));
    expect(found.map((r) => [r.id, r.external]).sort()).toEqual([[share.id, true], [recipients[0].id, true], [resources[0].id, true]].sort());
    expect(up.outputs.shareId.value).toBe(share.id);
    expect(up.outputs.shareName.value).toBe("made elsewhere");
    expect(up.outputs.shareRecipientIds.value).toEqual([recipients[0].id]);
    expect(up.outputs.recipientId.value).toBe(recipients[0].id);
    expect(up.outputs.recipientStatus.value).toBe("associated");
    // The program's `id` of a get is the id it gave (the engine's state records the bare one).
    expect(up.outputs.resourceId.value).toBe(`${OWNER}/${share.id}/${resources[0].id}`);
    expect(JSON.parse(up.outputs.resourceMeta.value)).toEqual({ tier: "gold" });
    expect(writes(emulator)).toEqual([]);

    // Read, not managed: destroying the stack leaves the objects alone.
    await testStack.stack.destroy({ onOutput: (line) => testStack.printed.push(line) });
    expect(emulator.control.getShare(share.id)?.status).toBe("active");
    expect(writes(emulator)).toEqual([]);
  });
});
