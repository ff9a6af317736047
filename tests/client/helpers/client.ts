import { CloudflareSharingClient, type CloudflareSharingClientOptions } from "../../../provider/client";
import type { ClientDefaults, DeepPartial } from "../../../provider/client";
import { ManualClock } from "../../../provider/client/testing";

export const TEST_TOKEN = "tok_SECRET_d41d8cd98f00b204e9800998ecf8427e";
let tokenSerial = 0;
/**
 * A distinct token per client: the rate budget is shared per (base URL, credential) for the whole
 * process, and loopback ports get reused, so tests must not share a budget by accident.
 * Every token starts with TEST_TOKEN, so leak checks for TEST_TOKEN catch any of them.
 */
export const uniqueToken = () => `${TEST_TOKEN}-${++tokenSerial}`;
export const ACCOUNT = "0123456789abcdef0123456789abcdef";

/**
 * A client for tests: fake auto-advancing clock (backoff and Retry-After cost no real time), no jitter,
 * a short per-attempt timeout.
 */
export function testClient(
  baseUrl: string,
  defaults: DeepPartial<ClientDefaults> = {},
  extra: Partial<CloudflareSharingClientOptions> = {},
): { client: CloudflareSharingClient; clock: ManualClock; token: string } {
  const token = uniqueToken();
  const clock = (extra.clock as ManualClock | undefined) ?? new ManualClock({ autoAdvance: true });
  const client = new CloudflareSharingClient({
    credentials: { apiToken: token },
    baseUrl,
    clock,
    ...extra,
    defaults: { perAttemptTimeoutMs: 1_000, ...defaults, backoff: { jitter: 0, ...defaults.backoff } },
  });
  return { client, clock, token };
}
