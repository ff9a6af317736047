// The quickstart example (the program of `npm run demo`), TypeScript as a user writes it, under the
// real engine against the emulator.
import * as fs from "node:fs";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { FAST_TUNING, OWNER, startE2eEmulator, TOKEN } from "./fixtures";
import { createTestStack, TestStack } from "./harness";

jest.setTimeout(180_000);

let emulator: RunningEmulator;
let testStack: TestStack;
beforeAll(async () => {
  emulator = await startE2eEmulator();
  const program = path.resolve(__dirname, "..", "..", "examples", "quickstart");
  testStack = await createTestStack({
    program,
    env: { CLOUDFLARE_BASE_URL: emulator.url, CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_SHARING_TUNING: FAST_TUNING },
  });
  // The copy needs the Pulumi.yaml the repository root gives the quickstart.
  fs.writeFileSync(path.join(testStack.programDir, "Pulumi.yaml"), "name: cloudflare-sharing-quickstart\nruntime: nodejs\n");
});
afterAll(async () => {
  await testStack?.destroyAndRemove().catch(() => undefined);
  await emulator?.stop();
});

it("the quickstart comes up settled, then previews with no changes and no request", async () => {
  const up = await testStack.stack.up();
  expect(up.summary.resourceChanges).toMatchObject({ create: 4 });
  expect(up.outputs.shareStatus.value).toBe("active");
  expect(up.outputs.recipients.value).toEqual(["9a7806061c88ada191ed06f989cc3dac: associated", "b1946ac92492d2347c6235b4d2611184: associated"]);
  expect(up.outputs.auditorStatus.value).toBe("associated");
  expect(up.outputs.blockPageStatus.value).toBe("active");
  const [share] = emulator.control.listShares(OWNER);
  expect(emulator.control.listRecipients(share.id).map((r) => r.association_status)).toEqual(["associated", "associated", "associated"]);

  emulator.control.clearLog();
  expect((await testStack.stack.preview()).changeSummary).toEqual({ same: 4 });
  expect(emulator.control.requestLog()).toEqual([]);
});
