// The package's policy pack under the real engine, on a stack of the TypeScript classes (the dynamic
// providers): `preview --policy-pack` and `up --policy-pack` refuse a risky stack before any write.
import type { RunningEmulator } from "../../emulator";
import { OWNER, PARTNER_A, PARTNER_B, PARTNER_C, PARTNER_D, POLICY_1, RULESET_1, sharingStack, Spec, startE2eEmulator, writes } from "./fixtures";
import { TestStack } from "./harness";
import { hexIdOf, SHARE_TYPE } from "./invariants";
import { findings, GUARDRAILS, POLICY_NAMES, POLICY_PACK, policyConfigFile } from "./policy-pack";

jest.setTimeout(300_000);

const ADOPTED = hexIdOf("legacy share");

/** One violation of every policy: each resource breaks only the rules named beside it. */
const RISKY: Spec = {
  accountId: OWNER,
  shares: {
    // share-name-pattern, no-adopt, require-exclusive, resource-account-matches-share; with the
    // separate recipient, three recipients: max-recipients.
    main: {
      name: "shared rules",
      adopt: ADOPTED,
      recipients: [{ recipientAccountId: PARTNER_A }, { recipientAccountId: PARTNER_B }],
      resources: [{ resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: PARTNER_D }],
    },
  },
  recipients: { outsider: { share: "main", recipientAccountId: PARTNER_C } }, // allowed-recipients
  resources: { gateway: { share: "main", resourceType: "gateway-policy", resourceId: POLICY_1, resourceAccountId: OWNER } }, // allowed-resource-types
};

const EXPECTED_MESSAGES: Record<(typeof POLICY_NAMES)[number], string> = {
  "allowed-recipients": `ShareRecipient "outsider": recipientAccountId is "${PARTNER_C}", which is not one of the allowed accounts (${PARTNER_A}, ${PARTNER_B}).`,
  "allowed-resource-types": `ShareResource "gateway": resourceType is "gateway-policy", which is a denied resource type (gateway-policy).`,
  "max-recipients": `Share "main": 3 recipients (2 inline in recipients, 1 separate ShareRecipient (outsider)), more than the maximum of 2 per share.`,
  "no-adopt": `Share "main": adopt is "${ADOPTED}"; this stack must not take over existing objects (adopt is forbidden).`,
  "share-name-pattern": `Share "main": name is "shared rules", which does not match the pattern /^team-/.`,
  "resource-account-matches-share": `Share "main": resources[0].resourceAccountId is "${PARTNER_D}", but the share's account (accountId) is "${OWNER}"; a share may only give objects of its own account.`,
  "require-exclusive": `Share "main": exclusive is not set; every Share must declare exclusive: true.`,
};

const COMPLIANT: Spec = {
  accountId: OWNER,
  shares: {
    // Exclusive (require-exclusive), so every recipient is inline: an exclusive share refuses separate ones.
    main: {
      name: "team-rules",
      exclusive: true,
      recipients: [{ recipientAccountId: PARTNER_A }, { recipientAccountId: PARTNER_B }],
      resources: [{ resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: OWNER }],
    },
  },
};

describe("the policy pack under the real engine, on a TypeScript stack", () => {
  let emulator: RunningEmulator;
  let risky: TestStack;
  const mandatory = policyConfigFile(GUARDRAILS);

  beforeAll(async () => {
    emulator = await startE2eEmulator();
    risky = await sharingStack(emulator, RISKY);
  });
  afterAll(async () => {
    await risky?.destroyAndRemove().catch(() => undefined);
    await emulator?.stop();
  });

  it("preview --policy-pack fails with one message per violation, naming resource, field, value and rule, and sends no write", async () => {
    const output: string[] = [];
    await expect(risky.stack.preview({ policyPacks: [POLICY_PACK], policyPackConfigs: [mandatory], onOutput: (line) => output.push(line) })).rejects.toThrow(/preview failed/);
    const found = findings(output.join(""));
    expect(found.map((finding) => finding.policy).sort()).toEqual([...POLICY_NAMES].sort());
    for (const finding of found) {
      expect(finding.level).toBe("mandatory");
      expect(finding.message).toBe(EXPECTED_MESSAGES[finding.policy as keyof typeof EXPECTED_MESSAGES]);
    }
    expect(writes(emulator)).toEqual([]);
  });

  it("up --policy-pack refuses before any write", async () => {
    const output: string[] = [];
    // The Automation API's up skips the preview: the engine checks each resource before its create,
    // stops at the Share, and never reaches the recipient and object that wait for its id.
    await expect(risky.stack.up({ policyPacks: [POLICY_PACK], policyPackConfigs: [mandatory], onOutput: (line) => output.push(line) })).rejects.toThrow(/exit code 1/);
    const found = findings(output.join(""));
    expect(found.map((finding) => finding.policy).sort()).toEqual(["no-adopt", "require-exclusive", "resource-account-matches-share", "share-name-pattern"]);
    for (const finding of found) expect(finding).toMatchObject({ level: "mandatory", resource: `${SHARE_TYPE}: main` });
    expect(writes(emulator)).toEqual([]);
    const state = await risky.exportState();
    expect(((state.resources ?? []) as { type: string }[]).filter((resource) => resource.type === SHARE_TYPE)).toEqual([]);
  });

  it("advisory policies warn and let the preview pass", async () => {
    const output: string[] = [];
    const advisory = policyConfigFile({ all: "advisory", ...GUARDRAILS });
    const preview = await risky.stack.preview({ policyPacks: [POLICY_PACK], policyPackConfigs: [advisory], onOutput: (line) => output.push(line) });
    // The refused up left only the stack itself in state.
    expect(preview.changeSummary).toMatchObject({ create: 3 });
    const found = findings(output.join(""));
    expect(found.map((finding) => [finding.policy, finding.level]).sort()).toEqual([...POLICY_NAMES].sort().map((name) => [name, "advisory"]));
    expect(writes(emulator)).toEqual([]);
  });

  it("a config the pack's schema refuses fails with the CLI's message, before any write", async () => {
    const output: string[] = [];
    const wrong = policyConfigFile({ ...GUARDRAILS, "max-recipients": { max: "three" } });
    await expect(risky.stack.preview({ policyPacks: [POLICY_PACK], policyPackConfigs: [wrong], onOutput: (line) => output.push(line) })).rejects.toThrow(
      /validating policy config: cloudflare-sharing 0\.1\.0\s+max-recipients: max: Invalid type\. Expected: integer, given: string/,
    );
    expect(writes(emulator)).toEqual([]);
  });

  it("a compliant stack passes preview and up with the pack", async () => {
    const compliant = await sharingStack(emulator, COMPLIANT);
    try {
      const output: string[] = [];
      const preview = await compliant.stack.preview({ policyPacks: [POLICY_PACK], policyPackConfigs: [mandatory], onOutput: (line) => output.push(line) });
      expect(preview.changeSummary).toMatchObject({ create: 2 });
      const up = await compliant.stack.up({ policyPacks: [POLICY_PACK], policyPackConfigs: [mandatory], onOutput: (line) => output.push(line) });
      expect(up.summary.result).toBe("succeeded");
      expect(findings(output.join(""))).toEqual([]);
    } finally {
      await compliant.destroyAndRemove();
    }
  });
});
