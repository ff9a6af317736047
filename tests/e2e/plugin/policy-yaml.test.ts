// The package's policy pack under the real engine, on a Pulumi YAML stack of the plugin (the face of
// every Pulumi language): the same findings as on a TypeScript stack, by the plugin's type names.
import * as fs from "node:fs";
import type { RunningEmulator } from "../../../emulator";
import { FAST_TUNING, OWNER, PARTNER_A, PARTNER_B, PARTNER_C, PARTNER_D, POLICY_1, RULESET_1, startE2eEmulator, TOKEN, writes } from "../fixtures";
import { createTestStack, TestStack } from "../harness";
import { hexIdOf } from "../invariants";
import { findings, GUARDRAILS, POLICY_NAMES, POLICY_PACK, policyConfigFile } from "../policy-pack";
import { writeProgramDir, yamlProgram, YamlResource } from "./yaml-program";

jest.setTimeout(300_000);

const ADOPTED = hexIdOf("legacy share");

/** One violation of every policy, as in the TypeScript stack's test. */
const RISKY: Record<string, YamlResource> = {
  main: {
    type: "Share",
    properties: {
      accountId: OWNER,
      name: "shared rules",
      adopt: ADOPTED,
      recipients: [{ recipientAccountId: PARTNER_A }, { recipientAccountId: PARTNER_B }],
      resources: [{ resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: PARTNER_D }],
    },
  },
  outsider: { type: "ShareRecipient", properties: { accountId: OWNER, shareId: "${main.id}", recipientAccountId: PARTNER_C } },
  gateway: { type: "ShareResource", properties: { accountId: OWNER, shareId: "${main.id}", resourceType: "gateway-policy", resourceId: POLICY_1, resourceAccountId: OWNER } },
};

const COMPLIANT: Record<string, YamlResource> = {
  main: {
    type: "Share",
    // Exclusive (require-exclusive), so every recipient is inline: an exclusive share refuses separate ones.
    properties: {
      accountId: OWNER,
      name: "team-rules",
      exclusive: true,
      recipients: [{ recipientAccountId: PARTNER_A }, { recipientAccountId: PARTNER_B }],
      resources: [{ resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: OWNER }],
    },
  },
};

describe("the policy pack under the real engine, on a Pulumi YAML stack of the plugin", () => {
  let emulator: RunningEmulator;
  const mandatory = policyConfigFile(GUARDRAILS);

  const yamlStack = async (resources: Record<string, YamlResource>): Promise<TestStack> => {
    const source = writeProgramDir(yamlProgram(resources));
    try {
      return await createTestStack({
        program: source,
        config: { "cloudflare-sharing:apiToken": { value: TOKEN, secret: true }, "cloudflare-sharing:baseUrl": { value: emulator.url } },
        env: { CLOUDFLARE_SHARING_TUNING: FAST_TUNING },
      });
    } finally {
      fs.rmSync(source, { recursive: true, force: true });
    }
  };

  beforeAll(async () => {
    emulator = await startE2eEmulator();
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  it("preview --policy-pack fails with one message per violation, and up --policy-pack refuses, both before any write", async () => {
    const risky = await yamlStack(RISKY);
    try {
      const output: string[] = [];
      await expect(risky.stack.preview({ policyPacks: [POLICY_PACK], policyPackConfigs: [mandatory], onOutput: (line) => output.push(line) })).rejects.toThrow(/preview failed/);
      const found = findings(output.join(""));
      expect(found.map((finding) => finding.policy).sort()).toEqual([...POLICY_NAMES].sort());
      expect(found.filter((finding) => finding.level !== "mandatory")).toEqual([]);
      const byPolicy = Object.fromEntries(found.map((finding) => [finding.policy, finding]));
      expect(byPolicy["allowed-recipients"]).toMatchObject({
        resource: "cloudflare-sharing:index:ShareRecipient: outsider",
        message: `ShareRecipient "outsider": recipientAccountId is "${PARTNER_C}", which is not one of the allowed accounts (${PARTNER_A}, ${PARTNER_B}).`,
      });
      expect(byPolicy["allowed-resource-types"].message).toBe(`ShareResource "gateway": resourceType is "gateway-policy", which is a denied resource type (gateway-policy).`);
      expect(byPolicy["max-recipients"].message).toBe(`Share "main": 3 recipients (2 inline in recipients, 1 separate ShareRecipient (outsider)), more than the maximum of 2 per share.`);
      expect(byPolicy["no-adopt"].message).toBe(`Share "main": adopt is "${ADOPTED}"; this stack must not take over existing objects (adopt is forbidden).`);
      expect(byPolicy["resource-account-matches-share"].message).toMatch(`resources[0].resourceAccountId is "${PARTNER_D}", but the share's account (accountId) is "${OWNER}"`);
      expect(byPolicy["share-name-pattern"].message).toBe(`Share "main": name is "shared rules", which does not match the pattern /^team-/.`);
      expect(byPolicy["require-exclusive"].message).toBe(`Share "main": exclusive is not set; every Share must declare exclusive: true.`);
      expect(writes(emulator)).toEqual([]);

      const upOutput: string[] = [];
      await expect(risky.stack.up({ policyPacks: [POLICY_PACK], policyPackConfigs: [mandatory], onOutput: (line) => upOutput.push(line) })).rejects.toThrow(/exit code 1/);
      expect(findings(upOutput.join("")).length).toBeGreaterThan(0);
      expect(writes(emulator)).toEqual([]);

      const advisoryOutput: string[] = [];
      const advisory = policyConfigFile({ all: "advisory", ...GUARDRAILS });
      await risky.stack.preview({ policyPacks: [POLICY_PACK], policyPackConfigs: [advisory], onOutput: (line) => advisoryOutput.push(line) });
      expect(findings(advisoryOutput.join("")).map((finding) => [finding.policy, finding.level]).sort()).toEqual([...POLICY_NAMES].sort().map((name) => [name, "advisory"]));
      expect(writes(emulator)).toEqual([]);
    } finally {
      await risky.destroyAndRemove().catch(() => undefined);
    }
  });

  it("a compliant stack passes preview and up with the pack", async () => {
    const compliant = await yamlStack(COMPLIANT);
    try {
      const config = mandatory;
      const output: string[] = [];
      await compliant.stack.preview({ policyPacks: [POLICY_PACK], policyPackConfigs: [config], onOutput: (line) => output.push(line) });
      const up = await compliant.stack.up({ policyPacks: [POLICY_PACK], policyPackConfigs: [config], onOutput: (line) => output.push(line) });
      expect(up.summary.result).toBe("succeeded");
      expect(findings(output.join(""))).toEqual([]);
    } finally {
      await compliant.destroyAndRemove();
    }
  });
});
