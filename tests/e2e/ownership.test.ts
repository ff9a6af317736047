// Ownership under the real engine: an object is taken over only through `adopt` or when it is provably
// this resource's own, and never deleted while another resource holds it. Two stacks with one
// declaration (1), renames without alias in one run and in two (2), a stack renamed and its name
// reused (3), one stack name on two backends (4), one natural key for the client's recovery and the
// provider (8), and lost create responses while lists lag (10).
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Stack } from "@pulumi/pulumi/automation";
import type { RunningEmulator } from "../../emulator";
import { engineDir, TestStack } from "./harness";
import { OWNER, PARTNER_A, PARTNER_B, PARTNER_C, POLICY_1, RULESET_1, RULESET_2, setSpec, sharingStack, Spec, startE2eEmulator } from "./fixtures";
import { duplicates, heldButGone, idsInState, liveObjects, orphans } from "./invariants";

jest.setTimeout(240_000);

const declaration = (recipients = [PARTNER_A, PARTNER_B]) => ({
  name: "waf rules",
  recipients: recipients.map((recipientAccountId) => ({ recipientAccountId })),
  resources: [
    { resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: OWNER, meta: { tier: "gold" } },
    { resourceType: "custom-ruleset", resourceId: RULESET_2, resourceAccountId: OWNER },
  ],
});

let emulator: RunningEmulator;
const stacks: TestStack[] = [];
beforeEach(async () => {
  emulator = await startE2eEmulator();
});
afterEach(async () => {
  for (const stack of stacks.splice(0)) await stack.destroyAndRemove().catch(() => undefined);
  await emulator.stop();
});

async function newStack(spec: Spec, where: { stackName?: string; backendDir?: string } = {}): Promise<TestStack> {
  const stack = await sharingStack(emulator, spec, {}, where);
  stacks.push(stack);
  return stack;
}

/** Every object a resource of `stack` holds is live, and a refreshed preview finds nothing to do. */
async function holdsOnlyLiveObjects(stack: Stack): Promise<void> {
  const deployment = (await stack.exportStack()).deployment as Record<string, unknown>;
  expect(heldButGone(liveObjects(emulator, OWNER), idsInState(deployment))).toEqual([]);
  await stack.preview({ refresh: true, expectNoChanges: true });
}

const failureOf = (operation: Promise<unknown>) =>
  operation.then(
    () => {
      throw new Error("expected the operation to fail");
    },
    (error: unknown) => String(error),
  );

it("1. two stacks with one declaration keep two shares; destroying one leaves the other active", async () => {
  const spec: Spec = { accountId: OWNER, shares: { main: declaration() } };
  const first = await newStack(spec);
  const second = await newStack(spec);
  const firstId = (await first.stack.up()).outputs.shares.value.main.id;
  const secondId = (await second.stack.up()).outputs.shares.value.main.id;
  expect(secondId).not.toBe(firstId);

  await second.stack.destroy();
  const share = emulator.control.getShare(firstId);
  expect(share?.status).toBe("active");
  expect(emulator.control.listRecipients(firstId).map((r) => r.association_status)).toEqual(["associated", "associated"]);
  expect(emulator.control.getShare(secondId)?.status ?? "gone").toMatch(/deleted|gone/);
});

it("2a. a Share renamed without an alias, applied in two runs (--target the new one first): it gets its own share; the old one's delete removes only the old share", async () => {
  const stack = await newStack({ accountId: OWNER, shares: { main: declaration() } });
  const oldId = (await stack.stack.up()).outputs.shares.value.main.id;

  await setSpec(stack, { accountId: OWNER, shares: { renamed: declaration() } });
  const urn = (name: string) => `urn:pulumi:${stack.stack.name}::sharing-e2e::pulumi-nodejs:dynamic/cloudflare:Share::${name}`;
  const targeted = await stack.stack.up({ target: [urn("renamed")] });
  expect(targeted.summary.result).toBe("succeeded");
  const newId = idsOfType(await stack.exportState(), "renamed");
  expect(newId).not.toBe(oldId);

  await stack.stack.up();
  expect(emulator.control.getShare(oldId)?.status ?? "gone").toMatch(/deleted|gone/);
  expect(emulator.control.getShare(newId)?.status).toBe("active");
  await holdsOnlyLiveObjects(stack.stack);
});

it("2b. a Share renamed without an alias in a run that fails half-way (the old one's delete fails): the next up deletes only the old share", async () => {
  const stack = await newStack({ accountId: OWNER, shares: { main: declaration() } });
  const oldId = (await stack.stack.up()).outputs.shares.value.main.id;

  await setSpec(stack, { accountId: OWNER, shares: { renamed: declaration() } });
  emulator.control.configure({ faults: { serverErrorRate: 1, methods: ["DELETE"] } });
  const failed = await stack.stack.up().then(() => "succeeded", (error: unknown) => String(error));
  emulator.control.configure({ faults: { serverErrorRate: 0 } });
  expect(failed).not.toBe("succeeded");
  const newId = idsOfType(await stack.exportState(), "renamed");
  expect(newId).not.toBe(oldId);

  await stack.stack.up();
  expect(emulator.control.getShare(oldId)?.status ?? "gone").toMatch(/deleted|gone/);
  expect(emulator.control.getShare(newId)?.status).toBe("active");
  await holdsOnlyLiveObjects(stack.stack);
});

it("2c. a ShareRecipient renamed without an alias stops with the adopt line and an alias hint, nothing deleted; with an alias it keeps its object", async () => {
  const spec: Spec = {
    accountId: OWNER,
    shares: { main: declaration() },
    recipients: { partner: { share: "main", recipientAccountId: PARTNER_C } },
  };
  const stack = await newStack(spec);
  const first = await stack.stack.up();
  const shareId = first.outputs.shares.value.main.id;
  const recipientId = first.outputs.recipients.value.partner.id;

  // In the very next `up` (no refresh in between): the new resource is a new one, whatever the journal holds.
  const member = { share: "main", recipientAccountId: PARTNER_C };
  await setSpec(stack, { ...spec, recipients: { member } });
  const message = await stack.stack.up().then(() => "succeeded", (error: unknown) => String(error));
  expect(message).toContain(`already exists as ${recipientId} (status associated`);
  expect(message).toContain(`adopt: "${recipientId}"`);
  expect(message).toContain("aliases");
  expect(emulator.control.listRecipients(shareId).find((r) => r.id === recipientId)?.association_status).toBe("associated");

  // With an alias, the renamed resource is the same resource: same object, no write.
  await setSpec(stack, { ...spec, recipients: { member: { ...member, options: { aliases: [{ name: "partner" }] } } } });
  emulator.control.clearLog();
  const aliased = await stack.stack.up();
  expect(aliased.outputs.recipients.value.member.id).toBe(recipientId);
  expect(emulator.control.requestLog().filter((entry) => entry.method !== "GET")).toEqual([]);
  const ids = idsInState(await stack.exportState());
  expect({ orphans: orphans(liveObjects(emulator, OWNER), ids), duplicates: duplicates(liveObjects(emulator, OWNER)) }).toEqual({ orphans: [], duplicates: [] });
  await holdsOnlyLiveObjects(stack.stack);
});

it("3. `pulumi stack rename alpha beta`, then a new stack alpha: the new one makes its own share, and destroying it leaves beta's", async () => {
  const backendDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-backend-shared-"));
  const spec: Spec = { accountId: OWNER, shares: { main: declaration() } };
  const alpha = await newStack(spec, { stackName: "alpha", backendDir });
  const betaShareId = (await alpha.stack.up()).outputs.shares.value.main.id;
  execFileSync(path.join(engineDir(), "bin", "pulumi"), ["stack", "rename", "beta", "--stack", "alpha", "--non-interactive"], {
    cwd: alpha.programDir,
    env: { ...process.env, ...alpha.env },
    stdio: "pipe",
  });
  const beta = await Stack.select("beta", alpha.stack.workspace);

  const newAlpha = await newStack(spec, { stackName: "alpha", backendDir });
  const alphaShareId = (await newAlpha.stack.up()).outputs.shares.value.main.id;
  expect(alphaShareId).not.toBe(betaShareId);
  await newAlpha.stack.destroy();

  expect(emulator.control.getShare(betaShareId)?.status).toBe("active");
  expect(emulator.control.listRecipients(betaShareId).map((r) => r.association_status)).toEqual(["associated", "associated"]);
  await holdsOnlyLiveObjects(beta);
  await beta.destroy();
  fs.rmSync(backendDir, { recursive: true, force: true });
});

it("4. two stacks of one project and stack name on two backends (one machine, one journal): each has its own share", async () => {
  const spec: Spec = { accountId: OWNER, shares: { main: declaration() } };
  const local = await newStack(spec, { stackName: "dev" });
  const team = await newStack(spec, { stackName: "dev" });
  const localId = (await local.stack.up()).outputs.shares.value.main.id;
  const teamId = (await team.stack.up()).outputs.shares.value.main.id;
  expect(teamId).not.toBe(localId);

  await team.stack.destroy();
  expect(emulator.control.getShare(localId)?.status).toBe("active");
  await holdsOnlyLiveObjects(local.stack);
});

it("8. one natural key: a lost create is never answered with another stack's share of the same name and ruleset", async () => {
  const theirs = await newStack({ accountId: OWNER, shares: { main: declaration([PARTNER_A]) } });
  const theirId = (await theirs.stack.up()).outputs.shares.value.main.id;

  // Our share create fails with a 5xx without landing: the client looks for what it may have made.
  emulator.control.configure({ faults: { serverErrorRate: 1, methods: ["POST"] } });
  const heal = setInterval(() => {
    if (emulator.control.requestLog().some((e) => e.method === "POST" && e.status >= 500)) emulator.control.configure({ faults: { serverErrorRate: 0 } });
  }, 5);
  const ours = await newStack({ accountId: OWNER, shares: { main: declaration([PARTNER_B]) } });
  const ourId = (await ours.stack.up().finally(() => clearInterval(heal))).outputs.shares.value.main.id;

  expect(ourId).not.toBe(theirId);
  expect(emulator.control.listRecipients(ourId).map((r) => r.account_id)).toEqual([PARTNER_B]);
  expect(emulator.control.listRecipients(theirId).map((r) => r.account_id)).toEqual([PARTNER_A]);
});

it("10. lost create responses while lists lag by a second leave exactly one object each", async () => {
  emulator.control.configure({ consistency: { listLagMs: 1_000 }, faults: { lostPostResponseRate: 1, methods: ["POST"] } });
  const stack = await newStack({
    accountId: OWNER,
    shares: { main: declaration() },
    recipients: { partner: { share: "main", recipientAccountId: PARTNER_C } },
    resources: { policy: { share: "main", resourceType: "gateway-policy", resourceId: POLICY_1, resourceAccountId: OWNER } },
  });
  const up = await stack.stack.up();
  expect(up.summary.result).toBe("succeeded");

  // Every record the emulator ever made (deleted ones included): one share, one per recipient, one per resource.
  const everything = emulator.control.listShares().filter((s) => s.account_id === OWNER);
  expect(everything.map((s) => s.status)).toEqual(["active"]);
  const shareId = everything[0].id;
  expect(emulator.control.listRecipients(shareId).map((r) => r.account_id).sort()).toEqual([PARTNER_A, PARTNER_B, PARTNER_C].sort());
  expect(emulator.control.listResources(shareId).map((r) => r.resource_id).sort()).toEqual([RULESET_1, RULESET_2, POLICY_1].sort());
  const ids = idsInState(await stack.exportState());
  expect(orphans(liveObjects(emulator, OWNER), ids)).toEqual([]);
  emulator.control.configure({ consistency: { listLagMs: 0 }, faults: { lostPostResponseRate: 0 } });
});

/** The id of the Share resource named `name` in a stack export. */
function idsOfType(deployment: Record<string, unknown>, name: string): string {
  const resource = ((deployment.resources ?? []) as { urn: string; id?: string }[]).find((r) => r.urn.endsWith(`:Share::${name}`));
  if (!resource?.id) throw new Error(`no Share ${name} in state`);
  return resource.id;
}
