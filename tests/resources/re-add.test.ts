// Adding an object again while its earlier record is on its way out (a recipient `disassociating`, a
// share resource `deleting`): whether Cloudflare refuses the new record meanwhile is unconfirmed, so
// both answers of the emulator are exercised.
import shareProvider = require("../../provider/resources/share-provider");
import recipientProvider = require("../../provider/resources/share-recipient-provider");
import resourceProvider = require("../../provider/resources/share-resource-provider");
import type { RunningEmulator } from "../../emulator";
import type { DeepPartial, EmulatorSettings } from "../../emulator/settings";
import type { ShareInputs } from "../../provider/resources/share-model";
import { startProviderEnvironment, stopProviderEnvironment } from "../support/provider-env";

const OWNER = "023e105f4ecef8ad9ca31a8372d0c353";
const PARTNER_A = "9a7806061c88ada191ed06f989cc3dac";
const PARTNER_C = "7d793037a0760186574b0282f2f435e7";
const RULESET_1 = "2f2feab2026849078ba485f918791bdc";
const RULESET_2 = "e4da3b7fbbce2345d7772b0674a318d5";

let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await stopProviderEnvironment(emulator);
  emulator = undefined;
});

async function shareWithTwoResources(settings: DeepPartial<EmulatorSettings>): Promise<string> {
  emulator = await startProviderEnvironment(settings);
  const inputs = (await shareProvider.check!({} as never, {
    accountId: OWNER,
    name: "re-add",
    recipients: [{ recipientAccountId: PARTNER_A }],
    resources: [
      { resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: OWNER, meta: {} },
      { resourceType: "custom-ruleset", resourceId: RULESET_2, resourceAccountId: OWNER, meta: {} },
    ],
  } as ShareInputs)).inputs as ShareInputs;
  return (await shareProvider.create(inputs)).id;
}

/** Whether the new record was created only after the old one's removal was complete. */
function addedAfterRemoval(oldId: string, newId: string): boolean {
  const removedAt = emulator!.control.history(oldId).find((change) => change.status === "disassociated" || change.status === "deleted")?.at;
  const createdAt = emulator!.control.history(newId)[0].at;
  return removedAt !== undefined && createdAt >= removedAt;
}

// Lists that trail writes still show the old record's earlier status: only its GET shows it leaving.
describe.each([
  { duplicates: "reject", listLagMs: 0 },
  { duplicates: "allow", listLagMs: 0 },
  { duplicates: "reject", listLagMs: 1_000 },
] as const)("re-adding while the old record is on its way out (duplicates: $duplicates, lists trailing by $listLagMs ms)", ({ duplicates, listLagMs }) => {
  it("a recipient: added again, after the old one is disassociated when the API refuses it meanwhile", async () => {
    const shareId = await shareWithTwoResources({
      timings: { recipientDisassociateMs: 1_500 },
      behaviour: { duplicateRecipient: duplicates },
      consistency: { listLagMs },
    });
    const inputs = (await recipientProvider.check!({} as never, { accountId: OWNER, shareId, recipientAccountId: PARTNER_C } as never)).inputs!;
    const first = await recipientProvider.create(inputs);
    emulator!.control.removeRecipient(shareId, first.id);

    const again = await recipientProvider.create(inputs);
    expect(again.id).not.toBe(first.id);
    expect(again.outs).toMatchObject({ associationStatus: "associated" });
    // Refused meanwhile: the add waited for the old record; accepted: it did not need to.
    expect(addedAfterRemoval(first.id, again.id)).toBe(duplicates === "reject");
  });

  it("a share resource: added again, after the old one is deleted when the API refuses it meanwhile", async () => {
    const shareId = await shareWithTwoResources({
      timings: { resourceDeleteMs: 1_500 },
      behaviour: { duplicateResource: duplicates },
      consistency: { listLagMs },
    });
    const old = emulator!.control.listResources(shareId).find((r) => r.resource_id === RULESET_2)!;
    emulator!.control.removeResource(shareId, old.id);
    const inputs = (await resourceProvider.check!({} as never, {
      accountId: OWNER, shareId, resourceType: "custom-ruleset", resourceId: RULESET_2, resourceAccountId: OWNER, meta: {},
    } as never)).inputs!;

    const again = await resourceProvider.create(inputs);
    expect(again.id).not.toBe(old.id);
    expect(again.outs).toMatchObject({ status: "active" });
    expect(addedAfterRemoval(old.id, again.id)).toBe(duplicates === "reject");
  });
});
