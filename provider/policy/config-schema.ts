// Pieces of the policies' config schemas (JSON Schema, validated by the Pulumi CLI).

import type { PolicyConfigSchema } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

/**
 * A list of non-empty strings, each listed once.
 *
 * @example
 * configSchema: { properties: { accounts: stringList("Account ids a share may be given to.") } }
 */
export function stringList(description: string): PolicyConfigJSONSchema {
  return { type: "array", items: { type: "string", minLength: 1 }, uniqueItems: true, description };
}

/**
 * A policy's config, refused when it has a setting the policy does not know: the CLI checks the
 * types of the settings it is told about, but lets a misspelt one through, and a misspelt
 * `accounts` would leave the policy checking nothing.
 *
 * @example
 * const config = knownConfig<{ max?: number }>(args, maxRecipients);
 */
export function knownConfig<T extends object>(
  args: { getConfig<C extends object>(): C },
  policy: { name: string; configSchema?: PolicyConfigSchema },
): T {
  const config = args.getConfig<T>();
  const known = Object.keys(policy.configSchema?.properties ?? {});
  for (const key of Object.keys(config)) {
    if (!known.includes(key)) {
      throw new Error(`${policy.name}: the config setting "${key}" is not one of this policy's settings (${known.join(", ") || "none"}).`);
    }
  }
  return config;
}
