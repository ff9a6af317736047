// `pulumi import` through the plugin declares an organization recipient as `{ organizationId }`, for
// a ShareRecipient and for a Share's inline recipients, whichever account id the API reports for such
// a recipient (reference §12.12: the organization's, or the owner's): the program it generates then
// previews with no changes.
import * as fs from "node:fs";
import * as path from "node:path";
import type { RunningEmulator } from "../../../emulator";
import { TestStack } from "../harness";
import { OWNER, PARTNER_A, RULESET_1, RULESET_2, startE2eEmulator } from "../fixtures";
import { yamlProgram, YamlResource } from "./yaml-program";
import { yamlTestStack } from "./yaml-stack";

jest.setTimeout(300_000);

const ORGANIZATION = "4f1c2d3e5a6b7c8d9e0fa1b2c3d4e5f6"; // the emulator's default organization
const ruleset = (resourceId: string) => ({ resource_type: "custom-ruleset", resource_id: resourceId, resource_account_id: OWNER, meta: { tier: "gold" } });

describe.each(["organization", "owner"] as const)("importing an organization recipient (its account_id holds the %s id)", (reading) => {
  let emulator: RunningEmulator;
  let testStack: TestStack | undefined;

  beforeAll(async () => {
    emulator = await startE2eEmulator({ behaviour: { organizationRecipientAccountId: reading } });
  });
  afterAll(async () => {
    await testStack?.destroyAndRemove().catch(() => undefined);
    await emulator?.stop();
  });

  it("declares it with organizationId, as a ShareRecipient and inline in a Share, and the next preview expects no changes", async () => {
    const { control } = emulator;
    const wide = control.seedShare({ accountId: OWNER, name: "org wide", recipients: [{ organization_id: ORGANIZATION }], resources: [ruleset(RULESET_1)], settled: true });
    // An account recipient next to the organization one: each must keep its own target.
    const mixed = control.seedShare({
      accountId: OWNER,
      name: "partner and org",
      recipients: [{ recipient_account_id: PARTNER_A }, { organization_id: ORGANIZATION }],
      resources: [ruleset(RULESET_2)],
      settled: true,
    });
    const organizationRecipient = mixed.recipients[1];

    testStack = await yamlTestStack(emulator, yamlProgram({}));

    const imported = await testStack.stack.import({
      resources: [
        { type: "cloudflare-sharing:index:Share", name: "wide", id: `${OWNER}/${wide.share.id}` },
        { type: "cloudflare-sharing:index:ShareRecipient", name: "organization", id: `${OWNER}/${mixed.share.id}/${organizationRecipient.id}` },
      ],
      protect: false,
      onOutput: (line) => testStack!.printed.push(line),
    });
    expect(imported.summary.resourceChanges).toMatchObject({ import: 2 });
    expect(imported.generatedCode).toContain(`organizationId: ${ORGANIZATION}`);
    expect(imported.generatedCode).not.toContain("recipientAccountId");

    // The program as the generated code declares it.
    const declared: Record<string, YamlResource> = {
      wide: {
        type: "Share",
        properties: {
          accountId: OWNER,
          name: "org wide",
          recipients: [{ organizationId: ORGANIZATION }],
          resources: [{ resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: OWNER, meta: { tier: "gold" } }],
        },
      },
      organization: { type: "ShareRecipient", properties: { accountId: OWNER, shareId: mixed.share.id, organizationId: ORGANIZATION } },
    };
    fs.writeFileSync(path.join(testStack.programDir, "Pulumi.yaml"), yamlProgram(declared));
    emulator.control.clearLog();
    const preview = await testStack.stack.preview({ expectNoChanges: true, onOutput: (line) => testStack!.printed.push(line) });
    expect(preview.changeSummary).toMatchObject({ same: 3 }); // the two and the stack
    expect(emulator.control.requestLog()).toEqual([]);
  });
});
