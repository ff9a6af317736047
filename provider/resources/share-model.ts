// Inputs and state of a Share, and how declared items are matched to what the API has.

import type { RecipientObject, ShareObject, ShareResourceObject } from "../client/types";
import { isGone, RECIPIENT_LIFECYCLE, RESOURCE_LIFECYCLE } from "../wait/lifecycle";
import { terminalRecipientError } from "../wait/waits";
import { normalizeMeta, Timeouts, withoutUndefined } from "./inputs";
import { recipientNaturalKey, resourceNaturalKey } from "../client/natural-keys";
import { hasValue, recipientInput } from "./share-recipient-model";

/** A recipient declared inline on a Share: exactly one of the two. */
export interface RecipientDeclaration {
  /** The account that receives the share. */
  recipientAccountId?: string;
  /** The organization that receives the share. */
  organizationId?: string;
}

/** A resource declared inline on a Share. */
export interface ResourceDeclaration {
  resourceType: string;
  resourceId: string;
  resourceAccountId: string;
  /** A JSON object; after `check`, compact JSON with sorted keys. */
  meta?: string | Record<string, unknown>;
}

export interface ShareInputs {
  accountId: string;
  name: string;
  recipients?: RecipientDeclaration[];
  resources?: ResourceDeclaration[];
  timeouts?: Timeouts;
  adopt?: string;
  /** With `adopt`: take the share over only if it is exactly as declared; never change it. */
  adoptOnlyIfMatching?: boolean;
  /** The inline recipients and resources are the share's complete set: `read` records any other, `up` removes it. */
  exclusive?: boolean;
  /** The stack whose journal records this resource's creates (`<project>/<stack>`); set by the resource class. */
  ownerStack?: string;
  /** This resource's URN: the only resource that may recover what its own interrupted create made; set by the resource class. */
  ownerUrn?: string;
}

/** An inline recipient the Share manages, with its id and last known status. */
export interface ManagedRecipient extends RecipientDeclaration {
  /** The recipient id. */
  id: string;
  /** `associating`, `associated`, `disassociating` or `disassociated`. */
  associationStatus: string;
  /**
   * Cloudflare's reason when it reported a terminal error for this recipient (it will not retry):
   * the next `up` removes the recipient and adds it anew.
   */
  terminalError?: string;
}

/** An inline resource the Share manages, with its id and last known status. */
export interface ManagedResource {
  /** What kind of object is shared (e.g. `custom-ruleset`). */
  resourceType: string;
  /** The id of the shared object. */
  resourceId: string;
  /** The account that owns the shared object. */
  resourceAccountId: string;
  /** Compact JSON with sorted keys. */
  meta: string;
  /** The share-resource id (not the shared object's id). */
  id: string;
  /** `active`, `deleting` or `deleted`. */
  status: string;
  /** Incremented by the API each time the shared object's state is republished. */
  resourceVersion: number;
  /**
   * `false` while not every associated recipient was seen to report this `resourceVersion` (a wait
   * that ended before they did): the next `up` resumes that wait. Absent once they have.
   */
  propagated?: boolean;
}

/** A live recipient of an exclusive share that the Share does not declare (added out of band): `up` removes it. */
export interface UndeclaredRecipient {
  /** The recipient id. */
  id: string;
  /** The account (or organization) the API reports for it. */
  recipientAccountId: string;
  /** `associating` or `associated`; `disassociating` once a removal is under way (`up` then waits until it is `disassociated`). */
  associationStatus: string;
  /** When it was added (RFC 3339), as Cloudflare reports it. */
  created: string;
}

/** A live resource of an exclusive share that the Share does not declare (added out of band): `up` removes it. */
export interface UndeclaredResource {
  /** The share-resource id. */
  id: string;
  /** What kind of object is shared (e.g. `custom-ruleset`). */
  resourceType: string;
  /** The id of the shared object. */
  resourceId: string;
  /** The account that owns the shared object. */
  resourceAccountId: string;
  /** `active`; `deleting` once a removal is under way (`up` then waits until it is `deleted`). */
  status: string;
  /** When it was added (RFC 3339), as Cloudflare reports it. */
  created: string;
}

/** What a `Share` reads back (the outputs of the dynamic and the plugin `Share` alike). */
export interface ShareProperties {
  accountId: string;
  name: string;
  /** The inline recipients, each with its id and status: only those this Share declares (others on the same share are left alone). */
  recipients: ManagedRecipient[];
  /** The inline resources, each with its share-resource id and status: only those this Share declares. */
  resources: ManagedResource[];
  /** Ids of the inline recipients. */
  recipientIds: string[];
  /** Share-resource ids of the inline resources. */
  resourceIds: string[];
  /** `active`, `deleting` or `deleted`. */
  status: string;
  /** Display name of the owning account. */
  accountName: string;
  /** Organization of the owning account. */
  organizationId: string;
  /** `account` or `organization`, computed by Cloudflare from the recipients. */
  targetType: string;
  /** `sent` (this account owns the share). */
  kind: string;
  /** When the share was created (RFC 3339), as Cloudflare reports it. */
  created: string;
  /** When the share last changed (RFC 3339), as Cloudflare reports it. */
  modified: string;
  /**
   * With `exclusive: true` only: the live recipients the last `refresh` found on the share that this
   * Share does not declare. Not empty means someone granted access out of band: `diff` reports it
   * and `up` removes them.
   */
  undeclaredRecipients?: UndeclaredRecipient[];
  /** With `exclusive: true` only: the live resources the last `refresh` found that this Share does not declare (removed by `up`). */
  undeclaredResources?: UndeclaredResource[];
}

/** State as stored by the engine: what the Share reads back, and the inputs only the provider reads. */
export interface ShareOutputs extends ShareProperties {
  timeouts?: Timeouts;
  adopt?: string;
  exclusive?: boolean;
  ownerStack?: string;
  ownerUrn?: string;
}

export const TIMEOUT_KEYS = ["create", "update", "delete"] as const;

/**
 * What identifies a declared recipient on its share: its target, as the one natural key of a
 * recipient (provider/client/natural-keys) spells it.
 *
 * @example
 * recipientKey({ recipientAccountId: "9a78…" }); // "account:9a78…"
 */
export function recipientKey(recipient: RecipientDeclaration): string {
  return recipientNaturalKey(recipientInput(recipient)) ?? "organization:";
}

/**
 * What identifies a declared resource on its share: the shared object, as the one natural key of a
 * share resource (provider/client/natural-keys) spells it. (Its owning account is checked separately.)
 *
 * @example
 * resourceKey({ resourceType: "custom-ruleset", resourceId: "2f2f…" }); // "custom-ruleset/2f2f…"
 */
export function resourceKey(resource: { resourceType: string; resourceId: string }): string {
  return resourceNaturalKey({ resource_type: resource.resourceType, resource_id: resource.resourceId });
}

export function managedRecipient(declaration: RecipientDeclaration, server: RecipientObject): ManagedRecipient {
  return withoutUndefined({
    recipientAccountId: declaration.recipientAccountId,
    organizationId: declaration.organizationId,
    id: server.id,
    associationStatus: server.association_status,
    terminalError: terminalRecipientError(server),
  });
}

/**
 * An inline resource as state records it; `propagated: false` marks one whose recipients were not
 * yet seen to report its version (absent, as in state written before the field existed, means they were).
 *
 * @example
 * resources.set(key, managedResource(created, false)); // propagation still to wait for
 */
export function managedResource(server: ShareResourceObject, propagated = true): ManagedResource {
  return withoutUndefined({
    resourceType: server.resource_type,
    resourceId: server.resource_id,
    resourceAccountId: server.resource_account_id,
    meta: normalizeMeta(server.meta ?? {}),
    id: server.id,
    status: server.status,
    resourceVersion: server.resource_version,
    propagated: propagated ? undefined : false,
  });
}

/** The share-level fields of the state, from the API's object. */
export function shareFields(share: ShareObject): Pick<ShareOutputs, "name" | "status" | "accountName" | "organizationId" | "targetType" | "kind" | "created" | "modified"> {
  return {
    name: share.name,
    status: share.status,
    accountName: share.account_name,
    organizationId: share.organization_id,
    targetType: share.target_type,
    kind: share.kind ?? "sent",
    created: share.created,
    modified: share.modified,
  };
}

/** Completes state: the id lists are derived, `undefined` members dropped. */
export function finishOutputs(outputs: Omit<ShareOutputs, "recipientIds" | "resourceIds">): ShareOutputs {
  return withoutUndefined({
    ...outputs,
    recipientIds: outputs.recipients.map((recipient) => recipient.id),
    resourceIds: outputs.resources.map((resource) => resource.id),
  });
}

/**
 * The state of a share: what the inputs say about it, the API's share, and the items it manages.
 *
 * @example
 * const outs = shareOutputsOf(inputs, share, [], []);
 */
export function shareOutputsOf(
  inputs: ShareInputs | ShareOutputs,
  share: ShareObject,
  recipients: ManagedRecipient[],
  resources: ManagedResource[],
  undeclared: { recipients: UndeclaredRecipient[]; resources: UndeclaredResource[] } = { recipients: [], resources: [] },
): ShareOutputs {
  return finishOutputs({
    accountId: inputs.accountId,
    timeouts: inputs.timeouts,
    adopt: inputs.adopt,
    ownerStack: inputs.ownerStack,
    ownerUrn: inputs.ownerUrn,
    ...shareFields(share),
    recipients,
    resources,
    ...exclusiveFields(inputs.exclusive, undeclared.recipients, undeclared.resources),
  });
}

/**
 * The state fields of `exclusive`: none at all for a share that is not exclusive (so the state of
 * existing stacks does not change), else the flag and both lists of undeclared items.
 *
 * @example
 * const state = { ...outs, ...exclusiveFields(news.exclusive, [], []) };
 */
export function exclusiveFields(
  exclusive: boolean | undefined,
  recipients: UndeclaredRecipient[],
  resources: UndeclaredResource[],
): Pick<ShareOutputs, "exclusive" | "undeclaredRecipients" | "undeclaredResources"> {
  if (exclusive !== true) return { exclusive: undefined, undeclaredRecipients: undefined, undeclaredResources: undefined };
  return { exclusive: true, undeclaredRecipients: recipients, undeclaredResources: resources };
}

/**
 * The inputs that describe `outputs` (used by `read`, so the next `up` diffs against reality).
 *
 * @example
 * return readResult(id, outs, shareInputsOf(outs));
 */
export function shareInputsOf(outputs: ShareOutputs): ShareInputs & Pick<ShareProperties, "undeclaredRecipients" | "undeclaredResources"> {
  return withoutUndefined({
    accountId: outputs.accountId,
    name: outputs.name,
    recipients: outputs.recipients.map(({ recipientAccountId, organizationId }) => withoutUndefined({ recipientAccountId, organizationId })),
    resources: outputs.resources.map(({ resourceType, resourceId, resourceAccountId, meta }) => ({ resourceType, resourceId, resourceAccountId, meta })),
    timeouts: outputs.timeouts,
    adopt: outputs.adopt,
    exclusive: outputs.exclusive,
    // What is there beyond the program is part of what the inputs describe: the next `preview`
    // shows it going (and names it), as it shows a renamed share going back.
    undeclaredRecipients: nonEmpty(outputs.undeclaredRecipients),
    undeclaredResources: nonEmpty(outputs.undeclaredResources),
  });
}

function nonEmpty<T>(items: T[] | undefined): T[] | undefined {
  return items !== undefined && items.length > 0 ? items : undefined;
}

/**
 * Pairs declared recipients with the API's recipients (those not on their way out). Account targets
 * match on `account_id`; an organization target matches a recipient whose `account_id` is the
 * organization id, else any recipient no account declaration claims (what the API reports for an
 * organization recipient is unconfirmed, reference §12.12).
 */
export function matchRecipients(declared: readonly RecipientDeclaration[], server: readonly RecipientObject[]): Map<string, RecipientObject> {
  const live = server.filter((recipient) => !isGone(RECIPIENT_LIFECYCLE, recipient.association_status));
  const matches = new Map<string, RecipientObject>();
  const claimed = new Set<string>();
  const claim = (key: string, candidate: RecipientObject | undefined) => {
    if (candidate === undefined) return;
    matches.set(key, candidate);
    claimed.add(candidate.id);
  };
  for (const declaration of declared) {
    if (hasValue(declaration.recipientAccountId)) {
      claim(recipientKey(declaration), live.find((r) => r.account_id === declaration.recipientAccountId && !claimed.has(r.id)));
    }
  }
  const declaredAccounts = new Set(declared.map((d) => d.recipientAccountId).filter((id) => id !== undefined));
  for (const declaration of declared) {
    if (!hasValue(declaration.organizationId)) continue;
    const exact = live.find((r) => r.account_id === declaration.organizationId && !claimed.has(r.id));
    claim(recipientKey(declaration), exact ?? live.find((r) => !claimed.has(r.id) && !declaredAccounts.has(r.account_id)));
  }
  return matches;
}

/** Pairs declared resources with the API's live resources, by (type, id, owning account). */
export function matchResources(declared: readonly ResourceDeclaration[], server: readonly ShareResourceObject[]): Map<string, ShareResourceObject> {
  const matches = new Map<string, ShareResourceObject>();
  for (const declaration of declared) {
    const found = server.find(
      (resource) =>
        !isGone(RESOURCE_LIFECYCLE, resource.status) &&
        resource.resource_type === declaration.resourceType &&
        resource.resource_id === declaration.resourceId &&
        resource.resource_account_id === declaration.resourceAccountId,
    );
    if (found) matches.set(resourceKey(declaration), found);
  }
  return matches;
}
