// The provider plugin under the real engine, driven by a Pulumi YAML program: the face of the
// providers that every Pulumi language uses. Steps run in order on one stack against the emulator.
import * as fs from "node:fs";
import * as path from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import type { RunningEmulator } from "../../../emulator";
import { CloudflareSharingClient } from "../../../provider/client";
import { createTestStack, TestStack } from "../harness";
import { FAST_TUNING, OWNER, PARTNER_A, PARTNER_B, PARTNER_C, PARTNER_D, PARTNER_E, POLICY_1, POLICY_2, RULESET_1, RULESET_2, startE2eEmulator, TOKEN } from "../fixtures";
import { writeProgramDir, yamlProgram, YamlResource } from "./yaml-program";

jest.setTimeout(240_000);

const SHARE_TYPE = "cloudflare-sharing:index:Share";
const RECIPIENT_TYPE = "cloudflare-sharing:index:ShareRecipient";

const baseResources = (): Record<string, YamlResource> => ({
  share: {
    type: "Share",
    properties: {
      accountId: OWNER,
      name: "waf rules",
      recipients: [{ recipientAccountId: PARTNER_A }],
      resources: [{ resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: OWNER, meta: { tier: "gold" } }],
    },
  },
  partner: { type: "ShareRecipient", properties: { accountId: OWNER, shareId: "${share.id}", recipientAccountId: PARTNER_B } },
  policy: {
    type: "ShareResource",
    properties: { accountId: OWNER, shareId: "${share.id}", resourceType: "gateway-policy", resourceId: POLICY_1, resourceAccountId: OWNER, meta: '{"note":"shared"}' },
  },
});

const outputs = { shareId: "${share.id}", shareStatus: "${share.status}", partnerId: "${partner.id}", partnerStatus: "${partner.associationStatus}", policyStatus: "${policy.status}" };

describe("the plugin under the real engine, from a Pulumi YAML program", () => {
  let emulator: RunningEmulator;
  let testStack: TestStack;
  let resources: Record<string, YamlResource>;
  let shareId: string;

  const writeProgram = (declared: Record<string, YamlResource>) =>
    fs.writeFileSync(path.join(testStack.programDir, "Pulumi.yaml"), yamlProgram(declared, outputs));
  const record = (line: string) => testStack.printed.push(line);
  const stateResources = async () => ((await testStack.exportState()).resources ?? []) as { type: string; id?: string; urn: string; outputs: Record<string, any> }[];

  beforeAll(async () => {
    emulator = await startE2eEmulator();
    resources = baseResources();
    const source = writeProgramDir(yamlProgram(resources, outputs));
    testStack = await createTestStack({
      program: source,
      // The token only as provider config (a secret): it must reach the plugin through Configure.
      config: { "cloudflare-sharing:apiToken": { value: TOKEN, secret: true }, "cloudflare-sharing:baseUrl": { value: emulator.url } },
      env: { CLOUDFLARE_SHARING_TUNING: JSON.stringify({ ...JSON.parse(FAST_TUNING), progressEveryMs: 200 }) },
    });
    fs.rmSync(source, { recursive: true, force: true });
  });
  afterAll(async () => {
    await testStack?.destroyAndRemove().catch(() => undefined);
    await emulator?.stop();
  });

  it("up waits until everything settled, and logs progress on the waiting recipient's row", async () => {
    // Slow enough for a few progress lines while the recipient associates.
    emulator.control.configure({ timings: { recipientAssociateMs: 1_200 } });
    const events: EngineEvent[] = [];
    const up = await testStack.stack.up({ onOutput: record, onEvent: (event) => events.push(event) });
    emulator.control.configure({ timings: { recipientAssociateMs: [50, 150] } });
    expect(up.summary.result).toBe("succeeded");
    expect(up.summary.resourceChanges).toMatchObject({ create: 4 });

    shareId = up.outputs.shareId.value;
    expect(up.outputs.shareStatus.value).toBe("active");
    expect(up.outputs.partnerStatus.value).toBe("associated");
    expect(up.outputs.policyStatus.value).toBe("active");
    // The API agrees at the moment `up` returned.
    expect(emulator.control.getShare(shareId)?.status).toBe("active");
    const recipients = emulator.control.listRecipients(shareId);
    expect(recipients.map((r) => [r.account_id, r.association_status]).sort()).toEqual([[PARTNER_A, "associated"], [PARTNER_B, "associated"]]);

    // Owned by this stack as the TypeScript classes would say it (`<project>/<stack>`, from the URN),
    // so the creates were journalled per stack.
    const owners = (await stateResources()).filter((r) => r.type.startsWith("cloudflare-sharing:index:")).map((r) => r.outputs.ownerStack);
    expect(owners).toEqual([1, 2, 3].map(() => `plugin-yaml/${testStack.stack.name}`));

    // Progress on the partner recipient (the Share logs its own inline recipient's on its own row).
    const diagnostics = events.flatMap((event) => (event.diagnosticEvent ? [event.diagnosticEvent] : []));
    const progress = diagnostics.filter((line) => /waiting for recipient/.test(line.message) && line.message.includes(`account ${PARTNER_B}`));
    expect(progress.length).toBeGreaterThan(0);
    // On the recipient's own row, never on the Stack's.
    for (const line of progress) expect(line.urn).toMatch(/::cloudflare-sharing:index:ShareRecipient::partner$/);
    expect(diagnostics.filter((line) => /waiting for/.test(line.message) && (line.urn ?? "").includes("pulumi:pulumi:Stack"))).toEqual([]);
  });

  it("preview sends no request", async () => {
    emulator.control.clearLog();
    const preview = await testStack.stack.preview({ onOutput: record });
    expect(preview.changeSummary).toMatchObject({ same: 4 });
    expect(emulator.control.requestLog()).toEqual([]);
  });

  it("refresh drops a recipient removed out of band, and the next up adds it again", async () => {
    const partnerId = (await testStack.stack.outputs()).partnerId.value as string;
    emulator.control.removeRecipient(shareId, partnerId);
    const refresh = await testStack.stack.refresh({ onOutput: record });
    expect(refresh.summary.resourceChanges).toMatchObject({ delete: 1 });
    expect((await stateResources()).some((r) => r.type === RECIPIENT_TYPE)).toBe(false);

    const up = await testStack.stack.up({ onOutput: record });
    expect(up.summary.resourceChanges).toMatchObject({ create: 1 });
    expect(up.outputs.partnerStatus.value).toBe("associated");
  });

  it("customTimeouts {create: 2s} ends a slow recipient's wait at about 2 s and keeps it in state", async () => {
    emulator.control.configure({ timings: { recipientAssociateMs: 30_000 } });
    writeProgram({
      ...resources,
      slow: { type: "ShareRecipient", properties: { accountId: OWNER, shareId: "${share.id}", recipientAccountId: PARTNER_C }, options: { customTimeouts: { create: "2s" } } },
    });
    emulator.control.clearLog();
    const started = Date.now();
    const failure = await testStack.stack.up({ onOutput: record }).catch((error: Error) => error);
    const elapsed = Date.now() - started;
    // The wait began with the POST and its last look came at about 2 s.
    const log = emulator.control.requestLog();
    const post = log.find((entry) => entry.method === "POST" && entry.path.endsWith("/recipients"))!;
    const lastLook = log.filter((entry) => entry.method === "GET").pop()!;
    expect(lastLook.at - post.at).toBeGreaterThan(1_500);
    expect(lastLook.at - post.at).toBeLessThan(2_500);
    expect(failure).toBeInstanceOf(Error);
    expect(String((failure as Error).message)).toMatch(/to become 'associated' \(last status: 'associating', timeout: 2s\)/);
    // The whole `up` (engine start included) ends long before the 30 s association.
    expect(elapsed).toBeLessThan(20_000);

    const slow = (await stateResources()).find((r) => r.urn.endsWith("::slow"));
    expect(slow?.id).toMatch(/^[0-9a-f]{32}$/);
    expect(emulator.control.listRecipients(shareId).find((r) => r.id === slow!.id)?.association_status).toBe("associating");

    // Kept in state, so it is not orphaned: dropping it from the program removes it from Cloudflare.
    emulator.control.configure({ timings: { recipientAssociateMs: [50, 150] } });
    writeProgram(resources);
    const cleanup = await testStack.stack.up({ onOutput: record });
    expect(cleanup.summary.resourceChanges).toMatchObject({ delete: 1 });
    expect(emulator.control.listRecipients(shareId).find((r) => r.id === slow!.id)?.association_status).toBe("disassociated");
  });

  it("imports a share, a recipient and a shared object made directly through the API; the program then previews with no changes", async () => {
    const api = new CloudflareSharingClient({ credentials: { apiToken: TOKEN }, baseUrl: emulator.url });
    const made = await api.shares.create(OWNER, {
      name: "made by hand",
      recipients: [{ recipient_account_id: PARTNER_D }],
      resources: [{ resource_type: "custom-ruleset", resource_id: RULESET_2, resource_account_id: OWNER, meta: { from: "dashboard" } }],
    });
    // Added to the stack's own share by hand: the Share manages only what it declares, so these can be imported.
    const extraRecipient = await api.recipients.create(OWNER, shareId, { recipient_account_id: PARTNER_E });
    const extraResource = await api.resources.create(OWNER, shareId, { resource_type: "gateway-policy", resource_id: POLICY_2, resource_account_id: OWNER, meta: {} });
    const imported = await testStack.stack.import({
      resources: [
        { type: SHARE_TYPE, name: "handmade", id: `${OWNER}/${made.id}` },
        { type: RECIPIENT_TYPE, name: "extraRecipient", id: `${OWNER}/${shareId}/${extraRecipient.id}` },
        { type: "cloudflare-sharing:index:ShareResource", name: "extraResource", id: `${OWNER}/${shareId}/${extraResource.id}` },
      ],
      protect: false,
      onOutput: record,
    });
    expect(imported.summary.resourceChanges).toMatchObject({ import: 3 });
    expect(imported.generatedCode).toContain("made by hand");
    expect(imported.generatedCode).toContain(PARTNER_D);
    expect(imported.generatedCode).toContain(PARTNER_E);
    expect(imported.generatedCode).toContain(POLICY_2);
    const inState = await stateResources();
    expect(inState.find((r) => r.urn.endsWith("::handmade"))?.id).toBe(made.id);
    expect(inState.find((r) => r.urn.endsWith("::extraRecipient"))?.id).toBe(extraRecipient.id);
    expect(inState.find((r) => r.urn.endsWith("::extraResource"))?.id).toBe(extraResource.id);

    resources = {
      ...resources,
      handmade: {
        type: "Share",
        properties: {
          accountId: OWNER,
          name: "made by hand",
          recipients: [{ recipientAccountId: PARTNER_D }],
          resources: [{ resourceType: "custom-ruleset", resourceId: RULESET_2, resourceAccountId: OWNER, meta: { from: "dashboard" } }],
        },
      },
    };
    resources = {
      ...resources,
      extraRecipient: { type: "ShareRecipient", properties: { accountId: OWNER, shareId: "${share.id}", recipientAccountId: PARTNER_E } },
      extraResource: {
        type: "ShareResource",
        properties: { accountId: OWNER, shareId: "${share.id}", resourceType: "gateway-policy", resourceId: POLICY_2, resourceAccountId: OWNER, meta: {} },
      },
    };
    writeProgram(resources);
    emulator.control.clearLog();
    const preview = await testStack.stack.preview({ expectNoChanges: true, onOutput: record });
    expect(preview.changeSummary).toMatchObject({ same: 7 });
    expect(emulator.control.requestLog()).toEqual([]);
  });

  it("never writes the token to state, output or errors", async () => {
    const leaks = [...testStack.persistedState(), ...testStack.printed].filter((text) => text.includes(TOKEN));
    expect(leaks).toEqual([]);
    // It is in state only as the provider's encrypted config.
    const provider = (await testStack.exportState()).resources as { type: string; inputs?: Record<string, unknown> }[];
    expect(provider.some((r) => r.type === "pulumi:providers:cloudflare-sharing")).toBe(true);
  });

  it("destroy removes everything and waits until it is gone", async () => {
    const shares = [shareId, ((await stateResources()).find((r) => r.urn.endsWith("::handmade"))?.id)!];
    const destroy = await testStack.stack.destroy({ onOutput: record });
    expect(destroy.summary.result).toBe("succeeded");
    for (const id of shares) {
      // A deleted share disappears from the API after a short retention; until then it says `deleted`.
      const share = emulator.control.getShare(id);
      if (share === undefined) continue;
      expect(share.status).toBe("deleted");
      for (const recipient of emulator.control.listRecipients(id)) expect(recipient.association_status).toBe("disassociated");
    }
  });
});
