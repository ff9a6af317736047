// Secrets through the plugin under the real engine (Pulumi YAML, `fn::secret`): a secret `meta` that
// differs from Cloudflare's with adoptOnlyIfMatching, and bad secret inputs, fail with messages that
// name the field and never its value (nor the value Cloudflare holds); a secret input's outputs stay
// secret. Every line the CLI printed and every file of the backend is searched for the secrets.
import * as fs from "node:fs";
import * as path from "node:path";
import type { RunningEmulator } from "../../../emulator";
import { TestStack } from "../harness";
import { OWNER, PARTNER_A, POLICY_1, RULESET_1, startE2eEmulator, writes } from "../fixtures";
import { yamlProgram, YamlResource } from "./yaml-program";
import { yamlTestStack } from "./yaml-stack";

jest.setTimeout(240_000);

const PROGRAM_SECRET = "program-secret-7c4a8d09ca3762af";
const CLOUDFLARE_SECRET = "cloudflare-held-secret-e10adc3949ba";
const BAD_META_SECRET = "not json: bad-meta-secret-5f4dcc3b";
const BAD_ID_SECRET = "zz-bad-id-secret-25d55ad283aa";
const SECRETS = [PROGRAM_SECRET, CLOUDFLARE_SECRET, BAD_META_SECRET, BAD_ID_SECRET];
const secret = (value: unknown) => ({ "fn::secret": value });

describe("secrets through the plugin", () => {
  let emulator: RunningEmulator;
  let testStack: TestStack;
  const failures: string[] = [];

  const run = async (resources: Record<string, YamlResource>, outputs: Record<string, string> = {}) => {
    fs.writeFileSync(path.join(testStack.programDir, "Pulumi.yaml"), yamlProgram(resources, outputs));
    return testStack.stack.up({ onOutput: (line) => testStack.printed.push(line) });
  };
  const failing = async (resources: Record<string, YamlResource>) => {
    const error = await run(resources).then(
      () => undefined,
      (failure: Error) => failure,
    );
    expect(error).toBeInstanceOf(Error);
    failures.push(error!.message);
    return [...testStack.printed, error!.message].join("\n");
  };

  beforeAll(async () => {
    emulator = await startE2eEmulator();
    testStack = await yamlTestStack(emulator, yamlProgram({}));
  });
  afterAll(async () => {
    await testStack?.destroyAndRemove().catch(() => undefined);
    await emulator?.stop();
  });

  it("a secret meta that differs from Cloudflare's, with adoptOnlyIfMatching: the error names the field, shows neither value, and nothing is written", async () => {
    const { share } = emulator.control.seedShare({
      accountId: OWNER,
      name: "held",
      recipients: [{ recipient_account_id: PARTNER_A }],
      resources: [{ resource_type: "custom-ruleset", resource_id: RULESET_1, resource_account_id: OWNER, meta: { token: CLOUDFLARE_SECRET } }],
      settled: true,
    });
    emulator.control.clearLog();
    const output = await failing({
      adopted: {
        type: "Share",
        properties: {
          accountId: OWNER,
          name: "held",
          recipients: [{ recipientAccountId: PARTNER_A }],
          resources: [{ resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: OWNER, meta: secret({ token: PROGRAM_SECRET }) }],
          adopt: share.id,
          adoptOnlyIfMatching: true,
        },
      },
    });
    expect(output).toContain(`cannot adopt share ${share.id} "held": it differs from the program`);
    expect(output).toContain(`the meta of its resource custom-ruleset/${RULESET_1} differs from the program's (a secret value)`);
    expect(writes(emulator)).toEqual([]);
  });

  it("bad secret inputs: each check failure names the field and the rule, never the value", async () => {
    // One resource per run: the engine stops at the first resource whose check fails.
    const badMeta = await failing({
      badMeta: {
        type: "ShareResource",
        properties: { accountId: OWNER, shareId: "a".repeat(32), resourceType: "gateway-policy", resourceId: POLICY_1, resourceAccountId: OWNER, meta: secret(BAD_META_SECRET) },
      },
    });
    expect(badMeta).toContain("resource 'badMeta' has a problem: meta must be a JSON object; the string is not valid JSON (its value is secret)");
    const badId = await failing({
      badId: {
        type: "ShareResource",
        properties: { accountId: OWNER, shareId: "a".repeat(32), resourceType: "gateway-policy", resourceId: secret(BAD_ID_SECRET), resourceAccountId: OWNER },
      },
    });
    expect(badId).toMatch(/resource 'badId' has a problem: resourceId must be hexadecimal \(a Cloudflare id such as [0-9a-f]{32}\), got a secret value/);
  });

  it("a secret input's outputs stay secret", async () => {
    const { share } = emulator.control.seedShare({
      accountId: OWNER,
      name: "host",
      recipients: [{ recipient_account_id: PARTNER_A }],
      resources: [{ resource_type: "custom-ruleset", resource_id: RULESET_1, resource_account_id: OWNER, meta: {} }],
      settled: true,
    });
    const up = await run(
      {
        policy: {
          type: "ShareResource",
          properties: { accountId: OWNER, shareId: share.id, resourceType: "gateway-policy", resourceId: POLICY_1, resourceAccountId: OWNER, meta: secret({ token: PROGRAM_SECRET }) },
        },
      },
      { policyMeta: "${policy.meta}", policyStatus: "${policy.status}" },
    );
    expect(up.outputs.policyMeta.secret).toBe(true);
    expect(JSON.parse(up.outputs.policyMeta.value)).toEqual({ token: PROGRAM_SECRET });
    expect(up.outputs.policyStatus).toEqual({ value: "active", secret: false });
    // Cloudflare has the meta the program gave.
    expect(emulator.control.listResources(share.id).find((resource) => resource.resource_id === POLICY_1)?.meta).toEqual({ token: PROGRAM_SECRET });
  });

  it("no secret anywhere: not in any line the CLI printed, any error, nor any file of the backend", () => {
    const everything = [...testStack.printed, ...failures, ...testStack.persistedState()];
    for (const value of SECRETS) expect(everything.filter((text) => text.includes(value))).toEqual([]);
  });
});
