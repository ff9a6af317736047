// Failure paths under the real engine: a terminal recipient error (7), a timeout and the resume (8),
// adopting an existing share (9), and where the API token may and may not appear (11).
import type { RunningEmulator } from "../../emulator";
import type { TestStack } from "./harness";
import { OWNER, PARTNER_A, PARTNER_B, RULESET_1, sharingStack, Spec, startE2eEmulator, TOKEN, writes } from "./fixtures";

jest.setTimeout(180_000);

const oneShare = (extra: object = {}): Spec => ({
  accountId: OWNER,
  shares: {
    main: {
      name: "gateway policies",
      recipients: [{ recipientAccountId: PARTNER_A }, { recipientAccountId: PARTNER_B }],
      resources: [{ resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: OWNER, meta: {} }],
      ...extra,
    },
  },
});

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

const failureOf = (operation: Promise<unknown>) => operation.then(() => { throw new Error("expected the operation to fail"); }, (error: unknown) => String(error));
const dynamicResources = async (stack: TestStack) =>
  ((await stack.exportState()).resources as { type: string; id?: string; outputs?: Record<string, unknown> }[]).filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/cloudflare"));

it("7. a terminal recipient error fails `up` with the recipient and the server's reason, keeping the share in state", async () => {
  emulator.control.injectRecipientError({ accountId: PARTNER_B, error: "Recipient is missing necessary entitlement", terminal: true });
  testStack = await sharingStack(emulator, oneShare());
  const message = await failureOf(testStack.stack.up());
  expect(message).toMatch(new RegExp(`recipient [0-9a-f]{32} \\(account ${PARTNER_B}\\) of share [0-9a-f]{32} failed: Recipient is missing necessary entitlement`));
  const [share] = await dynamicResources(testStack);
  expect(share.id).toBe(emulator.control.listShares(OWNER)[0].id);
  // Once Cloudflare's side is fixed, the next `up` finishes the same share.
  emulator.control.reset();
});

it("8. a timeout keeps the object in state, and the next `up` finishes it without creating a second one", async () => {
  emulator.control.configure({ timings: { recipientAssociateMs: 3_000 } });
  testStack = await sharingStack(emulator, oneShare({ timeouts: { create: "1s", update: "30s" } }));
  const message = await failureOf(testStack.stack.up());
  expect(message).toMatch(/timeout while waiting for recipient [0-9a-f]{32} \(account [0-9a-f]{32}\) of share [0-9a-f]{32} to become 'associated' \(last status: 'associating', timeout: 1s\)/);
  const [partial] = await dynamicResources(testStack);
  const shareId = emulator.control.listShares(OWNER)[0].id;
  expect(partial.id).toBe(shareId);

  const up = await testStack.stack.up();
  expect(up.summary.result).toBe("succeeded");
  expect(up.outputs.shares.value.main.id).toBe(shareId);
  expect(up.outputs.shares.value.main.recipients.map((r: { associationStatus: string }) => r.associationStatus)).toEqual(["associated", "associated"]);
  expect(emulator.control.listShares(OWNER)).toHaveLength(1);
  expect(writes(emulator).filter((w) => w === "POST /shares")).toHaveLength(1);
});

it("9. adopts an existing share by id instead of creating one", async () => {
  const existing = emulator.control.seedShare({
    accountId: OWNER,
    name: "made in the dashboard",
    recipients: [{ recipient_account_id: PARTNER_A }],
    resources: [{ resource_type: "custom-ruleset", resource_id: RULESET_1, resource_account_id: OWNER, meta: {} }],
    settled: true,
  });
  testStack = await sharingStack(emulator, oneShare({ adopt: existing.share.id }));
  const up = await testStack.stack.up();
  const main = up.outputs.shares.value.main;
  expect(main.id).toBe(existing.share.id);
  expect(main.name).toBe("gateway policies");
  expect(main.recipients.find((r: { recipientAccountId: string }) => r.recipientAccountId === PARTNER_A).id).toBe(existing.recipients[0].id);
  expect(emulator.control.listShares(OWNER)).toHaveLength(1);
  expect(writes(emulator)).not.toContain("POST /shares");
  // Adopted, then managed: a preview finds nothing to do.
  expect((await testStack.stack.preview()).changeSummary).toEqual({ same: 2 });
});

describe("11. the API token appears nowhere in state, engine output or errors", () => {
  async function exercise(stack: TestStack): Promise<string[]> {
    const seen: string[] = [];
    const record = (line: string) => seen.push(line);
    await stack.stack.up({ onOutput: record });
    await stack.stack.preview({ onOutput: record });
    await stack.stack.refresh({ onOutput: record });
    // An error path too: a terminal failure on a new recipient.
    emulator.control.injectRecipientError({ accountId: PARTNER_B, error: "Recipient is missing necessary entitlement", terminal: true });
    await stack.stack.setConfig("e2e:spec", { value: JSON.stringify(oneShare()) });
    seen.push(await failureOf(stack.stack.up({ onOutput: record })));
    emulator.control.clearRecipientErrors();
    // What Pulumi persisted (the checkpoint and its backups), not an export with secrets shown.
    seen.push(...stack.persistedState());
    expect(seen.some((text) => text.includes('"__provider"'))).toBe(true);
    return seen;
  }

  function expectProviderCodeIsARequire(states: string[]) {
    const codes = states.flatMap((state) => [...state.matchAll(/"__provider":"((?:[^"\\]|\\.)*)"/g)]).map((m) => JSON.parse(`"${m[1]}"`) as string);
    expect(codes.length).toBeGreaterThan(0);
    for (const code of codes) {
      expect(code).toMatch(/require\("pulumi-cloudflare-sharing\/dist\/provider\/resources\/share(-recipient|-resource)?-provider\.js"\)/);
      expect(code.length).toBeLessThan(1_000);
    }
  }

  const single = () => ({ ...oneShare(), shares: { main: { ...(oneShare().shares!.main as object), recipients: [{ recipientAccountId: PARTNER_A }] } } });

  it("with the token in the environment", async () => {
    emulator.control.configure({ auth: { tokens: [TOKEN] } });
    testStack = await sharingStack(emulator, single());
    const seen = await exercise(testStack);
    for (const text of seen) expect(text).not.toContain(TOKEN);
    expectProviderCodeIsARequire(seen);
  });

  it("with the token in secret stack config (and none in the environment)", async () => {
    const configToken = "config-token-8277e0910d750195b448797616e091ad";
    emulator.control.configure({ auth: { tokens: [configToken] } });
    testStack = await sharingStack(emulator, single(), { CLOUDFLARE_API_TOKEN: "" });
    await testStack.stack.setConfig("cloudflare:apiToken", { value: configToken, secret: true });
    const seen = await exercise(testStack);
    for (const text of seen) expect(text).not.toContain(configToken);
    // The provider really used the config token: the emulator accepts no other.
    expect(emulator.control.requestLog().filter((e) => e.status === 401)).toEqual([]);
    expectProviderCodeIsARequire(seen);
  });
});
