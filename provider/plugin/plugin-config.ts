// The plugin's provider config: `cloudflare-sharing:apiToken` (secret), `apiKey` (secret) + `email`,
// `baseUrl`. Each falls back to the environment variable the dynamic providers read (config.ts), so
// one environment serves both faces. The values go to the same process-wide slot the dynamic
// providers fill from `cloudflare:*` stack config, and from there only into request headers.

import { CONFIG_KEYS, rememberStackConfig } from "../config";
import type { Failure } from "../resources/inputs";
import { asSecret, Plain } from "./properties";

/** The config keys, in the provider's own namespace (`cloudflare-sharing:<key>`). */
export const PLUGIN_CONFIG_KEYS = ["apiToken", "apiKey", "email", "baseUrl"] as const;
/** Kept encrypted in state and masked in output, whatever way they were set. */
export const SECRET_CONFIG_KEYS: readonly string[] = ["apiToken", "apiKey"];

type ConfigKey = (typeof PLUGIN_CONFIG_KEYS)[number];

/**
 * Validates provider config (plain values) before anything is sent: strings only, `apiKey` with
 * `email`, `baseUrl` an http(s) URL. Returns the inputs to record, with the credentials marked secret.
 *
 * @example
 * ```ts
 * checkPluginConfig({ apiKey: "…" }).failures; // [{ property: "email", reason: "apiKey needs email …" }]
 * ```
 */
export function checkPluginConfig(news: Plain): { inputs: Plain; failures: Failure[] } {
  const failures: Failure[] = [];
  for (const key of PLUGIN_CONFIG_KEYS) {
    const value = news[key];
    if (value !== undefined && typeof value !== "string") failures.push({ property: key, reason: `${key} must be a string` });
  }
  if (news.apiKey !== undefined && news.email === undefined) {
    failures.push({ property: "email", reason: "apiKey needs email (Cloudflare's key authentication sends both); or use apiToken instead" });
  }
  if (typeof news.baseUrl === "string" && !/^https?:\/\/[^\s/]+/.test(news.baseUrl)) {
    failures.push({ property: "baseUrl", reason: `baseUrl must be an http(s) URL such as https://api.cloudflare.com/client/v4, got "${news.baseUrl}"` });
  }
  const inputs = Object.fromEntries(Object.entries(news).map(([key, value]) => [key, SECRET_CONFIG_KEYS.includes(key) ? asSecret(value) : value]));
  return { inputs, failures };
}

/**
 * The keys whose value differs between two configs. A change needs no replacement: credentials
 * and the URL are read at every call.
 *
 * @example
 * ```ts
 * changedConfigKeys({ baseUrl: "a" }, { baseUrl: "b" }); // ["baseUrl"]
 * ```
 */
export function changedConfigKeys(olds: Plain, news: Plain): string[] {
  return PLUGIN_CONFIG_KEYS.filter((key) => olds[key] !== news[key]);
}

/**
 * Puts the config in force for every later call. `args` are the provider's inputs; `variables` the
 * same as `cloudflare-sharing:config:<key>` strings (older engines send only those).
 *
 * @example
 * ```ts
 * applyPluginConfig({ apiToken: "…" }, {});
 * ```
 */
export function applyPluginConfig(args: Plain, variables: Record<string, string>): void {
  const value = (key: ConfigKey): string | undefined => {
    const fromArgs = args[key];
    if (typeof fromArgs === "string") return fromArgs;
    return variables[`cloudflare-sharing:config:${key}`];
  };
  const byDynamicKey = new Map<string, string | undefined>(
    PLUGIN_CONFIG_KEYS.map((key) => [CONFIG_KEYS[key], value(key)]),
  );
  rememberStackConfig({ get: (key) => byDynamicKey.get(key) });
}
