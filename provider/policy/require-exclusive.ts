// require-exclusive: every share is declared the only owner of its recipients and objects.

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { describe } from "./declarations";
import { kindOf } from "./resource-kinds";
import { UnknownValues } from "./unknowns";

/**
 * Every Share must declare `exclusive: true`.
 *
 * @example
 * new PolicyPack("cloudflare-sharing", { policies: [requireExclusive] });
 */
export const requireExclusive: ResourceValidationPolicy = {
  name: "require-exclusive",
  description: "Every Share declares exclusive: true.",
  validateResource: (args, reportViolation) => {
    if (kindOf(args.type) !== "Share") return;
    const unknowns = new UnknownValues();
    const exclusive = unknowns.read(() => args.props.exclusive);
    if (!unknowns.any && exclusive !== true) {
      reportViolation(`${describe(args)}: exclusive is ${exclusive === undefined ? "not set" : JSON.stringify(exclusive)}; every Share must declare exclusive: true.`);
    }
    unknowns.settle();
  },
};
