// What `recover` reads from a stack export (`pulumi stack export`): the creates a killed run left in
// flight (`deployment.pending_operations` of type `creating`), which of them are this package's
// resources and of what kind, and every id the stack's resources already hold.
//
// Both faces count: the dynamic resources (type `pulumi-nodejs:dynamic/cloudflare:<Type>`, or
// `pulumi-nodejs:dynamic:Resource` as `pulumi.dynamic.Resource` registers them, told apart by their
// provider reference or, failing that, by their inputs) and the plugin's (`cloudflare-sharing:index:<Type>`).

/** The three resources `recover` knows how to find on Cloudflare. */
export type RecoverableKind = "Share" | "ShareRecipient" | "ShareResource";

const KINDS: readonly RecoverableKind[] = ["Share", "ShareRecipient", "ShareResource"];

/** The dynamic resources' type module (resources/resource-base's TYPE_MODULE, not imported: it loads @pulumi/pulumi). */
const DYNAMIC_MODULE = "cloudflare";

/** The plugin's package name (provider/plugin/resource-table's PACKAGE_NAME, not imported: it pulls in gRPC). */
const PLUGIN_PACKAGE = "cloudflare-sharing";

/** The type `pulumi.dynamic.Resource` registers every dynamic resource under. */
const GENERIC_DYNAMIC_TYPE = "pulumi-nodejs:dynamic:Resource";

/** Each kind's provider module, as the one-line provider reference in state names it. */
const PROVIDER_FILES: Record<RecoverableKind, string> = {
  Share: "share-provider",
  ShareRecipient: "share-recipient-provider",
  ShareResource: "share-resource-provider",
};

/** A create a killed run left in flight. */
export interface PendingCreate {
  urn: string;
  type: string;
  /** Which of this package's resources it is; undefined for another provider's ("not ours"). */
  kind?: RecoverableKind;
  /** Its inputs as the engine recorded them (after `check`). */
  inputs: Record<string, unknown>;
}

/** What `recover` needs from one stack export. */
export interface StackPendingCreates {
  pendingCreates: PendingCreate[];
  /** Every id a resource of the export holds (a Share's inline recipients and resources included). */
  heldIds: Set<string>;
}

/**
 * An export `recover` cannot use: not an export, or an input it needs hidden as a secret.
 *
 * @example
 * throw new ExportError("the export has no `deployment`: is it the output of `pulumi stack export`?");
 */
export class ExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExportError";
  }
}

interface ExportedResource {
  urn?: string;
  type?: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

/**
 * Reads the pending creates and held ids of a stack export (the JSON text `pulumi stack export`
 * prints, or that text parsed).
 *
 * @example
 * const { pendingCreates, heldIds } = readStackExport(fs.readFileSync("stack.json", "utf8"));
 * pendingCreates.filter((create) => create.kind !== undefined); // ours
 */
export function readStackExport(exported: string | object): StackPendingCreates {
  let parsed: unknown = exported;
  if (typeof exported === "string") {
    try {
      parsed = JSON.parse(exported);
    } catch (error) {
      throw new ExportError(`the stack export is not JSON (${(error as Error).message}): is it the output of \`pulumi stack export\`?`);
    }
  }
  const deployment = (parsed as { deployment?: unknown } | null)?.deployment;
  if (deployment === null || typeof deployment !== "object") {
    throw new ExportError("the stack export has no `deployment`: is it the output of `pulumi stack export`?");
  }
  const { resources = [], pending_operations: operations = [] } = deployment as { resources?: ExportedResource[]; pending_operations?: { type?: string; resource?: ExportedResource }[] };
  const heldIds = new Set<string>();
  for (const resource of resources) {
    if (resource.id) heldIds.add(resource.id);
    // A Share holds its inline items too (their ids are in its outputs, not resources of their own).
    for (const key of ["recipientIds", "resourceIds"]) {
      const ids = resource.outputs?.[key];
      if (Array.isArray(ids)) for (const id of ids) if (typeof id === "string") heldIds.add(id);
    }
  }
  const pendingCreates: PendingCreate[] = [];
  for (const operation of operations) {
    if (operation.type !== "creating" || !operation.resource?.urn) continue;
    const { urn, type = "", inputs = {} } = operation.resource;
    const kind = kindOf(type, inputs);
    pendingCreates.push({ urn, type, kind, inputs: kind === undefined ? inputs : revealed(inputs, urn) as Record<string, unknown> });
  }
  return { pendingCreates, heldIds };
}

/**
 * Which of this package's resources a type and its inputs are, if any.
 *
 * @example
 * kindOf("cloudflare-sharing:index:ShareRecipient", {}); // "ShareRecipient"
 * kindOf("aws:s3/bucket:Bucket", {}); // undefined
 */
export function kindOf(type: string, inputs: Record<string, unknown>): RecoverableKind | undefined {
  for (const kind of KINDS) {
    if (type === `pulumi-nodejs:dynamic/${DYNAMIC_MODULE}:${kind}` || type === `${PLUGIN_PACKAGE}:index:${kind}`) return kind;
  }
  if (type !== GENERIC_DYNAMIC_TYPE) return undefined;
  const reference = typeof inputs.__provider === "string" ? inputs.__provider : "";
  if (reference.includes("pulumi-cloudflare-sharing")) {
    // Longest names first: "share-provider" is a suffix of neither other, but be explicit.
    for (const kind of ["ShareRecipient", "ShareResource", "Share"] as const) {
      if (reference.includes(`/${PROVIDER_FILES[kind]}`)) return kind;
    }
  }
  return kindFromInputs(inputs);
}

/** A resource registered by value (a serialized closure): what its inputs declare. */
function kindFromInputs(inputs: Record<string, unknown>): RecoverableKind | undefined {
  const has = (key: string) => inputs[key] !== undefined && inputs[key] !== null;
  if (!has("accountId")) return undefined;
  if (has("shareId") && has("resourceType") && has("resourceId") && has("resourceAccountId")) return "ShareResource";
  if (has("shareId") && (has("recipientAccountId") || has("organizationId"))) return "ShareRecipient";
  if (!has("shareId") && has("name") && Array.isArray(inputs.recipients) && Array.isArray(inputs.resources)) return "Share";
  return undefined;
}

/** The secret signature of Pulumi's serialized values. */
const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";
const SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";

/**
 * The inputs with secrets exported in plain text (`--show-secrets`) unwrapped. An encrypted one cannot
 * be matched on Cloudflare: say which resource and how to export it readable.
 */
function revealed(value: unknown, urn: string): unknown {
  if (Array.isArray(value)) return value.map((item) => revealed(item, urn));
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if (record[SIGNATURE_KEY] === SECRET_SIGNATURE) {
    if (typeof record.plaintext !== "string") {
      throw new ExportError(
        `the pending create of ${urn} has secret inputs, encrypted in this export: export them readable ` +
          "(`pulumi stack export --show-secrets --file stack.json`) and pass `--export stack.json`",
      );
    }
    return revealed(JSON.parse(record.plaintext), urn);
  }
  return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, revealed(item, urn)]));
}
