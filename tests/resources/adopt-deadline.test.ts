// Adopting a share is bounded by the create's deadline: the reads before any write (the share, its
// recipient list) stop at the deadline plus one request timeout, even when the list never answers.
import * as http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import shareProvider = require("../../provider/resources/share-provider");
import type { RunningEmulator } from "../../emulator";
import type { ShareInputs } from "../../provider/resources/share-model";
import { FAST_TUNING, pause, readsSettleMs, startProviderEnvironment, stopProviderEnvironment } from "../support/provider-env";

jest.setTimeout(60_000);

const OWNER = "023e105f4ecef8ad9ca31a8372d0c353";
const PARTNER_A = "9a7806061c88ada191ed06f989cc3dac";
const RULESET_1 = "2f2feab2026849078ba485f918791bdc";

const TIMEOUT_MS = 2_000;
const REQUEST_TIMEOUT_MS = 500;
// Scheduling slack of a busy 2-core machine; well below what an unbounded list with its retries adds
// (6 attempts of 0.5 s plus about 5 s of backoff).
const SLACK_MS = 1_500;

let emulator: RunningEmulator;
let proxy: http.Server;
const sockets = new Set<Socket>();

/** Forwards to the emulator, except a share's recipient list: that request is never answered. */
async function startProxy(target: URL): Promise<string> {
  proxy = http.createServer((request, response) => {
    if (/\/shares\/[0-9a-f]+\/recipients/.test(request.url ?? "")) return;
    const upstream = http.request({ host: target.hostname, port: target.port, path: request.url, method: request.method, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    request.pipe(upstream);
  });
  proxy.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(proxy.address() as AddressInfo).port}${target.pathname}`;
}

beforeEach(async () => {
  emulator = await startProviderEnvironment();
  process.env.CLOUDFLARE_BASE_URL = await startProxy(new URL(emulator.url));
  process.env.CLOUDFLARE_SHARING_TUNING = JSON.stringify({
    ...FAST_TUNING,
    client: { ...FAST_TUNING.client, perAttemptTimeoutMs: REQUEST_TIMEOUT_MS, maxRetries: 5, backoff: { baseMs: 200, maxMs: 2_000 } },
  });
});

afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => proxy.close(resolve));
  await stopProviderEnvironment(emulator);
});

it("an adopt whose recipient list never answers fails at the create's deadline plus one request timeout, with no write", async () => {
  const { share } = emulator.control.seedShare({
    accountId: OWNER,
    name: "waf rules",
    recipients: [{ recipient_account_id: PARTNER_A }],
    resources: [{ resource_type: "custom-ruleset", resource_id: RULESET_1, resource_account_id: OWNER, meta: {} }],
    settled: true,
  });
  await pause(readsSettleMs(emulator));
  const news: ShareInputs = {
    accountId: OWNER,
    name: "waf rules",
    recipients: [{ recipientAccountId: PARTNER_A }],
    resources: [{ resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: OWNER, meta: {} }],
    adopt: share.id,
    timeouts: { create: "2s" },
  };
  const checked = await shareProvider.check!({} as ShareInputs, news);
  expect(checked.failures).toBeUndefined();
  emulator.control.clearLog();

  const started = Date.now();
  const error = await shareProvider.create(checked.inputs!).then(() => undefined, (caught: unknown) => caught);
  const elapsedMs = Date.now() - started;
  expect(String(error)).toMatch(/no answer from the API within the operation's timeout \(2s\)/);
  expect(elapsedMs).toBeLessThanOrEqual(TIMEOUT_MS + REQUEST_TIMEOUT_MS + SLACK_MS);
  // The share itself was read; nothing was written.
  expect(emulator.control.requestLog().filter((entry) => entry.method !== "GET")).toEqual([]);
});
