// share-name-pattern: share names follow a naming convention.

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { knownConfig } from "./config-schema";
import { describe } from "./declarations";
import { kindOf } from "./resource-kinds";
import { UnknownValues } from "./unknowns";

/** Config of `share-name-pattern`. */
export interface ShareNamePatternConfig {
  pattern?: string;
}

/**
 * Every Share's `name` must match `pattern`, a JavaScript regular expression (anchor it with `^…$`
 * to match the whole name). Without `pattern` the policy checks nothing.
 *
 * @example
 * new PolicyPack("cloudflare-sharing", { policies: [shareNamePattern] });
 * // config: { "share-name-pattern": { "pattern": "^team-[a-z]+-" } }
 */
export const shareNamePattern: ResourceValidationPolicy = {
  name: "share-name-pattern",
  description: "Share names match the configured regular expression.",
  configSchema: {
    properties: {
      pattern: { type: "string", minLength: 1, description: "A JavaScript regular expression every share name must match." },
    },
  },
  validateResource: (args, reportViolation) => {
    const { pattern } = knownConfig<ShareNamePatternConfig>(args, shareNamePattern);
    if (pattern === undefined || kindOf(args.type) !== "Share") return;
    const regex = compile(pattern);
    const unknowns = new UnknownValues();
    const name = unknowns.read(() => args.props.name);
    if (typeof name === "string" && !regex.test(name)) {
      reportViolation(`${describe(args)}: name is "${name}", which does not match the pattern /${pattern}/.`);
    }
    unknowns.settle();
  },
};

function compile(pattern: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch (error) {
    throw new Error(`share-name-pattern: config pattern "${pattern}" is not a valid regular expression: ${(error as Error).message}`);
  }
}
