// The plugin from a Go program: tests/e2e/programs/plugin-go on the SDK generated into sdk/go (taken
// through a `replace` line), compiled once for this file and run as a prebuilt binary by the Go
// language host that `npm run engine` builds. Its separate recipient and resource set no
// DeleteBeforeReplace: `pulumi up --replace` (which asks no provider how to replace) relies on the
// SDK deleting them first by default, since the API keeps one record per target and per object.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RunningEmulator } from "../../../emulator";
import type { TestStack } from "../harness";
import { OWNER, PARTNER_A, PARTNER_B, POLICY_1, RULESET_1, startE2eEmulator, TOKEN } from "../fixtures";
import { liveObjects } from "../invariants";
import type { Held } from "../replaced";
import { buildGoProgram, GoProgram, goPulumiYaml } from "./go-program";
import { expectUpReplaceReplaces, heldByOutputs } from "./program-replace";
import { programTestStack, separateObjectsSpec } from "./program-stack";

// The first build of the program after a cold Go build cache takes minutes; later ones seconds.
jest.setTimeout(600_000);

describe("the plugin under the real engine, from a Go program", () => {
  let emulator: RunningEmulator;
  let testStack: TestStack;
  let program: GoProgram;
  const journalDir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-journal-"));
  const record = (line: string) => testStack.printed.push(line);
  let before: Held;

  beforeAll(async () => {
    program = buildGoProgram("plugin-go");
    emulator = await startE2eEmulator();
    // The project folder holds only Pulumi.yaml: the host runs the binary and has nothing to compile.
    testStack = await programTestStack(emulator, {
      pulumiYaml: goPulumiYaml("plugin-go", program.binary),
      spec: separateObjectsSpec("from go"),
      env: { CLOUDFLARE_SHARING_JOURNAL_DIR: journalDir },
    });
  });
  afterAll(async () => {
    await testStack?.destroyAndRemove().catch(() => undefined);
    await emulator?.stop();
    program?.remove();
    fs.rmSync(journalDir, { recursive: true, force: true });
  });

  it("up waits until the share, the recipients and the resources settled", async () => {
    const up = await testStack.stack.up({ onOutput: record });
    expect(up.summary.result).toBe("succeeded");
    expect(up.summary.resourceChanges).toMatchObject({ create: 4 });
    expect(up.outputs.shareStatus.value).toBe("active");
    expect(up.outputs.partnerStatus.value).toBe("associated");
    expect(up.outputs.policyStatus.value).toBe("active");
    expect(up.outputs.policyMeta.value).toBe('{"note":"shared"}');
    before = heldByOutputs(up.outputs);
    const recipients = emulator.control.listRecipients(before.shareId);
    expect(recipients.map((r) => [r.account_id, r.association_status]).sort()).toEqual([[PARTNER_A, "associated"], [PARTNER_B, "associated"]]);
    const resources = emulator.control.listResources(before.shareId);
    expect(resources.map((r) => [r.resource_id, r.status, r.meta])).toHaveLength(2);
    expect(resources.map((r) => [r.resource_id, r.status, r.meta])).toEqual(
      expect.arrayContaining([
        [POLICY_1, "active", { note: "shared" }],
        [RULESET_1, "active", { tier: "gold" }],
      ]),
    );
  });

  it("up --replace of the recipient and the resource deletes each first: new ids, the old records gone, no orphan or duplicate", async () => {
    await expectUpReplaceReplaces(emulator, testStack, before);
  });

  it("preview --expect-no-changes is clean and sends no request", async () => {
    emulator.control.clearLog();
    const preview = await testStack.stack.preview({ expectNoChanges: true, onOutput: record });
    expect(preview.changeSummary).toMatchObject({ same: 4 });
    expect(emulator.control.requestLog()).toEqual([]);
  });

  it("destroy leaves nothing, and the token was never written", async () => {
    const destroy = await testStack.stack.destroy({ onOutput: record });
    expect(destroy.summary.result).toBe("succeeded");
    expect(liveObjects(emulator, OWNER)).toEqual([]);
    expect([...testStack.persistedState(), ...testStack.printed].filter((text) => text.includes(TOKEN))).toEqual([]);
  });
});
