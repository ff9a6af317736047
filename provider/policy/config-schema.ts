// Pieces of the policies' config schemas (JSON Schema, validated by the Pulumi CLI).

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
