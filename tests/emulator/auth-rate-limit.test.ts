// Credentials (§1, §9.1) and the global rate limit with its headers (§9.2).

import { ERROR_CODES } from "../../emulator";
import { OWNER, TOKEN, type TestEmulator, expectFailure, shareBody, sharesPath, startTestEmulator } from "./helpers";

describe("authentication", () => {
  let emu: TestEmulator;
  afterEach(() => emu.stop());

  test("no credentials → 401 / 10000 Authentication error", async () => {
    emu = await startTestEmulator();
    const reply = await emu.call("GET", sharesPath(), { headers: { Authorization: "" } });
    expectFailure(reply, 401, ERROR_CODES.authentication, /^Authentication error$/);
    expectFailure(await emu.call("GET", sharesPath(), { headers: { Authorization: "Bearer " } }), 401, ERROR_CODES.authentication);
    expectFailure(await emu.call("GET", sharesPath(), { headers: { Authorization: "Basic abc" } }), 401, ERROR_CODES.authentication);
  });

  test("any bearer token or email + key pair is accepted by default", async () => {
    emu = await startTestEmulator();
    expect((await emu.call("GET", sharesPath(), { headers: { Authorization: "Bearer anything" } })).status).toBe(200);
    const keyHeaders = { Authorization: "", "X-Auth-Email": "user@example.com", "X-Auth-Key": "144c9defac04969c7bfad8efaa8ea194" };
    expect((await emu.call("GET", sharesPath(), { headers: keyHeaders })).status).toBe(200);
    // Email without key is not a credential.
    expectFailure(await emu.call("GET", sharesPath(), { headers: { Authorization: "", "X-Auth-Email": "user@example.com" } }), 401, ERROR_CODES.authentication);
  });

  test("auth.tokens / auth.keys restrict the accepted credentials; messages never echo them", async () => {
    emu = await startTestEmulator({ auth: { tokens: [TOKEN], keys: [{ email: "a@b.c", key: "k1" }] } });
    expect((await emu.call("GET", sharesPath())).status).toBe(200);
    const wrong = await emu.call("GET", sharesPath(), { headers: { Authorization: "Bearer secret-wrong-token" } });
    expectFailure(wrong, 401, ERROR_CODES.authentication);
    expect(wrong.text).not.toContain("secret-wrong-token");
    expect((await emu.call("GET", sharesPath(), { headers: { Authorization: "", "X-Auth-Email": "a@b.c", "X-Auth-Key": "k1" } })).status).toBe(200);
    expectFailure(await emu.call("GET", sharesPath(), { headers: { Authorization: "", "X-Auth-Email": "a@b.c", "X-Auth-Key": "k2" } }), 401, ERROR_CODES.authentication);
  });

  test("a read-only token reads but every write answers 403 / 10000 (§1, §9.1)", async () => {
    emu = await startTestEmulator({ auth: { tokens: [TOKEN], readOnlyTokens: ["reader"] } });
    const reader = { Authorization: "Bearer reader" };
    expect((await emu.call("GET", sharesPath(), { headers: reader })).status).toBe(200);
    expectFailure(await emu.call("POST", sharesPath(), { body: shareBody(), headers: reader }), 403, ERROR_CODES.authentication, /^Authentication error$/);
    expect(emu.control.listShares()).toEqual([]);
  });
});

describe("rate limit (§9.2)", () => {
  let emu: TestEmulator;
  beforeEach(async () => {
    emu = await startTestEmulator({ rateLimit: { limit: 10, windowMs: 1000, blockMs: 1000 } });
  });
  afterEach(() => emu.stop());

  test("every response carries X-RateLimit-*, Ratelimit and Ratelimit-Policy, errors included", async () => {
    const ok = await emu.call("GET", sharesPath());
    expect(ok.headers.get("x-ratelimit-limit")).toBe("10");
    expect(ok.headers.get("x-ratelimit-remaining")).toBe("9");
    expect(ok.headers.get("ratelimit")).toBe('"default";r=9;t=1');
    expect(ok.headers.get("ratelimit-policy")).toBe('"default";q=10;w=1');
    const notFound = await emu.call("GET", `${sharesPath()}/${"0".repeat(32)}`);
    expect(notFound.status).toBe(404);
    expect(notFound.headers.get("x-ratelimit-remaining")).toBe("8");
    const unauthenticated = await emu.call("GET", sharesPath(), { headers: { Authorization: "" } });
    expect(unauthenticated.headers.get("x-ratelimit-limit")).toBe("10");
  });

  test("the 11th request → 429 with Retry-After and X-RateLimit-Reset; blocked for blockMs, then recovers", async () => {
    for (let i = 0; i < 10; i++) expect((await emu.call("GET", sharesPath())).status).toBe(200);
    const limited = await emu.call("GET", sharesPath());
    expectFailure(limited, 429, ERROR_CODES.rateLimited);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(limited.headers.get("x-ratelimit-reset")).toBe(new Date(emu.clock.ms + 1000).toUTCString());
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");

    emu.clock.advance(999);
    expect((await emu.call("GET", sharesPath())).status).toBe(429); // still blocked
    emu.clock.advance(1);
    const recovered = await emu.call("GET", sharesPath());
    expect(recovered.status).toBe(200);
    // The blocked requests cost nothing: the whole budget is back.
    expect(recovered.headers.get("x-ratelimit-remaining")).toBe("9");
  });

  test("the window is rolling and per credential", async () => {
    for (let i = 0; i < 5; i++) await emu.call("GET", sharesPath());
    emu.clock.advance(600);
    for (let i = 0; i < 5; i++) await emu.call("GET", sharesPath());
    expect((await emu.call("GET", sharesPath(), { headers: { Authorization: "Bearer other" } })).headers.get("x-ratelimit-remaining")).toBe("9");
    emu.clock.advance(400); // the first five left the window
    expect((await emu.call("GET", sharesPath())).headers.get("x-ratelimit-remaining")).toBe("4");
  });

  test("rateLimit.enabled = false never answers 429", async () => {
    emu.control.configure({ rateLimit: { enabled: false } });
    for (let i = 0; i < 15; i++) expect((await emu.call("GET", sharesPath(OWNER))).status).toBe(200);
  });
});

describe("rate limit headers as Cloudflare documents them (§9.2)", () => {
  let emu: TestEmulator;
  afterEach(() => emu.stop());

  test("legacyHeaders = false: only Ratelimit and Ratelimit-Policy, and Retry-After on a 429", async () => {
    emu = await startTestEmulator({ rateLimit: { limit: 2, windowMs: 20_000, blockMs: 5_000, legacyHeaders: false } });
    const ok = await emu.call("GET", sharesPath());
    expect(ok.headers.get("ratelimit")).toBe('"default";r=1;t=20');
    expect(ok.headers.get("ratelimit-policy")).toBe('"default";q=2;w=20');
    expect(ok.headers.get("x-ratelimit-limit")).toBeNull();
    expect(ok.headers.get("x-ratelimit-remaining")).toBeNull();
    emu.clock.advance(4_000);
    expect((await emu.call("GET", sharesPath())).headers.get("ratelimit")).toBe('"default";r=0;t=16'); // the first frees in 16 s
    const limited = await emu.call("GET", sharesPath());
    expectFailure(limited, 429, ERROR_CODES.rateLimited);
    expect(limited.headers.get("retry-after")).toBe("5");
    expect(limited.headers.get("ratelimit")).toBe('"default";r=0;t=5');
    expect(limited.headers.get("x-ratelimit-reset")).toBeNull();
  });

  test("countHeaders = false (a proxy that strips them): no count on any answer, only a 429's Retry-After", async () => {
    emu = await startTestEmulator({ rateLimit: { limit: 1, windowMs: 20_000, blockMs: 5_000, legacyHeaders: false, countHeaders: false } });
    const ok = await emu.call("GET", sharesPath());
    expect(ok.status).toBe(200);
    expect(ok.headers.get("ratelimit")).toBeNull();
    expect(ok.headers.get("ratelimit-policy")).toBeNull();
    const limited = await emu.call("GET", sharesPath());
    expectFailure(limited, 429, ERROR_CODES.rateLimited);
    expect(limited.headers.get("retry-after")).toBe("5");
    expect(limited.headers.get("ratelimit")).toBeNull();
  });

  test("a burst policy beside default: both in every response; exceeding burst refuses only until a burst slot frees", async () => {
    emu = await startTestEmulator({ rateLimit: { limit: 10, windowMs: 60_000, blockMs: 60_000, burst: { limit: 2, windowMs: 1_000 } } });
    const first = await emu.call("GET", sharesPath());
    expect(first.headers.get("ratelimit")).toBe('"default";r=9;t=60, "burst";r=1;t=1');
    expect(first.headers.get("ratelimit-policy")).toBe('"default";q=10;w=60, "burst";q=2;w=1');
    emu.clock.advance(400);
    expect((await emu.call("GET", sharesPath())).status).toBe(200);
    const limited = await emu.call("GET", sharesPath());
    expectFailure(limited, 429, ERROR_CODES.rateLimited);
    expect(limited.headers.get("ratelimit")).toBe('"default";r=8;t=60, "burst";r=0;t=1');
    expect(limited.headers.get("retry-after")).toBe("1");
    emu.clock.advance(600); // the first request left the burst window: no five-minute block
    const recovered = await emu.call("GET", sharesPath());
    expect(recovered.status).toBe(200);
    expect(recovered.headers.get("ratelimit")).toBe('"default";r=7;t=59, "burst";r=0;t=1');
  });

  test("the per-IP limit: beyond perSecond requests in a second from one address, 429 with Retry-After 1, and no block after it", async () => {
    emu = await startTestEmulator({ rateLimit: { limit: 100, windowMs: 60_000, blockMs: 60_000, perSecond: 3 } });
    for (let i = 0; i < 3; i++) expect((await emu.call("GET", sharesPath())).status).toBe(200);
    const limited = await emu.call("GET", sharesPath());
    expectFailure(limited, 429, ERROR_CODES.rateLimited);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(limited.headers.get("ratelimit")).toBeNull(); // not a policy of the credential
    emu.clock.advance(1_000);
    const recovered = await emu.call("GET", sharesPath());
    expect(recovered.status).toBe(200);
    expect(recovered.headers.get("ratelimit")).toBe('"default";r=96;t=59'); // the refused request was free
  });
});
