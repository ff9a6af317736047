// `pulumi up --replace` of a ShareRecipient and a ShareResource from a Python program that does not
// set `delete_before_replace`: the engine asks no provider how to replace for `--replace`, so the
// generated SDK's classes ask to delete first by default (the API keeps one record per target and
// per object on a share), as the TypeScript classes do.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RunningEmulator } from "../../../emulator";
import { createTestStack, TestStack } from "../harness";
import { FAST_TUNING, OWNER, PARTNER_A, PARTNER_B, POLICY_1, RULESET_1, startE2eEmulator, TOKEN } from "../fixtures";
import { PLUGIN_RECIPIENT_TYPE, PLUGIN_RESOURCE_TYPE } from "../invariants";
import { expectReplaced, Held } from "../replaced";
import { pythonVenvBin } from "./python-env";
import { PLUGIN_DIR } from "./yaml-program";

jest.setTimeout(300_000);

describe("`pulumi up --replace` from a Python program with no delete_before_replace", () => {
  let emulator: RunningEmulator;
  let testStack: TestStack;
  const journalDir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-journal-"));
  const record = (line: string) => testStack.printed.push(line);
  const heldBy = (values: Record<string, { value: any }>): Held => ({ shareId: values.shareId.value, recipientId: values.partnerId.value, resourceId: values.policyId.value });

  beforeAll(async () => {
    const venvBin = pythonVenvBin();
    emulator = await startE2eEmulator();
    const source = fs.mkdtempSync(path.join(os.tmpdir(), "plugin-python-"));
    // The program of python.test.ts: its `partner` and `policy` declare no resource options.
    fs.cpSync(path.join(__dirname, "..", "programs", "plugin-python"), source, { recursive: true });
    fs.writeFileSync(
      path.join(source, "Pulumi.yaml"),
      ["name: plugin-python", "runtime: python", "plugins:", "  providers:", "    - name: cloudflare-sharing", `      path: ${JSON.stringify(PLUGIN_DIR)}`, ""].join("\n"),
    );
    testStack = await createTestStack({
      program: source,
      config: {
        "e2e:spec": { value: JSON.stringify({ accountId: OWNER, name: "replaced from python", inlineRecipient: PARTNER_A, recipient: PARTNER_B, ruleset: RULESET_1, policy: POLICY_1 }) },
        "cloudflare-sharing:apiToken": { value: TOKEN, secret: true },
        "cloudflare-sharing:baseUrl": { value: emulator.url },
      },
      // The Python host built here takes the interpreter from PATH (it predates runtime options).
      env: { PATH: `${venvBin}${path.delimiter}${process.env.PATH}`, CLOUDFLARE_SHARING_TUNING: FAST_TUNING, CLOUDFLARE_SHARING_JOURNAL_DIR: journalDir },
    });
    fs.rmSync(source, { recursive: true, force: true });
  });
  afterAll(async () => {
    await testStack?.destroyAndRemove().catch(() => undefined);
    await emulator?.stop();
    fs.rmSync(journalDir, { recursive: true, force: true });
  });

  it("replaces the recipient and the resource, deleting each first: new ids, the old records gone, nothing left to do", async () => {
    const before = heldBy((await testStack.stack.up({ onOutput: record })).outputs);
    const replace = (((await testStack.exportState()).resources ?? []) as { type: string; urn: string }[])
      .filter((resource) => resource.type === PLUGIN_RECIPIENT_TYPE || resource.type === PLUGIN_RESOURCE_TYPE)
      .map((resource) => resource.urn);
    expect(replace).toHaveLength(2);

    const up = await testStack.stack.up({ replace, onOutput: record });
    expect(up.summary.resourceChanges).toMatchObject({ replace: 2 });
    await expectReplaced(emulator, testStack, before, heldBy(up.outputs));
    const preview = await testStack.stack.preview({ expectNoChanges: true, onOutput: record });
    expect(preview.changeSummary).toMatchObject({ same: 4 });
  });
});
