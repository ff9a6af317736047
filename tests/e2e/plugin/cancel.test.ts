// Ctrl-C under `pulumi up` (SIGINT to the CLI, as a terminal sends it): the engine's Cancel reaches
// the plugin, which stops the wait in progress at once instead of at the operation's timeout. The
// object it made stays in state (as at a timeout), and the next `up` resumes the wait and finishes
// with exactly one object.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { RunningEmulator } from "../../../emulator";
import { engineDir, TestStack } from "../harness";
import { OWNER, PARTNER_A, PARTNER_B, RULESET_1, startE2eEmulator } from "../fixtures";
import { yamlProgram, YamlResource } from "./yaml-program";
import { yamlTestStack } from "./yaml-stack";

jest.setTimeout(240_000);

const share: YamlResource = {
  type: "Share",
  properties: {
    accountId: OWNER,
    name: "cancelled",
    recipients: [{ recipientAccountId: PARTNER_A }],
    resources: [{ resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: OWNER }],
  },
};
const slow: YamlResource = { type: "ShareRecipient", properties: { accountId: OWNER, shareId: "${share.id}", recipientAccountId: PARTNER_B } };

/** Polls until `condition` holds, bounded. */
async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("Ctrl-C during a wait, through the plugin", () => {
  let emulator: RunningEmulator;
  let testStack: TestStack;
  const record = (line: string) => testStack.printed.push(line);

  beforeAll(async () => {
    emulator = await startE2eEmulator();
    testStack = await yamlTestStack(emulator, yamlProgram({ share }));
    await testStack.stack.up({ onOutput: record });
  });
  afterAll(async () => {
    await testStack?.destroyAndRemove().catch(() => undefined);
    await emulator?.stop();
  });

  it("ends within seconds, keeps the recipient in state, and the next up resumes it", async () => {
    const shareId = (await testStack.exportState() as { resources: { type: string; id: string }[] }).resources.find((r) => r.type.endsWith(":Share"))!.id;
    // The new recipient stays `associating` (a provisioning error Cloudflare retries) until cleared:
    // its create waits for the default 5 minutes, far longer than the test allows.
    emulator.control.injectRecipientError({ accountId: PARTNER_B, error: "Recipient is being provisioned", terminal: false });
    fs.writeFileSync(path.join(testStack.programDir, "Pulumi.yaml"), yamlProgram({ share, slow }));

    const child = spawn(path.join(engineDir(), "bin", "pulumi"), ["up", "--yes", "--skip-preview", "--stack", testStack.stack.name, "--non-interactive", "--color", "never"], {
      cwd: testStack.programDir,
      env: { ...process.env, ...testStack.env },
      detached: true, // its own process group, so that a failed test can end all of it
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout!.on("data", (chunk) => (output += chunk));
    child.stderr!.on("data", (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      const associating = () => emulator.control.listRecipients(shareId).find((r) => r.account_id === PARTNER_B)?.association_status === "associating";
      await until(associating, 60_000, "the recipient's POST");
      // Into the wait proper.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const interrupted = Date.now();
      child.kill("SIGINT");
      let timer: NodeJS.Timeout | undefined;
      const ended = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 20_000)))]);
      clearTimeout(timer);
      if (!ended) throw new Error(`pulumi up still running 20 s after Ctrl-C:\n${output}`);
      expect(Date.now() - interrupted).toBeLessThan(10_000);
    } finally {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }
    expect(await exited).not.toBe(0);
    expect(output).toMatch(/cancelled \(Ctrl-C\)/);

    // In state with its id, still associating on the API.
    const inState = (await testStack.exportState() as { resources: { urn: string; id?: string; outputs?: Record<string, unknown> }[] }).resources.find((r) => r.urn.endsWith("::slow"));
    expect(inState?.id).toMatch(/^[0-9a-f]{32}$/);
    expect(inState?.outputs?.associationStatus).toBe("associating");

    emulator.control.clearRecipientErrors();
    emulator.control.clearLog();
    const up = await testStack.stack.up({ onOutput: record });
    expect(up.summary.resourceChanges).toMatchObject({ update: 1 });
    expect(emulator.control.requestLog().filter((entry) => entry.method === "POST")).toEqual([]);
    const recipients = emulator.control.listRecipients(shareId).filter((r) => r.account_id === PARTNER_B);
    expect(recipients.map((r) => [r.id, r.association_status])).toEqual([[inState!.id, "associated"]]);
  });
});
