// Run-time configuration of the providers: credentials and the API base URL.
//
// Credentials are read when a provider method runs, never when a program is written or serialized:
// from the stack config the engine hands to `configure` (the keys @pulumi/cloudflare uses, so one
// config serves both), else from the environment of the provider process. They live in a
// process-wide slot (not in a closure, so they are never serialized into state) and reach nothing
// but the HTTP client's auth headers.

import type { Credentials } from "./client/core/credentials";

/** The stack-config keys, as @pulumi/cloudflare names them. */
export const CONFIG_KEYS = {
  apiToken: "cloudflare:apiToken",
  apiKey: "cloudflare:apiKey",
  email: "cloudflare:email",
  baseUrl: "cloudflare:baseUrl",
} as const;

/** The environment fallbacks, as @pulumi/cloudflare and Wrangler name them. */
export const ENV_KEYS = {
  apiToken: "CLOUDFLARE_API_TOKEN",
  apiKey: "CLOUDFLARE_API_KEY",
  email: "CLOUDFLARE_EMAIL",
  baseUrl: "CLOUDFLARE_BASE_URL",
} as const;

type Setting = keyof typeof CONFIG_KEYS;
type StackConfig = Partial<Record<Setting, string>>;

const STACK_CONFIG_SLOT = Symbol.for("pulumi-cloudflare-sharing.stackConfig");

function slot(): { config: StackConfig } {
  const holder = globalThis as unknown as Record<symbol, { config: StackConfig } | undefined>;
  return (holder[STACK_CONFIG_SLOT] ??= { config: {} });
}

/** The part of Pulumi's `dynamic.Config` used here. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

/**
 * Records the stack config the engine sends to a provider's `configure`. Pulumi calls `configure`
 * once per provider kind; all kinds see the same stack config, so the last call wins harmlessly.
 */
export function rememberStackConfig(source: ConfigSource): void {
  slot().config = stackConfigOf(source);
}

function setting(name: Setting, stack: StackConfig = slot().config): string | undefined {
  const fromStack = stack[name];
  if (fromStack !== undefined) return fromStack;
  const fromEnv = process.env[ENV_KEYS[name]];
  return fromEnv === undefined || fromEnv === "" ? undefined : fromEnv;
}

/** Thrown when no credentials are configured; it names where to put them and shows no value. */
export class MissingCredentialsError extends Error {
  readonly code = "MISSING_CREDENTIALS";
  constructor() {
    super(
      "No Cloudflare credentials: set the stack config `pulumi config set --secret cloudflare:apiToken <token>` " +
        "(or cloudflare:apiKey + cloudflare:email; through the cloudflare-sharing plugin: " +
        "`pulumi config set --secret cloudflare-sharing:apiToken <token>`, or apiKey + email), " +
        "or the environment variable CLOUDFLARE_API_TOKEN (or CLOUDFLARE_API_KEY + CLOUDFLARE_EMAIL).",
    );
    this.name = "MissingCredentialsError";
  }
}

function stackConfigOf(source: ConfigSource): StackConfig {
  const config: StackConfig = {};
  for (const name of Object.keys(CONFIG_KEYS) as Setting[]) {
    const value = source.get(CONFIG_KEYS[name]);
    if (value !== undefined && value !== "") config[name] = value;
  }
  return config;
}

/**
 * The credentials in force right now: stack config first, then the environment; token before key.
 * `source` reads the stack config directly (the lookup functions, which run in the program's
 * process); without it, the config last given to a provider's `configure` is used.
 */
export function currentCredentials(source?: ConfigSource): Credentials {
  const stack = source ? stackConfigOf(source) : slot().config;
  const apiToken = setting("apiToken", stack);
  if (apiToken !== undefined) return { apiToken };
  const apiKey = setting("apiKey", stack);
  const email = setting("email", stack);
  if (apiKey !== undefined && email !== undefined) return { apiKey, email };
  throw new MissingCredentialsError();
}

/** The API base URL in force right now, if overridden (an emulator, a proxy); `source` as for {@link currentCredentials}. */
export function currentBaseUrl(source?: ConfigSource): string | undefined {
  return setting("baseUrl", source ? stackConfigOf(source) : slot().config);
}
