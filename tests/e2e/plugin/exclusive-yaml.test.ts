// `exclusive: true` through the plugin, from a Pulumi YAML program: the drift job fails on a grant made
// out of band and names it, `up --refresh` removes exactly that, and a ShareRecipient declared on the
// exclusive share is refused by its check before any write (the plugin has seen the Share by then).
import * as fs from "node:fs";
import * as path from "node:path";
import type { RunningEmulator } from "../../../emulator";
import { CloudflareSharingClient } from "../../../provider/client";
import { pause, readsSettleMs } from "../../support/provider-env";
import { TestStack } from "../harness";
import { OWNER, PARTNER_A, PARTNER_B, PARTNER_C, POLICY_1, RULESET_1, requests, startE2eEmulator, TOKEN, writes } from "../fixtures";
import { yamlProgram, YamlResource } from "./yaml-program";
import { yamlTestStack } from "./yaml-stack";

jest.setTimeout(240_000);

const share: YamlResource = {
  type: "Share",
  properties: {
    accountId: OWNER,
    name: "waf rules",
    exclusive: true,
    recipients: [{ recipientAccountId: PARTNER_A }],
    resources: [{ resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: OWNER }],
  },
};
const outputs = { shareId: "${share.id}" };

async function failureOf(operation: Promise<unknown>): Promise<string> {
  try {
    await operation;
  } catch (error) {
    return String(error);
  }
  throw new Error("the operation succeeded; it was expected to fail");
}

describe("an exclusive share through the plugin, from a Pulumi YAML program", () => {
  let emulator: RunningEmulator;
  let testStack: TestStack;
  let shareId: string;
  let declaredIds: string[];

  const record = (line: string) => testStack.printed.push(line);
  const writeProgram = (resources: Record<string, YamlResource>) => fs.writeFileSync(path.join(testStack.programDir, "Pulumi.yaml"), yamlProgram(resources, outputs));

  beforeAll(async () => {
    emulator = await startE2eEmulator();
    testStack = await yamlTestStack(emulator, yamlProgram({ share }, outputs));
  });
  afterAll(async () => {
    await testStack?.destroyAndRemove().catch(() => undefined);
    await emulator?.stop();
  });

  it("the drift job fails and names an out-of-band grant; up --refresh removes it, never touching a declared item", async () => {
    const up = await testStack.stack.up({ onOutput: record });
    shareId = up.outputs.shareId.value;
    declaredIds = [...emulator.control.listRecipients(shareId), ...emulator.control.listResources(shareId)].map((item) => item.id);
    const api = new CloudflareSharingClient({ credentials: { apiToken: TOKEN }, baseUrl: emulator.url });
    const recipient = await api.recipients.create(OWNER, shareId, { recipient_account_id: PARTNER_B });
    const resource = await api.resources.create(OWNER, shareId, { resource_type: "gateway-policy", resource_id: POLICY_1, resource_account_id: OWNER, meta: {} });
    await pause(readsSettleMs(emulator) + 100);
    emulator.control.clearLog();

    const refresh = await failureOf(testStack.stack.previewRefresh({ expectNoChanges: true, onOutput: record }));
    expect(refresh).toMatch(/exit code [1-9]/);
    expect(refresh).toContain(`recipient ${recipient.id} (account ${PARTNER_B}) of share ${shareId} is not declared by this exclusive Share`);
    expect(refresh).toContain(`gateway-policy ${POLICY_1} of account ${OWNER} (share resource ${resource.id})`);
    const preview = await failureOf(testStack.stack.preview({ refresh: true, expectNoChanges: true, onOutput: record }));
    expect(preview).toContain(PARTNER_B);
    expect(writes(emulator)).toEqual([]);

    const repair = await testStack.stack.up({ refresh: true, onOutput: record });
    expect(repair.stdout).toContain(`removed recipient ${recipient.id} (account ${PARTNER_B}) of share ${shareId}: it is disassociated`);
    expect(emulator.control.listRecipients(shareId).find((r) => r.id === recipient.id)?.association_status).toBe("disassociated");
    expect(emulator.control.listResources(shareId).find((r) => r.id === resource.id)?.status ?? "deleted").toBe("deleted");
    expect(requests(emulator).filter((request) => declaredIds.some((id) => request.includes(id)))).toEqual([]);
    await pause(readsSettleMs(emulator) + 100);
    await testStack.stack.preview({ refresh: true, expectNoChanges: true, onOutput: record });
  });

  it("a ShareRecipient on the exclusive share fails its check, naming shareId, before any write", async () => {
    writeProgram({ share, extra: { type: "ShareRecipient", properties: { accountId: OWNER, shareId: "${share.id}", recipientAccountId: PARTNER_C } } });
    emulator.control.clearLog();
    const failed = await failureOf(testStack.stack.up({ onOutput: record }));
    expect(failed).toContain(`shareId ${shareId} is a Share with exclusive: true`);
    expect(writes(emulator)).toEqual([]);
    writeProgram({ share });
  });
});
