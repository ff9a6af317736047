// What the three resource classes share.

import * as pulumi from "@pulumi/pulumi";

/** The `module` part of the type tokens: `pulumi-nodejs:dynamic/cloudflare:Share`. */
export const TYPE_MODULE = "cloudflare";

let warnedAboutLocation = false;

/**
 * Pulumi stores a dynamic provider's code in state. When this package is loaded from node_modules
 * that code is one line, `require("pulumi-cloudflare-sharing/…")`; loaded from anywhere else, the
 * whole provider would be serialized by value. Say so once, so nobody ships the latter by accident.
 */
export function warnIfNotInstalled(): void {
  if (warnedAboutLocation || __filename.split(/[\\/]/).includes("node_modules")) return;
  warnedAboutLocation = true;
  pulumi.log.warn(
    `pulumi-cloudflare-sharing is loaded from ${__dirname}, outside node_modules: install it as a package ` +
      `(npm install pulumi-cloudflare-sharing) so that Pulumi stores a one-line require() of its providers in state.`,
  );
}

/** Per-operation deadlines, as durations such as "30s", "5m", "1h30m". Each defaults to "5m". */
export interface TimeoutsArgs {
  /** How long creating waits for the object to settle. */
  create?: pulumi.Input<string>;
  /** How long an update waits for the change to settle. */
  update?: pulumi.Input<string>;
  /** How long deleting waits for the object to be gone. */
  delete?: pulumi.Input<string>;
}

/**
 * The stack running the program, `<project>/<stack>`: passed to the providers as the `ownerStack`
 * input (the provider process is not told which stack it serves), so that the journal of in-flight
 * creates (./journal) is kept per stack and one stack never takes over what another created.
 *
 * @example
 * const props = { ...args, ownerStack: currentStack() };
 */
export function currentStack(): string {
  return `${pulumi.getProject()}/${pulumi.getStack()}`;
}
