// The control surface (in-process and over HTTP under /__emulator/), seeding, drift, history and the CLI.

import { spawn } from "node:child_process";
import path from "node:path";
import type { RecipientObject, ShareObject, ShareResourceObject } from "../../provider/client/types";
import { DEFAULT_SETTINGS, type RequestLogEntry, type ShareState, startEmulator } from "../../emulator";
import { OWNER, PEER, type TestEmulator, ruleset, shareBody, sharesPath, startTestEmulator } from "./helpers";

describe("control", () => {
  let emu: TestEmulator;
  beforeEach(async () => {
    emu = await startTestEmulator();
  });
  afterEach(() => emu.stop());

  test("seedShare creates without a log entry or rate-limit cost; settled recipients are associated", async () => {
    emu.control.configure({ rateLimit: { limit: 1 } });
    const seeded = emu.control.seedShare({ accountId: OWNER, name: "seed", recipients: [{ recipient_account_id: PEER }], resources: [ruleset("r1")], settled: true });
    expect(seeded.recipients[0].association_status).toBe("associated");
    expect(seeded.resources[0].resource_id).toBe("r1");
    expect(emu.control.requestLog()).toEqual([]);
    expect((await emu.call<ShareObject>("GET", `${sharesPath()}/${seeded.share.id}`)).body.result).toEqual(seeded.share);
  });

  test("getShare / listShares / listRecipients / listResources read state as the server answers now", async () => {
    const share = (await emu.call<ShareObject>("POST", sharesPath(), { body: shareBody() })).body.result!;
    expect(emu.control.getShare(share.id)).toEqual(share);
    expect(emu.control.getShare("0".repeat(32))).toBeUndefined();
    expect(emu.control.listShares(OWNER)).toEqual([share]);
    expect(emu.control.listShares(PEER)).toEqual([]);
    emu.clock.advance(1000);
    expect(emu.control.listShares(PEER)).toEqual([{ ...share, kind: "received" }]);
    const [recipient] = emu.control.listRecipients(share.id);
    expect(recipient.resources).toHaveLength(1); // resources[] filled in
    expect(emu.control.listResources(share.id)[0].resource_id).toBe("r1");
  });

  test("history records each status at its scheduled time, not when it was observed", async () => {
    const share = (await emu.call<ShareObject>("POST", sharesPath(), { body: shareBody() })).body.result!;
    const created = emu.clock.ms;
    await emu.call("DELETE", `${sharesPath()}/${share.id}`);
    emu.clock.advance(60_000); // observed long after it settled and after purge
    expect(emu.control.history(share.id)).toEqual([
      { status: "active", at: created },
      { status: "deleting", at: created },
      { status: "deleted", at: created + 2000 },
    ]);
  });

  test("drift: renameShare and setResourceMeta go through the delayed update", () => {
    const { share, resources } = emu.control.seedShare({ accountId: OWNER, name: "old", resources: [ruleset("r1")] });
    emu.control.renameShare(share.id, "new");
    emu.control.setResourceMeta(share.id, resources[0].id, { x: 1 });
    expect(emu.control.getShare(share.id)!.name).toBe("old");
    emu.clock.advance(500);
    expect(emu.control.getShare(share.id)!.name).toBe("new");
    expect(emu.control.listResources(share.id)[0]).toMatchObject({ meta: { x: 1 }, resource_version: 2 });
  });

  test("drift: deleteShare is asynchronous, purgeShare is immediate", async () => {
    const a = emu.control.seedShare({ accountId: OWNER, name: "a", resources: [ruleset("r")] }).share;
    const b = emu.control.seedShare({ accountId: OWNER, name: "b", resources: [ruleset("r")] }).share;
    emu.control.deleteShare(a.id);
    expect(emu.control.getShare(a.id)!.status).toBe("deleting");
    emu.control.purgeShare(b.id);
    expect((await emu.call("GET", `${sharesPath()}/${b.id}`)).status).toBe(404);
  });

  test("drift: removeRecipient and removeResource (even the last one) are asynchronous", () => {
    const { share, recipients, resources } = emu.control.seedShare({
      accountId: OWNER,
      name: "s",
      recipients: [{ recipient_account_id: PEER }],
      resources: [ruleset("r")],
      settled: true,
    });
    emu.control.removeRecipient(share.id, recipients[0].id);
    emu.control.removeResource(share.id, resources[0].id);
    expect(emu.control.listRecipients(share.id)[0].association_status).toBe("disassociating");
    expect(emu.control.listResources(share.id)[0].status).toBe("deleting");
    emu.clock.advance(1000);
    expect(emu.control.listRecipients(share.id)[0].association_status).toBe("disassociated");
    expect(emu.control.listResources(share.id)[0].status).toBe("deleted");
  });

  test("configure merges deeply and validates; reset drops objects, log and counters", async () => {
    emu.control.configure({ timings: { shareDeleteMs: [5, 10] }, rateLimit: { limit: 2 } });
    expect(emu.control.settings.timings.shareDeleteMs).toEqual([5, 10]);
    expect(emu.control.settings.timings.recipientAssociateMs).toBe(1000);
    expect(() => emu.control.configure({ faults: { serverErrorRate: 2 } })).toThrow(/serverErrorRate/);
    await emu.call("POST", sharesPath(), { body: shareBody() });
    await emu.call("GET", sharesPath());
    expect((await emu.call("GET", sharesPath())).status).toBe(429);
    emu.control.reset();
    expect(emu.control.listShares()).toEqual([]);
    expect(emu.control.requestLog()).toEqual([]);
    expect((await emu.call("GET", sharesPath())).status).toBe(200);
  });

  test("ids are 32-char hex and reproducible for a seed", async () => {
    const ids = async () => {
      const other = await startEmulator({ seed: 99 });
      try {
        return other.control.seedShare({ accountId: OWNER, name: "x", resources: [ruleset("r")] }).share.id;
      } finally {
        await other.stop();
      }
    };
    const first = await ids();
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    expect(await ids()).toBe(first);
  });
});

describe("control over HTTP (/__emulator/)", () => {
  let emu: TestEmulator;
  let base: string;
  beforeEach(async () => {
    emu = await startTestEmulator();
    base = `${emu.url.replace(/\/client\/v4$/, "")}/__emulator`;
  });
  afterEach(() => emu.stop());

  const control = async (method: string, route: string, body?: unknown) => {
    const response = await fetch(`${base}${route}`, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : undefined };
  };

  test("GET /log returns the log; POST /reset clears everything", async () => {
    await emu.call("POST", sharesPath(), { body: shareBody() });
    const log = (await control("GET", "/log")).json as RequestLogEntry[];
    expect(log.map((e) => [e.method, e.status])).toEqual([["POST", 201]]);
    expect((await control("POST", "/reset")).status).toBe(204);
    expect(emu.control.listShares()).toEqual([]);
    expect((await control("GET", "/log")).json).toEqual([]);
  });

  test("POST /configure applies a JSON patch and returns the settings", async () => {
    const reply = await control("POST", "/configure", { faults: { latencyMs: 1 }, behaviour: { lastResourceDeletion: "allow" } });
    expect(reply.status).toBe(200);
    expect(reply.json.behaviour.lastResourceDeletion).toBe("allow");
    expect(emu.control.settings.faults.latencyMs).toBe(1);
    expect((await control("POST", "/configure", { faults: { connectionResetRate: -1 } })).status).toBe(400);
  });

  test("GET /state lists all shares with recipients and resources", async () => {
    const share = (await emu.call<ShareObject>("POST", sharesPath(), { body: shareBody() })).body.result!;
    const state = (await control("GET", "/state")).json as { shares: ShareState[] };
    expect(state.shares).toHaveLength(1);
    expect(state.shares[0]).toMatchObject({ id: share.id, name: share.name });
    expect(state.shares[0].recipients.map((r: RecipientObject) => r.account_id)).toEqual([PEER]);
    expect(state.shares[0].resources.map((r: ShareResourceObject) => r.resource_id)).toEqual(["r1"]);
  });

  test("POST /drift runs each op; unknown ops and ids → 400", async () => {
    const { share, recipients, resources } = emu.control.seedShare({
      accountId: OWNER,
      name: "s",
      recipients: [{ recipient_account_id: PEER }],
      resources: [ruleset("r1"), ruleset("r2")],
    });
    expect((await control("POST", "/drift", { op: "renameShare", shareId: share.id, name: "n" })).status).toBe(204);
    expect((await control("POST", "/drift", { op: "setResourceMeta", shareId: share.id, resourceId: resources[0].id, meta: { a: 1 } })).status).toBe(204);
    expect((await control("POST", "/drift", { op: "removeRecipient", shareId: share.id, recipientId: recipients[0].id })).status).toBe(204);
    expect((await control("POST", "/drift", { op: "removeResource", shareId: share.id, resourceId: resources[1].id })).status).toBe(204);
    emu.clock.advance(1000);
    expect(emu.control.getShare(share.id)!.name).toBe("n");
    expect(emu.control.listResources(share.id).map((r) => [r.meta, r.status])).toEqual([
      [{ a: 1 }, "active"],
      [{}, "deleted"],
    ]);
    expect(emu.control.listRecipients(share.id)[0].association_status).toBe("disassociated");
    expect((await control("POST", "/drift", { op: "deleteShare", shareId: share.id })).status).toBe(204);
    expect(emu.control.getShare(share.id)!.status).toBe("deleting");
    expect((await control("POST", "/drift", { op: "purgeShare", shareId: share.id })).status).toBe(204);
    expect(emu.control.getShare(share.id)).toBeUndefined();
    expect((await control("POST", "/drift", { op: "explode" })).status).toBe(400);
    expect((await control("POST", "/drift", { op: "deleteShare", shareId: "0".repeat(32) })).status).toBe(400);
  });

  test("POST /recipient-errors injects, { clear: true } clears", async () => {
    const { share } = emu.control.seedShare({ accountId: OWNER, name: "s", recipients: [{ recipient_account_id: PEER }], resources: [ruleset("r")] });
    expect((await control("POST", "/recipient-errors", { accountId: PEER, error: "no entitlement", terminal: false })).status).toBe(204);
    emu.clock.advance(2000);
    expect(emu.control.listRecipients(share.id)[0]).toMatchObject({ association_status: "associating", resources: [{ error: "no entitlement" }] });
    expect((await control("POST", "/recipient-errors", { clear: true })).status).toBe(204);
    emu.clock.advance(1000);
    expect(emu.control.listRecipients(share.id)[0].association_status).toBe("associated");
  });

  test("POST /seed and GET /history/:id", async () => {
    const seeded = await control("POST", "/seed", { accountId: OWNER, name: "s", resources: [ruleset("r")] });
    expect(seeded.status).toBe(201);
    const history = await control("GET", `/history/${seeded.json.share.id}`);
    expect(history.json).toEqual([{ status: "active", at: emu.clock.ms }]);
  });

  test("control endpoints need no auth, are not rate limited and not logged", async () => {
    emu.control.configure({ rateLimit: { limit: 1 } });
    for (let i = 0; i < 3; i++) expect((await control("GET", "/state")).status).toBe(200);
    expect(emu.control.requestLog()).toEqual([]);
  });
});

describe("CLI", () => {
  test("prints exactly the URL line, serves, and exits on SIGTERM", async () => {
    const root = path.resolve(__dirname, "../..");
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "emulator/cli.ts", "--port", "0", "--fast"], {
      cwd: root,
      env: { ...process.env, TS_NODE_PROJECT: path.join(root, "tsconfig.json") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = "";
        const timer = setTimeout(() => reject(new Error(`no URL line in time; got ${JSON.stringify(out)}`)), 20_000);
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes("\n")) {
            clearTimeout(timer);
            resolve(out);
          }
        });
        child.once("exit", (code) => reject(new Error(`exited with ${code}`)));
      });
      expect(line).toMatch(/^Cloudflare Resource Sharing emulator listening on http:\/\/127\.0\.0\.1:\d+\/client\/v4\n$/);
      const url = line.trim().split(" ").pop()!;
      const reply = await fetch(`${url}/accounts/${OWNER}/shares`, { headers: { Authorization: "Bearer t" } });
      expect(reply.status).toBe(200);
      const settings = (await (await fetch(`${url.replace(/\/client\/v4$/, "")}/__emulator/settings`)).json()) as typeof DEFAULT_SETTINGS;
      expect(settings.timings.recipientAssociateMs).not.toEqual(DEFAULT_SETTINGS.timings.recipientAssociateMs); // --fast
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    }
  }, 30_000);
});
