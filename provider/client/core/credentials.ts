// How the client authenticates. Credentials are read at run time by the caller and only ever turned
// into request headers or a one-way fingerprint here; nothing else in the client holds them.
import { createHash } from "node:crypto";

/** An API token (preferred), or the legacy global API key with its account email. */
export type Credentials = { apiToken: string } | { apiKey: string; email: string };

/** The auth headers for one request. */
export function authHeaders(credentials: Credentials): Record<string, string> {
  if ("apiToken" in credentials) return { authorization: `Bearer ${credentials.apiToken}` };
  return { "x-auth-email": credentials.email, "x-auth-key": credentials.apiKey };
}

/**
 * A short SHA-256 prefix identifying a credential without revealing it, used to key the
 * process-wide rate budget (the limit is per user, so each credential gets its own budget).
 */
export function credentialFingerprint(credentials: Credentials): string {
  const material = "apiToken" in credentials ? `token:${credentials.apiToken}` : `key:${credentials.email}:${credentials.apiKey}`;
  return createHash("sha256").update(material).digest("hex").slice(0, 16);
}

/** Throws (without echoing any value) when a credential field is missing or blank. */
export function assertCredentials(credentials: Credentials | undefined): asserts credentials is Credentials {
  const ok =
    credentials !== undefined &&
    ("apiToken" in credentials
      ? typeof credentials.apiToken === "string" && credentials.apiToken.trim() !== ""
      : typeof credentials.apiKey === "string" && credentials.apiKey.trim() !== "" && typeof credentials.email === "string" && credentials.email.trim() !== "");
  if (!ok) throw new TypeError("Cloudflare credentials missing: give { apiToken } or { apiKey, email }");
}
