// `exclusive: true` on a Share under the real engine: a grant made out of band (another client adds a
// recipient and a shared object over HTTP) fails the scheduled drift job, which names it; `up --refresh`
// removes exactly those and never touches a declared item; a share that is not exclusive keeps it.
import type { RunningEmulator } from "../../emulator";
import { CloudflareSharingClient } from "../../provider/client";
import type { TestStack } from "./harness";
import { pause, readsSettleMs } from "../support/provider-env";
import { OWNER, PARTNER_A, PARTNER_B, POLICY_1, RULESET_1, requests, sharingStack, Spec, startE2eEmulator, TOKEN, writes } from "./fixtures";
import { SHARE_TYPE } from "./invariants";

jest.setTimeout(180_000);

const spec = (exclusive: boolean): Spec => ({
  accountId: OWNER,
  shares: {
    main: {
      name: "waf rules",
      ...(exclusive ? { exclusive: true } : {}),
      recipients: [{ recipientAccountId: PARTNER_A }],
      resources: [{ resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: OWNER }],
    },
  },
});

/** The output of a failed engine command (the CLI's exit code, stdout and stderr), or fails the test. */
async function failureOf(operation: Promise<unknown>): Promise<string> {
  try {
    await operation;
  } catch (error) {
    return String(error);
  }
  throw new Error("the operation succeeded; expected it to fail");
}

describe("an exclusive share under the real engine", () => {
  let emulator: RunningEmulator;
  let api: CloudflareSharingClient;

  beforeAll(async () => {
    emulator = await startE2eEmulator();
    api = new CloudflareSharingClient({ credentials: { apiToken: TOKEN }, baseUrl: emulator.url });
  });
  afterAll(() => emulator?.stop());

  /** Adds a recipient and a shared object to the share the way another client would, and waits until reads show them. */
  async function grantOutOfBand(shareId: string): Promise<{ recipientId: string; resourceId: string }> {
    const recipient = await api.recipients.create(OWNER, shareId, { recipient_account_id: PARTNER_B });
    const resource = await api.resources.create(OWNER, shareId, { resource_type: "gateway-policy", resource_id: POLICY_1, resource_account_id: OWNER, meta: {} });
    await pause(readsSettleMs(emulator) + 200);
    return { recipientId: recipient.id, resourceId: resource.id };
  }

  const shareIdOf = async (testStack: TestStack) => {
    const state = await testStack.exportState();
    return (state.resources as { type: string; id: string }[]).find((r) => r.type === SHARE_TYPE)!.id;
  };

  describe("exclusive", () => {
    let testStack: TestStack;
    beforeAll(async () => {
      testStack = await sharingStack(emulator, spec(true));
    });
    afterAll(() => testStack?.destroyAndRemove().catch(() => undefined));

    it("the drift job fails and names an out-of-band grant; up --refresh removes it, never touching the declared items", async () => {
      await testStack.stack.up({ onOutput: (line) => testStack.printed.push(line) });
      const shareId = await shareIdOf(testStack);
      const declared = { recipient: emulator.control.listRecipients(shareId)[0].id, resource: emulator.control.listResources(shareId)[0].id };
      const grant = await grantOutOfBand(shareId);
      emulator.control.clearLog();

      const refresh = await failureOf(testStack.stack.previewRefresh({ expectNoChanges: true }));
      console.log(refresh);
      const preview = await failureOf(testStack.stack.preview({ refresh: true, expectNoChanges: true, diff: true }));
      console.log(preview);
      expect(writes(emulator)).toEqual([]);

      const up = await testStack.stack.up({ refresh: true, onOutput: (line) => testStack.printed.push(line) });
      console.log(up.stdout);
      expect(emulator.control.listRecipients(shareId).find((r) => r.id === grant.recipientId)?.association_status).toBe("disassociated");
      expect(emulator.control.listResources(shareId).find((r) => r.id === grant.resourceId)?.status ?? "deleted").toBe("deleted");
      const touched = requests(emulator).filter((request) => request.includes(declared.recipient) || request.includes(declared.resource));
      expect(touched).toEqual([]);
      await testStack.stack.preview({ refresh: true, expectNoChanges: true });
    });
  });
});
