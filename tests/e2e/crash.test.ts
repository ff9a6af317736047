// Crash test (issue "Nothing lost under faults"): `pulumi up` run by the CLI itself is SIGKILLed (the
// whole process group: CLI, language host, provider host) while shares and recipients are mid-creation.
// Then the recipe of docs/ownership-and-recovery.md ("Recovering after a killed `pulumi up`"): release the lock, restore a torn
// checkpoint, `pulumi refresh --clear-pending-creates`, `pulumi up` on the same machine (same journal).
// The API must end with exactly what the program declares: no orphan, nothing created twice, everything
// settled, and what the killed run made taken over through this stack's journal. Two creates are held
// mid-wait by the emulator (a recipient kept `associating`), so the kill always finds them on the API and
// outside state, and the take-over of each is asserted.
import * as fs from "node:fs";
import * as path from "node:path";
import { FAST_TIMINGS, startEmulator } from "../../emulator";
import type { RunningEmulator } from "../../emulator";
import type { TestStack } from "./harness";
import { cli, restoreCheckpointIfTorn, until } from "./killed-run";
import { sharingStack, Spec } from "./fixtures";
import { duplicates, hexIdOf, idsInState, liveObjects, orphans } from "./invariants";

jest.setTimeout(240_000);

const OWNER = hexIdOf("crash-owner");
const partner = (n: number) => hexIdOf(`crash-partner-${n}`);
const ruleset = (n: number) => hexIdOf(`crash-ruleset-${n}`);

function crashSpec(): Spec {
  const shares: Record<string, object> = {};
  for (let s = 0; s < 3; s++) {
    shares[`s${s}`] = {
      name: `crash fleet ${s}`,
      recipients: [{ recipientAccountId: partner(10 * s + 1) }, { recipientAccountId: partner(10 * s + 2) }],
      resources: [
        { resourceType: "custom-ruleset", resourceId: ruleset(10 * s + 1), resourceAccountId: OWNER, meta: { s } },
        { resourceType: "custom-ruleset", resourceId: ruleset(10 * s + 2), resourceAccountId: OWNER },
      ],
    };
  }
  return {
    accountId: OWNER,
    shares,
    recipients: { r0: { share: "s0", recipientAccountId: partner(100) }, r1: { share: "s1", recipientAccountId: partner(101) }, r2: { share: "s2", recipientAccountId: partner(102) } },
    resources: { x0: { share: "s0", resourceType: "gateway-policy", resourceId: ruleset(100), resourceAccountId: OWNER }, x1: { share: "s2", resourceType: "gateway-policy", resourceId: ruleset(101), resourceAccountId: OWNER } },
  };
}

describe("pulumi up killed mid-creation, then refresh --clear-pending-creates and up", () => {
  let emulator: RunningEmulator;
  let testStack: TestStack;
  const spec = crashSpec();
  let killedAfter: string[] = [];
  let lostAtKill: string[] = [];

  beforeAll(async () => {
    emulator = await startEmulator({
      seed: 5,
      settings: {
        // Slow settles so more creates are in flight at the kill; long retention so
        // every object ever created stays visible to the "created twice" check.
        timings: { ...FAST_TIMINGS, recipientAssociateMs: [1000, 2500], deletedShareRetentionMs: 600_000, deletedResourceRetentionMs: 600_000 },
      },
    });
    testStack = await sharingStack(emulator, spec);
  });

  afterAll(async () => {
    await testStack?.destroyAndRemove().catch(() => undefined);
    await emulator?.stop();
  });

  const posts = () => emulator.control.requestLog().filter((e) => e.method === "POST" && e.status >= 200 && e.status < 300);
  const sharePosts = () => posts().filter((e) => /\/shares$/.test(e.path));
  const childPosts = () => posts().filter((e) => /\/shares\/[0-9a-f]+\/(recipients|resources)$/.test(e.path));

  // Held `associating` until cleared (a non-terminal recipient error): share s2 (its inline recipient)
  // and the separate recipient r0 cannot finish their creates, so when the kill lands both are on the
  // API and outside state, whatever the timing: the journal take-over is always exercised.
  const HELD = [partner(21), partner(100)];
  let heldIds: string[] = [];

  it("the kill lands while objects are mid-creation", async () => {
    for (const accountId of HELD) emulator.control.injectRecipientError({ accountId, error: "Recipient is being provisioned", terminal: false });
    let kill: () => void = () => undefined;
    const run = cli(testStack, ["up", "--yes", "--skip-preview"], 120_000, (k) => (kill = k));
    const shareNamed = (name: string) => emulator.control.listShares().find((share) => share.name === name);
    const heldShare = () => shareNamed("crash fleet 2");
    const heldRecipient = () => {
      const s0 = shareNamed("crash fleet 0");
      return s0 && emulator.control.listRecipients(s0.id).find((r) => r.account_id === partner(100));
    };
    // Every share POST answered (s2 among them) and the POST of r0 answered: both now wait on a held
    // recipient, so neither can reach state before the kill.
    const r0Posted = () => {
      const s0 = shareNamed("crash fleet 0");
      return s0 !== undefined && childPosts().some((e) => e.path.endsWith(`/shares/${s0.id}/recipients`));
    };
    await until(() => sharePosts().length >= 3 && heldShare() !== undefined && heldRecipient() !== undefined && r0Posted(), 90_000, "the POSTs of share s2 and recipient r0");
    kill();
    const result = await run;
    expect(result.signal).toBe("SIGKILL");
    killedAfter = posts().map((e) => `${e.method} ${e.path}`);
    heldIds = [heldShare()!.id, heldRecipient()!.id];
    // The kill may land while the engine writes its checkpoint and leave it empty; an operator then
    // restores the backup the file backend keeps beside it. What that older state misses is found
    // again through the stack's journal of in-flight creates below.
    restoreCheckpointIfTorn(testStack.backendDir);

    // Something really was interrupted: the held share and recipient exist and the state does not know them.
    const ids = idsInState(await testStack.exportState());
    const lost = orphans(liveObjects(emulator, OWNER), ids);
    lostAtKill = lost;
    expect(ids.shares.has(heldIds[0]) || ids.recipients.has(heldIds[1])).toBe(false);
    for (const id of heldIds) expect(lost.some((line) => line.includes(id))).toBe(true);
    // The held recipients may settle now: the recovery below must then finish what the killed run began.
    emulator.control.clearRecipientErrors();
  });

  it("refresh --clear-pending-creates, then up, converge: no orphan, nothing twice, everything settled", async () => {
    // A killed run leaves the stack locked; the operator cancels it first (the file backend's lock).
    const locks = path.join(testStack.backendDir, ".pulumi", "locks");
    if (fs.existsSync(locks)) fs.rmSync(locks, { recursive: true, force: true });

    const refresh = await cli(testStack, ["refresh", "--clear-pending-creates", "--yes", "--skip-preview"], 120_000);
    if (refresh.code !== 0) throw new Error(`refresh failed:\n${refresh.output}`);
    expect(idsInState(await testStack.exportState()).pending).toEqual([]);

    const up = await cli(testStack, ["up", "--yes", "--skip-preview"], 120_000);
    if (up.code !== 0) throw new Error(`up failed:\n${up.output}`);
    // What the killed run made outside state was taken over through the journal, and said so.
    expect(lostAtKill.length).toBeGreaterThan(0);
    for (const id of heldIds) expect(up.output).toMatch(new RegExp(`exists as ${id} \\([a-z]+\\): this resource created it in an interrupted run .*\\(its journal entry says so\\).*taking it over`));

    const live = liveObjects(emulator, OWNER);
    const ids = idsInState(await testStack.exportState());
    const report = () => `POSTs before the kill:\n  ${killedAfter.join("\n  ")}\nall POSTs:\n  ${posts().map((e) => `${e.method} ${e.path} ${e.status}`).join("\n  ")}`;
    expect({ orphans: orphans(live, ids), duplicates: duplicates(live), pending: ids.pending }).toEqual({ orphans: [], duplicates: [], pending: [] });

    // Nothing was ever created twice, not even one later deleted: every share, recipient and resource
    // record the emulator ever had (retention keeps deleted ones visible) is unique.
    const everything = emulator.control.listShares().filter((s) => s.account_id === OWNER);
    const names = everything.map((s) => s.name).sort();
    if (new Set(names).size !== names.length) throw new Error(`a share was created twice: ${JSON.stringify(everything.map((s) => [s.id, s.name, s.status, s.created]))}\n${report()}`);
    for (const share of everything) {
      const recipients = emulator.control.listRecipients(share.id).map((r) => r.account_id);
      expect({ share: share.name, recipients: recipients.length }).toEqual({ share: share.name, recipients: new Set(recipients).size });
      const resources = emulator.control.listResources(share.id).map((r) => `${r.resource_type} ${r.resource_id}`);
      expect({ share: share.name, resources: resources.length }).toEqual({ share: share.name, resources: new Set(resources).size });
    }

    // Exactly what the program declares, all of it settled, and all of it in state.
    const declared = Object.entries(spec.shares!).map(([key, share]: [string, any]) => ({
      name: share.name,
      recipients: [...share.recipients.map((r: any) => r.recipientAccountId), ...Object.values(spec.recipients!).filter((r: any) => r.share === key).map((r: any) => r.recipientAccountId)].sort(),
      resources: [...share.resources.map((r: any) => r.resourceId), ...Object.values(spec.resources!).filter((r: any) => r.share === key).map((r: any) => r.resourceId)].sort(),
    }));
    const actual = live.map(({ share, recipients, resources }) => ({
      name: share.name,
      recipients: recipients.map((r) => r.account_id).sort(),
      resources: resources.map((r) => r.resource_id).sort(),
    }));
    expect(actual.sort((a, b) => a.name.localeCompare(b.name))).toEqual(declared.sort((a, b) => a.name.localeCompare(b.name)));
    for (const { share, recipients, resources } of live) {
      expect([share.status, ...recipients.map((r) => r.association_status), ...resources.map((r) => r.status)].every((s) => s === "active" || s === "associated")).toBe(true);
    }
    expect([ids.shares.size, ids.recipients.size, ids.resources.size]).toEqual([3, 9, 8]);
  });

  it("destroy then leaves nothing live", async () => {
    const destroy = await cli(testStack, ["destroy", "--yes", "--skip-preview"], 120_000);
    if (destroy.code !== 0) throw new Error(`destroy failed:\n${destroy.output}`);
    expect(liveObjects(emulator, OWNER)).toEqual([]);
  });
});
