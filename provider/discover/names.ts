// Resource names and variable names for a discovered share, derived from the share's name: stable
// (the same share gets the same name on every run, whatever else the account holds) and unique.

/**
 * A Pulumi resource name from a share name: lower case, ASCII letters and digits joined by single
 * dashes, at most 48 characters; "share" when nothing is left.
 *
 * @example
 * slugOf("WAF rules (EU) — prod") // "waf-rules-eu-prod"
 */
export function slugOf(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/, "");
  return slug === "" ? "share" : slug;
}

/**
 * A unique resource name per share, keyed by share id. A name used by one share only is its slug;
 * shares whose names give the same slug (share names are not unique in Cloudflare) each get the
 * first 8 characters of their id appended, so no share's name depends on the order they were read
 * in or on which other shares exist.
 *
 * @example
 * resourceNames([{ id: "3fd85f74…", name: "WAF" }, { id: "9c1e22aa…", name: "waf" }, { id: "77aa…", name: "DNS" }])
 * // Map { "3fd85f74…" => "waf-3fd85f74", "9c1e22aa…" => "waf-9c1e22aa", "77aa…" => "dns" }
 */
export function resourceNames(shares: readonly { id: string; name: string }[]): Map<string, string> {
  const slugs = shares.map((share) => ({ share, slug: slugOf(share.name) }));
  const uses = new Map<string, number>();
  for (const { slug } of slugs) uses.set(slug, (uses.get(slug) ?? 0) + 1);
  const names = new Map<string, string>();
  const taken = new Set<string>();
  const claim = (id: string, candidates: string[]) => {
    let name = candidates.find((candidate) => !taken.has(candidate));
    for (let n = 2; name === undefined; n++) if (!taken.has(`${candidates[0]}-${n}`)) name = `${candidates[0]}-${n}`;
    names.set(id, name);
    taken.add(name);
  };
  for (const { share, slug } of slugs) if (uses.get(slug) === 1) claim(share.id, [slug]);
  const shared = slugs.filter(({ slug }) => uses.get(slug)! > 1).sort((a, b) => (a.share.id < b.share.id ? -1 : a.share.id > b.share.id ? 1 : 0));
  for (const { share, slug } of shared) claim(share.id, [`${slug}-${share.id.slice(0, 8)}`, `${slug}-${share.id}`]);
  return names;
}

// Names a generated program cannot declare at its top level: reserved words (strict mode included),
// names strict mode forbids to bind (`eval`, `arguments`), the parameters of Node's CommonJS module
// wrapper (`exports`, `require`, `module`, `__filename`, `__dirname`: TypeScript reserves them and Node
// rejects a second declaration), global values TypeScript will not let a module shadow, and the
// program's own identifiers (see GENERATED_IDENTIFIERS).
const RESERVED_WORDS =
  "break case catch class const continue debugger default delete do else enum export extends false finally for function if " +
  "implements import in instanceof interface let new null package private protected public return static super switch this " +
  "throw true try typeof var void while with yield await";
const STRICT_MODE_RESTRICTED = "eval arguments";
const COMMONJS_WRAPPER = "exports require module __filename __dirname";
const GLOBAL_VALUES = "undefined NaN Infinity globalThis";

/** The identifiers the program `discover` writes declares itself (program.ts). */
export const GENERATED_IDENTIFIERS = ["accountId", "Share", "shareIds"] as const;

const RESERVED = new Set([RESERVED_WORDS, STRICT_MODE_RESTRICTED, COMMONJS_WRAPPER, GLOBAL_VALUES].join(" ").split(" ").concat(GENERATED_IDENTIFIERS));

/**
 * A TypeScript variable name for a resource name: camelCase, never starting with a digit, never a
 * name the program cannot declare (a reserved word, `eval`, `exports`, the program's own `shareIds`…:
 * those get `Share` appended); `taken` makes it unique (a counter is appended).
 *
 * @example
 * variableName("waf-rules-eu", new Set()) // "wafRulesEu"
 * variableName("share-ids", new Set()) // "shareIdsShare" (the program exports `shareIds`)
 */
export function variableName(resourceName: string, taken: Set<string>): string {
  const parts = resourceName.split(/[^A-Za-z0-9]+/).filter((part) => part !== "");
  let name = parts.map((part, index) => (index === 0 ? part : part[0].toUpperCase() + part.slice(1))).join("");
  if (name === "" || /^[0-9]/.test(name)) name = `share${name[0]?.toUpperCase() ?? ""}${name.slice(1)}`;
  if (RESERVED.has(name)) name = `${name}Share`;
  let unique = name;
  for (let n = 2; taken.has(unique) || RESERVED.has(unique); n++) unique = `${name}${n}`;
  taken.add(unique);
  return unique;
}
