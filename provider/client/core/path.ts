// Builds API paths with every interpolated segment percent-encoded, like cloudflare-typescript's `path` tag,
// so an id containing "/" or "?" can never address a different endpoint.

/** Tagged template: path`/accounts/${accountId}/shares` encodes each value with encodeURIComponent. */
export function path(strings: TemplateStringsArray, ...values: readonly string[]): string {
  return strings.reduce((out, part, i) => out + part + (i < values.length ? encodeSegment(values[i]) : ""), "");
}

function encodeSegment(value: string): string {
  if (typeof value !== "string" || value === "") throw new TypeError("path parameter must be a non-empty string");
  return encodeURIComponent(value);
}
