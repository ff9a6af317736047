// Wire types of the Cloudflare Resource Sharing API (v4), named as the API names them.
// Source of every field: docs/cloudflare-resource-sharing-api.md §3–§5.

/** Share status (§5). `deleted` shares stay visible for a while, then GET answers 404 / 1004. */
export type ShareStatus = "active" | "deleting" | "deleted";
/** Computed from the share's recipients. */
export type ShareTargetType = "account" | "organization";
/** Relative to the calling account. */
export type ShareKind = "sent" | "received";
/** Current (not desired) association state of a recipient. `disassociated` is final: the record is kept. */
export type RecipientAssociationStatus = "associating" | "associated" | "disassociating" | "disassociated";
/** Share-resource status. */
export type ResourceStatus = "active" | "deleting" | "deleted";

/**
 * The resource types known today (§5), plus `trust-grant` (§5, §12.5: the DISTILLED model, the `cloudflare`
 * 7.3 typings and @pulumi/cloudflare 6.22 list it). The API may add more: readers accept any string.
 */
export const KNOWN_RESOURCE_TYPES = [
  "custom-ruleset",
  "gateway-policy",
  "gateway-destination-ip",
  "gateway-block-page-settings",
  "gateway-extended-email-matching",
  "idp-federation-grant",
  "trust-grant",
] as const;
export type KnownResourceType = (typeof KNOWN_RESOURCE_TYPES)[number];
/** A known resource type, or one the API added after this package was written. */
export type ResourceType = KnownResourceType | (string & {});

export const SHARE_STATUSES: readonly ShareStatus[] = ["active", "deleting", "deleted"];
export const RESOURCE_STATUSES: readonly ResourceStatus[] = ["active", "deleting", "deleted"];
export const RECIPIENT_STATUSES: readonly RecipientAssociationStatus[] = [
  "associating",
  "associated",
  "disassociating",
  "disassociated",
];

/** A share resource (§4.3). `id` is the share-resource id, not the shared object's `resource_id`. */
export interface ShareResourceObject {
  id: string;
  resource_id: string;
  resource_account_id: string;
  resource_type: ResourceType;
  resource_version: number;
  meta: Record<string, unknown>;
  status: ResourceStatus;
  created: string;
  modified: string;
}

/** A share (§4.1). It has no `recipients` field: recipients live only under the recipients sub-API. */
export interface ShareObject {
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
  resources?: ShareResourceObject[];
}

/** Per-resource state of one recipient (§4.2); `terminal` errors are never retried by Cloudflare. */
export interface RecipientResourceStatus {
  resource_id: string;
  resource_version: number;
  error: string;
  terminal: boolean;
}

/** A recipient (§4.2). The create inputs `recipient_account_id` / `organization_id` are not echoed. */
export interface RecipientObject {
  id: string;
  /** The recipient's account (§4.2). The client fills it from `recipient_account_id` when an answer only has that. */
  account_id: string;
  /** The body field's new name (§3.1), which an answer may echo too, or instead of `account_id` (§11). */
  recipient_account_id?: string;
  association_status: RecipientAssociationStatus;
  created: string;
  modified: string;
  resources?: RecipientResourceStatus[];
}

/** Recipient input (§3.1, §3.7). Neither field means "the caller's organization". */
export interface RecipientInput {
  recipient_account_id?: string;
  organization_id?: string;
  /** Deprecated alias of `recipient_account_id`, accepted until 2027-05-26. */
  account_id?: string;
}

/** Resource input (§3.1, §3.12); all four fields are required, `meta` even if `{}`. */
export interface ResourceInput {
  resource_type: ResourceType;
  resource_id: string;
  resource_account_id: string;
  meta: Record<string, unknown>;
}

export interface ShareCreateBody {
  name: string;
  recipients: RecipientInput[];
  resources: ResourceInput[];
}

/** Cloudflare message item (COMMON). */
export interface CloudflareMessage {
  code: number;
  message: string;
  documentation_url?: string;
  source?: { pointer?: string };
}

/** `result_info` of a collection (§8); every field optional on the wire. */
export interface ResultInfo {
  page?: number;
  per_page?: number;
  count?: number;
  total_count?: number;
  total_pages?: number;
}

/** The envelope (§8). `messages` is absent from the resource-sharing schema: parse it as optional. */
export interface Envelope<T> {
  success: boolean;
  errors: CloudflareMessage[];
  messages?: CloudflareMessage[];
  result: T | null;
  result_info?: ResultInfo;
}

/** Query of GET /accounts/{account_id}/shares (§3.2). */
export interface ShareListQuery {
  direction?: "asc" | "desc";
  order?: "name" | "created";
  kind?: ShareKind;
  status?: ShareStatus;
  target_type?: ShareTargetType;
  resource_types?: ResourceType[];
  include_resources?: boolean;
  include_recipient_counts?: boolean;
  /** `key=value` or `key`; at most 20, ANDed. */
  tag?: string[];
}

/** Query of GET /accounts/{account_id}/shares/{share_id} (§3.3). */
export interface ShareGetQuery {
  include_resources?: boolean;
  include_recipient_counts?: boolean;
}

/** Query of the recipient list and get (§3.6, §3.9). */
export interface RecipientQuery {
  include_resources?: boolean;
}

/** Query of GET .../resources (§3.11). `resource_type` is singular here. */
export interface ResourceListQuery {
  resource_type?: ResourceType;
  status?: ResourceStatus;
}

/** Body of PUT /accounts/{account_id}/shares/{share_id} (§3.4): only the name is mutable. */
export interface ShareUpdateBody {
  name: string;
}

/** Body of PUT .../resources/{share_resource_id} (§3.14): only `meta` is mutable. */
export interface ResourceUpdateBody {
  meta: Record<string, unknown>;
}
