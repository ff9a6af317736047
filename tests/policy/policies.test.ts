// Each policy of the pack on inline and separate declarations, on both faces, and on values a
// preview cannot know yet (never a pass: the policy reports every known violation, then stops at
// the unknown value for the framework to note).
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { allowedRecipients } from "../../provider/policy/allowed-recipients";
import { allowedResourceTypes } from "../../provider/policy/allowed-resource-types";
import { maxRecipients } from "../../provider/policy/max-recipients";
import { noAdopt } from "../../provider/policy/no-adopt";
import { policies } from "../../provider/policy/policies";
import { requireExclusive } from "../../provider/policy/require-exclusive";
import { resourceAccountMatchesShare } from "../../provider/policy/resource-account-matches-share";
import { shareNamePattern } from "../../provider/policy/share-name-pattern";
import { FACES, policyResource, UNKNOWN, validateResource, validateStack } from "./policy-args";

const OWNER = "023e105f4ecef8ad9ca31a8372d0c353";
const PARTNER_A = "9a7806061c88ada191ed06f989cc3dac";
const PARTNER_B = "b1946ac92492d2347c6235b4d2611184";
const ORG = "7d793037a0760186574b0282f2f435e7";
const RULESET = "2f2feab2026849078ba485f918791bdc";

describe.each(FACES)("the policies on the %s resources", (_face, types) => {
  const share = (props: Record<string, unknown>, name = "rules") =>
    policyResource(types.Share, name, { accountId: OWNER, name: "team-rules", exclusive: true, ...props });
  const recipient = (props: Record<string, unknown>, name = "partner") =>
    policyResource(types.ShareRecipient, name, { accountId: OWNER, shareId: "3fd85f74b32742f1bff64a85009dda07", ...props });
  const object = (props: Record<string, unknown>, name = "ruleset") =>
    policyResource(types.ShareResource, name, { accountId: OWNER, shareId: "3fd85f74b32742f1bff64a85009dda07", resourceId: RULESET, ...props });

  describe("allowed-recipients", () => {
    const config = { accounts: [PARTNER_A] };

    it("refuses an account outside the list, inline and separate, naming resource, field, value and rule", () => {
      const inline = validateResource(allowedRecipients, share({ recipients: [{ recipientAccountId: PARTNER_A }, { recipientAccountId: PARTNER_B }] }), config);
      expect(inline.violations).toEqual([
        `Share "rules": recipients[1].recipientAccountId is "${PARTNER_B}", which is not one of the allowed accounts (${PARTNER_A}).`,
      ]);
      const separate = validateResource(allowedRecipients, recipient({ recipientAccountId: PARTNER_B }), config);
      expect(separate.violations).toEqual([`ShareRecipient "partner": recipientAccountId is "${PARTNER_B}", which is not one of the allowed accounts (${PARTNER_A}).`]);
    });

    it("refuses an organization when only accounts are allowed, and accepts a listed one", () => {
      expect(validateResource(allowedRecipients, recipient({ organizationId: ORG }), config).violations).toEqual([
        `ShareRecipient "partner": organizationId is "${ORG}", which is not one of the allowed organizations (none).`,
      ]);
      expect(validateResource(allowedRecipients, recipient({ organizationId: ORG }), { organizations: [ORG] }).violations).toEqual([]);
      expect(validateResource(allowedRecipients, recipient({ recipientAccountId: PARTNER_A }), config).violations).toEqual([]);
    });

    it("checks nothing without a list", () => {
      expect(validateResource(allowedRecipients, recipient({ recipientAccountId: PARTNER_B }), {})).toEqual({ violations: [] });
    });

    it("reports the known violations and stops at an unknown recipient, never passing it", () => {
      const outcome = validateResource(allowedRecipients, share({ recipients: [{ recipientAccountId: UNKNOWN }, { recipientAccountId: PARTNER_B }] }), config);
      expect(outcome.violations).toEqual([expect.stringContaining(`recipients[1].recipientAccountId is "${PARTNER_B}"`)]);
      expect(outcome.unknown).toMatch(/recipients\.0\.recipientAccountId can't be known during preview/);
      expect(validateResource(allowedRecipients, share({ recipients: UNKNOWN }), config).unknown).toMatch(/\.recipients can't be known/);
    });

    it("refuses a misspelt setting, naming it", () => {
      expect(() => validateResource(allowedRecipients, recipient({ recipientAccountId: PARTNER_A }), { acounts: [PARTNER_A] })).toThrow(
        'allowed-recipients: the config setting "acounts" is not one of this policy\'s settings (accounts, organizations).',
      );
    });
  });

  describe("allowed-resource-types", () => {
    it("refuses a denied type, inline and separate", () => {
      const config = { deny: ["gateway-policy"] };
      expect(validateResource(allowedResourceTypes, share({ resources: [{ resourceType: "custom-ruleset" }, { resourceType: "gateway-policy" }] }), config).violations).toEqual([
        `Share "rules": resources[1].resourceType is "gateway-policy", which is a denied resource type (gateway-policy).`,
      ]);
      expect(validateResource(allowedResourceTypes, object({ resourceType: "gateway-policy" }), config).violations).toEqual([
        `ShareResource "ruleset": resourceType is "gateway-policy", which is a denied resource type (gateway-policy).`,
      ]);
    });

    it("refuses a type outside `allow`, and accepts a listed one", () => {
      const config = { allow: ["custom-ruleset"] };
      expect(validateResource(allowedResourceTypes, object({ resourceType: "gateway-policy" }), config).violations).toEqual([
        `ShareResource "ruleset": resourceType is "gateway-policy", which is not one of the allowed resource types (custom-ruleset).`,
      ]);
      expect(validateResource(allowedResourceTypes, object({ resourceType: "custom-ruleset" }), config).violations).toEqual([]);
    });

    it("does not pass an unknown type", () => {
      expect(validateResource(allowedResourceTypes, object({ resourceType: UNKNOWN }), { allow: ["custom-ruleset"] }).unknown).toMatch(/\.resourceType can't be known/);
    });
  });

  describe("max-recipients (a stack policy)", () => {
    it("counts inline recipients and the separate ShareRecipients whose shareId comes from the share", () => {
      const main = share({ recipients: [{ recipientAccountId: PARTNER_A }] });
      // At preview the shareId of a new share is unknown: the dependency still names the share.
      const extra = policyResource(types.ShareRecipient, "extra", { accountId: OWNER, shareId: UNKNOWN, recipientAccountId: PARTNER_B }, { shareId: [main] });
      const outcome = validateStack(maxRecipients, [main, extra], { max: 1 });
      expect(outcome).toEqual({
        violations: [`Share "rules": 2 recipients (1 inline in recipients, 1 separate ShareRecipient (extra)), more than the maximum of 1 per share.`],
      });
      expect(validateStack(maxRecipients, [main, extra], { max: 2 })).toEqual({ violations: [] });
    });

    it("counts separate recipients of a share outside the stack by their shareId", () => {
      const outcome = validateStack(maxRecipients, [recipient({ recipientAccountId: PARTNER_A }, "a"), recipient({ recipientAccountId: PARTNER_B }, "b")], { max: 1 });
      expect(outcome.violations).toEqual([
        "share 3fd85f74b32742f1bff64a85009dda07: 2 recipients (0 inline in recipients, 2 separate ShareRecipient (a, b)), more than the maximum of 1 per share.",
      ]);
    });

    it("does not pass a share whose recipients are unknown", () => {
      expect(validateStack(maxRecipients, [share({ recipients: UNKNOWN })], { max: 1 }).unknown).toMatch(/\.recipients can't be known/);
    });
  });

  describe("no-adopt", () => {
    it("refuses adopt on each resource", () => {
      expect(validateResource(noAdopt, share({ adopt: RULESET })).violations).toEqual([
        `Share "rules": adopt is "${RULESET}"; this stack must not take over existing objects (adopt is forbidden).`,
      ]);
      expect(validateResource(noAdopt, recipient({ adopt: RULESET })).violations).toHaveLength(1);
      expect(validateResource(noAdopt, object({ adopt: RULESET })).violations).toHaveLength(1);
      expect(validateResource(noAdopt, share({}))).toEqual({ violations: [] });
      expect(validateResource(noAdopt, share({ adopt: UNKNOWN })).unknown).toMatch(/\.adopt can't be known/);
    });
  });

  describe("share-name-pattern", () => {
    it("refuses a share name that does not match", () => {
      expect(validateResource(shareNamePattern, share({ name: "Rules" }), { pattern: "^team-" }).violations).toEqual([
        `Share "rules": name is "Rules", which does not match the pattern /^team-/.`,
      ]);
      expect(validateResource(shareNamePattern, share({}), { pattern: "^team-" }).violations).toEqual([]);
      expect(validateResource(shareNamePattern, share({ name: UNKNOWN }), { pattern: "^team-" }).unknown).toMatch(/\.name can't be known/);
    });

    it("says which config is not a regular expression", () => {
      expect(() => validateResource(shareNamePattern, share({}), { pattern: "(" })).toThrow(/share-name-pattern: config pattern "\(" is not a valid regular expression/);
    });
  });

  describe("resource-account-matches-share", () => {
    it("refuses an object of another account, inline and separate", () => {
      expect(validateResource(resourceAccountMatchesShare, share({ resources: [{ resourceType: "custom-ruleset", resourceAccountId: PARTNER_A }] })).violations).toEqual([
        `Share "rules": resources[0].resourceAccountId is "${PARTNER_A}", but the share's account (accountId) is "${OWNER}"; a share may only give objects of its own account.`,
      ]);
      expect(validateResource(resourceAccountMatchesShare, object({ resourceAccountId: PARTNER_A })).violations).toHaveLength(1);
      expect(validateResource(resourceAccountMatchesShare, object({ resourceAccountId: OWNER })).violations).toEqual([]);
      expect(validateResource(resourceAccountMatchesShare, object({ resourceAccountId: UNKNOWN })).unknown).toMatch(/\.resourceAccountId can't be known/);
    });
  });

  describe("require-exclusive", () => {
    it("refuses a Share without exclusive: true", () => {
      expect(validateResource(requireExclusive, share({ exclusive: undefined })).violations).toEqual([
        `Share "rules": exclusive is not set; every Share must declare exclusive: true.`,
      ]);
      expect(validateResource(requireExclusive, share({ exclusive: false })).violations).toEqual([
        `Share "rules": exclusive is false; every Share must declare exclusive: true.`,
      ]);
      expect(validateResource(requireExclusive, share({}))).toEqual({ violations: [] });
      expect(validateResource(requireExclusive, recipient({}))).toEqual({ violations: [] });
      expect(validateResource(requireExclusive, share({ exclusive: UNKNOWN })).unknown).toMatch(/\.exclusive can't be known/);
    });
  });
});

describe("the pack", () => {
  it("has every policy docs/policy.md names, by name", () => {
    expect(policies.map((policy) => policy.name).sort()).toEqual(
      ["allowed-recipients", "allowed-resource-types", "max-recipients", "no-adopt", "require-exclusive", "resource-account-matches-share", "share-name-pattern"].sort(),
    );
  });

  it("reads no other resource", () => {
    const other = policyResource("aws:s3/bucket:Bucket", "bucket", { adopt: "x", name: "Bucket", accountId: OWNER, resources: [{ resourceAccountId: PARTNER_A }] });
    for (const policy of policies) {
      const config = { max: 0, pattern: "^team-", accounts: [], deny: ["x"] };
      const known = Object.keys(policy.configSchema?.properties ?? {});
      const own = Object.fromEntries(Object.entries(config).filter(([key]) => known.includes(key)));
      const outcome = "validateStack" in policy ? validateStack(policy as StackValidationPolicy, [other], own) : validateResource(policy as ResourceValidationPolicy, other, own);
      expect(outcome).toEqual({ violations: [] });
    }
  });
});
