// The providers keep their journal of in-flight creates per stack, keyed by the `ownerStack` input
// (`<project>/<stack>`) that the TypeScript classes set from the program's own stack. Programs in
// other languages do not set it: the plugin takes it from the resource's URN, which names the same
// stack and project, so both faces journal (and recover) under one name and a stack moved from the
// dynamic providers to the plugin sees no change.

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
 * `inputs` with `ownerStack` taken from `urn` when the program did not set one.
 *
 * @example
 * ```ts
 * const news = withOwnerStack(fromStruct(request.getNews()), request.getUrn());
 * ```
 */
export function withOwnerStack(inputs: Record<string, unknown>, urn: string): Record<string, unknown> {
  if (inputs.ownerStack !== undefined && inputs.ownerStack !== null) return inputs;
  const ownerStack = ownerStackOf(urn);
  return ownerStack === undefined ? inputs : { ...inputs, ownerStack };
}
