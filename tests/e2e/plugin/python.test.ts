// The plugin from a second language: a Python program on the SDK generated into sdk/python (installed
// into the test's virtual environment), under
// the real engine and the Python language host that `npm run engine` builds.
import type { RunningEmulator } from "../../../emulator";
import type { TestStack } from "../harness";
import { PARTNER_A, PARTNER_B, startE2eEmulator, TOKEN } from "../fixtures";
import { pluginPythonStack } from "./program-stack";

jest.setTimeout(300_000);

describe("the plugin under the real engine, from a Python program", () => {
  let emulator: RunningEmulator;
  let testStack: TestStack;
  const record = (line: string) => testStack.printed.push(line);

  beforeAll(async () => {
    emulator = await startE2eEmulator();
    testStack = await pluginPythonStack(emulator, "from python");
  });
  afterAll(async () => {
    await testStack?.destroyAndRemove().catch(() => undefined);
    await emulator?.stop();
  });

  let shareId: string;

  it("up waits until the share, the recipients and the resources settled", async () => {
    const up = await testStack.stack.up({ onOutput: record });
    expect(up.summary.result).toBe("succeeded");
    expect(up.summary.resourceChanges).toMatchObject({ create: 4 });
    shareId = up.outputs.shareId.value;
    expect(up.outputs.shareStatus.value).toBe("active");
    expect(up.outputs.partnerStatus.value).toBe("associated");
    expect(up.outputs.policyStatus.value).toBe("active");
    expect(up.outputs.policyMeta.value).toBe('{"note":"shared"}');
    // A Python program sees the SDK's snake_case names.
    expect(up.outputs.inlineRecipients.value).toEqual([expect.objectContaining({ recipient_account_id: PARTNER_A, association_status: "associated" })]);
    const recipients = emulator.control.listRecipients(shareId);
    expect(recipients.map((r) => [r.account_id, r.association_status]).sort()).toEqual([[PARTNER_A, "associated"], [PARTNER_B, "associated"]]);
  });

  it("preview sends no request", async () => {
    emulator.control.clearLog();
    const preview = await testStack.stack.preview({ onOutput: record });
    expect(preview.changeSummary).toMatchObject({ same: 4 });
    expect(emulator.control.requestLog()).toEqual([]);
  });

  it("destroy cleans up, and the token was never written", async () => {
    const destroy = await testStack.stack.destroy({ onOutput: record });
    expect(destroy.summary.result).toBe("succeeded");
    const share = emulator.control.getShare(shareId);
    if (share !== undefined) {
      expect(share.status).toBe("deleted");
      for (const recipient of emulator.control.listRecipients(shareId)) expect(recipient.association_status).toBe("disassociated");
    }
    expect([...testStack.persistedState(), ...testStack.printed].filter((text) => text.includes(TOKEN))).toEqual([]);
  });
});
