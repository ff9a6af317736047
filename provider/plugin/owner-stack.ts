// The providers keep their journal of in-flight creates per stack, keyed by the `ownerStack` input
// (`<project>/<stack>`) that the TypeScript classes set from the program's own stack. Programs in
// other languages do not set it: the plugin takes it from the resource's URN, which names the same
// stack and project, so both faces journal (and recover) under one name. The resource's URN
// (`ownerUrn`) comes from the request in the same way.

/**
 * The `<project>/<stack>` a resource URN belongs to, or undefined for a string that is no URN.
 *
 * @example
 * ```ts
 * ownerStackOf("urn:pulumi:dev::proj::cloudflare-sharing:index:Share::waf"); // "proj/dev"
 * ```
 */
export function ownerStackOf(urn: string): string | undefined {
  const match = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(urn);
  return match ? `${match[2]}/${match[1]}` : undefined;
}

/**
 * `inputs` with `ownerStack` taken from `urn` when the program did not set one, and `ownerUrn`, the
 * resource's own URN (a resource's journal entries are its own).
 *
 * @example
 * ```ts
 * const news = withOwnerStack(fromStruct(request.getNews()), request.getUrn());
 * ```
 */
export function withOwnerStack(inputs: Record<string, unknown>, urn: string): Record<string, unknown> {
  const ownerStack = inputs.ownerStack ?? ownerStackOf(urn);
  const ownerUrn = ownerStackOf(urn) === undefined ? inputs.ownerUrn : urn;
  return { ...inputs, ...(ownerStack == null ? {} : { ownerStack }), ...(ownerUrn == null ? {} : { ownerUrn }) };
}
