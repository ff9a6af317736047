// Request validation: bodies (§3) and query parameters (§3.2, §3.6, §3.11), with 400 errors that name
// the field and the rule. Unknown body fields and query parameters are ignored, as Cloudflare does.

import type { WireCreateShareBody as ShareCreateBody, WireRecipientInput as RecipientInput, WireResourceInput as ResourceInput } from "./wire";
import { ApiError, ERROR_CODES, invalidField, invalidQuery } from "./errors";

/** §2: identifiers are at most 32 characters (DOCS maxLength 32). */
export const MAX_ID_LENGTH = 32;
/** §3.2: at most 20 `tag` parameters per request. */
export const MAX_TAGS = 20;

/** The query string of a request; repeated keys keep every value (`resource_types=a&resource_types=b`). */
export class Query {
  constructor(private readonly params: URLSearchParams) {}

  has(name: string): boolean {
    return this.params.has(name);
  }

  /** The last value of a single-valued parameter. */
  get(name: string): string | undefined {
    const all = this.params.getAll(name);
    return all.length > 0 ? all[all.length - 1] : undefined;
  }

  getAll(name: string): string[] {
    return this.params.getAll(name);
  }

  /** For the request log: single values as strings, repeated ones as arrays. */
  toRecord(): Record<string, string | string[]> {
    const out: Record<string, string | string[]> = {};
    for (const key of new Set(this.params.keys())) {
      const all = this.params.getAll(key);
      out[key] = all.length === 1 ? all[0] : all;
    }
    return out;
  }

  /** `true`/`false` (how the SDKs serialize booleans); absent → false. */
  bool(name: string): boolean {
    const value = this.get(name);
    if (value === undefined) return false;
    if (value === "true") return true;
    if (value === "false") return false;
    throw invalidQuery(name, "must be true or false");
  }

  enumValue<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const value = this.get(name);
    if (value === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(value)) throw invalidQuery(name, `must be one of ${allowed.join(", ")}`);
    return value as T;
  }

  enumValues(name: string, allowed: readonly string[]): string[] {
    const values = this.getAll(name);
    for (const value of values) {
      if (!allowed.includes(value)) throw invalidQuery(name, `must be one of ${allowed.join(", ")} (got "${value}")`);
    }
    return values;
  }

  /** `tag` filters (§3.2): `key=value` or `key`, at most 20. */
  tags(): string[] {
    const tags = this.getAll("tag");
    if (tags.length > MAX_TAGS) throw invalidQuery("tag", `at most ${MAX_TAGS} tag parameters are allowed (got ${tags.length})`);
    for (const tag of tags) if (tag === "" || tag.startsWith("=")) throw invalidQuery("tag", "must be key=value or key");
    return tags;
  }
}

// ---------------------------------------------------------------- body helpers

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The JSON body must be an object (every endpoint but PUT recipients). */
export function requireObjectBody(body: unknown): Record<string, unknown> {
  if (!isPlainObject(body)) throw new ApiError(400, ERROR_CODES.malformedBody, "Request body must be a JSON object");
  return body;
}

function requiredString(object: Record<string, unknown>, key: string, field: string, maxLength?: number): string {
  if (!(key in object) || object[key] === undefined || object[key] === null) throw invalidField(field, "is required");
  return checkString(object[key], field, maxLength);
}

function optionalId(object: Record<string, unknown>, key: string, field: string): string | undefined {
  if (!(key in object) || object[key] === undefined || object[key] === null) return undefined;
  return checkString(object[key], field, MAX_ID_LENGTH);
}

function checkString(value: unknown, field: string, maxLength?: number): string {
  if (typeof value !== "string") throw invalidField(field, "must be a string");
  if (value === "") throw invalidField(field, "must not be empty");
  if (maxLength !== undefined && value.length > maxLength) throw invalidField(field, `must be at most ${maxLength} characters`);
  return value;
}

function requiredArray(object: Record<string, unknown>, key: string, field: string): unknown[] {
  if (!(key in object) || object[key] === undefined || object[key] === null) throw invalidField(field, "is required");
  if (!Array.isArray(object[key])) throw invalidField(field, "must be an array");
  return object[key] as unknown[];
}

function requiredMeta(object: Record<string, unknown>, field: string): Record<string, unknown> {
  // §3.1: `meta` is required, even if `{}`, and is a JSON object.
  if (!("meta" in object) || object.meta === undefined || object.meta === null) throw invalidField(field, "is required (use {} for no metadata)");
  if (!isPlainObject(object.meta)) throw invalidField(field, "must be a JSON object");
  return object.meta;
}

// ---------------------------------------------------------------- bodies (§3)

/** A recipient input (§3.1, §3.7): all fields optional, ids at most 32 characters. */
export function parseRecipientInput(value: unknown, field: string): RecipientInput {
  const at = (name: string) => (field ? `${field}.${name}` : name);
  if (!isPlainObject(value)) throw invalidField(field || "body", "must be a JSON object");
  const input: RecipientInput = {};
  const recipientAccountId = optionalId(value, "recipient_account_id", at("recipient_account_id"));
  const organizationId = optionalId(value, "organization_id", at("organization_id"));
  const accountId = optionalId(value, "account_id", at("account_id"));
  if (recipientAccountId !== undefined) input.recipient_account_id = recipientAccountId;
  if (organizationId !== undefined) input.organization_id = organizationId;
  if (accountId !== undefined) input.account_id = accountId;
  return input;
}

/** A resource input (§3.1, §3.12): all four fields required. */
export function parseResourceInput(value: unknown, field: string, resourceTypes: readonly string[]): ResourceInput {
  const at = (name: string) => (field ? `${field}.${name}` : name);
  if (!isPlainObject(value)) throw invalidField(field || "body", "must be a JSON object");
  const resourceType = requiredString(value, "resource_type", at("resource_type"));
  if (!resourceTypes.includes(resourceType)) throw invalidField(at("resource_type"), `must be one of ${resourceTypes.join(", ")}`);
  return {
    resource_type: resourceType,
    resource_id: requiredString(value, "resource_id", at("resource_id"), MAX_ID_LENGTH),
    resource_account_id: requiredString(value, "resource_account_id", at("resource_account_id"), MAX_ID_LENGTH),
    meta: requiredMeta(value, at("meta")),
  };
}

/** POST share body (§3.1). */
export function parseCreateShareBody(
  body: unknown,
  rules: { resourceTypes: readonly string[]; requireNonEmptyLists: boolean },
): ShareCreateBody {
  const object = requireObjectBody(body);
  const name = requiredString(object, "name", "name");
  const recipients = requiredArray(object, "recipients", "recipients");
  const resources = requiredArray(object, "resources", "resources");
  if (rules.requireNonEmptyLists) {
    if (recipients.length === 0) throw invalidField("recipients", "must contain at least one recipient");
    if (resources.length === 0) throw invalidField("resources", "must contain at least one resource");
  }
  return {
    name,
    recipients: recipients.map((recipient, i) => parseRecipientInput(recipient, `recipients[${i}]`)),
    resources: resources.map((resource, i) => parseResourceInput(resource, `resources[${i}]`, rules.resourceTypes)),
  };
}

/** PUT share body (§3.4): `{ name }`, required. */
export function parseUpdateShareBody(body: unknown): { name: string } {
  return { name: requiredString(requireObjectBody(body), "name", "name") };
}

/** PUT resource body (§3.14): `{ meta }`, required object. */
export function parseUpdateResourceBody(body: unknown): { meta: Record<string, unknown> } {
  return { meta: requiredMeta(requireObjectBody(body), "meta") };
}

/** PUT recipients body (§3.8): a bare JSON array of recipient inputs. */
export function parseRecipientListBody(body: unknown): RecipientInput[] {
  if (!Array.isArray(body)) throw new ApiError(400, ERROR_CODES.malformedBody, "Request body must be a JSON array of recipients");
  return body.map((recipient, i) => parseRecipientInput(recipient, `[${i}]`));
}
