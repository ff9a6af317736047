// The plugin's resources: each type token served by the same provider object the dynamic
// `Share` / `ShareRecipient` / `ShareResource` classes hand to Pulumi's dynamic-provider host.
// The plugin adds only what that host never needs: reading an object from an import id alone, or
// from a bare id and its account (a `get`).

import type * as pulumi from "@pulumi/pulumi";
import { runtimeFor } from "../runtime";
import shareProvider = require("../resources/share-provider");
import shareRecipientProvider = require("../resources/share-recipient-provider");
import shareResourceProvider = require("../resources/share-resource-provider");
import { recipientTarget } from "../resources/recipient-target";
import { forReading, lookupRecipients, lookupShare, orUndefinedWhenNotFound } from "../wait/finders";
import { isGone, RECIPIENT_LIFECYCLE, RESOURCE_LIFECYCLE } from "../wait/lifecycle";
import { ImportId, ResourceKind } from "./import-ids";

/** The package name of the plugin and the first part of every type token. */
export const PACKAGE_NAME = "cloudflare-sharing";

type AnyProvider = pulumi.dynamic.ResourceProvider<any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface ServedResource {
  kind: ResourceKind;
  provider: AnyProvider;
  /** True when `state` is what an earlier create or read recorded (a refresh), not a `get`'s properties. */
  isRecordedState(state: Record<string, unknown>): boolean;
  /** The state to hand to the provider's `read` when the engine sent none (an import, a `get`). */
  importSeed(target: ImportId): Promise<{ id: string; state: Record<string, unknown> }>;
  /** Outputs made from inputs of other names, by output: they are secret when one of those inputs is. */
  derivedOutputs?: Readonly<Record<string, readonly string[]>>;
  /** Fills in, after such a read, what the object's own record does not say (the recipient's target). */
  completeImport?(read: { props: Record<string, unknown>; inputs: Record<string, unknown> }): void;
}

const share: ServedResource = {
  kind: "Share",
  provider: shareProvider,
  // Importing a share manages the share as a whole: every live recipient and active resource it has
  // becomes an inline one, so the generated program declares exactly what is there.
  isRecordedState: (state) => Array.isArray(state.recipientIds),
  async importSeed({ accountId, id }) {
    const { api, wait } = runtimeFor(accountId);
    const [share, recipients, resources] = await Promise.all([
      lookupShare(wait, id, forReading(wait)),
      lookupRecipients(wait, id),
      orUndefinedWhenNotFound(api.resources.listAll(accountId, id)),
    ]);
    // No such share: no items; the provider's read then answers "gone", and the engine says so.
    if (share === undefined) return { id, state: { accountId, recipients: [], resources: [] } };
    const live = (recipients ?? []).filter((recipient) => !isGone(RECIPIENT_LIFECYCLE, recipient.association_status));
    return {
      id,
      state: {
        accountId,
        recipients: live.map((recipient) => ({
          ...recipientTarget(recipient, share, new Set(), live),
          id: recipient.id,
          associationStatus: recipient.association_status,
        })),
        resources: (resources ?? []).filter((resource) => !isGone(RESOURCE_LIFECYCLE, resource.status)).map((resource) => ({ id: resource.id })),
      },
    };
  },
};

const shareRecipient: ServedResource = {
  kind: "ShareRecipient",
  provider: shareRecipientProvider,
  // The account Cloudflare reports is the declared account (or the organization's id).
  derivedOutputs: { recipientAccount: ["recipientAccountId", "organizationId"] },
  isRecordedState: (state) => typeof state.associationStatus === "string",
  // The API reports a recipient's account, not how it was added: its share and the share's other
  // recipients tell an organization recipient from an account one (./recipient-target).
  async importSeed({ accountId, shareId, id }) {
    const { wait } = runtimeFor(accountId);
    const [share, recipients] = await Promise.all([lookupShare(wait, shareId!, forReading(wait)), lookupRecipients(wait, shareId!)]);
    const recipient = recipients?.find((candidate) => candidate.id === id);
    // Not listed (or no such share): the provider's read finds out whether it exists, and says so.
    const target = share && recipient ? recipientTarget(recipient, share, new Set(), recipients!) : {};
    return { id, state: { accountId, shareId, ...target } };
  },
  // A recipient the list did not show yet (a list can trail a write): the account it reports.
  completeImport({ props, inputs }) {
    if (props.organizationId !== undefined || props.recipientAccountId !== undefined) return;
    props.recipientAccountId = props.recipientAccount;
    inputs.recipientAccountId = props.recipientAccount;
  },
};

const shareResource: ServedResource = {
  kind: "ShareResource",
  provider: shareResourceProvider,
  isRecordedState: (state) => typeof state.status === "string",
  async importSeed({ accountId, shareId, id }) {
    return { id, state: { accountId, shareId } };
  },
};

/** Every resource the plugin serves, by type token (`cloudflare-sharing:index:Share`, …). */
export const SERVED_RESOURCES: ReadonlyMap<string, ServedResource> = new Map(
  [share, shareRecipient, shareResource].map((served) => [`${PACKAGE_NAME}:index:${served.kind}`, served]),
);

/**
 * The resource served for `type`, or an error naming the types there are.
 *
 * @example
 * ```ts
 * const { provider } = servedResource("cloudflare-sharing:index:ShareRecipient");
 * ```
 */
export function servedResource(type: string): ServedResource {
  const served = SERVED_RESOURCES.get(type);
  if (served === undefined) {
    throw new Error(`unknown resource type ${type}: this plugin serves ${[...SERVED_RESOURCES.keys()].join(", ")}`);
  }
  return served;
}
