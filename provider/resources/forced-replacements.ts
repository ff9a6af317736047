// Replacements a program asks for with the `replaceOnChanges` resource option. The engine applies that
// option to the properties a provider's diff reports as changed, and Pulumi's dynamic-provider host
// reports none: under the dynamic classes the option would never replace anything. Those classes
// therefore also pass its paths as the `replaceOnChanges` input, and `diff` replaces instead of
// updating when a change touches one of them. (The plugin reports changed properties, so there the
// engine applies the option itself.)

import { canonicalJson, containsUnknown } from "./inputs";

/** The input that carries the `replaceOnChanges` option's paths from the dynamic classes to `diff`. */
export const REPLACE_ON_CHANGES_INPUT = "replaceOnChanges";

/**
 * The updated inputs that `paths` (the `replaceOnChanges` option: "meta", "meta.tier", "timeouts.create",
 * or "*" for any) name, of `updated`: each input that `diff` found changed, with its old and new value.
 *
 * @example
 * forcedReplaces(["meta"], { meta: ['{"a":1}', '{"a":2}'] }); // ["meta"]
 * forcedReplaces(["meta.b"], { meta: ['{"a":1}', '{"a":2}'] }); // []
 */
export function forcedReplaces(paths: unknown, updated: Record<string, [unknown, unknown]>): string[] {
  if (!Array.isArray(paths)) return [];
  return Object.entries(updated)
    .filter(([key, [before, after]]) =>
      paths.some((path) => {
        if (typeof path !== "string") return false;
        if (path === "*" || path === key) return true;
        const [first, ...rest] = path.split(".");
        return first === key && rest.length > 0 && valueChanged(valueAt(before, rest), valueAt(after, rest));
      }),
    )
    .map(([key]) => key);
}

/** The value under `path` of an input, reading into JSON text on the way (a normalised `meta`). */
function valueAt(value: unknown, path: string[]): unknown {
  let current = value;
  for (const segment of path) {
    if (typeof current === "string") {
      try {
        current = JSON.parse(current);
      } catch {
        return undefined;
      }
    }
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function valueChanged(before: unknown, after: unknown): boolean {
  return containsUnknown(after) || canonicalJson(before) !== canonicalJson(after);
}
