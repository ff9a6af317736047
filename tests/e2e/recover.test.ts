// Recovery on a runner that never saw the killed run (issue "Ownership that survives every stack
// operation"): `pulumi up` is SIGKILLed after a share's POST landed, then the recovery runs with an
// EMPTY journal folder, as a pipeline's throw-away runner would. The recipe `pulumi refresh
// --clear-pending-creates` then `up` makes a second share beside the first; `recover --apply` then `up`
// leaves exactly one, in state and settled; a separate ShareRecipient is recovered the same way. With
// two identical candidates, `recover` refuses to guess.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FAST_TIMINGS, startEmulator } from "../../emulator";
import type { RunningEmulator } from "../../emulator";
import type { TestStack } from "./harness";
import { sharingStack, Spec, TOKEN } from "./fixtures";
import { hexIdOf, idsInState, liveObjects } from "./invariants";
import { cli, RECOVER_CLI, restoreCheckpointIfTorn, runInProgram, until } from "./killed-run";

jest.setTimeout(300_000);

const OWNER = hexIdOf("recover-owner");
const partner = (label: string) => hexIdOf(`recover-partner-${label}`);
const RULESET = hexIdOf("recover-ruleset");

function oneShare(name: string, held: string): Spec {
  return {
    accountId: OWNER,
    shares: {
      s: {
        name,
        recipients: [{ recipientAccountId: held }, { recipientAccountId: partner(`${name}-2`) }],
        resources: [{ resourceType: "custom-ruleset", resourceId: RULESET, resourceAccountId: OWNER, meta: { tier: "gold" } }],
      },
    },
  };
}

/** A directory with no journal in it: the second machine. */
const emptyJournal = () => ({ CLOUDFLARE_SHARING_JOURNAL_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "recover-journal-")) });

describe("a killed pulumi up recovered on another runner (no journal)", () => {
  let emulator: RunningEmulator;
  const stacks: TestStack[] = [];

  beforeAll(async () => {
    // Slow associations keep the share's create waiting, so the kill finds its POST landed and its id outside state.
    emulator = await startEmulator({ seed: 7, settings: { timings: { ...FAST_TIMINGS, deletedShareRetentionMs: 600_000 } } });
  });

  afterAll(async () => {
    for (const stack of stacks) await stack.destroyAndRemove().catch(() => undefined);
    await emulator?.stop();
  });

  const sharesNamed = (name: string) => liveObjects(emulator, OWNER).filter(({ share }) => share.name === name);

  /** A stack of one share whose `up` is killed once the share's POST landed (its first recipient held `associating`). */
  async function killedAfterSharePost(name: string): Promise<TestStack> {
    const held = partner(`${name}-1`);
    const testStack = await sharingStack(emulator, oneShare(name, held));
    stacks.push(testStack);
    emulator.control.injectRecipientError({ accountId: held, error: "Recipient is being provisioned", terminal: false });
    let kill: () => void = () => undefined;
    const run = cli(testStack, ["up", "--yes", "--skip-preview"], 120_000, (k) => (kill = k));
    await until(() => emulator.control.listShares().some((share) => share.name === name), 90_000, `the POST of share "${name}"`);
    kill();
    expect((await run).signal).toBe("SIGKILL");
    restoreCheckpointIfTorn(testStack.backendDir);
    fs.rmSync(path.join(testStack.backendDir, ".pulumi", "locks"), { recursive: true, force: true }); // the operator cancels the killed run's lock
    const state = idsInState(await testStack.exportState());
    expect(state.pending.map((op) => op.type)).toContain("pulumi-nodejs:dynamic/cloudflare:Share");
    expect(state.shares.size).toBe(0);
    emulator.control.clearRecipientErrors();
    return testStack;
  }

  const recover = (testStack: TestStack, args: string[]) =>
    runInProgram(testStack, process.execPath, [RECOVER_CLI, "recover", "--stack", testStack.stack.name, ...args], 120_000, undefined, emptyJournal());

  it("the former recipe (clear the pending creates, then up) makes a second share", async () => {
    const name = "former recipe";
    const testStack = await killedAfterSharePost(name);
    const refresh = await cli(testStack, ["refresh", "--clear-pending-creates", "--yes", "--skip-preview"], 120_000, undefined, emptyJournal());
    if (refresh.code !== 0) throw new Error(`refresh failed:\n${refresh.output}`);
    const up = await cli(testStack, ["up", "--yes", "--skip-preview"], 120_000, undefined, emptyJournal());
    if (up.code !== 0) throw new Error(`up failed:\n${up.output}`);
    // Both grant access; only one is in state.
    expect(sharesNamed(name)).toHaveLength(2);
  });

  it("recover refuses to guess between two identical shares, then recover --apply and up leave exactly one, settled", async () => {
    const name = "recovered";
    const testStack = await killedAfterSharePost(name);
    const [made] = sharesNamed(name);

    // A second share with the same natural key, made out of band (the dashboard, another tool).
    const declared = oneShare(name, partner(`${name}-1`)).shares!.s as any;
    const response = await fetch(`${emulator.url}/accounts/${OWNER}/shares`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({
        name,
        recipients: declared.recipients.map((r: any) => ({ recipient_account_id: r.recipientAccountId })),
        resources: [{ resource_type: "custom-ruleset", resource_id: RULESET, resource_account_id: OWNER, meta: { tier: "gold" } }],
      }),
    });
    expect([200, 201]).toContain(response.status);
    const twin = ((await response.json()) as { result: { id: string } }).result.id;
    await until(() => sharesNamed(name).length === 2, 10_000, "the second share to be listed");

    const ambiguous = await recover(testStack, []);
    expect({ code: ambiguous.code }).toEqual({ code: 1 });
    expect(ambiguous.output).toContain(made.share.id);
    expect(ambiguous.output).toContain(twin);
    expect(ambiguous.output).not.toContain(TOKEN);
    expect(idsInState(await testStack.exportState()).pending).toHaveLength(1); // nothing applied

    // The person decides the twin is nobody's and deletes it; recover now tells.
    const deleted = await fetch(`${emulator.url}/accounts/${OWNER}/shares/${twin}`, { method: "DELETE", headers: { authorization: `Bearer ${TOKEN}` } });
    expect(deleted.status).toBe(200);
    await until(() => sharesNamed(name).length === 1, 10_000, "the twin to leave");

    const recovered = await recover(testStack, ["--apply"]);
    if (recovered.code !== 0) throw new Error(`recover --apply failed (${recovered.code}):\n${recovered.output}`);
    expect(recovered.output).toContain(`is Share ${made.share.id}`);
    expect(recovered.output).not.toContain(TOKEN);

    const up = await cli(testStack, ["up", "--yes", "--skip-preview"], 120_000, undefined, emptyJournal());
    if (up.code !== 0) throw new Error(`up failed:\n${up.output}`);

    const live = sharesNamed(name);
    expect(live.map(({ share }) => share.id)).toEqual([made.share.id]);
    const state = idsInState(await testStack.exportState());
    expect({ shares: [...state.shares], pending: state.pending }).toEqual({ shares: [made.share.id], pending: [] });
    const [{ share, recipients, resources }] = live;
    expect([share.status, ...recipients.map((r) => r.association_status), ...resources.map((r) => r.status)]).toEqual(["active", "associated", "associated", "active"]);
    for (const r of recipients) expect(state.recipients.has(r.id)).toBe(true);
    for (const r of resources) expect(state.resources.has(r.id)).toBe(true);

    const preview = await cli(testStack, ["preview", "--expect-no-changes"], 120_000, undefined, emptyJournal());
    if (preview.code !== 0) throw new Error(`preview shows changes:\n${preview.output}`);
  });

  it("a separate ShareRecipient whose POST landed is put in state, and up adds no second one", async () => {
    const name = "recipient recovered";
    const held = partner(`${name}-separate`);
    const spec: Spec = { ...oneShare(name, partner(`${name}-1`)), recipients: { r: { share: "s", recipientAccountId: held } } };
    const testStack = await sharingStack(emulator, spec);
    stacks.push(testStack);
    const up = await cli(testStack, ["up", "--yes", "--skip-preview"], 120_000);
    if (up.code !== 0) throw new Error(`up failed:\n${up.output}`);
    // Now the separate recipient alone: held `associating`, killed once its POST landed.
    await testStack.stack.setConfig("e2e:spec", { value: JSON.stringify({ ...spec, recipients: { r: { share: "s", recipientAccountId: held }, r2: { share: "s", recipientAccountId: partner(`${name}-other`) } } }) });
    emulator.control.injectRecipientError({ accountId: partner(`${name}-other`), error: "Recipient is being provisioned", terminal: false });
    let kill: () => void = () => undefined;
    const run = cli(testStack, ["up", "--yes", "--skip-preview"], 120_000, (k) => (kill = k));
    const [{ share }] = sharesNamed(name);
    const other = () => emulator.control.listRecipients(share.id).find((r) => r.account_id === partner(`${name}-other`));
    await until(() => other() !== undefined, 90_000, "the POST of the separate recipient");
    kill();
    expect((await run).signal).toBe("SIGKILL");
    restoreCheckpointIfTorn(testStack.backendDir);
    fs.rmSync(path.join(testStack.backendDir, ".pulumi", "locks"), { recursive: true, force: true });
    expect(idsInState(await testStack.exportState()).pending.map((op) => op.type)).toEqual(["pulumi-nodejs:dynamic/cloudflare:ShareRecipient"]);
    emulator.control.clearRecipientErrors();

    const recovered = await recover(testStack, ["--apply"]);
    if (recovered.code !== 0) throw new Error(`recover --apply failed (${recovered.code}):\n${recovered.output}`);
    expect(recovered.output).toContain(`is ShareRecipient ${other()!.id}`);
    const again = await cli(testStack, ["up", "--yes", "--skip-preview"], 120_000, undefined, emptyJournal());
    if (again.code !== 0) throw new Error(`up failed:\n${again.output}`);
    const live = emulator.control.listRecipients(share.id).filter((r) => r.account_id === partner(`${name}-other`) && r.association_status !== "disassociated");
    expect(live.map((r) => [r.id, r.association_status])).toEqual([[other()!.id, "associated"]]);
    expect(idsInState(await testStack.exportState()).recipients.has(other()!.id)).toBe(true);
    const preview = await cli(testStack, ["preview", "--expect-no-changes"], 120_000, undefined, emptyJournal());
    if (preview.code !== 0) throw new Error(`preview shows changes:\n${preview.output}`);
  });
});
