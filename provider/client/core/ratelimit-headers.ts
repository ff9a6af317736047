// Parsers of the rate limit headers Cloudflare sends (IETF draft "RateLimit header fields for HTTP"):
//   Ratelimit: "default";r=50;t=30            one item per policy: remaining `r`, seconds to reset `t`
//   Ratelimit-Policy: "burst";q=100;w=60      one item per policy: quota `q`, window seconds `w`
// Both are RFC 8941 structured-field lists: several items separated by commas, a name that is a
// quoted string or a token, parameters in any order. Written here rather than taken from a
// structured-field library: the subset is small, and an extra runtime dependency would have to
// travel into every dynamic provider's process and the self-contained plugin executable. Unlike a
// strict RFC 8941 parser (which rejects the whole field on one error) a bad item is skipped and the
// others kept: half the server's numbers still beat none.

/** One item of a `Ratelimit` header. */
export interface RatelimitItem {
  /** The policy's name (`default`, `burst`…). */
  name: string;
  /** Requests left (`r`). */
  remaining: number;
  /** Seconds until the quota frees (`t`); undefined when absent. */
  resetS: number | undefined;
}

/** One item of a `Ratelimit-Policy` header. */
export interface RatelimitPolicyItem {
  name: string;
  /** Requests allowed per window (`q`). */
  quota: number;
  /** Window length in seconds (`w`); undefined when absent. */
  windowS: number | undefined;
}

/**
 * Parses a `Ratelimit` header; items without a non-negative integer `r` are skipped.
 *
 * @example
 * parseRatelimitHeader('"burst";r=5;t=1, "default";t=30;r=900');
 * // [{ name: "burst", remaining: 5, resetS: 1 }, { name: "default", remaining: 900, resetS: 30 }]
 */
export function parseRatelimitHeader(value: string | undefined): RatelimitItem[] {
  const items: RatelimitItem[] = [];
  for (const { name, params } of parseList(value)) {
    const remaining = nonNegativeInt(params.get("r"));
    if (remaining !== undefined) items.push({ name, remaining, resetS: nonNegativeInt(params.get("t")) });
  }
  return items;
}

/**
 * Parses a `Ratelimit-Policy` header; items without a positive integer `q` are skipped.
 *
 * @example
 * parseRatelimitPolicyHeader('"default";q=1200;w=300'); // [{ name: "default", quota: 1200, windowS: 300 }]
 */
export function parseRatelimitPolicyHeader(value: string | undefined): RatelimitPolicyItem[] {
  const items: RatelimitPolicyItem[] = [];
  for (const { name, params } of parseList(value)) {
    const quota = nonNegativeInt(params.get("q"));
    const windowS = nonNegativeInt(params.get("w"));
    if (quota !== undefined && quota > 0) items.push({ name, quota, windowS: windowS !== undefined && windowS > 0 ? windowS : undefined });
  }
  return items;
}

interface ListItem {
  name: string;
  params: Map<string, string>;
}

// A structured-field list of items whose bare item is a string or token, with `;key=value`
// parameters (values: integers, decimals, tokens or strings; a key alone means true). Commas inside
// quoted strings do not split items.
function parseList(value: string | undefined): ListItem[] {
  if (!value) return [];
  const items: ListItem[] = [];
  for (const member of splitOutsideQuotes(value, ",")) {
    const [bare, ...params] = splitOutsideQuotes(member, ";").map((part) => part.trim());
    const name = unquote(bare);
    if (name === undefined) continue;
    const map = new Map<string, string>();
    for (const param of params) {
      const eq = param.indexOf("=");
      const key = (eq < 0 ? param : param.slice(0, eq)).trim().toLowerCase();
      const raw = eq < 0 ? "?1" : param.slice(eq + 1).trim();
      if (!/^[a-z*][a-z0-9_\-.*]*$/.test(key)) continue;
      map.set(key, unquote(raw) ?? raw);
    }
    items.push({ name, params: map });
  }
  return items;
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted && char === "\\" && i + 1 < text.length) {
      current += char + text[++i];
      continue;
    }
    if (char === '"') quoted = !quoted;
    if (char === separator && !quoted) {
      parts.push(current);
      current = "";
    } else current += char;
  }
  parts.push(current);
  return parts;
}

/** A quoted string's content (escapes undone) or a token as it is; undefined for anything else. */
function unquote(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const match = /^"((?:[^"\\]|\\.)*)"$/.exec(text);
  if (match) return match[1].replace(/\\(.)/g, "$1");
  return /^[A-Za-z*][A-Za-z0-9!#$%&'*+\-.^_`|~:/]*$/.test(text) ? text : undefined;
}

function nonNegativeInt(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+(\.\d+)?$/.test(value)) return undefined;
  return Math.floor(Number(value));
}
