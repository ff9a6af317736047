// What the three resource classes share.

import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { REPLACE_ON_CHANGES_INPUT } from "./forced-replacements";

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
 * A resource's outputs as its class shows them: each property of `T` (a `…Properties` interface, the
 * one declaration of what a resource reads back, shared by the dynamic and the plugin classes) as a
 * read-only Output, with its TSDoc.
 *
 * @example
 * export interface Share extends OutputProperties<ShareProperties> {}
 * export class Share extends SharingResource { … }
 */
export type OutputProperties<T> = { readonly [K in keyof T]: pulumi.Output<T[K]> };

/**
 * The properties to register: the arguments, and each of `readBack` (what the program may leave out
 * but the resource reports) as `undefined` where the arguments do not give it, so that Pulumi
 * resolves its Output from state.
 *
 * @example
 * withReadBack({ accountId, shareId }, SHARE_RECIPIENT_READ_BACK); // { accountId, shareId, associationStatus: undefined, … }
 */
export function withReadBack(args: object, readBack: readonly string[]): pulumi.Inputs {
  return { ...Object.fromEntries(readBack.map((name) => [name, undefined])), ...args } as pulumi.Inputs;
}

/** Where Pulumi keeps the code that finds a dynamic resource's provider again (state key). */
const PROVIDER_KEY = "__provider";

/**
 * The code Pulumi stores with every resource (twice: in its inputs and its outputs) to find its
 * provider in a later run: a module whose `handler()` returns the provider. `dynamic.Resource`
 * stores a serialized closure of about 330 characters; when the package is installed under
 * node_modules a one-line `require()` of the provider's file does the same in about 110. Loaded from
 * anywhere else, the closure is serialized by value as `dynamic.Resource` would.
 *
 * @example
 * providerReference(require.resolve("./share-provider"), shareProvider);
 * // 'exports.handler = () => require("pulumi-cloudflare-sharing/dist/provider/resources/share-provider.js");'
 */
export function providerReference(providerFile: string, provider: object): pulumi.Input<string> {
  const parts = providerFile.split(/[\\/]/);
  const installedAt = parts.lastIndexOf("node_modules");
  if (installedAt >= 0) {
    const moduleId = parts.slice(installedAt + 1).join(path.posix.sep);
    return `exports.handler = () => require(${JSON.stringify(moduleId)});`;
  }
  return pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true }).then((serialized) => serialized.text);
}

/**
 * A resource served by one of this package's dynamic providers: what `pulumi.dynamic.Resource` is
 * (the same type token, `pulumi-nodejs:dynamic/cloudflare:<type>`, the same provider plugin), with a
 * shorter provider reference in state (see {@link providerReference}). State written by
 * `dynamic.Resource` stays readable: Pulumi loads whichever reference a resource's state holds.
 *
 * @example
 * class ShareRecipient extends SharingResource {
 *   constructor(name: string, args: ShareRecipientArgs, opts?: pulumi.CustomResourceOptions) {
 *     super("ShareRecipient", require.resolve("./share-recipient-provider"), shareRecipientProvider, name, { ...args }, opts);
 *   }
 * }
 */
export abstract class SharingResource extends pulumi.CustomResource {
  constructor(type: string, providerFile: string, provider: object, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    const token = `pulumi-nodejs:dynamic/${TYPE_MODULE}:${type}`;
    // The URN this resource registers under: its journal entries are its own (./journal).
    const ownerUrn = pulumi.createUrn(name, token, opts?.parent);
    super(token, name, { ...props, ownerUrn, [PROVIDER_KEY]: providerReference(providerFile, provider) }, opts);
  }
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

/**
 * The properties and options of a resource the API holds once per natural key (a recipient per target,
 * a share resource per object, on one share). A replacement that keeps the key cannot make the new
 * record before the old one is gone, and the engine asks the provider nothing when it replaces for
 * `pulumi up --replace`: the replacement deletes first unless the program says otherwise. The
 * `replaceOnChanges` option goes along as an input too (see ./forced-replacements).
 *
 * @example
 * const { props, opts: options } = replacedOnePerKey({ ...args, ownerStack: currentStack() }, opts);
 * super("ShareRecipient", file, provider, name, props, options);
 */
export function replacedOnePerKey(props: pulumi.Inputs, opts: pulumi.CustomResourceOptions | undefined): { props: pulumi.Inputs; opts: pulumi.CustomResourceOptions } {
  const paths = opts?.replaceOnChanges;
  return {
    props: paths && paths.length > 0 ? { ...props, [REPLACE_ON_CHANGES_INPUT]: [...paths] } : props,
    opts: { ...opts, deleteBeforeReplace: opts?.deleteBeforeReplace ?? true },
  };
}
