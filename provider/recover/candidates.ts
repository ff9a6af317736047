// What each pending create made on Cloudflare, if anything: the live objects holding its natural key
// (provider/client/natural-keys, through each client module's `findByNaturalKey`), less those a
// resource of the same stack already holds (they are somebody's, not the pending create's).
// Works from the stack export and Cloudflare alone: no local journal is read.

import type { CloudflareSharingClient } from "../client";
import { NotFoundError } from "../client/core/errors";
import { RECIPIENT_LIFECYCLE, RESOURCE_LIFECYCLE, SHARE_LIFECYCLE } from "../client/lifecycle";
import { metaObject } from "../resources/inputs";
import { shareCreateBody } from "../resources/owned-creates";
import type { ShareInputs } from "../resources/share-model";
import { recipientInput } from "../resources/share-recipient-model";
import type { PendingCreate, RecoverableKind } from "./pending-creates";

/** A live object that may be what a pending create made. */
export interface Candidate {
  id: string;
  status: string;
  created: string;
}

/** What became of one pending create of ours. */
export type Resolution =
  | { create: PendingCreate; outcome: "made"; object: Candidate }
  | { create: PendingCreate; outcome: "never-made" }
  | { create: PendingCreate; outcome: "ambiguous"; candidates: Candidate[] };

/**
 * A pending create whose inputs do not say what to look for (an input missing or of the wrong type).
 *
 * @example
 * throw new UnreadableCreateError(create, "accountId is not a string");
 */
export class UnreadableCreateError extends Error {
  constructor(create: PendingCreate, reason: string) {
    super(`cannot tell what the pending create of ${create.urn} would have made: ${reason}`);
    this.name = "UnreadableCreateError";
  }
}

/**
 * Finds what a pending create of ours made: exactly one live object not held by the stack (made),
 * none (never made, or gone since), or several (ambiguous: a person must choose).
 *
 * @example
 * const resolution = await resolvePendingCreate(api, create, heldIds);
 * if (resolution.outcome === "made") imports.push(create.urn, resolution.object.id);
 */
export async function resolvePendingCreate(api: CloudflareSharingClient, create: PendingCreate, heldIds: ReadonlySet<string>): Promise<Resolution> {
  const found = (await findHolders(api, create.kind!, create)).filter((candidate) => !heldIds.has(candidate.id));
  if (found.length === 0) return { create, outcome: "never-made" };
  if (found.length === 1) return { create, outcome: "made", object: found[0] };
  return { create, outcome: "ambiguous", candidates: found };
}

/** Every live object holding the pending create's natural key, oldest first. */
async function findHolders(api: CloudflareSharingClient, kind: RecoverableKind, create: PendingCreate): Promise<Candidate[]> {
  const inputs = create.inputs;
  const accountId = text(create, "accountId");
  try {
    if (kind === "Share") {
      const shares = await api.shares.findByNaturalKey(accountId, shareCreateBody(inputs as unknown as ShareInputs), 0);
      return shares.map((share) => ({ id: share.id, status: SHARE_LIFECYCLE.status(share), created: share.created }));
    }
    const shareId = text(create, "shareId");
    if (kind === "ShareRecipient") {
      const target = { recipientAccountId: optionalText(create, "recipientAccountId"), organizationId: optionalText(create, "organizationId") };
      const recipients = await api.recipients.findByNaturalKey(accountId, shareId, recipientInput(target));
      return recipients.map((recipient) => ({ id: recipient.id, status: RECIPIENT_LIFECYCLE.status(recipient), created: recipient.created }));
    }
    const body = {
      resource_type: text(create, "resourceType"),
      resource_id: text(create, "resourceId"),
      resource_account_id: text(create, "resourceAccountId"),
      meta: metaObject(inputs.meta as string | Record<string, unknown> | undefined),
    };
    const resources = await api.resources.findByNaturalKey(accountId, shareId, body);
    return resources.map((resource) => ({ id: resource.id, status: RESOURCE_LIFECYCLE.status(resource), created: resource.created }));
  } catch (error) {
    // The share a recipient or resource was being added to is gone: nothing of it is left either.
    if (error instanceof NotFoundError && kind !== "Share") return [];
    throw error;
  }
}

function text(create: PendingCreate, key: string): string {
  const value = create.inputs[key];
  if (typeof value !== "string" || value === "") throw new UnreadableCreateError(create, `its input ${key} is ${value === undefined ? "missing" : "not a string"}`);
  return value;
}

function optionalText(create: PendingCreate, key: string): string | undefined {
  const value = create.inputs[key];
  return value === undefined || value === null ? undefined : text(create, key);
}
