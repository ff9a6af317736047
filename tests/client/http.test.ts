// HttpCore against a scripted loopback server: auth, query serialization, envelopes, the retry rules,
// server-directed waits, POST safety and pagination.
import { inspect } from "node:util";
import {
  ApiError,
  AuthenticationError,
  CloudflareSharingClient,
  ConflictError,
  ConnectionError,
  NotFoundError,
  PaginationError,
  RateLimitError,
  RequestTimeoutError,
  ServerError,
  ValidationError,
  type ClientEvent,
} from "../../provider/client";
import { ManualClock } from "../../provider/client/testing";
import { ACCOUNT, TEST_TOKEN, testClient } from "./helpers/client";
import { type Reply, type ScriptedServer, fail, ok, replay, startScriptedServer } from "./helpers/scripted-server";

const SHARE = "fedcba9876543210fedcba9876543210";
let server: ScriptedServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(replies: Reply[], fallback: Reply = ok({ id: SHARE })): Promise<ScriptedServer> {
  server = await startScriptedServer(replay(replies, fallback));
  return server;
}

describe("requests", () => {
  it("authenticates with a bearer token and identifies itself", async () => {
    const { url, requests } = await serve([]);
    const { client, token } = testClient(url);
    await client.shares.get(ACCOUNT, SHARE);
    expect(requests[0].headers.authorization).toBe(`Bearer ${token}`);
    expect(requests[0].headers["user-agent"]).toMatch(/^pulumi-cloudflare-sharing\/\d+\.\d+\.\d+/);
    expect(requests[0].headers["x-retry-count"]).toBe("0");
  });

  it("authenticates with a global key and email", async () => {
    const { url, requests } = await serve([]);
    const client = new CloudflareSharingClient({ credentials: { apiKey: "global-key-123", email: "ops@example.com" }, baseUrl: url });
    await client.shares.get(ACCOUNT, SHARE);
    expect(requests[0].headers["x-auth-key"]).toBe("global-key-123");
    expect(requests[0].headers["x-auth-email"]).toBe("ops@example.com");
    expect(requests[0].headers.authorization).toBeUndefined();
  });

  it("refuses blank credentials without echoing them", () => {
    expect(() => new CloudflareSharingClient({ credentials: { apiToken: "  " } })).toThrow(/credentials missing/);
  });

  it("repeats array keys, writes booleans as true/false and always sends per_page", async () => {
    const { url, requests } = await serve([ok([], { result_info: { page: 1, per_page: 100, count: 0, total_pages: 0 } })]);
    const { client } = testClient(url);
    await client.shares.listAll(ACCOUNT, { resource_types: ["custom-ruleset", "gateway-policy"], include_resources: true, include_recipient_counts: false });
    expect(requests[0].rawQuery).toBe(
      "resource_types=custom-ruleset&resource_types=gateway-policy&include_resources=true&include_recipient_counts=false&page=1&per_page=100",
    );
  });

  it("encodes path parameters so an id cannot address another endpoint", async () => {
    const { url, requests } = await serve([]);
    const { client } = testClient(url);
    await client.shares.get(ACCOUNT, "a/b?c");
    expect(requests[0].path).toBe(`/client/v4/accounts/${ACCOUNT}/shares/a%2Fb%3Fc`);
  });

  it("unwraps the envelope's result", async () => {
    const { url } = await serve([ok({ id: SHARE, name: "n" })]);
    const { client } = testClient(url);
    await expect(client.shares.get(ACCOUNT, SHARE)).resolves.toEqual({ id: SHARE, name: "n" });
  });

  it("treats a 2xx with success:false as an error", async () => {
    const { url } = await serve([{ status: 200, body: { success: false, errors: [{ code: 1004, message: "Share not found" }], result: null } }]);
    const { client } = testClient(url);
    await expect(client.shares.get(ACCOUNT, SHARE)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("retries", () => {
  const retryable: [string, Reply, "GET" | "PUT" | "DELETE"][] = [
    ["connection reset", { reset: true }, "GET"],
    ["408", fail(408, 1000, "Request Timeout"), "GET"],
    ["429", fail(429, 10013, "Rate limited"), "GET"],
    ["500", fail(500, 10001, "Internal"), "GET"],
    ["502 with an HTML body", { status: 502, body: "<html>Bad gateway</html>" }, "GET"],
    ["503", fail(503, 10001, "Unavailable"), "PUT"],
    ["409 on GET", fail(409, 1009, "Lock timeout"), "GET"],
    ["409 on PUT", fail(409, 1009, "Lock timeout"), "PUT"],
    ["409 on DELETE", fail(409, 1009, "Lock timeout"), "DELETE"],
  ];

  it.each(retryable)("retries after %s", async (_name, failure, method) => {
    const { url, requests } = await serve([failure]);
    const { client } = testClient(url);
    const call = { GET: () => client.shares.get(ACCOUNT, SHARE), PUT: () => client.shares.update(ACCOUNT, SHARE, { name: "x" }), DELETE: () => client.shares.delete(ACCOUNT, SHARE) }[method];
    await expect(call()).resolves.toEqual({ id: SHARE });
    expect(requests.map((r) => r.method)).toEqual([method, method]);
    expect(requests.map((r) => r.headers["x-retry-count"])).toEqual(["0", "1"]);
    expect(client.http.stats.retries).toBe(1);
  });

  it("retries an attempt that exceeds the per-attempt timeout", async () => {
    const { url, requests } = await serve([{ hang: true }]);
    const { client } = testClient(url, { perAttemptTimeoutMs: 200 });
    await expect(client.shares.get(ACCOUNT, SHARE)).resolves.toEqual({ id: SHARE });
    expect(requests).toHaveLength(2);
  });

  it("throws RequestTimeoutError when every attempt times out", async () => {
    const { url, requests } = await serve([], { hang: true });
    const { client } = testClient(url, { perAttemptTimeoutMs: 100, maxRetries: 1 });
    const error = await client.shares.get(ACCOUNT, SHARE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(requests).toHaveLength(2);
  });

  const final: [string, Reply, "GET" | "POST", new (...args: never[]) => Error][] = [
    ["400", fail(400, 1001, "Bad request"), "GET", ValidationError],
    ["422", fail(422, 1001, "Unprocessable"), "GET", ValidationError],
    ["401", fail(401, 10000, "Authentication error"), "GET", AuthenticationError],
    ["403", fail(403, 10000, "Authentication error"), "GET", AuthenticationError],
    ["404", fail(404, 1004, "Share not found"), "GET", NotFoundError],
    ["409 on POST", fail(409, 1009, "Conflict"), "POST", ConflictError],
    ["400 on POST", fail(400, 1001, "Bad request"), "POST", ValidationError],
  ];

  it.each(final)("does not retry %s", async (_name, failure, method, errorClass) => {
    const { url, requests } = await serve([failure]);
    const { client } = testClient(url);
    const call =
      method === "GET"
        ? client.shares.get(ACCOUNT, SHARE)
        : client.shares.create(ACCOUNT, { name: "n", recipients: [{ recipient_account_id: ACCOUNT }], resources: [] });
    await expect(call).rejects.toBeInstanceOf(errorClass);
    expect(requests).toHaveLength(1);
  });

  it("lets x-should-retry override the status rules both ways", async () => {
    const noRetry = await serve([{ ...fail(503, 1, "down"), headers: { "x-should-retry": "false" } } as Reply]);
    const first = testClient(noRetry.url).client;
    await expect(first.shares.get(ACCOUNT, SHARE)).rejects.toBeInstanceOf(ServerError);
    expect(noRetry.requests).toHaveLength(1);
    await noRetry.close();

    const retry = await serve([{ ...fail(400, 1, "try again"), headers: { "x-should-retry": "true" } } as Reply]);
    const second = testClient(retry.url).client;
    await expect(second.shares.get(ACCOUNT, SHARE)).resolves.toEqual({ id: SHARE });
    expect(retry.requests).toHaveLength(2);
  });

  it("backs off exponentially up to the cap, then gives up with the last error", async () => {
    const { url, requests } = await serve([], fail(503, 10001, "Unavailable"));
    const { client, clock } = testClient(url, { maxRetries: 4, backoff: { baseMs: 1000, factor: 2, maxMs: 3000 } });
    await expect(client.shares.get(ACCOUNT, SHARE)).rejects.toBeInstanceOf(ServerError);
    expect(requests).toHaveLength(5);
    expect(clock.sleeps).toEqual([1000, 2000, 3000, 3000]);
  });

  it("subtracts at most 25% jitter", async () => {
    const { url } = await serve([], fail(500, 1, "x"));
    const { client, clock } = testClient(url, { maxRetries: 2, backoff: { jitter: 0.25 } }, { random: () => 0.9999 });
    await expect(client.shares.get(ACCOUNT, SHARE)).rejects.toBeInstanceOf(ServerError);
    expect(clock.sleeps).toEqual([750, 1500]);
  });

  it("honours Retry-After in seconds", async () => {
    const { url } = await serve([fail(429, 10013, "Rate limited", { "retry-after": "7" })]);
    const { client, clock } = testClient(url);
    await client.shares.get(ACCOUNT, SHARE);
    expect(clock.sleeps).toContain(7000);
  });

  it("prefers retry-after-ms over Retry-After", async () => {
    const { url } = await serve([fail(503, 1, "busy", { "retry-after-ms": "1234", "retry-after": "9" })]);
    const { client, clock } = testClient(url);
    await client.shares.get(ACCOUNT, SHARE);
    expect(clock.sleeps).toEqual([1234]);
  });

  it("honours Retry-After as an HTTP date", async () => {
    const clock = new ManualClock({ start: Date.parse("2026-01-01T00:00:00Z"), autoAdvance: true });
    const { url } = await serve([fail(429, 10013, "Rate limited", { "retry-after": "Thu, 01 Jan 2026 00:00:05 GMT" })]);
    const { client } = testClient(url, {}, { clock });
    await client.shares.get(ACCOUNT, SHARE);
    expect(clock.sleeps[0]).toBe(5000);
  });

  it("fails fast with retryAfterMs when Retry-After exceeds maxServerWaitMs, and pauses the whole budget", async () => {
    const { url, requests } = await serve([fail(429, 10013, "Rate limited", { "retry-after": "300" })]);
    const { client } = testClient(url);
    const error = (await client.shares.get(ACCOUNT, SHARE).catch((e: unknown) => e)) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBe(300_000);
    expect(requests).toHaveLength(1);
    // Another call on the same credential does not even reach the server during the block.
    const next = (await client.shares.get(ACCOUNT, SHARE).catch((e: unknown) => e)) as RateLimitError;
    expect(next).toBeInstanceOf(RateLimitError);
    expect(next.retryAfterMs).toBeGreaterThan(60_000);
    expect(requests).toHaveLength(1);
  });

  it("rejects with the caller's abort reason during a backoff", async () => {
    const { url } = await serve([], fail(503, 1, "down"));
    const clock = new ManualClock(); // manual: the backoff really waits
    const { client } = testClient(url, {}, { clock });
    const controller = new AbortController();
    const pending = client.shares.get(ACCOUNT, SHARE, {}, { signal: controller.signal });
    while (clock.pendingTimers === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort(new Error("cancelled by test"));
    await expect(pending).rejects.toThrow("cancelled by test");
  });

  it("reports retries through onEvent without secrets", async () => {
    const events: ClientEvent[] = [];
    const { url } = await serve([fail(500, 1, "boom")]);
    const { client } = testClient(url, {}, { onEvent: (e) => events.push(e) });
    await client.shares.get(ACCOUNT, SHARE);
    expect(events).toEqual([
      { type: "retry", method: "GET", path: `/accounts/${ACCOUNT}/shares/${SHARE}`, retry: 1, delayMs: 1000, errorCode: "CF_SHARING_ERR_SERVER", status: 500, serverDirected: false },
    ]);
    expect(inspect(events, { depth: Infinity })).not.toContain(TEST_TOKEN);
  });
});

describe("POST safety", () => {
  const body = { name: "n", recipients: [{ recipient_account_id: ACCOUNT }], resources: [] };

  it("retries a POST after 429 without a lookup: the server did not apply it", async () => {
    const { url, requests } = await serve([fail(429, 10013, "Rate limited", { "retry-after": "1" })]);
    const { client } = testClient(url);
    await client.recipients.create(ACCOUNT, SHARE, { recipient_account_id: ACCOUNT });
    expect(requests.map((r) => r.method)).toEqual(["POST", "POST"]);
  });

  it("never re-sends a POST without a natural key after an ambiguous failure", async () => {
    const { url, requests } = await serve([fail(502, 1, "bad gateway")]);
    const { client } = testClient(url);
    // No recipient_account_id / organization_id: nothing to recognise the created object by.
    await expect(client.recipients.create(ACCOUNT, SHARE, {})).rejects.toBeInstanceOf(ServerError);
    expect(requests).toHaveLength(1);
  });

  it("after a lost response, returns the object found by natural key instead of re-sending", async () => {
    const created = { id: "r1", account_id: "a".repeat(32), association_status: "associating", created: new Date().toISOString(), modified: "" };
    const events: ClientEvent[] = [];
    const { url, requests } = await serve([{ reset: true }, ok([created], { result_info: { page: 1, per_page: 100, total_pages: 1 } })]);
    const { client } = testClient(url, {}, { onEvent: (e) => events.push(e) });
    await expect(client.recipients.create(ACCOUNT, SHARE, { recipient_account_id: "a".repeat(32) })).resolves.toEqual(created);
    expect(requests.map((r) => r.method)).toEqual(["POST", "GET"]);
    expect(events.map((e) => e.type)).toEqual(["retry", "recovered"]);
    expect(client.http.stats.recovered).toBe(1);
  });

  it("re-sends the POST when the lookup finds nothing", async () => {
    const { url, requests } = await serve([fail(500, 1, "boom"), ok([], { result_info: { page: 1, per_page: 100, total_pages: 0 } }), ok({ id: "r2" }, {}, 201)]);
    // Lists taken as consistent at once here: one look, then the re-send.
    const { client } = testClient(url, { listLagMs: 0 });
    await expect(client.recipients.create(ACCOUNT, SHARE, { recipient_account_id: "b".repeat(32) })).resolves.toEqual({ id: "r2" });
    expect(requests.map((r) => r.method)).toEqual(["POST", "GET", "POST"]);
  });

  it("absence from one list read proves nothing: looks again until listLagMs has passed before re-sending", async () => {
    const created = { id: "r1", account_id: "a".repeat(32), association_status: "associating", created: new Date().toISOString(), modified: "" };
    const empty = ok([], { result_info: { page: 1, per_page: 100, total_pages: 0 } });
    const { url, requests } = await serve([{ reset: true }, empty, empty, ok([created], { result_info: { page: 1, per_page: 100, total_pages: 1 } })]);
    const { client, clock } = testClient(url, { listLagMs: 2_000 });
    const started = clock.now();
    await expect(client.recipients.create(ACCOUNT, SHARE, { recipient_account_id: "a".repeat(32) })).resolves.toEqual(created);
    expect(requests.map((r) => r.method)).toEqual(["POST", "GET", "GET", "GET"]);
    expect(clock.now() - started).toBeLessThanOrEqual(2_000 + 1_000 * 2); // the retry's backoff plus the looks, bounded
  });

  it("gives up looking after listLagMs and re-sends; a copy the first POST made after all is then removed", async () => {
    const at = (ms: number) => new Date(Date.now() + ms).toISOString();
    const first = { id: "first", account_id: "c".repeat(32), association_status: "associating", created: at(0), modified: "" };
    const second = { ...first, id: "second", created: at(50) };
    const empty = ok([], { result_info: { page: 1, per_page: 100, total_pages: 0 } });
    const page = (items: unknown[]) => ok(items, { result_info: { page: 1, per_page: 100, total_pages: 1 } });
    const { url, requests } = await serve(
      [{ reset: true }, empty, empty, empty, empty, ok(second, {}, 201), page([first, second]), ok({ ...second, association_status: "disassociating" })],
      empty,
    );
    const { client } = testClient(url, { listLagMs: 1_000 });
    await expect(client.recipients.create(ACCOUNT, SHARE, { recipient_account_id: "c".repeat(32) })).resolves.toEqual(first);
    const writes = requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path.split("/").slice(-1)[0]}`);
    expect(writes).toEqual(["POST recipients", "POST recipients", "DELETE second"]);
  });

  it("looks one last time before giving up on an ambiguous POST", async () => {
    const found = { id: "r3", account_id: "c".repeat(32), association_status: "associated", created: new Date().toISOString(), modified: "" };
    const { url, requests } = await serve([fail(500, 1, "boom")], ok([found], { result_info: { page: 1, per_page: 100, total_pages: 1 } }));
    const { client } = testClient(url, { maxRetries: 0 });
    await expect(client.recipients.create(ACCOUNT, SHARE, { recipient_account_id: "c".repeat(32) })).resolves.toEqual(found);
    expect(requests.map((r) => r.method)).toEqual(["POST", "GET"]);
  });
});

describe("pagination", () => {
  function pagedServer(total: number, options: { serverPerPage?: number; totalPages?: boolean } = {}) {
    const items = Array.from({ length: total }, (_, i) => ({ id: `s${i}` }));
    return startScriptedServer((request) => {
      const page = Number(request.query.get("page"));
      const perPage = Math.min(Number(request.query.get("per_page")), options.serverPerPage ?? Infinity);
      const result = items.slice((page - 1) * perPage, page * perPage);
      const info: Record<string, number> = { page, per_page: perPage, count: result.length };
      if (options.totalPages !== false) Object.assign(info, { total_count: total, total_pages: Math.ceil(total / perPage) });
      return ok(result, { result_info: info });
    });
  }

  it("collects 250 items in 3 requests with per_page=100 on each", async () => {
    server = await pagedServer(250);
    const { client } = testClient(server.url);
    const shares = await client.shares.listAll(ACCOUNT);
    expect(new Set(shares.map((s) => s.id)).size).toBe(250);
    expect(server.requests.map((r) => [r.query.get("page"), r.query.get("per_page")])).toEqual([["1", "100"], ["2", "100"], ["3", "100"]]);
  });

  it("tells when a list's first request leaves, once for all its pages", async () => {
    server = await pagedServer(250);
    const { client } = testClient(server.url);
    const sent: number[] = [];
    const recipients = await client.recipients.listAll(ACCOUNT, SHARE, {}, { onSent: () => sent.push(server!.requests.length) });
    expect(recipients).toHaveLength(250);
    expect(sent).toEqual([0]); // as the first page left (none had reached the server yet), and only then
  });

  it("stops at total_pages without fetching an empty page", async () => {
    server = await pagedServer(200);
    const { client } = testClient(server.url);
    expect(await client.shares.listAll(ACCOUNT)).toHaveLength(200);
    expect(server.requests).toHaveLength(2);
  });

  it("follows full pages until an empty one when the server gives no totals", async () => {
    server = await pagedServer(200, { totalPages: false });
    const { client } = testClient(server.url);
    expect(await client.shares.listAll(ACCOUNT)).toHaveLength(200);
    expect(server.requests).toHaveLength(3);
  });

  it("keeps going when the server caps per_page below the request", async () => {
    server = await pagedServer(120, { serverPerPage: 50, totalPages: false });
    const { client } = testClient(server.url);
    expect(await client.shares.listAll(ACCOUNT)).toHaveLength(120);
    expect(server.requests).toHaveLength(3);
  });

  it("is lazy: breaking out early fetches no further pages", async () => {
    server = await pagedServer(250);
    const { client } = testClient(server.url);
    for await (const share of client.shares.list(ACCOUNT)) if (share.id === "s5") break;
    expect(server.requests).toHaveLength(1);
  });

  it("retries a failed page inside the same loop", async () => {
    let failed = false;
    server = await startScriptedServer((request) => {
      if (request.query.get("page") === "2" && !failed) return (failed = true), fail(503, 1, "down");
      const page = Number(request.query.get("page"));
      return ok(page <= 2 ? Array.from({ length: page === 1 ? 100 : 10 }, (_, i) => ({ id: `${page}-${i}` })) : [], { result_info: { page, per_page: 100 } });
    });
    const { client } = testClient(server.url);
    expect(await client.shares.listAll(ACCOUNT)).toHaveLength(110);
    expect(server.requests.map((r) => r.query.get("page"))).toEqual(["1", "2", "2"]);
  });
});

describe("pagination against a server that ignores `page`", () => {
  const full = (prefix: string, n = 100) => Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}` }));

  it("stops with a PaginationError when the server answers another page than the one asked for", async () => {
    server = await startScriptedServer(() => ok(full("a"), { result_info: { page: 1, per_page: 100, total_pages: 5 } }));
    const { client } = testClient(server.url);
    const error = await client.shares.listAll(ACCOUNT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaginationError);
    expect((error as PaginationError).code).toBe("CF_SHARING_ERR_PAGINATION");
    expect(String((error as Error).message)).toMatch(/asked for page 2.*answered page 1/);
    expect(server.requests).toHaveLength(2);
  });

  it("stops when a page repeats one already seen (no page number in the answer)", async () => {
    server = await startScriptedServer(() => ok(full("a"), { result_info: { per_page: 100 } }));
    const { client } = testClient(server.url);
    const error = await client.shares.listAll(ACCOUNT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaginationError);
    expect(String((error as Error).message)).toMatch(/page 2 .*repeats/);
    expect(server.requests).toHaveLength(2);
  });

  it("stops after maxPages when total_pages never ends", async () => {
    server = await startScriptedServer((request) => {
      const page = Number(request.query.get("page"));
      return ok(full(`p${page}-`), { result_info: { page, per_page: 100, total_pages: page + 1 } });
    });
    const { client } = testClient(server.url, { maxPages: 7 });
    const error = await client.shares.listAll(ACCOUNT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaginationError);
    expect(String((error as Error).message)).toMatch(/more than 7 pages/);
    expect(server.requests).toHaveLength(7);
  });

  it("still accepts a list that shifts a little between pages (an item seen twice)", async () => {
    server = await startScriptedServer((request) => {
      const page = Number(request.query.get("page"));
      // Page 2 starts with the last item of page 1 again: an object before it was removed meanwhile.
      const result = page === 1 ? full("a") : page === 2 ? [{ id: "a99" }, { id: "b0" }] : [];
      return ok(result, { result_info: { page, per_page: 100, total_pages: 2 } });
    });
    const { client } = testClient(server.url);
    expect((await client.shares.listAll(ACCOUNT)).map((s) => s.id).slice(-2)).toEqual(["a99", "b0"]);
  });
});

describe("errors from the wire", () => {
  it("maps a connection refused to ConnectionError after the retries", async () => {
    const closed = await startScriptedServer(() => ok(null));
    const url = closed.url;
    await closed.close();
    const { client } = testClient(url, { maxRetries: 1 });
    const error = await client.shares.get(ACCOUNT, SHARE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).message).toMatch(new RegExp(`^GET /accounts/${ACCOUNT}/shares/${SHARE} failed: connection error`));
  });

  it("builds the message from method, path (no query), status and Cloudflare errors", async () => {
    const { url } = await serve([fail(404, 1004, "Share not found")]);
    const { client } = testClient(url);
    const error = (await client.shares.get(ACCOUNT, SHARE, { include_resources: true }).catch((e: unknown) => e)) as ApiError;
    expect(error.message).toBe(`GET /accounts/${ACCOUNT}/shares/${SHARE} failed: 404 Not Found: [1004] Share not found`);
    expect(error).toMatchObject({ status: 404, method: "GET", path: `/accounts/${ACCOUNT}/shares/${SHARE}`, code: "CF_SHARING_ERR_NOT_FOUND" });
  });
});
