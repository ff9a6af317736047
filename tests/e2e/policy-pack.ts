// The package's policy pack as a pipeline runs it: from the installed package, with a config file,
// and what the engine prints about each finding.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { OWNER, PARTNER_A, PARTNER_B } from "./fixtures";

const repoRoot = path.resolve(__dirname, "..", "..");

/** The pack as `npm run build` installs the package: `node_modules/pulumi-cloudflare-sharing/policy`. */
export const POLICY_PACK = path.join(repoRoot, "node_modules", "pulumi-cloudflare-sharing", "policy");

/** Every policy of the pack. */
export const POLICY_NAMES = [
  "allowed-recipients",
  "allowed-resource-types",
  "max-recipients",
  "no-adopt",
  "share-name-pattern",
  "resource-account-matches-share",
  "require-exclusive",
] as const;

/** A platform team's guardrails: two partners, no gateway policies, two recipients per share, `team-` names. */
export const GUARDRAILS = {
  "allowed-recipients": { accounts: [PARTNER_A, PARTNER_B] },
  "allowed-resource-types": { deny: ["gateway-policy"] },
  "max-recipients": { max: 2 },
  "share-name-pattern": { pattern: "^team-" },
};

export { OWNER };

/** Writes a `--policy-pack-config` file and returns its path. */
export function policyConfigFile(config: object): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-config-"));
  const file = path.join(dir, "policy-config.json");
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/** One finding as the engine prints it under "Policies:". */
export interface Finding {
  level: string;
  policy: string;
  resource: string;
  message: string;
}

/**
 * The findings in an engine's output. The engine prints each as
 * `- [mandatory]  <policy>  (<type>: <name>)`, then the policy's description, then the message.
 */
export function findings(output: string): Finding[] {
  const lines = output.split("\n");
  const found: Finding[] = [];
  lines.forEach((line, index) => {
    const match = /^\s*- \[(\w+)\]\s+(\S+)\s+\(([^)]*)\)\s*$/.exec(line);
    if (match) found.push({ level: match[1], policy: match[2], resource: match[3], message: (lines[index + 2] ?? "").trim() });
  });
  return found;
}
