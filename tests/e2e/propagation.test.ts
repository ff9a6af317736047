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

/** The inline resources of the Share `main` as state records them. */
async function storedInlineResources(): Promise<Record<string, unknown>[]> {
  return ((await storedResource("main")).resources ?? []) as Record<string, unknown>[];
}

/** Until every associated recipient of `shareId` reports `version` of `shareResourceId` (the emulator's lag has passed); bounded. */
async function untilRecipientsReport(shareId: string, shareResourceId: string, version: number, withinMs = 20_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!Object.values(versionsSeen(shareId, shareResourceId)).every((seen) => seen !== undefined && seen >= version)) {
    if (Date.now() > deadline) throw new Error(`the recipients did not report version ${version} of ${shareResourceId} within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** `spec` with `timeouts` on the Share `main`. */
const timedSpec = (resources: object[], timeouts: object): Spec => {
  const base = spec(resources);
  return { ...base, shares: { main: { ...base.shares!.main, timeouts } } };
};

it("11d. a Share whose inline resources do not reach the recipients within the create is kept with that wait unfinished: the next `up` resumes only it", async () => {
  // The recipients see a new version only 8 s after it is made: far longer than the create's 3 s.
  emulator = await startE2eEmulator({ consistency: { recipientResourceVersionLagMs: 8_000 } });
  testStack = await sharingStack(emulator, timedSpec([ruleset(RULESET_1)], { create: "3s" }));
  const message = await failureOf(testStack.stack.up());
  expect(message).toMatch(/share resource [0-9a-f]{32} of share [0-9a-f]{32} \(version 1\) reaching its recipients/);
  expect(message).toMatch(/timeout while waiting/);
  const shareId = emulator.control.listShares().find((share) => share.name === "propagated rules")!.id;
  const resourceId = emulator.control.listResources(shareId).find((resource) => resource.resource_id === RULESET_1)!.id;
  expect(versionsSeen(shareId, resourceId)).toEqual({ [PARTNER_A]: undefined, [PARTNER_B]: undefined });
  // Kept in state, with the wait that did not finish recorded on the resource.
  expect(await storedInlineResources()).toEqual([expect.objectContaining({ id: resourceId, status: "active", propagated: false })]);

  // A refresh (which clears the engine's record of the failed create) keeps the unfinished wait in state.
  await testStack.stack.refresh();
  expect(await storedInlineResources()).toEqual([expect.objectContaining({ id: resourceId, propagated: false })]);

  // Once the recipients have it, the next `up` sees the unfinished wait as a change and resumes only
  // that wait: no write.
  emulator.control.configure({ consistency: { recipientResourceVersionLagMs: 0 } });
  await untilRecipientsReport(shareId, resourceId, 1);
  emulator.control.clearLog();
  const resumed = await testStack.stack.up();
  expect(resumed.summary.result).toBe("succeeded");
  expect(resumed.summary.resourceChanges).toMatchObject({ update: 1 });
  expect(writes(emulator)).toEqual([]);
  expect(resumed.outputs.shares.value.main.id).toBe(shareId);
  expect(versionsSeen(shareId, resourceId)).toEqual({ [PARTNER_A]: 1, [PARTNER_B]: 1 });
  expect((await storedInlineResources())[0]).not.toHaveProperty("propagated");

  // Settled: nothing left to do.
  const preview = await testStack.stack.preview({ expectNoChanges: true });
  expect(preview.changeSummary).not.toHaveProperty("update");
});

it("11f. a Share create whose inline recipients do not associate in time records its resources as not yet reaching them: the next `up` waits for both", async () => {
  // The recipients associate only 6 s after the create and see a new version 8 s after it: the
  // create's 3 s run out in the recipient wait, before the propagation wait has even begun.
  emulator = await startE2eEmulator({ timings: { recipientAssociateMs: [6_000, 6_000] }, consistency: { recipientResourceVersionLagMs: 8_000 } });
  testStack = await sharingStack(emulator, timedSpec([ruleset(RULESET_1)], { create: "3s" }));
  const message = await failureOf(testStack.stack.up());
  expect(message).toMatch(/timeout while waiting/);
  const shareId = emulator.control.listShares().find((share) => share.name === "propagated rules")!.id;
  const resourceId = emulator.control.listResources(shareId).find((resource) => resource.resource_id === RULESET_1)!.id;
  // Kept in state with both waits unfinished: the recipients' association and the resource reaching them.
  expect(await storedInlineResources()).toEqual([expect.objectContaining({ id: resourceId, propagated: false })]);

  // Once the recipients are associated and have the version, the next `up` resumes both waits: no write.
  emulator.control.configure({ consistency: { recipientResourceVersionLagMs: 0 } });
  await untilRecipientsReport(shareId, resourceId, 1);
  emulator.control.clearLog();
  const resumed = await testStack.stack.up();
  expect(resumed.summary.result).toBe("succeeded");
  expect(resumed.summary.resourceChanges).toMatchObject({ update: 1 });
  expect(writes(emulator)).toEqual([]);
  expect((await storedInlineResources())[0]).not.toHaveProperty("propagated");

  const preview = await testStack.stack.preview({ expectNoChanges: true });
  expect(preview.changeSummary).not.toHaveProperty("update");
});

it("11e. an inline resource added by an update that does not reach the recipients in time is recorded unfinished: the next `up` resumes only that wait", async () => {
  emulator = await startE2eEmulator();
  testStack = await sharingStack(emulator, timedSpec([ruleset(RULESET_1)], { update: "3s" }));
  const first = await testStack.stack.up();
  const shareId = first.outputs.shares.value.main.id;

  // From now on the recipients see a new version only 8 s after it is made: far longer than the update's 3 s.
  emulator.control.configure({ consistency: { recipientResourceVersionLagMs: 8_000 } });
  await setSpec(testStack, timedSpec([ruleset(RULESET_1), ruleset(RULESET_2)], { update: "3s" }));
  const message = await failureOf(testStack.stack.up());
  expect(message).toMatch(/share resource [0-9a-f]{32} of share [0-9a-f]{32} \(version 1\) reaching its recipients/);
  expect(message).toMatch(/timeout while waiting/);
  const added = emulator.control.listResources(shareId).find((resource) => resource.resource_id === RULESET_2)!.id;
  const stored = await storedInlineResources();
  expect(stored.find((resource) => resource.id === added)).toMatchObject({ status: "active", propagated: false });
  expect(stored.find((resource) => resource.resourceId === RULESET_1)).not.toHaveProperty("propagated");

  // Once the recipients have it, the next `up` resumes only the propagation wait of the added
  // resource: no write.
  emulator.control.configure({ consistency: { recipientResourceVersionLagMs: 0 } });
  await untilRecipientsReport(shareId, added, 1);
  emulator.control.clearLog();
  const resumed = await testStack.stack.up();
  expect(resumed.summary.result).toBe("succeeded");
  expect(resumed.summary.resourceChanges).toMatchObject({ update: 1 });
  expect(writes(emulator)).toEqual([]);
  expect(versionsSeen(shareId, added)).toEqual({ [PARTNER_A]: 1, [PARTNER_B]: 1 });
  expect((await storedInlineResources()).find((resource) => resource.id === added)).not.toHaveProperty("propagated");

  const preview = await testStack.stack.preview({ expectNoChanges: true });
  expect(preview.changeSummary).not.toHaveProperty("update");
});

/** The emulator for 11g/11h: recipients go back to `associating` while an added object reaches them (an open reading of §7). */
const reassociatingEmulator = () =>
  startE2eEmulator({ behaviour: { recipientOnNewResource: "reassociates" }, consistency: { recipientResourceVersionLagMs: 300 } });

/** Cloudflare's reason for one object, as the failed `up` must report it, with the recipient and its account. */
const entitlementFailure = (shareId: string, recipientId: string) =>
  new RegExp(
    `share resource [0-9a-f]{32} of share ${shareId} \\(version 1\\) reaching its recipients failed: Recipient is missing necessary entitlement \\(recipient ${recipientId}, account ${PARTNER_B}\\)`,
  );

it("11g. a ShareResource added to a share whose recipient reports a terminal error for that object (going back to `associating`) fails `up` with the reason", async () => {
  emulator = await reassociatingEmulator();
  testStack = await sharingStack(emulator, spec([ruleset(RULESET_1)]));
  const main = (await testStack.stack.up()).outputs.shares.value.main;
  const partnerB = main.recipients.find((r: { recipientAccountId: string }) => r.recipientAccountId === PARTNER_B).id;

  // PARTNER_B can take the ruleset but not the policy: its error is on the policy's entry only.
  emulator.control.injectRecipientError({ accountId: PARTNER_B, resourceId: POLICY_1, error: "Recipient is missing necessary entitlement", terminal: true });
  const policy = { share: "main", resourceType: "gateway-policy", resourceId: POLICY_1, resourceAccountId: OWNER, timeouts: { create: "30s" } };
  await setSpec(testStack, spec([ruleset(RULESET_1)], { resources: { policy } }));
  const message = await failureOf(testStack.stack.up());
  expect(message).toMatch(entitlementFailure(main.id, partnerB));
  expect(message).not.toMatch(/timeout while waiting/);
  // The reported case: the recipient is back to `associating` for good, the other one associated again.
  const statuses = Object.fromEntries(emulator.control.listRecipients(main.id).map((r) => [r.account_id, r.association_status]));
  expect(statuses).toEqual({ [PARTNER_A]: "associated", [PARTNER_B]: "associating" });
});

it("11h. an inline resource added by an update, for which a recipient reports a terminal error (going back to `associating`), fails `up` with the reason", async () => {
  emulator = await reassociatingEmulator();
  testStack = await sharingStack(emulator, timedSpec([ruleset(RULESET_1)], { update: "30s" }));
  const main = (await testStack.stack.up()).outputs.shares.value.main;
  const partnerB = main.recipients.find((r: { recipientAccountId: string }) => r.recipientAccountId === PARTNER_B).id;

  emulator.control.injectRecipientError({ accountId: PARTNER_B, resourceId: RULESET_2, error: "Recipient is missing necessary entitlement", terminal: true });
  await setSpec(testStack, timedSpec([ruleset(RULESET_1), ruleset(RULESET_2)], { update: "30s" }));
  const message = await failureOf(testStack.stack.up());
  expect(message).toMatch(entitlementFailure(main.id, partnerB));
  expect(message).not.toMatch(/timeout while waiting/);
  const statuses = Object.fromEntries(emulator.control.listRecipients(main.id).map((r) => [r.account_id, r.association_status]));
  expect(statuses).toEqual({ [PARTNER_A]: "associated", [PARTNER_B]: "associating" });
});
