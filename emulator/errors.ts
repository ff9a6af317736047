// Cloudflare-style API errors (§8 envelope, §9.1 codes) and the emulator's own code table.

/**
 * Error codes the emulator answers with. 1004 and 10000 come from the reference (§9.1, [3P]); the
 * others are the emulator's choice (the reference lists no codes for them, §12.9). All are >= 1000 as
 * COMMON requires (§8).
 */
export const ERROR_CODES = {
  /** Body is not valid JSON, or not the JSON type the endpoint takes. */
  malformedBody: 1001,
  /** A body field is missing or breaks a rule (type, enum, maxLength). */
  invalidField: 1002,
  /** A query parameter breaks a rule (pagination, enum, too many tags). */
  invalidQuery: 1003,
  /** Share, recipient or resource not found (§9.1 [3P]). */
  notFound: 1004,
  /** Duplicate recipient or resource on a share (409). */
  conflict: 1005,
  /** The object's state forbids the operation (deleting/deleted share, last resource, org-targeted share). */
  invalidState: 1006,
  /** Recipient outside the owner's organization (§3.7). */
  organizationMismatch: 1007,
  /** Cloudflare's "You are being rate limited" code, for 429. */
  rateLimited: 1015,
  /** Injected 5xx. */
  serverError: 1100,
  /** Path identifier longer than 32 characters (§2 maxLength 32). Cloudflare answers 7003 for bad ids. */
  invalidIdentifier: 7003,
  /** No route for that URI (Cloudflare's 7000). */
  noRoute: 7000,
  /** Method not allowed on that URI (Cloudflare's 7001). */
  methodNotAllowed: 7001,
  /** Missing, unknown or insufficient credentials (§1, §9.1). */
  authentication: 10000,
} as const;

/** A failure answered with the Cloudflare failure envelope. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    /** JSON pointer into the request body or query, e.g. `/recipients/0/organization_id`. */
    readonly pointer?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const notFound = (what: string): ApiError => new ApiError(404, ERROR_CODES.notFound, `${what} not found`);
/** A JSON pointer for a field path like `recipients[0].organization_id` → `/recipients/0/organization_id`. */
export function fieldPointer(field: string): string {
  const parts = field.replace(/\[(\d+)\]/g, ".$1").split(".").filter((part) => part !== "");
  return `/${parts.join("/")}`;
}

export const invalidField = (field: string, rule: string): ApiError =>
  new ApiError(400, ERROR_CODES.invalidField, `${field}: ${rule}`, fieldPointer(field));
export const invalidQuery = (param: string, rule: string): ApiError =>
  new ApiError(400, ERROR_CODES.invalidQuery, `${param}: ${rule}`);
export const invalidState = (message: string): ApiError => new ApiError(400, ERROR_CODES.invalidState, message);
export const conflict = (message: string): ApiError => new ApiError(409, ERROR_CODES.conflict, message);
