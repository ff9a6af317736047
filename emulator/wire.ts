// The emulator's own statement of the Resource Sharing API's wire schema: objects, enums and inputs,
// read from docs/cloudflare-resource-sharing-api.md (cited as §n). It deliberately shares nothing with
// the package's own API client: the emulator is an independent reading of the reference, so a misreading
// made on one side shows up as a failing test instead of being made twice.

/** Share `status` (§4.1, §5). */
export type ShareStatus = "active" | "deleting" | "deleted";
export const SHARE_STATUSES: readonly ShareStatus[] = ["active", "deleting", "deleted"];

/** Share `target_type` (§4.1, §5): computed from the recipients. */
export type ShareTargetType = "account" | "organization";
export const SHARE_TARGET_TYPES: readonly ShareTargetType[] = ["account", "organization"];

/** Share `kind` (§4.1, §5): relative to the calling account. */
export type ShareKind = "sent" | "received";
export const SHARE_KINDS: readonly ShareKind[] = ["sent", "received"];

/** Recipient `association_status` (§4.2, §5, §7). */
export type RecipientAssociationStatus = "associating" | "associated" | "disassociating" | "disassociated";
export const RECIPIENT_STATUSES: readonly RecipientAssociationStatus[] = ["associating", "associated", "disassociating", "disassociated"];

/** Share-resource `status` (§4.3, §5). */
export type ResourceStatus = "active" | "deleting" | "deleted";
export const RESOURCE_STATUSES: readonly ResourceStatus[] = ["active", "deleting", "deleted"];

/** List `direction` and `order` (§3.2, §5). */
export const LIST_DIRECTIONS = ["asc", "desc"] as const;
export const LIST_ORDERS = ["name", "created"] as const;

/**
 * `resource_type` values (§5): the six of the current TS/TF/PY enum, plus `trust-grant`, which the
 * DISTILLED model lists (§5, §12.5 [UNCONFIRMED]) and the `cloudflare` 7.3 typings carry.
 */
export const RESOURCE_TYPES = [
  "custom-ruleset",
  "gateway-policy",
  "gateway-destination-ip",
  "gateway-block-page-settings",
  "gateway-extended-email-matching",
  "idp-federation-grant",
  "trust-grant",
] as const;

/** Share resource (§4.3); every field is required. `id` differs from `resource_id`. */
export interface WireResource {
  id: string;
  resource_id: string;
  resource_account_id: string;
  resource_type: string;
  resource_version: number;
  meta: Record<string, unknown>;
  status: ResourceStatus;
  created: string;
  modified: string;
}

/** Share (§4.1). It has no `recipients` field. */
export interface WireShare {
  id: string;
  account_id: string;
  account_name: string;
  organization_id: string;
  name: string;
  created: string;
  modified: string;
  status: ShareStatus;
  target_type: ShareTargetType;
  kind?: ShareKind;
  associated_recipient_count?: number;
  associating_recipient_count?: number;
  disassociated_recipient_count?: number;
  disassociating_recipient_count?: number;
  resources?: WireResource[];
}

/** Recipient-resource-status (§4.2): all four fields required. */
export interface WireRecipientResource {
  resource_id: string;
  resource_version: number;
  error: string;
  terminal: boolean;
}

/**
 * Recipient (§4.2). The reference gives `account_id`; whether answers also (or instead) carry
 * `recipient_account_id` is the setting `behaviour.recipientAccountIdField` (§3.1, §11: the body field
 * was renamed, the answer field is unconfirmed).
 */
export interface WireRecipient {
  id: string;
  account_id?: string;
  recipient_account_id?: string;
  association_status: RecipientAssociationStatus;
  created: string;
  modified: string;
  resources?: WireRecipientResource[];
}

/** Recipient-input (§3.1, §3.7): every field optional; `account_id` is the deprecated alias (sunset 2027-05-26). */
export interface WireRecipientInput {
  recipient_account_id?: string;
  organization_id?: string;
  account_id?: string;
}

/** Resource-input (§3.1, §3.12): all four fields required, `meta` even if `{}`. */
export interface WireResourceInput {
  resource_type: string;
  resource_id: string;
  resource_account_id: string;
  meta: Record<string, unknown>;
}

/** POST share body (§3.1). */
export interface WireCreateShareBody {
  name: string;
  recipients: WireRecipientInput[];
  resources: WireResourceInput[];
}

/** `result_info` of a collection (§8). */
export interface WireResultInfo {
  page: number;
  per_page: number;
  count: number;
  total_count: number;
  total_pages: number;
}
