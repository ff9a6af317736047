// Finders against lists that are snapshots: an object missing from one list scan (it moved between
// pages while the scan ran, or the list trails a write) is not "gone" until a GET by id says so.
import { NotFoundError } from "../../provider/client";
import type { RecipientObject, ShareObject } from "../../provider/client/types";
import { clearSharedBatchers } from "../../provider/wait/coalesce";
import { type LookupContext, type SharingApi, lookupLiveRecipient, lookupLiveResource, lookupLiveShare, forReading, lookupRecipient, lookupShare } from "../../provider/wait/finders";

const ACCOUNT = "0123456789abcdef0123456789abcdef";
const share = (id: string): ShareObject =>
  ({ id, account_id: ACCOUNT, name: id, status: "active", resources: [] }) as unknown as ShareObject;
const recipient = (id: string): RecipientObject => ({ id, account_id: id, association_status: "associated" }) as unknown as RecipientObject;
const notFound = () => new NotFoundError({ status: 404, method: "GET", path: "/x", errors: [{ code: 1004, message: "not found" }] } as never);

/** An API whose lists leave out `hidden` (as a scan does when the object moved pages), and whose GET finds everything in `existing`. */
function snapshotApi(existing: string[], hidden: string[]) {
  const calls: string[] = [];
  const api = {
    http: { settings: { perPage: 100 } },
    shares: {
      async *list() {
        calls.push("list shares");
        for (const id of existing) if (!hidden.includes(id)) yield share(id);
      },
      async get(_account: string, id: string) {
        calls.push(`GET share ${id}`);
        if (!existing.includes(id)) throw notFound();
        return share(id);
      },
    },
    recipients: {
      async listAll() {
        calls.push("list recipients");
        return existing.filter((id) => !hidden.includes(id)).map(recipient);
      },
      async get(_account: string, _share: string, id: string) {
        calls.push(`GET recipient ${id}`);
        if (!existing.includes(id)) throw notFound();
        return recipient(id);
      },
    },
    resources: {
      async get(_account: string, _share: string, id: string) {
        calls.push(`GET resource ${id}`);
        if (!existing.includes(id)) throw notFound();
        return { id, status: "active" };
      },
    },
  } as unknown as SharingApi;
  const ctx: LookupContext = { api, accountId: ACCOUNT, scope: `test-${Math.random()}`, coalesce: true, coalesceWindowMs: 5, readReuseMs: 10_000 };
  return { ctx, calls };
}

beforeEach(() => clearSharedBatchers());

describe("finders treat a list as a snapshot", () => {
  it("a share missing from a complete list that later reads reuse is looked up by id, not reported gone", async () => {
    const { ctx, calls } = snapshotApi(["a", "moved"], ["moved"]);
    expect((await lookupShare(ctx, "a", forReading(ctx)))?.id).toBe("a"); // one list, reused by later reads
    expect((await lookupLiveShare(ctx, "moved"))?.id).toBe("moved");
    expect((await lookupShare(ctx, "moved", forReading(ctx)))?.id).toBe("moved");
    expect(calls).toContain("GET share moved");
  });

  it("a share that really is gone is still reported gone (after its GET by id answers 404)", async () => {
    const { ctx, calls } = snapshotApi(["a"], []);
    await lookupShare(ctx, "a", forReading(ctx));
    expect(await lookupShare(ctx, "gone", forReading(ctx))).toBeUndefined();
    expect(calls).toContain("GET share gone");
  });

  it("a recipient missing from the recipient list (lists trail writes) is looked up by id", async () => {
    const { ctx, calls } = snapshotApi(["r1", "new"], ["new"]);
    const [first, fresh] = await Promise.all([lookupRecipient(ctx, "s", "r1"), lookupLiveRecipient(ctx, "s", "new")]);
    expect(first?.id).toBe("r1");
    expect(fresh?.id).toBe("new");
    // The live lookup reads the recipient list (through the recipient watch), then asks by id for what it lacks.
    expect(calls.filter((call) => call === "list recipients")).toHaveLength(1);
    expect(calls.indexOf("GET recipient new")).toBeGreaterThan(calls.indexOf("list recipients"));
  });

  it("a share resource missing from its share's listed resources is looked up by id", async () => {
    const { ctx, calls } = snapshotApi(["s1", "s2", "res"], []);
    const [, found] = await Promise.all([lookupLiveShare(ctx, "s2"), lookupLiveResource(ctx, "s1", "res")]);
    expect(found?.id).toBe("res");
    expect(calls).toEqual(["list shares", "GET resource res"]);
  });
});
