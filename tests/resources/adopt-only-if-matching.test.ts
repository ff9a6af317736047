// `adoptOnlyIfMatching`: a share is taken over only if it is exactly as declared, with no write;
// any difference fails the create, names the difference and changes nothing.
import shareProvider = require("../../provider/resources/share-provider");
import { withCallContext } from "../../provider/call-context";
import type { RunningEmulator } from "../../emulator";
import type { ShareInputs, ShareOutputs } from "../../provider/resources/share-model";
import { pause, readsSettleMs, startProviderEnvironment, stopProviderEnvironment } from "../support/provider-env";

const OWNER = "023e105f4ecef8ad9ca31a8372d0c353";
const PARTNER_A = "9a7806061c88ada191ed06f989cc3dac";
const PARTNER_B = "b1946ac92492d2347c6235b4d2611184";
const RULESET_1 = "2f2feab2026849078ba485f918791bdc";
const POLICY_1 = "45c48cce2e2d7fbdea1afc51c7c6ad26";

let emulator: RunningEmulator;
beforeEach(async () => {
  emulator = await startProviderEnvironment();
});
afterEach(async () => stopProviderEnvironment(emulator));

const writes = () => emulator.control.requestLog().filter((entry) => entry.method !== "GET");

/** A share as discover finds it: one that exists, not one made a moment ago (lists may trail writes). */
async function seed() {
  const seeded = emulator.control.seedShare({
    accountId: OWNER,
    name: "waf rules",
    recipients: [{ recipient_account_id: PARTNER_A }],
    resources: [
      { resource_type: "custom-ruleset", resource_id: RULESET_1, resource_account_id: OWNER, meta: { tier: "gold" } },
      { resource_type: "gateway-policy", resource_id: POLICY_1, resource_account_id: OWNER, meta: {} },
    ],
    settled: true,
  });
  await pause(readsSettleMs(emulator));
  return seeded;
}

async function adoptAsDiscovered(shareId: string, change: Partial<ShareInputs> = {}) {
  const news: ShareInputs = {
    accountId: OWNER,
    name: "waf rules",
    recipients: [{ recipientAccountId: PARTNER_A }],
    resources: [
      { resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: OWNER, meta: { tier: "gold" } },
      { resourceType: "gateway-policy", resourceId: POLICY_1, resourceAccountId: OWNER, meta: {} },
    ],
    adopt: shareId,
    adoptOnlyIfMatching: true,
    ...change,
  };
  const checked = await shareProvider.check!({} as ShareInputs, news);
  expect(checked.failures).toBeUndefined();
  return shareProvider.create(checked.inputs!);
}

describe("Share adopt with adoptOnlyIfMatching", () => {
  it("takes over a share that matches exactly, with no write", async () => {
    const { share, recipients, resources } = await seed();
    emulator.control.clearLog();
    const created = await adoptAsDiscovered(share.id);
    const outs = created.outs as ShareOutputs;
    expect(created.id).toBe(share.id);
    expect(outs.recipientIds).toEqual([recipients[0].id]);
    expect([...outs.resourceIds].sort()).toEqual(resources.map((r) => r.id).sort());
    expect(writes()).toEqual([]);
  });

  it("refuses, naming each difference, and writes nothing when the share changed after discovery", async () => {
    const { share, resources } = await seed();
    emulator.control.renameShare(share.id, "waf rules (edited)");
    emulator.control.setResourceMeta(share.id, resources[0].id, { tier: "platinum" });
    await pause(Math.max(100, readsSettleMs(emulator))); // FAST_TIMINGS: updates show within 75 ms; lists may trail them
    // A recipient added in the dashboard meanwhile.
    const added = await fetch(`${emulator.url}/accounts/${OWNER}/shares/${share.id}/recipients`, {
      method: "POST",
      headers: { authorization: `Bearer ${process.env.CLOUDFLARE_API_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ recipient_account_id: PARTNER_B }),
    });
    expect([200, 201]).toContain(added.status); // the create status is an open point (profiles)
    await pause(readsSettleMs(emulator)); // discovered a while ago, changed since: lists show the change
    emulator.control.clearLog();

    const attempt = adoptAsDiscovered(share.id);
    await expect(attempt).rejects.toThrow(/differs from the program/);
    const message = await attempt.catch((error: Error) => error.message);
    expect(message).toContain('its name is "waf rules (edited)", the program says "waf rules"');
    // Which keys differ, never the values: a meta may hold secrets, and this face cannot tell which.
    expect(message).toContain(`the meta of its resource custom-ruleset/${RULESET_1} differs from the program's in key "tier"`);
    expect(message).not.toMatch(/platinum|gold/);
    expect(message).toMatch(new RegExp(`has recipient [0-9a-f]{32} \\(account ${PARTNER_B}, associat\\w+\\), which the program does not declare`));
    expect(writes()).toEqual([]);
  });

  it("names the fields the plugin says are secret without either value, the one Cloudflare holds included", async () => {
    const { share, resources } = await seed();
    emulator.control.renameShare(share.id, "waf rules (edited)");
    emulator.control.setResourceMeta(share.id, resources[0].id, { tier: "platinum" });
    await pause(Math.max(100, readsSettleMs(emulator)));
    // As the plugin host says it: the name and the first resource's meta (and what is inside it) are secret.
    const secret = new Set(["name", "resources[0].meta", "resources[0].meta.tier"]);
    const message = await withCallContext({ isSecret: (property) => secret.has(property) }, () =>
      adoptAsDiscovered(share.id, {
        resources: [
          { resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: OWNER, meta: { tier: "gold" } },
          { resourceType: "gateway-policy", resourceId: POLICY_1, resourceAccountId: OWNER, meta: {} },
        ],
      }),
    ).catch((error: Error) => error.message);
    expect(message).toContain(`cannot adopt share ${share.id}: it differs from the program`);
    expect(message).toContain("its name differs from the program's (a secret value)");
    expect(message).toContain(`the meta of its resource custom-ruleset/${RULESET_1} differs from the program's (a secret value)`);
    expect(message).not.toMatch(/waf rules|platinum|gold|tier/);
    expect(writes()).toEqual([]);
  });

  it("refuses when a declared item is gone, and when the owning account of a resource differs", async () => {
    const { share, resources } = await seed();
    emulator.control.removeResource(share.id, resources[1].id);
    await pause(readsSettleMs(emulator));
    emulator.control.clearLog();
    const message = await adoptAsDiscovered(share.id, {
      resources: [
        { resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: PARTNER_A, meta: { tier: "gold" } },
        { resourceType: "gateway-policy", resourceId: POLICY_1, resourceAccountId: OWNER, meta: {} },
      ],
    }).catch((error: Error) => error.message);
    expect(message).toContain(`it has no resource gateway-policy/${POLICY_1}`);
    expect(message).toContain(`its resource custom-ruleset/${RULESET_1} belongs to account ${OWNER}, the program says ${PARTNER_A}`);
    expect(writes()).toEqual([]);
  });

  it("without the flag, adopt still brings the share to the program (the documented default)", async () => {
    const { share } = await seed();
    emulator.control.renameShare(share.id, "renamed in the dashboard");
    await pause(Math.max(100, readsSettleMs(emulator)));
    const created = await adoptAsDiscovered(share.id, { adoptOnlyIfMatching: undefined });
    expect((created.outs as ShareOutputs).name).toBe("waf rules");
    expect(writes().map((entry) => entry.method)).toEqual(["PUT"]);
  });

  it("check rejects a non-boolean adoptOnlyIfMatching, naming the field", async () => {
    const result = await shareProvider.check!({} as ShareInputs, { accountId: OWNER, name: "n", recipients: [{ recipientAccountId: PARTNER_A }], resources: [{ resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: OWNER }], adoptOnlyIfMatching: "yes" as unknown as boolean });
    expect(result.failures).toEqual([{ property: "adoptOnlyIfMatching", reason: 'adoptOnlyIfMatching must be true or false, got "yes"' }]);
  });
});
