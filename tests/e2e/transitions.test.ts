// Objects caught mid-transition under the real engine: refresh while a share is `deleting` (3),
// refresh after a timed-out create (4), refresh while a recipient is `disassociating` (5), swapping
// a share's only resource (6), and a change of `timeouts` (7). Each asserts what Pulumi reports and
// what the API (emulator) has.
import type { RunningEmulator } from "../../emulator";
import type { DeepPartial, EmulatorSettings } from "../../emulator/settings";
import type { TestStack } from "./harness";
import { OWNER, PARTNER_A, PARTNER_B, PARTNER_C, RULESET_1, setSpec, sharingStack, Spec, startE2eEmulator, writes } from "./fixtures";

jest.setTimeout(180_000);

const OTHER_OWNER = "a87ff679a2f3e71d9181a67b7542122c";

const oneShare = (extra: object = {}, more: Partial<Spec> = {}): Spec => ({
  accountId: OWNER,
  shares: {
    main: {
      name: "edge rules",
      recipients: [{ recipientAccountId: PARTNER_A }, { recipientAccountId: PARTNER_B }],
      resources: [{ resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: OWNER, meta: {} }],
      ...extra,
    },
  },
  ...more,
});

let emulator: RunningEmulator;
let testStack: TestStack | undefined;
async function start(settings: DeepPartial<EmulatorSettings>, spec: Spec): Promise<TestStack> {
  emulator = await startE2eEmulator(settings);
  testStack = await sharingStack(emulator, spec);
  return testStack;
}
afterEach(async () => {
  await testStack?.destroyAndRemove().catch(() => undefined);
  testStack = undefined;
  await emulator?.stop();
});

const failureOf = (operation: Promise<unknown>) =>
  operation.then(() => { throw new Error("expected the operation to fail"); }, (error: unknown) => String(error));
const stateOf = async (stack: TestStack, type: "Share" | "ShareRecipient" | "ShareResource") =>
  ((await stack.exportState()).resources as { type: string; id?: string; outputs: Record<string, any> }[]).filter(
    (r) => r.type === `pulumi-nodejs:dynamic/cloudflare:${type}`,
  );
const liveRecipients = (shareId: string) =>
  emulator.control.listRecipients(shareId).filter((r) => r.association_status === "associated").map((r) => r.account_id).sort();

it("3. refresh while a share is `deleting` drops it, and the next `up` ends with a new active share", async () => {
  const stack = await start({ timings: { shareDeleteMs: 15_000 } }, oneShare());
  const first = await stack.stack.up();
  const oldId = first.outputs.shares.value.main.id;

  emulator.control.deleteShare(oldId);
  expect(emulator.control.getShare(oldId)?.status).toBe("deleting");
  await stack.stack.refresh();
  expect(emulator.control.getShare(oldId)?.status).toBe("deleting"); // the refresh ran mid-transition
  expect(await stateOf(stack, "Share")).toEqual([]);

  const up = await stack.stack.up();
  expect(up.summary.result).toBe("succeeded");
  const newId = up.outputs.shares.value.main.id;
  expect(newId).not.toBe(oldId);
  expect(emulator.control.getShare(newId)?.status).toBe("active");
  expect(liveRecipients(newId)).toEqual([PARTNER_A, PARTNER_B].sort());
});

describe("4. after a timed-out create the next `up` resumes the wait, whatever ran in between", () => {
  // A non-terminal recipient error holds the recipient `associating` (past its timeout) until it is
  // cleared; it then associates within 150 ms.
  const stuck = (account: string) => emulator.control.injectRecipientError({ accountId: account, error: "Recipient is being provisioned", terminal: false });

  async function timedOut(stack: TestStack, account: string): Promise<string> {
    const message = await failureOf(stack.stack.up());
    expect(message).toMatch(new RegExp(`timeout while waiting for recipient [0-9a-f]{32} \\(account ${account}\\) of share [0-9a-f]{32} to become 'associated'`));
    return emulator.control.listShares(OWNER)[0].id;
  }

  it("an inline recipient: `refresh`, then `up`", async () => {
    const stack = await start({}, oneShare({ timeouts: { create: "1s", update: "30s" } }));
    stuck(PARTNER_B);
    const shareId = await timedOut(stack, PARTNER_B);
    await stack.stack.refresh();
    const [share] = await stateOf(stack, "Share");
    expect(share.outputs.recipients.map((r: { associationStatus: string }) => r.associationStatus)).toEqual(["associated", "associating"]);

    emulator.control.clearRecipientErrors();
    const up = await stack.stack.up();
    expect(up.summary.resourceChanges).toMatchObject({ update: 1 });
    expect(up.outputs.shares.value.main.id).toBe(shareId);
    expect(up.outputs.shares.value.main.recipients.map((r: { associationStatus: string }) => r.associationStatus)).toEqual(["associated", "associated"]);
    expect(liveRecipients(shareId)).toEqual([PARTNER_A, PARTNER_B].sort());
    expect(emulator.control.listShares(OWNER)).toHaveLength(1);
  });

  it("a separate ShareRecipient: `up --refresh`", async () => {
    const stack = await start({}, oneShare({}, { recipients: { extra: { share: "main", recipientAccountId: PARTNER_C, timeouts: { create: "2s" } } } }));
    stuck(PARTNER_C);
    const shareId = await timedOut(stack, PARTNER_C);
    const [stuckRecipient] = await stateOf(stack, "ShareRecipient");

    // Cleared once the refresh part of `up --refresh` has read the recipient (still `associating`).
    emulator.control.clearLog();
    const readByRefresh = setInterval(() => {
      if (emulator.control.requestLog().some((entry) => entry.method === "GET" && entry.path.includes("/recipients"))) {
        clearInterval(readByRefresh);
        emulator.control.clearRecipientErrors();
      }
    }, 10);
    const up = await stack.stack.up({ refresh: true }).finally(() => clearInterval(readByRefresh));
    expect(up.summary.resourceChanges).toMatchObject({ update: 1 });
    expect(up.outputs.recipients.value.extra).toMatchObject({ id: stuckRecipient.id, associationStatus: "associated" });
    expect(liveRecipients(shareId)).toEqual([PARTNER_A, PARTNER_B, PARTNER_C].sort());
    expect(writes(emulator).filter((w) => w.startsWith("POST"))).toEqual([]);
  });
});

it("5. refresh while a recipient is `disassociating` drops it, and the next `up` adds it again", async () => {
  const spec = oneShare({}, { recipients: { extra: { share: "main", recipientAccountId: PARTNER_C } } });
  const stack = await start({ timings: { recipientDisassociateMs: 20_000 } }, spec);
  const first = await stack.stack.up();
  const shareId = first.outputs.shares.value.main.id;
  const inline = first.outputs.shares.value.main.recipients.find((r: { recipientAccountId: string }) => r.recipientAccountId === PARTNER_A).id;
  const separate = first.outputs.recipients.value.extra.id;

  emulator.control.removeRecipient(shareId, inline);
  emulator.control.removeRecipient(shareId, separate);
  await stack.stack.refresh();
  const byId = (id: string) => emulator.control.listRecipients(shareId).find((r) => r.id === id)?.association_status;
  expect([byId(inline), byId(separate)]).toEqual(["disassociating", "disassociating"]); // the refresh ran mid-transition
  expect(await stateOf(stack, "ShareRecipient")).toEqual([]);

  const up = await stack.stack.up();
  expect(up.summary.result).toBe("succeeded");
  expect(up.outputs.shares.value.main.id).toBe(shareId);
  expect(up.outputs.recipients.value.extra.id).not.toBe(separate);
  expect([byId(inline), byId(separate)]).toEqual(["disassociated", "disassociated"]);
  expect(liveRecipients(shareId)).toEqual([PARTNER_A, PARTNER_B, PARTNER_C].sort());
});

it("6. swapping a share's only resource (a new owning account) keeps the share id and never leaves it without a resource", async () => {
  // Whether Cloudflare lets one object be on a share twice under two owning accounts is unconfirmed;
  // with `reject` the swap cannot be made in place at all (see docs/troubleshooting.md), so this runs with `allow`.
  const stack = await start({ behaviour: { duplicateResource: "allow" } }, oneShare());
  const first = await stack.stack.up();
  const shareId = first.outputs.shares.value.main.id;
  const oldResource = first.outputs.shares.value.main.resources[0].id;

  await setSpec(stack, oneShare({ resources: [{ resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: OTHER_OWNER, meta: {} }] }));
  emulator.control.clearLog();
  const up = await stack.stack.up();
  expect(up.summary.result).toBe("succeeded");
  const main = up.outputs.shares.value.main;
  expect(main.id).toBe(shareId);
  expect(main.resources.map((r: { resourceAccountId: string; status: string }) => [r.resourceAccountId, r.status])).toEqual([[OTHER_OWNER, "active"]]);
  expect(emulator.control.listResources(shareId).find((r) => r.id === oldResource)?.status ?? "gone").toMatch(/deleted|gone/);
  expect(writes(emulator)).toEqual([`POST /shares/${shareId}/resources`, `DELETE /shares/${shareId}/resources/${oldResource}`]);
});

it("7. a change of `timeouts` reaches state without a request, and governs the next delete", async () => {
  const stack = await start({ timings: { shareDeleteMs: 3_000 } }, oneShare({ timeouts: { delete: "1s" } }));
  await stack.stack.up();

  await setSpec(stack, oneShare({ timeouts: { delete: "30s" } }));
  emulator.control.clearLog();
  const up = await stack.stack.up();
  expect(up.summary.resourceChanges).toMatchObject({ update: 1 });
  expect(emulator.control.requestLog()).toEqual([]);
  const [share] = await stateOf(stack, "Share");
  expect(share.outputs.timeouts).toEqual({ delete: "30s" });

  const destroy = await stack.stack.destroy();
  expect(destroy.summary.result).toBe("succeeded");
  const shareId = share.id!;
  expect(emulator.control.getShare(shareId)?.status ?? "gone").toMatch(/deleted|gone/);
});
