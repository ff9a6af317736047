// The ids `pulumi import` takes. A share is found by its account and id; a recipient or a share
// resource also by its share. State keeps the bare object id (what `create` records), so the
// composite forms are only needed once, by the read that an import sends.

/** The parts of an import id. */
export interface ImportId {
  accountId: string;
  /** The share holding the object (recipients and share resources only). */
  shareId?: string;
  /** The object's own id. */
  id: string;
}

/** The import id form of each resource kind, as the README documents it. */
export const IMPORT_ID_FORMS = {
  Share: "<accountId>/<shareId>",
  ShareRecipient: "<accountId>/<shareId>/<recipientId>",
  ShareResource: "<accountId>/<shareId>/<shareResourceId>",
} as const;

export type ResourceKind = keyof typeof IMPORT_ID_FORMS;

/**
 * Splits an import id of `kind`, or throws an error that shows the expected form.
 *
 * @example
 * ```ts
 * parseImportId("ShareRecipient", "023e…c353/3fd8…a1b2/9a78…3dac"); // { accountId, shareId, id }
 * ```
 */
export function parseImportId(kind: ResourceKind, text: string): ImportId {
  const parts = text.split("/");
  const expected = kind === "Share" ? 2 : 3;
  if (parts.length !== expected || parts.some((part) => !/^[0-9a-fA-F]{1,32}$/.test(part))) {
    throw new Error(
      `cannot import ${kind} "${text}": the id must be ${IMPORT_ID_FORMS[kind]} (Cloudflare ids of up to 32 hexadecimal characters)`,
    );
  }
  return kind === "Share" ? { accountId: parts[0], id: parts[1] } : { accountId: parts[0], shareId: parts[1], id: parts[2] };
}
