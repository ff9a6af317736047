// The ids `pulumi import` and a resource `get` take. A share is found by its account and id; a
// recipient or a share resource also by its share. State keeps the bare object id (what `create`
// records, what a resource's `id` output is), so a read with no earlier state needs the account (and
// share) too: in the composite form of the id, or given beside the bare id (a `get`'s properties).

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

const HEX_ID = /^[0-9a-fA-F]{1,32}$/;

/**
 * What a read with no earlier state (an import, a `get`) looks up: the composite id split, or the
 * bare id with `accountId` (and, for items, `shareId`) taken from `given` (the `get`'s properties).
 * Throws an error naming both ways when neither is there.
 *
 * @example
 * ```ts
 * lookupTarget("Share", "3fd8…a1b2", { accountId: "023e…c353" }); // { accountId: "023e…c353", id: "3fd8…a1b2" }
 * lookupTarget("Share", "023e…c353/3fd8…a1b2", {}); // the same
 * ```
 */
export function lookupTarget(kind: ResourceKind, id: string, given: Record<string, unknown>): ImportId {
  if (id.includes("/")) return parseImportId(kind, id);
  const accountId = given.accountId;
  const shareId = kind === "Share" ? undefined : given.shareId;
  const usable = (value: unknown) => typeof value === "string" && HEX_ID.test(value);
  if (HEX_ID.test(id) && usable(accountId) && (kind === "Share" || usable(shareId))) {
    return kind === "Share" ? { accountId: accountId as string, id } : { accountId: accountId as string, shareId: shareId as string, id };
  }
  const beside = kind === "Share" ? "accountId" : "accountId and shareId";
  throw new Error(
    `cannot read ${kind} "${id}": give its ${beside} (Cloudflare ids of up to 32 hexadecimal characters) with the id, ` +
      `as the get's properties, or give the id as ${IMPORT_ID_FORMS[kind]}`,
  );
}
