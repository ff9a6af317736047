// Ownership under the real engine: an object is taken over only through `adopt` or when it is provably
// this stack's own. Two stacks with one declaration (1), a rename without alias (2), one natural key
// for the client's recovery and the provider (8), and lost create responses while lists lag (10).
import type { RunningEmulator } from "../../emulator";
import type { TestStack } from "./harness";
import { OWNER, PARTNER_A, PARTNER_B, PARTNER_C, POLICY_1, RULESET_1, RULESET_2, setSpec, sharingStack, Spec, startE2eEmulator } from "./fixtures";
import { duplicates, idsInState, liveObjects, orphans } from "./invariants";

jest.setTimeout(240_000);

const declaration = (recipients = [PARTNER_A, PARTNER_B]) => ({
  name: "waf rules",
  recipients: recipients.map((recipientAccountId) => ({ recipientAccountId })),
  resources: [
    { resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: OWNER, meta: { tier: "gold" } },
    { resourceType: "custom-ruleset", resourceId: RULESET_2, resourceAccountId: OWNER },
  ],
});

let emulator: RunningEmulator;
const stacks: TestStack[] = [];
beforeEach(async () => {
  emulator = await startE2eEmulator();
});
afterEach(async () => {
  for (const stack of stacks.splice(0)) await stack.destroyAndRemove().catch(() => undefined);
  await emulator.stop();
});

async function newStack(spec: Spec): Promise<TestStack> {
  const stack = await sharingStack(emulator, spec);
  stacks.push(stack);
  return stack;
}

const failureOf = (operation: Promise<unknown>) =>
  operation.then(
    () => {
      throw new Error("expected the operation to fail");
    },
    (error: unknown) => String(error),
  );

it("1. two stacks with one declaration keep two shares; destroying one leaves the other active", async () => {
  const spec: Spec = { accountId: OWNER, shares: { main: declaration() } };
  const first = await newStack(spec);
  const second = await newStack(spec);
  const firstId = (await first.stack.up()).outputs.shares.value.main.id;
  const secondId = (await second.stack.up()).outputs.shares.value.main.id;
  expect(secondId).not.toBe(firstId);

  await second.stack.destroy();
  const share = emulator.control.getShare(firstId);
  expect(share?.status).toBe("active");
  expect(emulator.control.listRecipients(firstId).map((r) => r.association_status)).toEqual(["associated", "associated"]);
  expect(emulator.control.getShare(secondId)?.status ?? "gone").toMatch(/deleted|gone/);
});

it("2. a rename without alias keeps every object live: handed over, or stopped with the adopt line, never deleted", async () => {
  const spec: Spec = {
    accountId: OWNER,
    shares: { main: declaration() },
    recipients: { partner: { share: "main", recipientAccountId: PARTNER_C } },
  };
  const stack = await newStack(spec);
  const first = await stack.stack.up();
  const firstShareId = first.outputs.shares.value.main.id;

  // Renamed in the very next `up`: the journal still holds the objects this stack just made, so the new
  // resources take them over and the old ones' deletes leave them.
  const renamedSpec: Spec = { ...spec, shares: { renamed: declaration() }, recipients: { partner: { share: "renamed", recipientAccountId: PARTNER_C } } };
  await setSpec(stack, renamedSpec);
  const renamed = await stack.stack.up();
  expect(renamed.outputs.shares.value.renamed.id).toBe(firstShareId);
  const live = () => liveObjects(emulator, OWNER);
  expect(live().map((l) => [l.share.id, l.share.status])).toEqual([[firstShareId, "active"]]);
  expect(live()[0].recipients.map((r) => r.association_status)).toEqual(["associated", "associated", "associated"]);

  // Renamed after a refresh (the engine has shown every id back, the journal is empty): the recipient is
  // not taken over silently; `up` stops with the adopt line, and nothing is lost.
  await stack.stack.refresh();
  const recipientId = renamed.outputs.recipients.value.partner.id;
  const member = { share: "renamed", recipientAccountId: PARTNER_C };
  await setSpec(stack, { ...renamedSpec, recipients: { member } });
  const message = await failureOf(stack.stack.up());
  expect(message).toContain(`already exists as ${recipientId} (status associated`);
  expect(message).toContain(`adopt: "${recipientId}"`);
  expect(emulator.control.listRecipients(firstShareId).find((r) => r.id === recipientId)?.association_status).toBe("associated");

  // With the adopt line added, the new resource takes it over and the old one's delete leaves it.
  await setSpec(stack, { ...renamedSpec, recipients: { member: { ...member, adopt: recipientId } } });
  const adopted = await stack.stack.up();
  expect(adopted.outputs.recipients.value.member.id).toBe(recipientId);
  expect(emulator.control.listRecipients(firstShareId).find((r) => r.id === recipientId)?.association_status).toBe("associated");
  const ids = idsInState(await stack.exportState());
  expect({ orphans: orphans(live(), ids), duplicates: duplicates(live()) }).toEqual({ orphans: [], duplicates: [] });
  expect(live()[0].recipients.map((r) => r.association_status)).toEqual(["associated", "associated", "associated"]);
});

it("8. one natural key: a lost create is never answered with another stack's share of the same name and ruleset", async () => {
  const theirs = await newStack({ accountId: OWNER, shares: { main: declaration([PARTNER_A]) } });
  const theirId = (await theirs.stack.up()).outputs.shares.value.main.id;

  // Our share create fails with a 5xx without landing: the client looks for what it may have made.
  emulator.control.configure({ faults: { serverErrorRate: 1, methods: ["POST"] } });
  const heal = setInterval(() => {
    if (emulator.control.requestLog().some((e) => e.method === "POST" && e.status >= 500)) emulator.control.configure({ faults: { serverErrorRate: 0 } });
  }, 5);
  const ours = await newStack({ accountId: OWNER, shares: { main: declaration([PARTNER_B]) } });
  const ourId = (await ours.stack.up().finally(() => clearInterval(heal))).outputs.shares.value.main.id;

  expect(ourId).not.toBe(theirId);
  expect(emulator.control.listRecipients(ourId).map((r) => r.account_id)).toEqual([PARTNER_B]);
  expect(emulator.control.listRecipients(theirId).map((r) => r.account_id)).toEqual([PARTNER_A]);
});

it("10. lost create responses while lists lag by a second leave exactly one object each", async () => {
  emulator.control.configure({ consistency: { listLagMs: 1_000 }, faults: { lostPostResponseRate: 1, methods: ["POST"] } });
  const stack = await newStack({
    accountId: OWNER,
    shares: { main: declaration() },
    recipients: { partner: { share: "main", recipientAccountId: PARTNER_C } },
    resources: { policy: { share: "main", resourceType: "gateway-policy", resourceId: POLICY_1, resourceAccountId: OWNER } },
  });
  const up = await stack.stack.up();
  expect(up.summary.result).toBe("succeeded");

  // Every record the emulator ever made (deleted ones included): one share, one per recipient, one per resource.
  const everything = emulator.control.listShares().filter((s) => s.account_id === OWNER);
  expect(everything.map((s) => s.status)).toEqual(["active"]);
  const shareId = everything[0].id;
  expect(emulator.control.listRecipients(shareId).map((r) => r.account_id).sort()).toEqual([PARTNER_A, PARTNER_B, PARTNER_C].sort());
  expect(emulator.control.listResources(shareId).map((r) => r.resource_id).sort()).toEqual([RULESET_1, RULESET_2, POLICY_1].sort());
  const ids = idsInState(await stack.exportState());
  expect(orphans(liveObjects(emulator, OWNER), ids)).toEqual([]);
  emulator.control.configure({ consistency: { listLagMs: 0 }, faults: { lostPostResponseRate: 0 } });
});
