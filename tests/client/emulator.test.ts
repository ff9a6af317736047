// The client against the Resource Sharing emulator (real HTTP on loopback): pagination, POSTs that
// never duplicate, server-directed waits, the rate budget under load, and no credential leaks.
import { inspect } from "node:util";
import { request } from "undici";
import { FAST_TIMINGS, startEmulator, type RunningEmulator } from "../../emulator";
import {
  AuthenticationError,
  CloudflareSharingClient,
  ConnectionError,
  NotFoundError,
  RateLimitError,
  RequestTimeoutError,
  realClock,
  type ClientEvent,
  type ResourceInput,
} from "../../provider/client";
import { ACCOUNT, TEST_TOKEN, testClient } from "./helpers/client";

const RECIPIENT = "1111111111111111aaaaaaaaaaaaaaaa";
const resource = (id: string): ResourceInput => ({ resource_type: "custom-ruleset", resource_id: id, resource_account_id: ACCOUNT, meta: {} });

let emu: RunningEmulator;

beforeEach(async () => {
  emu = await startEmulator({ port: 0, settings: { timings: FAST_TIMINGS }, seed: 1 });
});

afterEach(async () => {
  await emu.stop();
});

function apiLog() {
  return emu.control.requestLog().map((e) => ({ ...e, path: e.path.replace(/^\/client\/v4/, "") }));
}

it("collects every page: 250 seeded shares → 250 distinct in 3 requests of per_page=100", async () => {
  for (let i = 0; i < 250; i++) emu.control.seedShare({ accountId: ACCOUNT, name: `share-${i}`, recipients: [{ recipient_account_id: RECIPIENT }], resources: [resource(`r${i}`)] });
  const { client } = testClient(emu.url);
  const shares = await client.shares.listAll(ACCOUNT);
  expect(new Set(shares.map((s) => s.id)).size).toBe(250);
  expect(apiLog().map((e) => [e.method, e.query.page, e.query.per_page])).toEqual([
    ["GET", "1", "100"],
    ["GET", "2", "100"],
    ["GET", "3", "100"],
  ]);
});

describe("POSTs never duplicate", () => {
  const body = { name: "edge-rules", recipients: [{ recipient_account_id: RECIPIENT }], resources: [resource("aaaa0000aaaa0000aaaa0000aaaa0001")] };

  it("a share whose create response is lost is created once and returned", async () => {
    emu.control.configure({ faults: { lostPostResponseRate: 1, methods: ["POST"] } });
    const events: ClientEvent[] = [];
    const { client } = testClient(emu.url, {}, { onEvent: (e) => events.push(e) });
    const share = await client.shares.create(ACCOUNT, body);
    const stored = emu.control.listShares(ACCOUNT).filter((s) => s.name === body.name);
    expect(stored.map((s) => s.id)).toEqual([share.id]);
    expect(apiLog().filter((e) => e.method === "POST").map((e) => e.fault)).toEqual(["lost-response"]);
    expect(events.some((e) => e.type === "recovered")).toBe(true);
  });

  it("a share create that failed with a 5xx without landing is re-sent and created once", async () => {
    emu.control.configure({ faults: { serverErrorRate: 1, methods: ["POST"] } });
    const heal = (e: ClientEvent) => e.type === "retry" && emu.control.configure({ faults: { serverErrorRate: 0 } });
    const { client } = testClient(emu.url, {}, { onEvent: heal });
    const share = await client.shares.create(ACCOUNT, body);
    expect(emu.control.listShares(ACCOUNT).filter((s) => s.name === body.name).map((s) => s.id)).toEqual([share.id]);
    // Failed, looked (nothing, for as long as lists may lag), re-sent, looked once more for a copy: none.
    const writes = apiLog().filter((e) => e.method !== "GET").map((e) => `${e.method} ${e.status >= 500 ? "5xx" : e.status}`);
    expect(writes).toEqual(["POST 5xx", "POST 201"]);
    expect(apiLog().filter((e) => e.method === "GET").every((e) => e.status === 200)).toBe(true);
  });

  it("a recipient and a resource whose create responses are lost are each added once", async () => {
    const { share } = emu.control.seedShare({ accountId: ACCOUNT, name: "s", recipients: [{ recipient_account_id: RECIPIENT }], resources: [resource("bbbb0000bbbb0000bbbb0000bbbb0001")] });
    emu.control.configure({ faults: { lostPostResponseRate: 1, methods: ["POST"] } });
    const { client } = testClient(emu.url);
    const other = "2222222222222222bbbbbbbbbbbbbbbb";
    const recipient = await client.recipients.create(ACCOUNT, share.id, { recipient_account_id: other });
    expect(emu.control.listRecipients(share.id).filter((r) => r.account_id === other).map((r) => r.id)).toEqual([recipient.id]);
    const added = await client.resources.create(ACCOUNT, share.id, resource("cccc0000cccc0000cccc0000cccc0001"));
    expect(emu.control.listResources(share.id).filter((r) => r.resource_id === "cccc0000cccc0000cccc0000cccc0001").map((r) => r.id)).toEqual([added.id]);
    expect(apiLog().filter((e) => e.method === "POST")).toHaveLength(2);
  });
});

describe("server-directed waits", () => {
  it("waits the Retry-After of a 429 before retrying (measured in the emulator's log)", async () => {
    const { share } = emu.control.seedShare({ accountId: ACCOUNT, name: "s", resources: [resource("dddd0000dddd0000dddd0000dddd0001")] });
    emu.control.configure({ faults: { rateLimitRate: 1, rateLimitRetryAfterS: 1 } });
    const heal = (e: ClientEvent) => e.type === "retry" && emu.control.configure({ faults: { rateLimitRate: 0 } });
    const { client } = testClient(emu.url, {}, { clock: realClock, onEvent: heal });
    await client.shares.get(ACCOUNT, share.id);
    const [limited, retried] = apiLog();
    expect([limited.status, retried.status]).toEqual([429, 200]);
    expect(retried.at - limited.at).toBeGreaterThanOrEqual(1000);
  });

  it("fails fast with retryAfterMs when the server blocks for longer than maxServerWaitMs", async () => {
    emu.control.configure({ rateLimit: { limit: 2, windowMs: 60_000, blockMs: 120_000 } });
    const { client, token } = testClient(emu.url);
    // Another user of the same token (the dashboard, another machine) exhausts the limit: the block
    // that follows is something our budget could not have prevented.
    for (let i = 0; i < 3; i++) {
      const res = await request(`${emu.url}/accounts/${ACCOUNT}/shares?page=1&per_page=1`, { headers: { authorization: `Bearer ${token}` } });
      await res.body.dump();
    }
    const error = (await client.shares.listAll(ACCOUNT).catch((e: unknown) => e)) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBeGreaterThan(60_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(120_000);
    expect(apiLog().map((e) => e.status)).toEqual([200, 200, 429, 429]); // the client sent one request, no retry
  });
});

it("rate budget: 300 requests against 100 per rolling 2 s finish with zero 429s, at window speed", async () => {
  emu.control.configure({ rateLimit: { limit: 100, windowMs: 2000, blockMs: 2000 } });
  const { share } = emu.control.seedShare({ accountId: ACCOUNT, name: "hot", resources: [resource("eeee0000eeee0000eeee0000eeee0001")] });
  const events: ClientEvent[] = [];
  // The whole window for these looks: the write reserve (tests/client/rate-budget.test.ts) is off.
  const rateBudget = { limit: 100, windowMs: 2000, safetyMargin: 0, writeReserve: 0 };
  const { client } = testClient(emu.url, { rateBudget }, { clock: realClock, onEvent: (e) => events.push(e) });
  const started = Date.now();
  await Promise.all(Array.from({ length: 300 }, () => client.shares.get(ACCOUNT, share.id)));
  const elapsed = Date.now() - started;
  const log = apiLog();
  expect(log.filter((e) => e.status === 429)).toHaveLength(0);
  expect(log.filter((e) => e.status === 200)).toHaveLength(300);
  // The window allows 100 now, 100 after 2 s, 100 after 4 s: so ≈4 s, well under a fixed-rate 6 s.
  expect(elapsed).toBeGreaterThanOrEqual(4000);
  expect(elapsed).toBeLessThan(5500);
  expect(log.filter((e) => e.at < log[0].at + 1000)).toHaveLength(100); // a burst, not a drip
  expect(events.filter((e) => e.type === "rate-wait").length).toBeGreaterThan(0);
  expect(client.http.stats.byMethod.GET).toBe(300);
}, 20_000);

it("rate budget: 450 requests with the window far from full go at most 190 a second, under the per-IP limit of 200, with zero 429s", async () => {
  emu.control.configure({ rateLimit: { limit: 1200, windowMs: 300_000, perSecond: 200 } });
  const { share } = emu.control.seedShare({ accountId: ACCOUNT, name: "burst", resources: [resource("eeee0000eeee0000eeee0000eeee0002")] });
  const { client } = testClient(emu.url, { rateBudget: { writeReserve: 0 } }, { clock: realClock });
  await Promise.all(Array.from({ length: 450 }, () => client.shares.get(ACCOUNT, share.id)));
  const log = apiLog();
  expect(log.filter((e) => e.status === 429)).toHaveLength(0);
  expect(log.filter((e) => e.status === 200)).toHaveLength(450);
  // No second of the run holds more than the client's 190.
  const busiest = Math.max(...log.map((e) => log.filter((o) => o.at >= e.at && o.at < e.at + 1000).length));
  expect(busiest).toBeLessThanOrEqual(190);
}, 20_000);

describe("credentials never leak", () => {
  const SECRET_KEY = "globalkey_SECRET_0f9e8d7c6b5a";

  function assertClean(value: unknown): void {
    for (const text of [JSON.stringify(value) ?? "", inspect(value, { showHidden: true, depth: Infinity }), String((value as Error)?.stack ?? ""), String((value as Error)?.message ?? "")]) {
      expect(text).not.toContain(TEST_TOKEN);
      expect(text).not.toContain(SECRET_KEY);
    }
  }

  it("from errors, events or the client itself", async () => {
    const events: ClientEvent[] = [];
    const onEvent = (e: ClientEvent) => events.push(e);
    const failures: unknown[] = [];
    const capture = (p: Promise<unknown>) => p.then(() => failures.push(new Error("expected a failure")), (e: unknown) => failures.push(e));

    emu.control.configure({ auth: { tokens: ["some-other-token"], keys: [{ email: "ops@example.com", key: "another-key" }] } });
    const { client, token } = testClient(emu.url, { maxRetries: 1 }, { onEvent });
    const keyClient = new CloudflareSharingClient({ credentials: { apiKey: SECRET_KEY, email: "ops@example.com" }, baseUrl: emu.url, onEvent });
    await capture(client.shares.listAll(ACCOUNT)); // 401
    await capture(keyClient.shares.listAll(ACCOUNT)); // 401

    emu.control.configure({ auth: { tokens: null, keys: null, readOnlyTokens: [token] } });
    await capture(client.shares.create(ACCOUNT, { name: "x", recipients: [{ recipient_account_id: RECIPIENT }], resources: [resource("ffff0000ffff0000ffff0000ffff0001")] })); // 403
    await capture(client.shares.get(ACCOUNT, "0000000000000000ffffffffffffffff")); // 404

    emu.control.configure({ faults: { latencyMs: 2000, methods: ["DELETE"] } });
    const { client: slow } = testClient(emu.url, { perAttemptTimeoutMs: 100, maxRetries: 1 }, { onEvent });
    await capture(slow.shares.delete(ACCOUNT, "0000000000000000ffffffffffffffff")); // timeouts, with retry events

    const url = emu.url;
    await emu.stop();
    emu = await startEmulator({ port: 0, seed: 1 }); // afterEach stops this one
    const { client: offline } = testClient(url, { maxRetries: 1 }, { onEvent });
    await capture(offline.shares.get(ACCOUNT, "0000000000000000ffffffffffffffff")); // connection refused

    expect(failures.map((e) => (e as Error).constructor.name)).toEqual([
      "AuthenticationError",
      "AuthenticationError",
      "AuthenticationError",
      "NotFoundError",
      "RequestTimeoutError",
      "ConnectionError",
    ]);
    expect(failures[0]).toBeInstanceOf(AuthenticationError);
    expect(failures[3]).toBeInstanceOf(NotFoundError);
    expect(failures[4]).toBeInstanceOf(RequestTimeoutError);
    expect(failures[5]).toBeInstanceOf(ConnectionError);
    expect(events.filter((e) => e.type === "retry").length).toBeGreaterThan(0);
    for (const failure of failures) assertClean(failure);
    assertClean(events);
    assertClean(client);
    assertClean(keyClient);
  });
});
