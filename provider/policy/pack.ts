// The policy pack shipped in the package (policy/ loads this module): every policy, mandatory unless
// the config file says otherwise.

import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

/**
 * Creating the pack serves it to the Pulumi engine (when run by `pulumi preview --policy-pack`).
 *
 * @example
 * // policy/index.js
 * require("../dist/provider/policy/pack");
 */
export const pack = new PolicyPack("cloudflare-sharing", {
  enforcementLevel: "mandatory",
  policies,
});
