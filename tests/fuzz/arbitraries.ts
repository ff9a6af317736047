// Generators and oracles for the property-based tests of the providers' `check` and `diff`.
// Everything here describes the inputs as a user's program (through the engine) can send them: JSON
// values, fields missing, and the engine's "unknown during preview" sentinel anywhere.
import fc from "fast-check";
import { KNOWN_RESOURCE_TYPES } from "../../provider/client/types";
import { UNKNOWN } from "../../provider/resources/inputs";

export { UNKNOWN };

/** Seed of every property; `FUZZ_SEED=<n>` reproduces (or varies) a run. */
export const SEED = Number(process.env.FUZZ_SEED ?? 20260126);
/** Runs per property: 2000 by default, more with FUZZ_RUNS. */
export const RUNS = Math.max(2000, Number(process.env.FUZZ_RUNS ?? 2000));

const HEX = "0123456789abcdefABCDEF".split("");
export const HEX_ID = /^[0-9a-fA-F]{1,32}$/;

// ---- ids ---------------------------------------------------------------------------------------

export const hexId = fc.string({ unit: fc.constantFrom(...HEX), minLength: 1, maxLength: 32 });
/** A valid id value, sometimes not known yet (preview). */
export const idOrUnknown = fc.oneof({ arbitrary: hexId, weight: 9 }, { arbitrary: fc.constant(UNKNOWN), weight: 1 });

/** Random text of random length and charset: hex-only, ASCII, full unicode, with separators. */
export const anyIdText = fc.oneof(
  fc.string({ unit: fc.constantFrom(...HEX), minLength: 0, maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(...HEX, "g", "x", "-", " ", "/", ".", "\n", "é", "0"), minLength: 0, maxLength: 40 }),
  fc.string({ minLength: 0, maxLength: 40 }),
  fc.string({ unit: "grapheme", minLength: 0, maxLength: 40 }),
  fc.string({ unit: "binary", minLength: 0, maxLength: 40 }),
  fc.constant(UNKNOWN),
);

/** Junk that is no JSON object (for meta) or no string (for text fields). */
export const nonString = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
);

/** A required id that is wrong: empty, too long, not hex, or not a string. */
export const badRequiredId = fc.oneof(
  fc.constant(""),
  fc.string({ unit: fc.constantFrom(...HEX), minLength: 33, maxLength: 80 }),
  anyIdText.filter((s) => s !== "" && s !== UNKNOWN && !HEX_ID.test(s)),
  nonString,
);

/** An optional id (adopt) that is wrong: "" and null count as "not given" there. */
export const badOptionalId = badRequiredId.filter((v) => v !== "" && v !== null);

// ---- other fields ------------------------------------------------------------------------------

export const shareName = fc.oneof(
  fc.string({ minLength: 1, maxLength: 40 }),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }),
).filter((s) => s.trim() !== "" && s !== UNKNOWN);
export const badName = fc.oneof(fc.constant(""), fc.constantFrom(" ", "\t", "  \n "), nonString);

export const knownType = fc.constantFrom(...KNOWN_RESOURCE_TYPES);
/** A type the package does not know: accepted with a warning (Cloudflare may have added it). */
export const otherType = fc.string({ minLength: 1, maxLength: 24 }).filter((s) => s.trim() !== "" && s !== UNKNOWN && !(KNOWN_RESOURCE_TYPES as readonly string[]).includes(s));
export const resourceType = fc.oneof({ arbitrary: knownType, weight: 8 }, { arbitrary: otherType, weight: 1 }, { arbitrary: fc.constant(UNKNOWN), weight: 1 });
export const badType = fc.oneof(fc.constant(""), fc.constantFrom(" ", "\n\t"), nonString);

export const metaObject = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 });
/** A valid meta: an object, or the same as JSON text (with random spacing), or one not known yet. */
export const validMeta = fc.oneof(
  metaObject,
  fc.tuple(metaObject, fc.constantFrom(undefined, 1, 2, "\t")).map(([object, space]) => ` ${JSON.stringify(object, null, space)}\n`),
  fc.constant(UNKNOWN),
  metaObject.map((object) => ({ ...object, pending: UNKNOWN })),
);
/** Meta that is not a JSON object: other JSON, invalid JSON text, JSON text of a non-object. */
export const badMeta = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
  fc.jsonValue({ maxDepth: 2 }).filter((v) => v === null || typeof v !== "object" || Array.isArray(v)).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 30 }).filter((s) => s !== UNKNOWN && !parsesToObject(s)),
  metaObject.map((o) => JSON.stringify(o).slice(0, -1)), // truncated JSON
);

function parsesToObject(text: string): boolean {
  try {
    const parsed = JSON.parse(text);
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

const durationUnit = fc.constantFrom("ms", "s", "m", "h");
export const duration = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 999 }), fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }), durationUnit), { minLength: 1, maxLength: 3 })
  .filter((parts) => parts.some(([n, fraction]) => n > 0 || (fraction ?? 0) > 0))
  .map((parts) => parts.map(([n, fraction, unit]) => `${n}${fraction === undefined ? "" : `.${fraction}`}${unit}`).join(""));
export const badDuration = fc.oneof(
  fc.constantFrom("", "0s", "0m0s", "soon", "5", "m5", "1.5", "-1s", "1d", "1 m", "1.2.3s", "1hm"),
  fc.string({ maxLength: 12 }).filter((s) => !/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(s.trim()) && s !== UNKNOWN),
  nonString,
);

export function timeouts(keys: readonly string[]) {
  return fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 4 },
    { arbitrary: fc.record(Object.fromEntries(keys.map((k) => [k, fc.oneof(duration, fc.constant(UNKNOWN))])), { requiredKeys: [] }), weight: 5 },
    { arbitrary: fc.constant(UNKNOWN), weight: 1 },
  );
}

// ---- whole inputs ------------------------------------------------------------------------------

export const SHARE_TIMEOUT_KEYS = ["create", "update", "delete"] as const;
export const RECIPIENT_TIMEOUT_KEYS = ["create", "delete"] as const;
export const RESOURCE_TIMEOUT_KEYS = ["create", "update", "delete"] as const;

export const recipientTarget = fc.oneof(
  idOrUnknown.map((id) => ({ recipientAccountId: id })),
  idOrUnknown.map((id) => ({ organizationId: id })),
);

export const inlineResource = fc.record(
  { resourceType, resourceId: idOrUnknown, resourceAccountId: idOrUnknown, meta: validMeta },
  { requiredKeys: ["resourceType", "resourceId", "resourceAccountId"] },
);

/** What identifies an inline item for the duplicate rules ("" when not known yet: never a duplicate). */
export function recipientIdentity(r: { recipientAccountId?: unknown; organizationId?: unknown }): string {
  const value = r.recipientAccountId ?? r.organizationId;
  if (value === UNKNOWN) return `?${Math.random()}`;
  return r.recipientAccountId !== undefined ? `account:${value}` : `organization:${value}`;
}
export function resourceIdentity(r: { resourceType?: unknown; resourceId?: unknown }): string {
  if (r.resourceType === UNKNOWN || r.resourceId === UNKNOWN) return `?${Math.random()}`;
  return `${r.resourceType}\u0000${r.resourceId}`;
}

export const validShareInputs = fc.record(
  {
    accountId: idOrUnknown,
    name: fc.oneof({ arbitrary: shareName, weight: 9 }, { arbitrary: fc.constant(UNKNOWN), weight: 1 }),
    recipients: fc.uniqueArray(recipientTarget, { minLength: 1, maxLength: 6, selector: recipientIdentity }),
    resources: fc.uniqueArray(inlineResource, { minLength: 1, maxLength: 6, selector: resourceIdentity }),
    timeouts: timeouts(SHARE_TIMEOUT_KEYS),
    adopt: idOrUnknown,
  },
  { requiredKeys: ["accountId", "name", "recipients", "resources"] },
);

export const validRecipientInputs = fc
  .tuple(
    fc.record(
      { accountId: idOrUnknown, shareId: idOrUnknown, timeouts: timeouts(RECIPIENT_TIMEOUT_KEYS), adopt: idOrUnknown },
      { requiredKeys: ["accountId", "shareId"] },
    ),
    recipientTarget,
  )
  .map(([base, target]) => ({ ...base, ...target }));

export const validResourceInputs = fc.record(
  {
    accountId: idOrUnknown,
    shareId: idOrUnknown,
    resourceType,
    resourceId: idOrUnknown,
    resourceAccountId: idOrUnknown,
    meta: validMeta,
    timeouts: timeouts(RESOURCE_TIMEOUT_KEYS),
    adopt: idOrUnknown,
  },
  { requiredKeys: ["accountId", "shareId", "resourceType", "resourceId", "resourceAccountId"] },
);

/** Anything at all in a field: valid values, junk, the sentinel, nested structures. */
export function junk<T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: valid, weight: 3 },
    { arbitrary: fc.anything({ maxDepth: 3 }), weight: 2 },
    { arbitrary: fc.constant(UNKNOWN), weight: 1 },
    { arbitrary: anyIdText, weight: 1 },
    { arbitrary: nonString, weight: 1 },
  );
}

// ---- the shape of inputs, to judge failure paths ------------------------------------------------

export type Shape =
  | { kind: "leaf" }
  | { kind: "object"; fields: Record<string, Shape> }
  | { kind: "array"; item: Shape }
  /** An object whose keys are whatever the input has (timeouts: unknown keys are reported by name). */
  | { kind: "open" };

const leaf: Shape = { kind: "leaf" };
const object = (fields: Record<string, Shape>): Shape => ({ kind: "object", fields });

export const SHARE_SHAPE = object({
  accountId: leaf,
  name: leaf,
  recipients: { kind: "array", item: object({ recipientAccountId: leaf, organizationId: leaf }) },
  resources: { kind: "array", item: object({ resourceType: leaf, resourceId: leaf, resourceAccountId: leaf, meta: leaf }) },
  timeouts: { kind: "open" },
  adopt: leaf,
});
export const RECIPIENT_SHAPE = object({ accountId: leaf, shareId: leaf, recipientAccountId: leaf, organizationId: leaf, timeouts: { kind: "open" }, adopt: leaf });
export const RESOURCE_SHAPE = object({
  accountId: leaf,
  shareId: leaf,
  resourceType: leaf,
  resourceId: leaf,
  resourceAccountId: leaf,
  meta: leaf,
  timeouts: { kind: "open" },
  adopt: leaf,
});

/** "recipients[2].recipientAccountId" → ["recipients", 2, "recipientAccountId"]; undefined when malformed. */
export function parsePath(path: string): (string | number)[] | undefined {
  // A timeouts key is reported as is and may hold any character: everything after "timeouts." is the key.
  if (path.startsWith("timeouts.")) return ["timeouts", path.slice("timeouts.".length)];
  if (!/^[A-Za-z_$][\w$]*(\[\d+\]|\.[A-Za-z_$][\w$]*)*$/.test(path)) return undefined;
  return [...path.matchAll(/([A-Za-z_$][\w$]*)|\[(\d+)\]/g)].map((m) => (m[1] !== undefined ? m[1] : Number(m[2])));
}

/**
 * Whether `path` names a place in the input: every segment allowed by the shape, every index inside
 * its array, every open-object key (a timeouts key) one the input really has. The value at the end may
 * be missing (a required field that was not given).
 */
export function pathInShape(input: unknown, shape: Shape, path: string): boolean {
  const segments = parsePath(path);
  if (!segments || segments.length === 0) return false;
  let value: unknown = input;
  let node: Shape = shape;
  for (const segment of segments) {
    if (typeof segment === "number") {
      if (node.kind !== "array" || !Array.isArray(value) || segment >= value.length) return false;
      value = value[segment];
      node = node.item;
    } else if (node.kind === "object") {
      if (!Object.prototype.hasOwnProperty.call(node.fields, segment)) return false;
      node = node.fields[segment];
      value = value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>)[segment] : undefined;
    } else if (node.kind === "open") {
      if (value === null || typeof value !== "object" || !Object.prototype.hasOwnProperty.call(value, segment)) return false;
      value = (value as Record<string, unknown>)[segment];
      node = leaf;
    } else {
      return false;
    }
  }
  return true;
}

/** The reason names the field: the whole path, or the field's name together with its parent's path. */
export function reasonMentions(reason: string, path: string): boolean {
  if (reason.includes(path)) return true;
  const segments = parsePath(path) ?? [];
  const last = segments[segments.length - 1];
  const lastText = typeof last === "number" ? `[${last}]` : `.${last}`;
  const parent = segments.length > 1 ? path.slice(0, path.length - lastText.length) : "";
  return reason.includes(String(last)) && (parent === "" || reason.includes(parent));
}
