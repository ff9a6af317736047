// Forced replacements under the real engine (dynamic face): `pulumi up --replace <urn>` and
// `replaceOnChanges` on a ShareRecipient and a ShareResource. The API holds one recipient per target
// and one share resource per object on a share, so the old record must go before the new one is made:
// after each, the resource holds a new id, the old record is gone and the new one settled.
import type { RunningEmulator } from "../../emulator";
import type { TestStack } from "./harness";
import { OWNER, PARTNER_A, PARTNER_C, POLICY_1, RULESET_1, sharingStack, setSpec, Spec, startE2eEmulator } from "./fixtures";
import { RECIPIENT_TYPE, RESOURCE_TYPE } from "./invariants";
import { expectReplaced, Held } from "./replaced";

jest.setTimeout(240_000);

let emulator: RunningEmulator;
let testStack: TestStack | undefined;
beforeEach(async () => {
  emulator = await startE2eEmulator();
});
afterEach(async () => {
  await testStack?.destroyAndRemove().catch(() => undefined);
  testStack = undefined;
  await emulator.stop();
});

/** A share with one separate recipient and one separate resource, each given `options`. */
function specWith(options: { recipient?: object; resource?: object } = {}, resourceMeta: object = { note: "first" }, recipientTimeouts: object = { create: "5m" }): Spec {
  return {
    accountId: OWNER,
    shares: {
      main: {
        name: "replaced things",
        recipients: [{ recipientAccountId: PARTNER_A }],
        resources: [{ resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: OWNER }],
      },
    },
    recipients: { partner: { share: "main", recipientAccountId: PARTNER_C, timeouts: recipientTimeouts, options: options.recipient } },
    resources: { policy: { share: "main", resourceType: "gateway-policy", resourceId: POLICY_1, resourceAccountId: OWNER, meta: resourceMeta, options: options.resource } },
  };
}

function heldBy(outputs: Record<string, { value: any }>): Held {
  return { shareId: outputs.shares.value.main.id, recipientId: outputs.recipients.value.partner.id, resourceId: outputs.resources.value.policy.id };
}

async function urnOf(stack: TestStack, type: string): Promise<string> {
  const resources = ((await stack.exportState()).resources ?? []) as { type: string; urn: string }[];
  return resources.find((resource) => resource.type === type)!.urn;
}

it("`up --replace` on a recipient and a resource makes new ones, the old ones removed first", async () => {
  testStack = await sharingStack(emulator, specWith());
  const before = heldBy((await testStack.stack.up()).outputs);
  const replace = [await urnOf(testStack, RECIPIENT_TYPE), await urnOf(testStack, RESOURCE_TYPE)];

  const up = await testStack.stack.up({ replace });
  expect(up.summary.resourceChanges).toMatchObject({ replace: 2 });
  await expectReplaced(emulator, testStack, before, heldBy(up.outputs));
});

it("`replaceOnChanges` replaces a recipient (timeouts) and a resource (meta) instead of updating them", async () => {
  const options = { recipient: { replaceOnChanges: ["timeouts"] }, resource: { replaceOnChanges: ["meta"] } };
  testStack = await sharingStack(emulator, specWith(options));
  const before = heldBy((await testStack.stack.up()).outputs);

  await setSpec(testStack, specWith(options, { note: "second" }, { create: "4m" }));
  const up = await testStack.stack.up();
  expect(up.summary.resourceChanges).toMatchObject({ replace: 2 });
  await expectReplaced(emulator, testStack, before, heldBy(up.outputs));
  const made = emulator.control.listResources(before.shareId).find((r) => r.id === heldBy(up.outputs).resourceId);
  expect(made?.meta).toEqual({ note: "second" });
});
