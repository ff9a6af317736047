// The plugin's functions: each type token served by the plain lookup the TypeScript `getShare`,
// `listShares`, … run (provider/functions), with a lookup context built from the provider config
// Configure put in force (or the environment), per call, so no credential is kept.

import { lookupContextFrom, LookupContext } from "../functions/context";
import { listShareRecipientsWith } from "../functions/recipients";
import { listShareResourcesWith } from "../functions/resources";
import { getShareWith, listOrganizationSharesWith, listSharesWith } from "../functions/shares";
import { PACKAGE_NAME } from "./resource-table";

type Lookup = (ctx: LookupContext, args: any) => Promise<object>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The lookups, by the name the TypeScript functions have (and schema.json's function tokens end with). */
const LOOKUPS: Record<string, Lookup> = {
  getShare: getShareWith,
  listShares: listSharesWith,
  listOrganizationShares: listOrganizationSharesWith,
  listShareRecipients: listShareRecipientsWith,
  listShareResources: listShareResourcesWith,
};

/** Every function the plugin serves, by token (`cloudflare-sharing:index:getShare`, …). */
export const SERVED_FUNCTIONS: ReadonlyMap<string, Lookup> = new Map(
  Object.entries(LOOKUPS).map(([name, lookup]) => [`${PACKAGE_NAME}:index:${name}`, lookup]),
);

/**
 * Runs the function `token` with plain `args`. Bad arguments throw `InvalidArgumentsError` (naming
 * each argument and its rule) before any request; an unknown token throws naming the tokens served.
 *
 * @example
 * ```ts
 * const share = await invokeFunction("cloudflare-sharing:index:getShare", { accountId, shareId });
 * ```
 */
export async function invokeFunction(token: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<Record<string, unknown>> {
  const lookup = SERVED_FUNCTIONS.get(token);
  if (lookup === undefined) {
    throw new Error(`unknown function ${token}: this plugin serves ${[...SERVED_FUNCTIONS.keys()].join(", ")}`);
  }
  // The arguments are checked first (inside the lookup), before the credentials are even looked up.
  return (await lookup(lazyContext(signal), args)) as Record<string, unknown>;
}

/** A context whose client is built on first use, so a bad argument fails before a missing credential does. */
function lazyContext(signal?: AbortSignal): LookupContext {
  let built: LookupContext | undefined;
  return {
    get api() {
      return (built ??= lookupContextFrom()).api;
    },
    signal,
  };
}
