// Forced replacements through the provider plugin, from a Pulumi YAML program: `replaceOnChanges`
// (the engine asks the plugin's diff, which answers "delete first" for a recipient or resource that
// keeps its natural key) and `pulumi up --replace` (the engine asks no provider, so only the
// `deleteBeforeReplace` resource option makes it delete first). Steps run in order on one stack.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RunningEmulator } from "../../../emulator";
import { createTestStack, TestStack } from "../harness";
import { FAST_TUNING, OWNER, PARTNER_A, PARTNER_C, POLICY_1, RULESET_1, startE2eEmulator, TOKEN } from "../fixtures";
import { errorLines, PLUGIN_RECIPIENT_TYPE, PLUGIN_RESOURCE_TYPE } from "../invariants";
import { expectReplaced, Held } from "../replaced";
import { writeProgramDir, yamlProgram, YamlResource } from "./yaml-program";

jest.setTimeout(300_000);

const outputs = { shareId: "${share.id}", partnerId: "${partner.id}", policyId: "${policy.id}" };

function declared(options: { recipient?: Record<string, unknown>; resource?: Record<string, unknown> }, meta: object, recipientTimeouts: object): Record<string, YamlResource> {
  return {
    share: {
      type: "Share",
      properties: {
        accountId: OWNER,
        name: "replaced things",
        recipients: [{ recipientAccountId: PARTNER_A }],
        resources: [{ resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: OWNER }],
      },
    },
    partner: { type: "ShareRecipient", properties: { accountId: OWNER, shareId: "${share.id}", recipientAccountId: PARTNER_C, timeouts: recipientTimeouts }, options: options.recipient },
    policy: {
      type: "ShareResource",
      properties: { accountId: OWNER, shareId: "${share.id}", resourceType: "gateway-policy", resourceId: POLICY_1, resourceAccountId: OWNER, meta },
      options: options.resource,
    },
  };
}

describe("forced replacements through the plugin, from a Pulumi YAML program", () => {
  let emulator: RunningEmulator;
  let testStack: TestStack;
  const journalDir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-journal-"));

  const writeProgram = (resources: Record<string, YamlResource>) => fs.writeFileSync(path.join(testStack.programDir, "Pulumi.yaml"), yamlProgram(resources, outputs));
  const heldBy = (values: Record<string, { value: any }>): Held => ({ shareId: values.shareId.value, recipientId: values.partnerId.value, resourceId: values.policyId.value });
  const urnsOf = async (...types: string[]) =>
    (((await testStack.exportState()).resources ?? []) as { type: string; urn: string }[]).filter((r) => types.includes(r.type)).map((r) => r.urn);

  beforeAll(async () => {
    emulator = await startE2eEmulator();
    const source = writeProgramDir(yamlProgram(declared({}, { note: "first" }, { create: "5m" }), outputs));
    testStack = await createTestStack({
      program: source,
      config: { "cloudflare-sharing:apiToken": { value: TOKEN, secret: true }, "cloudflare-sharing:baseUrl": { value: emulator.url } },
      env: { CLOUDFLARE_SHARING_TUNING: FAST_TUNING, CLOUDFLARE_SHARING_JOURNAL_DIR: journalDir },
    });
    fs.rmSync(source, { recursive: true, force: true });
  });
  afterAll(async () => {
    await testStack?.destroyAndRemove().catch(() => undefined);
    await emulator?.stop();
    fs.rmSync(journalDir, { recursive: true, force: true });
  });

  it("`replaceOnChanges` replaces a recipient (timeouts) and a resource (meta), deleting each first", async () => {
    const options = { recipient: { replaceOnChanges: ["timeouts"] }, resource: { replaceOnChanges: ["meta"] } };
    writeProgram(declared(options, { note: "first" }, { create: "5m" }));
    const before = heldBy((await testStack.stack.up()).outputs);

    writeProgram(declared(options, { note: "second" }, { create: "4m" }));
    const up = await testStack.stack.up();
    expect(up.summary.resourceChanges).toMatchObject({ replace: 2 });
    await expectReplaced(emulator, testStack, before, heldBy(up.outputs));
  });

  it("`up --replace` stops, naming the deleteBeforeReplace option and losing nothing, until the option is given; then it replaces", async () => {
    writeProgram(declared({}, { note: "second" }, { create: "4m" }));
    const before = heldBy(await testStack.stack.outputs());
    const replace = await urnsOf(PLUGIN_RECIPIENT_TYPE, PLUGIN_RESOURCE_TYPE);
    expect(replace).toHaveLength(2);

    // The engine creates the new record first: the API refuses it while the old one is there.
    const failure = await testStack.stack.up({ replace }).then(
      () => "succeeded",
      (error: unknown) => String(error),
    );
    // Each resource's error, once (the engine prints it on the resource's row and again under Diagnostics).
    const errors = [...new Set(errorLines(failure))];
    expect(errors.filter((line) => line.includes(`already exists as ${before.recipientId}`) && line.includes("`deleteBeforeReplace: true`"))).toHaveLength(1);
    expect(errors.filter((line) => line.includes(`already exists as ${before.resourceId}`) && line.includes("`deleteBeforeReplace: true`"))).toHaveLength(1);
    // Nothing lost: the old records are live and still in state.
    expect(emulator.control.listRecipients(before.shareId).find((r) => r.id === before.recipientId)?.association_status).toBe("associated");
    expect(emulator.control.listResources(before.shareId).find((r) => r.id === before.resourceId)?.status).toBe("active");
    expect(heldBy(await testStack.stack.outputs())).toEqual(before);

    writeProgram(declared({ recipient: { deleteBeforeReplace: true }, resource: { deleteBeforeReplace: true } }, { note: "second" }, { create: "4m" }));
    const up = await testStack.stack.up({ replace });
    expect(up.summary.resourceChanges).toMatchObject({ replace: 2 });
    await expectReplaced(emulator, testStack, before, heldBy(up.outputs));
  });
});
