// Validation and normalisation of resource inputs, shared by the three providers. Everything here is
// pure: `check` and `diff` run during `pulumi preview` and must send no request.

import { KNOWN_RESOURCE_TYPES } from "../client/types";
import { currentCallContext, isSecretField } from "../call-context";

/**
 * The value Pulumi sends for an input that is not known yet during preview
 * (`@pulumi/pulumi/runtime/rpc` `unknownValue`). Such inputs pass `check` untouched.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

/** True when the value, or anything inside it, is not known yet. */
export function containsUnknown(value: unknown): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/** One failed rule, as Pulumi's `CheckFailure`: the property path and the rule it broke. */
export interface Failure {
  property: string;
  reason: string;
}

/** Collects failures; each rule names the field and says what is expected. */
export class Checker {
  readonly failures: Failure[] = [];
  readonly warnings: string[] = [];

  fail(property: string, reason: string): void {
    this.failures.push({ property, reason });
  }

  /**
   * A Cloudflare identifier: 1–32 hexadecimal characters (the API documents maxLength 32; its ids are
   * 32-character hex strings).
   */
  id(property: string, value: unknown, required = true): void {
    if (isUnknown(value)) return;
    if (value === undefined || value === null || value === "") {
      if (required) this.fail(property, `${property} is required: a Cloudflare id of up to 32 hexadecimal characters`);
      return;
    }
    if (typeof value !== "string") {
      this.fail(property, `${property} must be a string (a Cloudflare id), got ${shownType(property, value)}`);
      return;
    }
    if (value.length > 32) {
      this.fail(property, `${property} must be at most 32 characters (a Cloudflare id), got ${value.length}`);
    } else if (!/^[0-9a-fA-F]+$/.test(value)) {
      this.fail(property, `${property} must be hexadecimal (a Cloudflare id such as 023e105f4ecef8ad9ca31a8372d0c353), got ${shownValue(property, `"${truncate(value)}"`)}`);
    }
  }

  nonEmptyString(property: string, value: unknown): void {
    if (isUnknown(value)) return;
    if (typeof value !== "string") {
      this.fail(property, `${property} is required and must be a string, got ${shownType(property, value)}`);
    } else if (value.trim() === "") {
      this.fail(property, `${property} must not be empty`);
    }
  }

  /** A resource type: a non-empty string; an unknown one is a warning (the API may have added it). */
  resourceType(property: string, value: unknown): void {
    if (isUnknown(value)) return;
    this.nonEmptyString(property, value);
    if (typeof value === "string" && value.trim() !== "" && !(KNOWN_RESOURCE_TYPES as readonly string[]).includes(value)) {
      this.warnings.push(
        `${property} ${shownValue(property, `"${value}"`)} is not one of the known resource types (${KNOWN_RESOURCE_TYPES.join(", ")}); ` +
          `it is sent as is, in case Cloudflare added it`,
      );
    }
  }

  /** `meta`: a JSON object, given as an object or as a JSON string. */
  meta(property: string, value: unknown): void {
    if (value === undefined || containsUnknown(value)) return;
    const problem = metaProblem(value, isSecretField(property));
    if (problem) this.fail(property, `${property} ${problem}`);
  }

  /** A duration such as "30s", "5m", "1h30m" (Go/Terraform syntax). */
  duration(property: string, value: unknown): void {
    if (value === undefined || isUnknown(value)) return;
    if (typeof value !== "string" || parseDuration(value) === undefined) {
      this.fail(property, `${property} must be a duration such as "30s", "5m" or "1h30m", got ${shownValue(property, JSON.stringify(value))}`);
    }
  }

  timeouts(property: string, value: unknown, keys: readonly string[]): void {
    if (value === undefined || isUnknown(value)) return;
    if (!isPlainObject(value)) {
      this.fail(property, `${property} must be an object such as { create: "10m", delete: "5m" }, got ${shownType(property, value)}`);
      return;
    }
    for (const [key, item] of Object.entries(value)) {
      if (!keys.includes(key)) this.fail(`${property}.${key}`, `${property} has no "${key}": allowed keys are ${keys.join(", ")}`);
      else this.duration(`${property}.${key}`, item);
    }
  }
}

/**
 * Why a value is not a usable `meta`, or undefined if it is. A `secret` value is not quoted (the
 * parser's message quotes part of the text).
 */
export function metaProblem(value: unknown, secret = false): string | undefined {
  const shown = (text: string) => (secret ? "a secret value" : text);
  if (typeof value === "string") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      return `must be a JSON object; the string is not valid JSON${secret ? " (its value is secret)" : ` (${(error as Error).message})`}`;
    }
    return isPlainObject(parsed) ? undefined : `must be a JSON object, got ${shown(`JSON ${describeType(parsed)}`)}`;
  }
  return isPlainObject(value) ? undefined : `must be a JSON object (an object or a JSON string), got ${shown(describeType(value))}`;
}

/**
 * `text` (a value as a message shows it), or "a secret value" when the input at `property` is secret.
 *
 * @example
 * checker.fail(property, `${property} must be true or false, got ${shownValue(property, JSON.stringify(value))}`);
 */
export function shownValue(property: string, text: string): string {
  return isSecretField(property) ? "a secret value" : text;
}

/** The kind of `value` as messages describe it (`an array`, `number 7`), unless the input is secret. */
export function shownType(property: string, value: unknown): string {
  return shownValue(property, describeType(value));
}

/** `meta` as an object; `{}` when absent (the API requires the field even when empty). */
export function metaObject(value: unknown): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  const parsed = typeof value === "string" ? JSON.parse(value) : value;
  return parsed as Record<string, unknown>;
}

/** `meta` in its stored form: compact JSON with sorted keys, so equal objects compare equal. */
export function normalizeMeta(value: unknown): string {
  return canonicalJson(metaObject(value));
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys(value[key])]),
    );
  }
  return value;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `${typeof value} ${JSON.stringify(value)}`;
}

function truncate(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses "90s", "5m", "1h30m", "250ms" into milliseconds; undefined when malformed or zero. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const match of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(match[1]) * DURATION_UNITS[match[2]];
  }
  return total > 0 ? total : undefined;
}

/**
 * Per-operation deadlines. The engine's `customTimeouts` never reaches dynamic providers; the plugin
 * receives it and it then takes precedence (see `timeoutMs`).
 */
export interface Timeouts {
  /** How long `create` waits for the object to settle. Default "5m". */
  create?: string;
  /** How long `update` waits for the change to settle. Default "5m". */
  update?: string;
  /** How long `delete` waits for the object to be gone. Default "5m". */
  delete?: string;
}

export const DEFAULT_TIMEOUT_MS = 5 * 60_000;

/** The deadline of `operation`: the engine's `customTimeouts` if the host passed one, else `timeouts`, else 5m. */
export function timeoutMs(timeouts: Timeouts | undefined, operation: keyof Timeouts): number {
  const fromEngine = currentCallContext()?.timeoutMs;
  if (fromEngine !== undefined && fromEngine > 0) return fromEngine;
  const text = timeouts?.[operation];
  return (text !== undefined && parseDuration(text)) || DEFAULT_TIMEOUT_MS;
}

/** Copies an object without its `undefined` members: the provider host rejects them ("Unexpected struct type"). */
export function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutUndefined) as T;
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, item]) => item !== undefined)
        .map(([key, item]) => [key, withoutUndefined(item)]),
    ) as T;
  }
  return value;
}

/** Copies an object without its `null` members (shallow): inputs the engine passed as explicit null are absent. */
export function withoutNulls<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== null)) as T;
}

/**
 * The given keys of `state`, absent ones left out: the inputs a `read` hands back.
 *
 * @example
 * pickInputs({ a: 1, b: undefined, c: 3 }, ["a", "b"]); // { a: 1 }
 */
export function pickInputs<T extends object, K extends keyof T>(state: T, keys: readonly K[]): Pick<T, K> {
  return withoutUndefined(Object.fromEntries(keys.map((key) => [key, state[key]])) as Pick<T, K>);
}
