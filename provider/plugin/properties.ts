// Property values on the wire: google.protobuf.Struct with Pulumi's signature keys. Secrets arrive
// marked (the plugin accepts secrets); the provider code sees them revealed, and secrets.ts keeps
// track of them and marks the answers. Unknown values during preview are the sentinel string the
// CRUD code already understands (resources/inputs.ts UNKNOWN).

import * as structproto from "google-protobuf/google/protobuf/struct_pb";

/** The key whose value says what kind of special value an object is. */
export const SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
/** The signature of a secret: `{ [SIGNATURE_KEY]: SECRET_SIGNATURE, value }`. */
export const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";

export type Plain = Record<string, unknown>;

/** True when `value` is a wrapped secret. */
export function isSecret(value: unknown): value is { value: unknown } {
  return value !== null && typeof value === "object" && (value as Plain)[SIGNATURE_KEY] === SECRET_SIGNATURE;
}

/** `value` with every wrapped secret replaced by what it wraps. */
export function revealSecrets(value: unknown): unknown {
  if (isSecret(value)) return revealSecrets(value.value);
  if (Array.isArray(value)) return value.map(revealSecrets);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, revealSecrets(item)]));
  }
  return value;
}

/** `value` wrapped as a secret (the engine encrypts it in state). */
export function asSecret(value: unknown): Plain {
  return { [SIGNATURE_KEY]: SECRET_SIGNATURE, value };
}

/**
 * A Struct as plain values, secrets revealed, explicit nulls dropped (absent and null mean the same).
 *
 * @example
 * ```ts
 * const news = fromStruct(request.getNews()); // { accountId: "…", timeouts: { create: "2m" } }
 * ```
 */
export function fromStruct(struct: structproto.Struct | undefined): Plain {
  if (struct === undefined) return {};
  return dropNulls(revealSecrets(struct.toJavaScript())) as Plain;
}

/**
 * Plain values as a Struct; `undefined` members are left out (a Struct has no such value).
 *
 * @example
 * ```ts
 * response.setProperties(toStruct({ id: "…", status: "active" }));
 * ```
 */
export function toStruct(value: Plain): structproto.Struct {
  return structproto.Struct.fromJavaScript(JSON.parse(JSON.stringify(value)) as Record<string, structproto.JavaScriptValue>);
}

function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, item]) => item !== null)
        .map(([key, item]) => [key, dropNulls(item)]),
    );
  }
  return value;
}
