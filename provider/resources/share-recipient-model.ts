// Inputs and state of a ShareRecipient, and how state is made from the API's object.

import type { RecipientInput, RecipientObject } from "../client/types";
import { Checker, pickInputs, Timeouts, withoutUndefined } from "./inputs";

export interface ShareRecipientInputs {
  accountId: string;
  shareId: string;
  recipientAccountId?: string;
  organizationId?: string;
  timeouts?: Timeouts;
  adopt?: string;
  /** The stack whose journal records this resource's creates (`<project>/<stack>`); set by the resource class. */
  ownerStack?: string;
  /** This resource's URN: the only resource that may recover what its own interrupted create made; set by the resource class. */
  ownerUrn?: string;
  /** The `replaceOnChanges` resource option's paths; set by the resource class (./forced-replacements). */
  replaceOnChanges?: string[];
}

/** Per-resource state of a recipient, as the API reports it. */
export interface RecipientResourceState {
  /** The id of the shared object. */
  resourceId: string;
  /** The version of the shared object the recipient has. */
  resourceVersion: number;
  /** Why delivering the object to the recipient failed, if it did. */
  error: string;
  /** True when Cloudflare will not retry the delivery. */
  terminal: boolean;
}

export interface ShareRecipientOutputs extends ShareRecipientInputs {
  associationStatus: string;
  /** The account the API reports for this recipient. */
  recipientAccount: string;
  resources: RecipientResourceState[];
  created: string;
  modified: string;
}

export const TIMEOUT_KEYS = ["create", "delete"] as const;
export const REPLACE_ON_CHANGE = ["accountId", "shareId", "recipientAccountId", "organizationId"] as const;

/** Present: neither `undefined` nor `null` (the engine may pass an explicit null for an absent input). */
export function hasValue<T>(value: T | null | undefined): value is T {
  return value !== undefined && value !== null;
}

export function recipientInput(target: { recipientAccountId?: string; organizationId?: string }): RecipientInput {
  return hasValue(target.recipientAccountId)
    ? { recipient_account_id: target.recipientAccountId }
    : { organization_id: target.organizationId };
}

/** "account <id>" or "organization <id>", for messages. */
export function describeTarget(target: { recipientAccountId?: string; organizationId?: string }): string {
  return hasValue(target.recipientAccountId) ? `account ${target.recipientAccountId}` : `organization ${target.organizationId}`;
}

/** Exactly one of `recipientAccountId` / `organizationId`, under `prefix`. */
export function checkRecipientTarget(checker: Checker, prefix: string, target: { recipientAccountId?: unknown; organizationId?: unknown }): void {
  const hasAccount = hasValue(target.recipientAccountId);
  const hasOrganization = hasValue(target.organizationId);
  if (hasAccount === hasOrganization) {
    checker.fail(
      hasAccount ? `${prefix}organizationId` : `${prefix}recipientAccountId`,
      `${prefix || "a recipient "}needs exactly one of recipientAccountId (one account) or organizationId (the whole organization)` +
        (hasAccount ? ", not both" : ""),
    );
    return;
  }
  if (hasAccount) checker.id(`${prefix}recipientAccountId`, target.recipientAccountId);
  else checker.id(`${prefix}organizationId`, target.organizationId);
}

/**
 * The state of a recipient: what the inputs say about it and what the API reports.
 *
 * @example
 * return { id: created.id, outs: recipientOutputsOf(inputs, created) };
 */
export function recipientOutputsOf(inputs: ShareRecipientInputs, server: RecipientObject): ShareRecipientOutputs {
  return withoutUndefined({
    accountId: inputs.accountId,
    shareId: inputs.shareId,
    recipientAccountId: inputs.recipientAccountId,
    organizationId: inputs.organizationId,
    timeouts: inputs.timeouts,
    adopt: inputs.adopt,
    ownerStack: inputs.ownerStack,
    ownerUrn: inputs.ownerUrn,
    associationStatus: server.association_status,
    recipientAccount: server.account_id,
    resources: (server.resources ?? []).map((entry) => ({
      resourceId: entry.resource_id,
      resourceVersion: entry.resource_version,
      error: entry.error,
      terminal: entry.terminal,
    })),
    created: server.created,
    modified: server.modified,
  });
}


/**
 * The inputs that describe `outputs` (used by `read`, so the next `up` diffs against reality).
 *
 * @example
 * return readResult(id, outs, recipientInputsOf(outs));
 */
export function recipientInputsOf(outputs: ShareRecipientOutputs): ShareRecipientInputs {
  return pickInputs(outputs, ["accountId", "shareId", "recipientAccountId", "organizationId", "timeouts", "adopt"]);
}
