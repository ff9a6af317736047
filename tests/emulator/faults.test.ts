// Fault injection and the request log.

import type { ShareObject } from "../../provider/client/types";
import { ERROR_CODES } from "../../emulator";
import { type TestEmulator, expectFailure, shareBody, sharesPath, startTestEmulator } from "./helpers";

describe("faults", () => {
  let emu: TestEmulator;
  beforeEach(async () => {
    emu = await startTestEmulator();
  });
  afterEach(() => emu.stop());

  test("serverErrorRate: 500/502/503 with a Cloudflare envelope, nothing applied", async () => {
    emu.control.configure({ faults: { serverErrorRate: 1 } });
    const statuses = new Set<number>();
    for (let i = 0; i < 12; i++) {
      const reply = await emu.call("POST", sharesPath(), { body: shareBody() });
      expectFailure(reply, reply.status, ERROR_CODES.serverError);
      statuses.add(reply.status);
    }
    expect([...statuses].every((s) => [500, 502, 503].includes(s))).toBe(true);
    expect(emu.control.listShares()).toEqual([]);
    expect(emu.control.requestLog().every((e) => e.fault === "server-error")).toBe(true);
  });

  test("rateLimitRate: 429 with Retry-After = rateLimitRetryAfterS, nothing applied", async () => {
    emu.control.configure({ faults: { rateLimitRate: 1, rateLimitRetryAfterS: 7 } });
    const reply = await emu.call("POST", sharesPath(), { body: shareBody() });
    expectFailure(reply, 429, ERROR_CODES.rateLimited);
    expect(reply.headers.get("retry-after")).toBe("7");
    expect(reply.headers.get("x-ratelimit-reset")).toBe(new Date(emu.clock.ms + 7000).toUTCString());
    expect(emu.control.listShares()).toEqual([]);
    expect(emu.control.requestLog()[0]).toMatchObject({ status: 429, fault: "rate-limit" });
  });

  test("connectionResetRate: the socket is destroyed before anything is applied", async () => {
    emu.control.configure({ faults: { connectionResetRate: 1 } });
    await expect(emu.call("POST", sharesPath(), { body: shareBody() })).rejects.toThrow();
    expect(emu.control.listShares()).toEqual([]);
    expect(emu.control.requestLog()[0]).toMatchObject({ status: 0, fault: "connection-reset" });
  });

  test("lostPostResponseRate: the POST is applied exactly once, the response is lost", async () => {
    emu.control.configure({ faults: { lostPostResponseRate: 1 } });
    await expect(emu.call("POST", sharesPath(), { body: shareBody("lost") })).rejects.toThrow();
    expect(emu.control.listShares().map((s) => s.name)).toEqual(["lost"]);
    expect(emu.control.requestLog()[0]).toMatchObject({ method: "POST", status: 0, fault: "lost-response" });
    // Only POSTs lose their answer.
    expect((await emu.call<ShareObject[]>("GET", sharesPath())).body.result).toHaveLength(1);
  });

  test("lostResponseMethods: a DELETE is applied, its response lost; POSTs then answer", async () => {
    const { id } = (await emu.call<ShareObject>("POST", sharesPath(), { body: shareBody("to delete") })).body.result!;
    emu.control.configure({ faults: { lostPostResponseRate: 1, lostResponseMethods: ["DELETE"] } });
    await expect(emu.call("DELETE", `${sharesPath()}/${id}`)).rejects.toThrow();
    expect(emu.control.getShare(id)?.status).toMatch(/deleting|deleted/);
    expect(emu.control.requestLog().at(-1)).toMatchObject({ method: "DELETE", status: 0, fault: "lost-response" });
    expect((await emu.call("POST", sharesPath(), { body: shareBody("kept") })).status).toBeLessThan(300);
  });

  test("latencyMs delays the answer and is logged", async () => {
    emu.control.configure({ faults: { latencyMs: [40, 60] } });
    const started = performance.now();
    expect((await emu.call("GET", sharesPath())).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
    const [entry] = emu.control.requestLog();
    expect(entry.fault).toBe("latency");
    expect(entry.durationMs).toBeGreaterThanOrEqual(35);
  });

  test("faults.methods restricts faults to those methods", async () => {
    emu.control.configure({ faults: { serverErrorRate: 1, methods: ["POST"] } });
    expect((await emu.call("GET", sharesPath())).status).toBe(200);
    expect((await emu.call("POST", sharesPath(), { body: shareBody() })).status).toBeGreaterThanOrEqual(500);
    emu.control.configure({ faults: { methods: null } });
    expect((await emu.call("GET", sharesPath())).status).toBeGreaterThanOrEqual(500);
  });

  test("fractional rates hit some requests and spare others, reproducibly for a seed", async () => {
    const run = async (seed: number) => {
      const other = await startTestEmulator({ faults: { serverErrorRate: 0.5 } }, { seed });
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 20; i++) statuses.push((await other.call("GET", sharesPath())).status);
        return statuses;
      } finally {
        await other.stop();
      }
    };
    const first = await run(7);
    expect(first.some((s) => s === 200) && first.some((s) => s >= 500)).toBe(true);
    expect(await run(7)).toEqual(first);
  });

  test("control endpoints are never faulted", async () => {
    emu.control.configure({ faults: { serverErrorRate: 1 } });
    const base = emu.url.replace(/\/client\/v4$/, "");
    expect((await fetch(`${base}/__emulator/state`)).status).toBe(200);
  });
});

describe("request log", () => {
  let emu: TestEmulator;
  beforeEach(async () => {
    emu = await startTestEmulator();
  });
  afterEach(() => emu.stop());

  test("records at, method, path without query, query, status and duration of /client/v4 requests only", async () => {
    await emu.call("GET", `${sharesPath()}?per_page=5&resource_types=custom-ruleset&resource_types=gateway-policy`);
    emu.clock.advance(10);
    await emu.call("POST", sharesPath(), { body: { name: "" } });
    await fetch(`${emu.url.replace(/\/client\/v4$/, "")}/__emulator/state`);
    const log = emu.control.requestLog();
    expect(log).toEqual([
      {
        at: emu.clock.ms - 10,
        method: "GET",
        path: `/client/v4${sharesPath()}`,
        query: { per_page: "5", resource_types: ["custom-ruleset", "gateway-policy"] },
        status: 200,
        durationMs: expect.any(Number),
      },
      { at: emu.clock.ms, method: "POST", path: `/client/v4${sharesPath()}`, query: {}, status: 400, durationMs: expect.any(Number) },
    ]);
    emu.control.clearLog();
    expect(emu.control.requestLog()).toEqual([]);
  });
});
