// What a lookup needs to run: an API client. Kept apart from Pulumi, so that any host (the program's
// own process, a provider plugin) can build one its own way and call the same lookups.

import { CloudflareSharingClient } from "../client";
import { CLIENT_DEFAULTS } from "../client/core/defaults";
import type { ClientEvent } from "../client/core/http";
import { ConfigSource, currentBaseUrl, currentCredentials } from "../config";
import { providerSettings } from "../runtime";

/** The context of one lookup: the client (credentials, base URL, the process-wide rate budget) and a cancel signal. */
export interface LookupContext {
  api: CloudflareSharingClient;
  signal?: AbortSignal;
}

/**
 * A lookup context built from the credentials in force now: the stack config read through `config`
 * (`cloudflare:apiToken`, or `cloudflare:apiKey` + `cloudflare:email`, and `cloudflare:baseUrl`),
 * else the environment, exactly as the resources read them. Built per call, so no credential is kept;
 * the rate budget is process-wide per endpoint and credential, shared with every other call.
 *
 * @example
 * // CLOUDFLARE_API_TOKEN in the environment, no stack config:
 * const { shares } = await listSharesWith(lookupContextFrom(), { accountId: "023e105f4ecef8ad9ca31a8372d0c353" });
 */
export function lookupContextFrom(config?: ConfigSource, onEvent?: (event: ClientEvent) => void): LookupContext {
  const api = new CloudflareSharingClient({
    credentials: currentCredentials(config),
    baseUrl: currentBaseUrl(config) ?? CLIENT_DEFAULTS.baseUrl,
    defaults: providerSettings().client,
    onEvent,
  });
  return { api };
}
