// Hard deadlines: a wait ends at its deadline plus at most one request timeout, whatever the server
// does. Against a server that accepts connections and never answers, each look would otherwise sit
// through every retry of every request (attempt timeouts plus backoff), far past the deadline.
import * as http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { runtimeFor } from "../../provider/runtime";
import { clearSharedBatchers } from "../../provider/wait/coalesce";
import { WaitTimeoutError } from "../../provider/wait/errors";
import { clearLearnedSettleTimes, waitRecipientAssociated, waitShareActive } from "../../provider/wait/waits";

jest.setTimeout(30_000);

const ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353";
const SHARE = "3fd85f74b32742f1bff64a85009dda07";
const RECIPIENT = "9a7806061c88ada191ed06f989cc3dac";
const REQUEST_TIMEOUT_MS = 1_000;
const WAIT_TIMEOUT_MS = 5_000;
// Scheduling slack on a busy 2-core machine; far below what a second request timeout would add.
const SLACK_MS = 600;

let server: http.Server;
const sockets = new Set<Socket>();
let requests = 0;

beforeAll(async () => {
  server = http.createServer(() => {
    requests += 1; // and never answer
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

function useHangingServer(coalesce: boolean): void {
  clearSharedBatchers();
  clearLearnedSettleTimes();
  process.env.CLOUDFLARE_BASE_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/client/v4`;
  process.env.CLOUDFLARE_API_TOKEN = "deadline-token-0123456789abcdef";
  process.env.CLOUDFLARE_SHARING_TUNING = JSON.stringify({
    coalesce,
    poll: { firstDelayMs: 250, factor: 1.5, maxDelayMs: 1_000, gridMs: 0 },
    client: { perAttemptTimeoutMs: REQUEST_TIMEOUT_MS, maxRetries: 5, backoff: { baseMs: 200, maxMs: 2_000 } },
  });
}

afterEach(() => {
  delete process.env.CLOUDFLARE_BASE_URL;
  delete process.env.CLOUDFLARE_API_TOKEN;
  delete process.env.CLOUDFLARE_SHARING_TUNING;
});

async function timed(wait: Promise<unknown>): Promise<{ error: unknown; elapsedMs: number }> {
  const started = Date.now();
  const error = await wait.then(() => undefined, (caught: unknown) => caught);
  return { error, elapsedMs: Date.now() - started };
}

describe.each([true, false])("a wait against a server that never answers (coalescing %s)", (coalesce) => {
  it("ends at its deadline plus at most one request timeout", async () => {
    useHangingServer(coalesce);
    const { wait } = runtimeFor(ACCOUNT);
    requests = 0;
    const { error, elapsedMs } = await timed(waitShareActive(wait, SHARE, WAIT_TIMEOUT_MS));
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect((error as Error).message).toMatch(/timeout while waiting for share [0-9a-f]{32} to become 'active' \(last status: 'unknown', timeout: 5s\)/);
    expect(elapsedMs).toBeGreaterThanOrEqual(WAIT_TIMEOUT_MS);
    expect(elapsedMs).toBeLessThanOrEqual(WAIT_TIMEOUT_MS + REQUEST_TIMEOUT_MS + SLACK_MS);
    expect(requests).toBeGreaterThan(1); // it really kept looking
  });

  it("holds for the recipient waits too", async () => {
    useHangingServer(coalesce);
    const { wait } = runtimeFor(ACCOUNT);
    const { error, elapsedMs } = await timed(waitRecipientAssociated(wait, SHARE, RECIPIENT, WAIT_TIMEOUT_MS));
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(elapsedMs).toBeLessThanOrEqual(WAIT_TIMEOUT_MS + REQUEST_TIMEOUT_MS + SLACK_MS);
  });
});
