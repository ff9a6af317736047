// The plugin's functions under the real engine: a Pulumi YAML program and a Python program (on the
// SDK generated into sdk/python) look up a share made directly through the API, with the token
// given only as provider config.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RunningEmulator } from "../../../emulator";
import { CloudflareSharingClient } from "../../../provider/client";
import { createTestStack, TestStack } from "../harness";
import { FAST_TUNING, OWNER, PARTNER_A, PARTNER_B, RULESET_1, startE2eEmulator, TOKEN } from "../fixtures";
import { pythonVenvBin } from "./python-env";
import { PLUGIN_DIR } from "./yaml-program";

jest.setTimeout(300_000);

const PLUGIN_LINES = ["plugins:", "  providers:", "    - name: cloudflare-sharing", `      path: ${JSON.stringify(PLUGIN_DIR)}`];

/** A YAML program whose variables are `fn::invoke`s of the plugin's functions (arguments as JSON). */
function invokingProgram(invokes: Record<string, { fn: string; args: Record<string, unknown> }>, outputs: Record<string, string>): string {
  const lines = ["name: plugin-functions", "runtime: yaml", ...PLUGIN_LINES, "variables:"];
  for (const [name, { fn, args }] of Object.entries(invokes)) {
    lines.push(`  ${name}:`, "    fn::invoke:", `      function: cloudflare-sharing:index:${fn}`, `      arguments: ${JSON.stringify(args)}`);
  }
  lines.push("outputs:", ...Object.entries(outputs).map(([name, value]) => `  ${name}: ${JSON.stringify(value)}`));
  return `${lines.join("\n")}\n`;
}

describe("the plugin's functions under the real engine", () => {
  let emulator: RunningEmulator;
  let shareId: string;
  const stacks: TestStack[] = [];
  const config = () => ({ "cloudflare-sharing:apiToken": { value: TOKEN, secret: true }, "cloudflare-sharing:baseUrl": { value: emulator.url } });

  beforeAll(async () => {
    emulator = await startE2eEmulator();
    const api = new CloudflareSharingClient({ credentials: { apiToken: TOKEN }, baseUrl: emulator.url });
    const share = await api.shares.create(OWNER, {
      name: "made by hand",
      recipients: [{ recipient_account_id: PARTNER_A }, { recipient_account_id: PARTNER_B }],
      resources: [{ resource_type: "custom-ruleset", resource_id: RULESET_1, resource_account_id: OWNER, meta: {} }],
    });
    shareId = share.id;
  });
  afterAll(async () => {
    for (const testStack of stacks) await testStack.destroyAndRemove().catch(() => undefined);
    await emulator?.stop();
  });

  async function yamlStack(text: string): Promise<TestStack> {
    const source = fs.mkdtempSync(path.join(os.tmpdir(), "plugin-functions-"));
    fs.writeFileSync(path.join(source, "Pulumi.yaml"), text);
    const testStack = await createTestStack({ program: source, config: config(), env: { CLOUDFLARE_SHARING_TUNING: FAST_TUNING } });
    fs.rmSync(source, { recursive: true, force: true });
    stacks.push(testStack);
    return testStack;
  }

  it("a YAML program's fn::invoke of getShare and listShareRecipients answers what the API holds", async () => {
    const testStack = await yamlStack(
      invokingProgram(
        {
          found: { fn: "getShare", args: { accountId: OWNER, shareId, includeResources: true, includeRecipientCounts: true } },
          listed: { fn: "listShareRecipients", args: { accountId: OWNER, shareId } },
          sent: { fn: "listShares", args: { accountId: OWNER, kind: "sent" } },
        },
        {
          shareName: "${found.name}",
          shareStatus: "${found.status}",
          sharedObject: "${found.shareResources[0].resourceId}",
          firstRecipientShare: "${listed.recipients[0].shareId}",
          recipients: "${listed.recipients}",
          sentShareId: "${sent.shares[0].id}",
        },
      ),
    );
    const up = await testStack.stack.up({ onOutput: (line) => testStack.printed.push(line) });
    expect(up.summary.result).toBe("succeeded");
    expect(up.outputs.shareName.value).toBe("made by hand");
    expect(up.outputs.shareStatus.value).toBe("active");
    expect(up.outputs.sharedObject.value).toBe(RULESET_1);
    expect(up.outputs.firstRecipientShare.value).toBe(shareId);
    expect((up.outputs.recipients.value as { recipientAccount: string }[]).map((r) => r.recipientAccount).sort()).toEqual([PARTNER_A, PARTNER_B].sort());
    expect(up.outputs.sentShareId.value).toBe(shareId);
    expect([...testStack.persistedState(), ...testStack.printed].filter((text) => text.includes(TOKEN))).toEqual([]);
  });

  it("a missing argument fails the program with an error naming it, before any request", async () => {
    const testStack = await yamlStack(invokingProgram({ found: { fn: "getShare", args: { shareId } } }, { shareName: "${found.name}" }));
    emulator.control.clearLog();
    const error = await testStack.stack.up({ onOutput: (line) => testStack.printed.push(line) }).catch((failure: Error) => failure);
    expect(error).toBeInstanceOf(Error);
    const printed = `${(error as Error).message}\n${testStack.printed.join("")}`;
    expect(printed).toMatch(/getShare/);
    expect(printed).toContain("accountId is required: a Cloudflare id");
    expect(emulator.control.requestLog()).toEqual([]);
    expect(printed).not.toContain(TOKEN);
  });

  it("a Python program calls get_share and list_share_recipients_output through the generated SDK", async () => {
    const venvBin = pythonVenvBin();
    const source = fs.mkdtempSync(path.join(os.tmpdir(), "plugin-python-functions-"));
    fs.cpSync(path.join(__dirname, "..", "programs", "plugin-python-functions"), source, { recursive: true });
    fs.writeFileSync(path.join(source, "Pulumi.yaml"), ["name: plugin-python-functions", "runtime: python", ...PLUGIN_LINES, ""].join("\n"));
    const testStack = await createTestStack({
      program: source,
      config: { ...config(), "e2e:spec": { value: JSON.stringify({ accountId: OWNER, shareId }) } },
      // The Python host built here takes the interpreter from PATH (it predates runtime options).
      env: { PATH: `${venvBin}${path.delimiter}${process.env.PATH}`, CLOUDFLARE_SHARING_TUNING: FAST_TUNING },
    });
    fs.rmSync(source, { recursive: true, force: true });
    stacks.push(testStack);
    const up = await testStack.stack.up({ onOutput: (line) => testStack.printed.push(line) });
    expect(up.summary.result).toBe("succeeded");
    expect(up.outputs.shareName.value).toBe("made by hand");
    expect(up.outputs.shareStatus.value).toBe("active");
    expect(up.outputs.sharedObjects.value).toEqual([RULESET_1]);
    expect(up.outputs.recipientAccounts.value).toEqual([PARTNER_A, PARTNER_B].sort());
    expect([...testStack.persistedState(), ...testStack.printed].filter((text) => text.includes(TOKEN))).toEqual([]);
  });
});
