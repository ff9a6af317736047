// What one `pulumi stack export` holds of Resource Sharing: the ids of the shares, recipients and
// share resources in its state, from either face of the providers. Dynamic resources
// (`pulumi-nodejs:dynamic:Resource`, or `pulumi-nodejs:dynamic/cloudflare:<kind>` as this package
// names them) are told apart by their outputs (provider/resources/*-model.ts); plugin resources by
// their type token. A Share's inline recipients and resources are in its outputs, with their ids.

/** The secret signature of Pulumi's state format: `{ [SECRET_KEY]: SECRET_SIGNATURE, plaintext | ciphertext }`. */
const SECRET_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";

/** The plugin's type tokens, by kind. */
export const PLUGIN_TYPES = {
  "cloudflare-sharing:index:Share": "share",
  "cloudflare-sharing:index:ShareRecipient": "recipient",
  "cloudflare-sharing:index:ShareResource": "resource",
} as const;

/** The ids one or more states hold. */
export interface DeclaredIds {
  shares: Set<string>;
  recipients: Set<string>;
  resources: Set<string>;
}

/** What one state export holds, and what could not be read from it. */
export interface StateExportContents extends DeclaredIds {
  /** The file, as given. */
  file: string;
  /** e.g. `share 3fd8…: its inline recipients are encrypted (export with --show-secrets)`. */
  warnings: string[];
}

/**
 * A file that is not what `pulumi stack export` writes (not JSON, or no `deployment`): the message
 * names the file.
 *
 * @example
 * throw new NotAStackExportError("prod.json", "it is not JSON");
 */
export class NotAStackExportError extends Error {
  constructor(readonly file: string, reason: string) {
    super(`${file} is not a Pulumi stack export (${reason}): give the output of \`pulumi stack export --file <file>\``);
    this.name = "NotAStackExportError";
  }
}

/**
 * An empty set of ids, to collect the ids of several states into.
 *
 * @example
 * const declared = noIds();
 * for (const id of declaredInExport(file, text).shares) declared.shares.add(id);
 */
export function noIds(): DeclaredIds {
  return { shares: new Set(), recipients: new Set(), resources: new Set() };
}

/**
 * Every share, recipient and share-resource id the export's resources hold (pending deletes too:
 * the state still holds them). Throws {@link NotAStackExportError} for anything but a stack export.
 *
 * @example
 * const held = declaredInExport("prod.json", fs.readFileSync("prod.json", "utf8"));
 * held.shares.has("3fd85f74b32742f1bff64a85009dda07");
 */
export function declaredInExport(file: string, text: string): StateExportContents {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new NotAStackExportError(file, "it is not JSON");
  }
  if (!isObject(parsed) || typeof parsed.version !== "number" || !isObject(parsed.deployment)) {
    throw new NotAStackExportError(file, "it has no `version` and `deployment`");
  }
  const resources = parsed.deployment.resources ?? [];
  if (!Array.isArray(resources)) throw new NotAStackExportError(file, "its `deployment.resources` is not a list");
  const contents: StateExportContents = { file, ...noIds(), warnings: [] };
  for (const resource of resources) {
    if (!isObject(resource) || typeof resource.type !== "string" || typeof resource.id !== "string" || resource.id === "") continue;
    const outputs = revealed(resource.outputs);
    const kind = kindOf(resource.type, outputs);
    if (kind === undefined) continue;
    const id = bareId(resource.id);
    if (kind === "recipient") contents.recipients.add(id);
    else if (kind === "resource") contents.resources.add(id);
    else {
      contents.shares.add(id);
      addInline(contents, id, "recipients", outputs?.recipients, outputs?.recipientIds, contents.recipients);
      addInline(contents, id, "resources", outputs?.resources, outputs?.resourceIds, contents.resources);
    }
  }
  return contents;
}

/**
 * Which kind of Resource Sharing object a state resource is: by its plugin type token, or, for a
 * dynamic resource, by the outputs only a Share, a ShareRecipient or a ShareResource has.
 *
 * @example
 * kindOf("pulumi-nodejs:dynamic:Resource", { shareId: "3fd8…", associationStatus: "associated" }); // "recipient"
 */
export function kindOf(type: string, outputs: Record<string, unknown> | undefined): "share" | "recipient" | "resource" | undefined {
  if (type in PLUGIN_TYPES) return PLUGIN_TYPES[type as keyof typeof PLUGIN_TYPES];
  if (!type.startsWith("pulumi-nodejs:dynamic") || outputs === undefined) return undefined;
  const has = (...keys: string[]) => keys.every((key) => key in outputs);
  if (has("shareId", "resourceType", "resourceId", "resourceAccountId")) return "resource";
  if (has("shareId") && (has("associationStatus") || has("recipientAccount"))) return "recipient";
  if (has("accountId", "targetType") && (has("recipients") || has("recipientIds"))) return "share";
  return undefined;
}

/** The inline items of a Share: the ids in `items[].id`, and in the derived `<kind>Ids` list. */
function addInline(contents: StateExportContents, shareId: string, what: "recipients" | "resources", items: unknown, ids: unknown, into: Set<string>): void {
  if (isEncrypted(items) || isEncrypted(ids)) {
    contents.warnings.push(`share ${shareId}: its inline ${what} are encrypted in ${contents.file} (export with --show-secrets to audit them)`);
  }
  for (const item of listOf(items)) {
    const id = isObject(item) ? revealed(item.id) : undefined;
    if (typeof id === "string" && id !== "") into.add(bareId(id));
  }
  for (const id of listOf(ids)) if (typeof id === "string" && id !== "") into.add(bareId(id));
}

/** State keeps bare ids; an import id (`<account>/<share>/<id>`) ends with the object's own. */
function bareId(id: string): string {
  return id.slice(id.lastIndexOf("/") + 1);
}

function listOf(value: unknown): unknown[] {
  const plain = revealed(value);
  return Array.isArray(plain) ? plain : [];
}

/** `value` with secrets exported with `--show-secrets` unwrapped (their `plaintext` is JSON); encrypted ones stay as they are. */
function revealed(value: unknown): any {
  if (isObject(value) && value[SECRET_KEY] === SECRET_SIGNATURE && typeof value.plaintext === "string") {
    try {
      return revealed(JSON.parse(value.plaintext));
    } catch {
      return undefined;
    }
  }
  if (Array.isArray(value)) return value.map(revealed);
  if (isObject(value) && !(SECRET_KEY in value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, revealed(item)]));
  return value;
}

function isEncrypted(value: unknown): boolean {
  return isObject(value) && value[SECRET_KEY] === SECRET_SIGNATURE && typeof value.plaintext !== "string";
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
