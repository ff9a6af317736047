// `pulumi up --replace` of a ShareRecipient and a ShareResource from a Python program that does not
// set `delete_before_replace`: the engine asks no provider how to replace for `--replace`, so the
// generated SDK's classes ask to delete first by default (the API keeps one record per target and
// per object on a share), as the TypeScript classes do.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RunningEmulator } from "../../../emulator";
import type { TestStack } from "../harness";
import { startE2eEmulator } from "../fixtures";
import { expectUpReplaceReplaces, heldByOutputs } from "./program-replace";
import { pluginPythonStack } from "./program-stack";

jest.setTimeout(300_000);

describe("`pulumi up --replace` from a Python program with no delete_before_replace", () => {
  let emulator: RunningEmulator;
  let testStack: TestStack;
  const journalDir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-journal-"));
  const record = (line: string) => testStack.printed.push(line);

  beforeAll(async () => {
    emulator = await startE2eEmulator();
    // The program of python.test.ts: its `partner` and `policy` declare no resource options.
    testStack = await pluginPythonStack(emulator, "replaced from python", { CLOUDFLARE_SHARING_JOURNAL_DIR: journalDir });
  });
  afterAll(async () => {
    await testStack?.destroyAndRemove().catch(() => undefined);
    await emulator?.stop();
    fs.rmSync(journalDir, { recursive: true, force: true });
  });

  it("replaces the recipient and the resource, deleting each first: new ids, the old records gone, nothing left to do", async () => {
    const before = heldByOutputs((await testStack.stack.up({ onOutput: record })).outputs);
    await expectUpReplaceReplaces(emulator, testStack, before);
    const preview = await testStack.stack.preview({ expectNoChanges: true, onOutput: record });
    expect(preview.changeSummary).toMatchObject({ same: 4 });
  });
});
