// A new or changed shared object is in effect only once the recipients have it (11): `up` waits
// until every associated recipient reports the object's new `resource_version`, fails with
// Cloudflare's reason on a terminal error for it, and the advice that error gives works.
import type { RunningEmulator } from "../../emulator";
import type { TestStack } from "./harness";
import { OWNER, PARTNER_A, PARTNER_B, POLICY_1, RULESET_1, RULESET_2, setSpec, sharingStack, Spec, startE2eEmulator, writes } from "./fixtures";

jest.setTimeout(180_000);

const ruleset = (resourceId: string, meta: object = {}) => ({ resourceType: "custom-ruleset", resourceId, resourceAccountId: OWNER, meta });
const spec = (resources: object[], more: Partial<Spec> = {}): Spec => ({
  accountId: OWNER,
  shares: { main: { name: "propagated rules", recipients: [{ recipientAccountId: PARTNER_A }, { recipientAccountId: PARTNER_B }], resources } },
  ...more,
});

let emulator: RunningEmulator;
let testStack: TestStack | undefined;
afterEach(async () => {
  await testStack?.destroyAndRemove().catch(() => undefined);
  testStack = undefined;
  await emulator?.stop();
});

const failureOf = (operation: Promise<unknown>) =>
  operation.then(() => { throw new Error("expected the operation to fail"); }, (error: unknown) => String(error));

/** The version of `shareResourceId` each associated recipient reports, by account. */
function versionsSeen(shareId: string, shareResourceId: string): Record<string, number | undefined> {
  return Object.fromEntries(
    emulator.control
      .listRecipients(shareId)
      .filter((r) => r.association_status === "associated")
      .map((r) => [r.account_id, r.resources?.find((entry) => entry.resource_id === shareResourceId)?.resource_version]),
  );
}

it("11a. adding an object and changing `meta` return only once every recipient reports the new version", async () => {
  emulator = await startE2eEmulator({ consistency: { recipientResourceVersionLagMs: 2_000 } });
  testStack = await sharingStack(emulator, spec([ruleset(RULESET_1)], { resources: { policy: { share: "main", resourceType: "gateway-policy", resourceId: POLICY_1, resourceAccountId: OWNER } } }));
  const first = await testStack.stack.up();
  const shareId = first.outputs.shares.value.main.id;
  const policy = first.outputs.resources.value.policy.id;
  // The separate ShareResource was added after the recipients were associated, in the same run.
  expect(versionsSeen(shareId, policy)).toEqual({ [PARTNER_A]: 1, [PARTNER_B]: 1 });

  // An inline object added, another's meta changed, and the separate one's meta changed.
  await setSpec(testStack, spec([ruleset(RULESET_1, { tier: "gold" }), ruleset(RULESET_2)], { resources: { policy: { share: "main", resourceType: "gateway-policy", resourceId: POLICY_1, resourceAccountId: OWNER, meta: { note: "v2" } } } }));
  const up = await testStack.stack.up();
  expect(up.summary.result).toBe("succeeded");
  const [changed, added] = up.outputs.shares.value.main.resources as { id: string; resourceVersion: number }[];
  expect(changed.resourceVersion).toBe(2);
  expect(versionsSeen(shareId, changed.id)).toEqual({ [PARTNER_A]: 2, [PARTNER_B]: 2 });
  expect(versionsSeen(shareId, added.id)).toEqual({ [PARTNER_A]: 1, [PARTNER_B]: 1 });
  expect(versionsSeen(shareId, policy)).toEqual({ [PARTNER_A]: 2, [PARTNER_B]: 2 });
});

it("11b. a terminal error for an added object fails `up` with Cloudflare's reason; the advice it gives works", async () => {
  emulator = await startE2eEmulator();
  testStack = await sharingStack(emulator, spec([ruleset(RULESET_1)]));
  const first = await testStack.stack.up();
  const shareId = first.outputs.shares.value.main.id;
  const partnerB = first.outputs.shares.value.main.recipients.find((r: { recipientAccountId: string }) => r.recipientAccountId === PARTNER_B).id;

  emulator.control.injectRecipientError({ accountId: PARTNER_B, error: "Recipient is missing necessary entitlement", terminal: true });
  await setSpec(testStack, spec([ruleset(RULESET_1), ruleset(RULESET_2)]));
  const message = await failureOf(testStack.stack.up());
  expect(message).toMatch(
    new RegExp(`share resource [0-9a-f]{32} of share ${shareId} \\(version 1\\) reaching its recipients failed: Recipient is missing necessary entitlement \\(recipient ${partnerB}, account ${PARTNER_B}\\)`),
  );
  expect(message).toContain("run `pulumi up --refresh`, which removes the recipient and adds it anew");

  // The account is fixed; the advice, followed, works: a new association for the recipient.
  emulator.control.clearRecipientErrors();
  const up = await testStack.stack.up({ refresh: true });
  expect(up.summary.result).toBe("succeeded");
  const main = up.outputs.shares.value.main;
  expect(main.id).toBe(shareId);
  const replaced = main.recipients.find((r: { recipientAccountId: string }) => r.recipientAccountId === PARTNER_B);
  expect(replaced).toMatchObject({ associationStatus: "associated" });
  expect(replaced.id).not.toBe(partnerB);
  expect(emulator.control.listRecipients(shareId).find((r) => r.id === partnerB)?.association_status).toBe("disassociated");
  const added = main.resources.find((r: { resourceId: string }) => r.resourceId === RULESET_2).id;
  expect(versionsSeen(shareId, added)).toEqual({ [PARTNER_A]: 1, [PARTNER_B]: 1 });
});

/** The stored outputs of the ShareResource named `name`. */
async function storedResource(name: string): Promise<Record<string, unknown>> {
  const deployment = await testStack!.exportState();
  const resources = deployment.resources as { type: string; urn: string; outputs?: Record<string, unknown> }[];
  const found = resources.find((resource) => resource.urn.endsWith(`::${name}`) && !resource.type.startsWith("pulumi:"));
  return found!.outputs ?? {};
}

it("11c. a ShareResource whose propagation wait times out is not recorded as settled: the next `up` resumes that wait, with no write", async () => {
  emulator = await startE2eEmulator();
  testStack = await sharingStack(emulator, spec([ruleset(RULESET_1)]));
  const first = await testStack.stack.up();
  const shareId = first.outputs.shares.value.main.id;

  // From now on the recipients see a new version only 10 s after it is made: far longer than the create's 3 s.
  emulator.control.configure({ consistency: { recipientResourceVersionLagMs: 10_000 } });
  const policy = { share: "main", resourceType: "gateway-policy", resourceId: POLICY_1, resourceAccountId: OWNER, timeouts: { create: "3s" } };
  await setSpec(testStack, spec([ruleset(RULESET_1)], { resources: { policy } }));
  const message = await failureOf(testStack.stack.up());
  expect(message).toMatch(/share resource [0-9a-f]{32} of share [0-9a-f]{32} \(version 1\) reaching its recipients/);
  expect(message).toMatch(/timeout while waiting/);
  const stored = await storedResource("policy");
  expect(stored).toMatchObject({ status: "active", propagated: false });
  const policyId = emulator.control.listResources(shareId).find((resource) => resource.resource_id === POLICY_1)!.id;
  expect(versionsSeen(shareId, policyId)).toEqual({ [PARTNER_A]: undefined, [PARTNER_B]: undefined });

  // A refresh (which clears the engine's record of the failed create) keeps the unfinished wait in state.
  await testStack.stack.refresh();
  expect(await storedResource("policy")).toMatchObject({ status: "active", propagated: false });

  // The next `up` sees the unfinished wait as a change and resumes only that wait: no write.
  emulator.control.configure({ consistency: { recipientResourceVersionLagMs: 0 } });
  emulator.control.clearLog();
  const resumed = await testStack.stack.up();
  expect(resumed.summary.result).toBe("succeeded");
  expect(resumed.summary.resourceChanges).toMatchObject({ update: 1 });
  expect(writes(emulator)).toEqual([]);
  expect(versionsSeen(shareId, policyId)).toEqual({ [PARTNER_A]: 1, [PARTNER_B]: 1 });
  expect(await storedResource("policy")).toMatchObject({ status: "active", propagated: true });

  // Settled: nothing left to do.
  const preview = await testStack.stack.preview({ expectNoChanges: true });
  expect(preview.changeSummary).not.toHaveProperty("update");
});
