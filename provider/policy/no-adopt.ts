// no-adopt: stacks that must never take over an object they did not create.

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { describe } from "./declarations";
import { kindOf } from "./resource-kinds";
import { UnknownValues } from "./unknowns";

/**
 * No Share, ShareRecipient or ShareResource may declare `adopt` (taking over an existing object).
 *
 * @example
 * new PolicyPack("cloudflare-sharing", { policies: [noAdopt] });
 */
export const noAdopt: ResourceValidationPolicy = {
  name: "no-adopt",
  description: "No resource may take over an existing object with `adopt`.",
  validateResource: (args, reportViolation) => {
    if (!kindOf(args.type)) return;
    const unknowns = new UnknownValues();
    const adopt = unknowns.read(() => args.props.adopt);
    if (adopt !== undefined && adopt !== null && adopt !== "") {
      reportViolation(`${describe(args)}: adopt is "${adopt}"; this stack must not take over existing objects (adopt is forbidden).`);
    }
    unknowns.settle();
  },
};
