// Secrets through the plugin. The plugin accepts secrets (Configure answers `acceptSecrets: true`), so
// the engine sends secret inputs still marked, and no longer re-marks what comes back: the plugin
// marks its answers itself, by the engine's own rule (annotateSecrets below), and knows which inputs
// are secret, so that no message it sends (errors, warnings, progress, check failures) prints one.

import { canonicalJson } from "../resources/inputs";
import { ResourceInitError } from "../resources/common";
import { asSecret, isSecret, Plain, revealSecrets } from "./properties";

/** Shorter secrets are not searched for in messages: replacing every "a" would say nothing useful. */
const MIN_REDACTED_LENGTH = 3;
const REDACTED = "[secret]";

/** The secrets of one call's inputs (as the engine sent them, marks in place). */
export class SecretScope {
  /** Where the secrets are, as check failures spell paths: `name`, `resources[0].meta`. */
  readonly paths: readonly string[];
  /** The same places as steps: `["resources", 0, "meta"]`. */
  readonly steps: readonly (readonly Step[])[];
  /** Every text a message could show a secret as, longest first. */
  private readonly texts: readonly string[];

  /**
   * The secrets of `marked` values (Structs as the engine sent them, `toJavaScript()`).
   *
   * @example
   * ```ts
   * const scope = SecretScope.of(request.getNews()?.toJavaScript());
   * scope.isSecret("resources[0].meta"); // true when that meta, or a value inside it, was secret
   * ```
   */
  static of(...marked: unknown[]): SecretScope {
    const found: Found[] = [];
    for (const value of marked) collectSecrets(value, [], found);
    return new SecretScope(found);
  }

  private constructor(found: Found[]) {
    this.steps = found.map((secret) => secret.steps);
    this.paths = found.map((secret) => pathOf(secret.steps));
    const texts = new Set(found.flatMap((secret) => textsOf(secret.value)));
    this.texts = [...texts].filter((text) => text.length >= MIN_REDACTED_LENGTH).sort((a, b) => b.length - a.length);
  }

  /** True when any input was secret. */
  get any(): boolean {
    return this.paths.length > 0;
  }

  /**
   * True when the input at `property` is secret, lies inside a secret or holds one.
   *
   * @example
   * ```ts
   * SecretScope.of({ meta: asSecret("{}") }).isSecret("meta"); // true
   * ```
   */
  isSecret(property: string): boolean {
    const within = (inner: string, outer: string) => inner === outer || (outer === "" ? inner !== "" : inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`));
    return this.paths.some((path) => within(property, path) || within(path, property));
  }

  /**
   * `text` with every secret it quotes replaced by "[secret]".
   *
   * @example
   * ```ts
   * SecretScope.of({ name: asSecret("top secret") }).redact('creating share "top secret"'); // 'creating share "[secret]"'
   * ```
   */
  redact(text: string): string {
    return this.texts.reduce((result, secret) => result.split(secret).join(REDACTED), text);
  }

  /**
   * `error` as the engine may see it: its message redacted; an init error's reasons redacted and its
   * properties (outputs the engine keeps in state) marked by `markOutputs`.
   *
   * @example
   * ```ts
   * try { … } catch (error) { throw scope.redactError(error, (outs) => annotateSecrets(outs, rawInputs)); }
   * ```
   */
  redactError(error: unknown, markOutputs: (outs: Plain) => Plain): Error {
    if (error instanceof ResourceInitError) {
      const properties = markOutputs(error.properties);
      const redacted = new ResourceInitError(error.id, properties, properties, error.reasons.map((reason) => this.redact(reason)));
      return redacted;
    }
    const message = error instanceof Error ? error.message : String(error);
    if (!this.any) return error instanceof Error ? error : new Error(message);
    const redacted = new Error(this.redact(message));
    redacted.name = error instanceof Error ? error.name : "Error";
    return redacted;
  }
}

/**
 * `outs` marked secret where the `marked` inputs they come from were: by name, objects member by
 * member, and any other value (an array included) whole when the input held a secret anywhere. This
 * is the engine's own rule (annotateSecrets), which it applies for a provider that does not accept
 * secrets: an array is marked whole because its items may come back in another order.
 *
 * @example
 * ```ts
 * annotateSecrets({ name: "n", status: "active" }, { name: asSecret("n") }); // { name: asSecret("n"), status: "active" }
 * ```
 */
export function annotateSecrets(outs: Plain, marked: unknown): Plain {
  if (!isObject(marked)) return outs;
  const result: Plain = { ...outs };
  for (const [key, input] of Object.entries(marked)) {
    if (!Object.hasOwn(result, key) || result[key] === undefined) continue;
    const output = result[key];
    if (isObject(output) && isObject(input)) result[key] = annotateSecrets(output, input);
    else if (!isSecret(output) && containsSecrets(input)) result[key] = asSecret(output);
  }
  return result;
}

/**
 * `outs` with each output that `derived` says comes from inputs of other names (the recipient's
 * `recipientAccount`, from `recipientAccountId` or `organizationId`) marked secret when one of those
 * `marked` inputs held a secret: the by-name rule of annotateSecrets cannot see those.
 *
 * @example
 * ```ts
 * markDerived({ recipientAccount: "9a78…" }, { recipientAccountId: asSecret("9a78…") }, { recipientAccount: ["recipientAccountId"] });
 * // { recipientAccount: asSecret("9a78…") }
 * ```
 */
export function markDerived(outs: Plain, marked: unknown, derived: Readonly<Record<string, readonly string[]>>): Plain {
  if (!isObject(marked)) return outs;
  const result: Plain = { ...outs };
  for (const [output, inputs] of Object.entries(derived)) {
    if (result[output] === undefined || isSecret(result[output])) continue;
    if (inputs.some((input) => containsSecrets(marked[input]))) result[output] = asSecret(result[output]);
  }
  return result;
}

/**
 * `value` (what `check` made of the inputs, in the same places) marked secret exactly where `scope`
 * found secrets; where a secret lay inside what `check` turned into one value (a `meta` object made
 * JSON text), that whole value.
 *
 * @example
 * ```ts
 * markSecrets({ resources: [{ meta: '{"k":"v"}' }] }, SecretScope.of({ resources: [{ meta: { k: asSecret("v") } }] }));
 * // { resources: [{ meta: asSecret('{"k":"v"}') }] }
 * ```
 */
export function markSecrets(value: Plain, scope: SecretScope): Plain {
  let result = value;
  for (const steps of scope.steps) {
    // A secret input that check dropped marks nothing.
    if (steps.length === 0 || !Object.hasOwn(result, steps[0]) || result[steps[0]] === undefined) continue;
    result = markAt(result, steps) as Plain;
  }
  return result;
}

function markAt(node: unknown, steps: readonly Step[]): unknown {
  if (isSecret(node)) return node;
  if (steps.length === 0) return asSecret(node);
  const [step, ...rest] = steps;
  if (Array.isArray(node) && typeof step === "number" && step < node.length) return node.map((item, index) => (index === step ? markAt(item, rest) : item));
  if (isObject(node) && typeof step === "string" && Object.hasOwn(node, step) && node[step] !== undefined) return { ...node, [step]: markAt(node[step], rest) };
  // The secret lies deeper than this value goes: the value is made from it.
  return asSecret(node);
}

/**
 * A lookup's result, every value secret when any argument was (as the engine does for a provider
 * that does not accept secrets).
 *
 * @example
 * ```ts
 * secretResult({ shares: [] }, { accountId: asSecret("…") }); // { shares: asSecret([]) }
 * ```
 */
export function secretResult(result: Plain, markedArgs: unknown): Plain {
  if (!containsSecrets(markedArgs)) return result;
  return Object.fromEntries(Object.entries(result).map(([key, value]) => [key, isSecret(value) ? value : asSecret(value)]));
}

/** True when `value` is, or holds, a secret. */
export function containsSecrets(value: unknown): boolean {
  if (isSecret(value)) return true;
  if (Array.isArray(value)) return value.some(containsSecrets);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsSecrets);
  return false;
}

function isObject(value: unknown): value is Plain {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !isSecret(value);
}

/** A member name or an array index. */
type Step = string | number;
interface Found {
  steps: Step[];
  value: unknown;
}

function collectSecrets(value: unknown, steps: Step[], found: Found[]): void {
  if (isSecret(value)) {
    found.push({ steps, value: revealSecrets(value.value) });
    collectSecrets(value.value, steps, found);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => collectSecrets(item, [...steps, index], found));
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) collectSecrets(item, [...steps, key], found);
  }
}

/** Steps as check failures spell a property: `resources[0].meta`. */
function pathOf(steps: readonly Step[]): string {
  return steps.reduce<string>((path, step) => (typeof step === "number" ? `${path}[${step}]` : path === "" ? step : `${path}.${step}`), "");
}

/**
 * Every text a message could show `value` as: a string as is, JSON-escaped, and, when it is JSON (a
 * `meta`), its canonical form and its strings; an object or array as JSON, canonical JSON, and every
 * string or number inside it.
 */
function textsOf(value: unknown): string[] {
  if (typeof value === "string") {
    const texts = [value, JSON.stringify(value).slice(1, -1)];
    const parsed = parseJson(value);
    if (parsed !== null && typeof parsed === "object") texts.push(...textsOf(parsed));
    return texts;
  }
  if (typeof value === "number") return [String(value)];
  if (value === null || typeof value !== "object") return [];
  const inner = (Array.isArray(value) ? value : Object.values(value)).flatMap(textsOf);
  return [JSON.stringify(value), canonicalJson(value), ...inner];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
