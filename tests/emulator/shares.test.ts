// Shares (§2 #1–#5, #16; §3.1–§3.5; §4.1; §7): fields, enums, filters, async delete and retention.

import type { ShareObject, ShareResourceObject } from "../../provider/client/types";
import { ERROR_CODES } from "../../emulator";
import {
  HEX32,
  OWNER,
  PEER,
  PEER2,
  TIMESTAMP,
  type TestEmulator,
  expectFailure,
  ruleset,
  shareBody,
  sharesPath,
  startTestEmulator,
} from "./helpers";

const ORG = "0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f";
const OTHER_ORG = "1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e";

describe("shares", () => {
  let emu: TestEmulator;
  beforeEach(async () => {
    emu = await startTestEmulator({
      accounts: {
        defaultOrganizationId: ORG,
        accounts: { [OWNER]: { name: "Owner Inc", organizationId: ORG }, [PEER2]: { name: "Elsewhere", organizationId: OTHER_ORG } },
      },
    });
  });
  afterEach(() => emu.stop());

  const create = async (name = "share", overrides: Record<string, unknown> = {}) => {
    const reply = await emu.call<ShareObject>("POST", sharesPath(), { body: shareBody(name, overrides) });
    expect(reply.status).toBe(201);
    return reply.body.result!;
  };

  test("POST share answers 201 with the success envelope (§3.1, §8)", async () => {
    const reply = await emu.call("POST", sharesPath(), { body: shareBody() });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ success: true, errors: [], messages: [] });
    expect(reply.body.result_info).toBeUndefined();
  });

  test("the share object has every §4.1 field with the right type", async () => {
    const share = await create("first");
    expect(share).toEqual({
      id: expect.stringMatching(HEX32),
      account_id: OWNER,
      account_name: "Owner Inc",
      organization_id: ORG,
      name: "first",
      created: expect.stringMatching(TIMESTAMP),
      modified: expect.stringMatching(TIMESTAMP),
      status: "active",
      target_type: "account",
      kind: "sent",
    });
    // No `recipients` field (§4.1) and no optional fields unless asked for.
    expect(share).not.toHaveProperty("recipients");
    expect(share).not.toHaveProperty("resources");
    expect(share).not.toHaveProperty("associated_recipient_count");
  });

  test("unknown accounts are named after their id and sit in the default organization", async () => {
    const reply = await emu.call<ShareObject>("POST", sharesPath(PEER), { body: shareBody("x", { recipients: [{ recipient_account_id: OWNER }], resources: [ruleset("r9")] }) });
    expect(reply.body.result).toMatchObject({ account_name: `Account ${PEER.slice(0, 8)}`, organization_id: ORG });
  });

  test("GET share returns the same object (§3.3)", async () => {
    const share = await create();
    const reply = await emu.call<ShareObject>("GET", `${sharesPath()}/${share.id}`);
    expect(reply.status).toBe(200);
    expect(reply.body.result).toEqual(share);
  });

  test("GET share with include_resources and include_recipient_counts adds those fields (§3.3)", async () => {
    const share = await create("s", { recipients: [{ recipient_account_id: PEER }], resources: [ruleset("r1", { a: 1 }), ruleset("r2")] });
    const reply = await emu.call<ShareObject>("GET", `${sharesPath()}/${share.id}?include_resources=true&include_recipient_counts=true`);
    const result = reply.body.result!;
    expect(result).toMatchObject({
      associated_recipient_count: 0,
      associating_recipient_count: 1,
      disassociated_recipient_count: 0,
      disassociating_recipient_count: 0,
    });
    expect(result.resources!.map((r: ShareResourceObject) => [r.resource_id, r.meta])).toEqual([
      ["r1", { a: 1 }],
      ["r2", {}],
    ]);
    emu.clock.advance(1000);
    const later = await emu.call<ShareObject>("GET", `${sharesPath()}/${share.id}?include_recipient_counts=true`);
    expect(later.body.result).toMatchObject({ associated_recipient_count: 1, associating_recipient_count: 0 });
  });

  test("neither recipient target → the caller's organization; target_type organization (§3.1, §4.1)", async () => {
    const share = await create("org", { recipients: [{}] });
    expect(share.target_type).toBe("organization");
    const filtered = await emu.call<ShareObject[]>("GET", `${sharesPath()}?target_type=organization`);
    expect(filtered.body.result!.map((s) => s.id)).toEqual([share.id]);
    const accountOnly = await emu.call<ShareObject[]>("GET", `${sharesPath()}?target_type=account`);
    expect(accountOnly.body.result).toEqual([]);
  });

  test("PUT share returns the new name at once; GET shows it only after shareUpdateMs (§3.4)", async () => {
    const share = await create("before");
    emu.clock.advance(10);
    const put = await emu.call<ShareObject>("PUT", `${sharesPath()}/${share.id}`, { body: { name: "after" } });
    expect(put.status).toBe(200);
    expect(put.body.result).toMatchObject({ name: "after", status: "active" });
    expect(put.body.result!.modified).not.toBe(share.modified);
    expect((await emu.call<ShareObject>("GET", `${sharesPath()}/${share.id}`)).body.result!.name).toBe("before");
    emu.clock.advance(500);
    const settled = (await emu.call<ShareObject>("GET", `${sharesPath()}/${share.id}`)).body.result!;
    expect(settled.name).toBe("after");
    expect(settled.modified).not.toBe(share.modified);
  });

  test("DELETE share: deleting, then deleted with its resources and recipients, then 404 after retention (§3.5, §7)", async () => {
    const share = await create();
    emu.clock.advance(1000); // recipient associated
    const del = await emu.call<ShareObject>("DELETE", `${sharesPath()}/${share.id}`);
    expect(del.status).toBe(200);
    expect(del.body.result!.status).toBe("deleting");
    const recipients = emu.control.listRecipients(share.id);
    expect(recipients[0].association_status).toBe("disassociating");
    expect(emu.control.listResources(share.id)[0].status).toBe("deleting");

    emu.clock.advance(1999);
    expect((await emu.call<ShareObject>("GET", `${sharesPath()}/${share.id}`)).body.result!.status).toBe("deleting");
    emu.clock.advance(1);
    expect((await emu.call<ShareObject>("GET", `${sharesPath()}/${share.id}`)).body.result!.status).toBe("deleted");
    expect(emu.control.listResources(share.id)[0].status).toBe("deleted");
    expect(emu.control.listRecipients(share.id)[0].association_status).toBe("disassociated");
    // Deleted shares are still listed (status is a filter, §7).
    const list = await emu.call<ShareObject[]>("GET", `${sharesPath()}?status=deleted`);
    expect(list.body.result!.map((s) => s.id)).toEqual([share.id]);

    emu.clock.advance(10_000);
    expectFailure(await emu.call("GET", `${sharesPath()}/${share.id}`), 404, ERROR_CODES.notFound);
    expect((await emu.call<ShareObject[]>("GET", sharesPath())).body.result).toEqual([]);
  });

  test("DELETE of a deleting or deleted share returns it unchanged", async () => {
    const share = await create();
    const first = await emu.call<ShareObject>("DELETE", `${sharesPath()}/${share.id}`);
    emu.clock.advance(100);
    const second = await emu.call<ShareObject>("DELETE", `${sharesPath()}/${share.id}`);
    expect(second.status).toBe(200);
    expect(second.body.result).toEqual(first.body.result);
    emu.clock.advance(5000);
    const third = await emu.call<ShareObject>("DELETE", `${sharesPath()}/${share.id}`);
    expect(third.body.result!.status).toBe("deleted");
    expect(emu.control.history(share.id).map((c) => c.status)).toEqual(["active", "deleting", "deleted"]);
  });

  test("PUT on a deleting share, and POST recipient/resource to it, answer 400", async () => {
    const share = await create();
    await emu.call("DELETE", `${sharesPath()}/${share.id}`);
    expectFailure(await emu.call("PUT", `${sharesPath()}/${share.id}`, { body: { name: "n" } }), 400, ERROR_CODES.invalidState);
    expectFailure(await emu.call("POST", `${sharesPath()}/${share.id}/recipients`, { body: { recipient_account_id: PEER } }), 400, ERROR_CODES.invalidState);
    expectFailure(await emu.call("POST", `${sharesPath()}/${share.id}/resources`, { body: ruleset("r5") }), 400, ERROR_CODES.invalidState);
  });

  test("kind: the recipient account receives the share once its recipient is associated (§3.2)", async () => {
    const share = await create();
    expect((await emu.call<ShareObject[]>("GET", sharesPath(PEER))).body.result).toEqual([]);
    expectFailure(await emu.call("GET", `${sharesPath(PEER)}/${share.id}`), 404, ERROR_CODES.notFound);
    emu.clock.advance(1000);
    const received = await emu.call<ShareObject[]>("GET", `${sharesPath(PEER)}?kind=received`);
    expect(received.body.result).toEqual([{ ...share, kind: "received" }]);
    expect((await emu.call<ShareObject[]>("GET", `${sharesPath(PEER)}?kind=sent`)).body.result).toEqual([]);
    expect((await emu.call<ShareObject>("GET", `${sharesPath(PEER)}/${share.id}`)).body.result!.kind).toBe("received");
    // A receiving account cannot change the share.
    expectFailure(await emu.call("DELETE", `${sharesPath(PEER)}/${share.id}`), 404, ERROR_CODES.notFound);
  });

  test("an organization share is received by every other account of the organization", async () => {
    const share = await create("org", { recipients: [{}] });
    emu.clock.advance(1000);
    const list = await emu.call<ShareObject[]>("GET", sharesPath(PEER));
    expect(list.body.result!.map((s) => [s.id, s.kind])).toEqual([[share.id, "received"]]);
    expect((await emu.call<ShareObject[]>("GET", sharesPath(PEER2))).body.result).toEqual([]); // other organization
  });

  test("order and direction sort the list; default is created ascending", async () => {
    const b = await create("bravo");
    emu.clock.advance(1);
    const a = await create("alpha");
    emu.clock.advance(1);
    const c = await create("charlie");
    const ids = async (query: string) => (await emu.call<ShareObject[]>("GET", `${sharesPath()}${query}`)).body.result!.map((s) => s.id);
    expect(await ids("")).toEqual([b.id, a.id, c.id]);
    expect(await ids("?order=created&direction=desc")).toEqual([c.id, a.id, b.id]);
    expect(await ids("?order=name")).toEqual([a.id, b.id, c.id]);
    expect(await ids("?order=name&direction=desc")).toEqual([c.id, b.id, a.id]);
  });

  test("status filter: active, deleting, deleted", async () => {
    const keep = await create("keep");
    const gone = await create("gone");
    await emu.call("DELETE", `${sharesPath()}/${gone.id}`);
    const ids = async (status: string) =>
      (await emu.call<ShareObject[]>("GET", `${sharesPath()}?status=${status}`)).body.result!.map((s) => s.id);
    expect(await ids("active")).toEqual([keep.id]);
    expect(await ids("deleting")).toEqual([gone.id]);
    expect(await ids("deleted")).toEqual([]);
  });

  test("resource_types filter takes the repeated key and matches any of the types (§3.2)", async () => {
    const rules = await create("rules");
    const policy = await create("policy", { resources: [{ ...ruleset("p1"), resource_type: "gateway-policy" }] });
    await create("ip", { resources: [{ ...ruleset("i1"), resource_type: "gateway-destination-ip" }] });
    const ids = async (query: string) => (await emu.call<ShareObject[]>("GET", `${sharesPath()}?${query}`)).body.result!.map((s) => s.id);
    expect(await ids("resource_types=gateway-policy")).toEqual([policy.id]);
    expect(await ids("resource_types=custom-ruleset&resource_types=gateway-policy")).toEqual([rules.id, policy.id]);
  });

  test("include_resources and include_recipient_counts on the list (§3.2)", async () => {
    await create();
    const plain = (await emu.call<ShareObject[]>("GET", sharesPath())).body.result![0];
    expect(plain).not.toHaveProperty("resources");
    const full = (await emu.call<ShareObject[]>("GET", `${sharesPath()}?include_resources=true&include_recipient_counts=true`)).body.result![0];
    expect(full.resources).toHaveLength(1);
    expect(full.associating_recipient_count).toBe(1);
  });

  test("tag filter: key=value exact, key alone any value, several ANDed (§3.2)", async () => {
    const prod = emu.control.seedShare({ accountId: OWNER, name: "prod", resources: [ruleset("r1")], tags: ["env=prod", "team=edge"] }).share;
    const dev = emu.control.seedShare({ accountId: OWNER, name: "dev", resources: [ruleset("r1")], tags: ["env=dev"] }).share;
    const ids = async (query: string) => (await emu.call<ShareObject[]>("GET", `${sharesPath()}?${query}`)).body.result!.map((s) => s.id);
    expect(await ids("tag=env=prod")).toEqual([prod.id]);
    expect(await ids("tag=env")).toEqual([prod.id, dev.id]);
    expect(await ids("tag=env&tag=team=edge")).toEqual([prod.id]);
    expect(await ids("tag=team&tag=env=dev")).toEqual([]);
  });

  test("GET /organizations/{organization_id}/shares lists the organization's shares (#16)", async () => {
    const own = await create();
    emu.control.seedShare({ accountId: PEER2, name: "elsewhere", resources: [ruleset("z")] });
    const reply = await emu.call<ShareObject[]>("GET", `/organizations/${ORG}/shares?per_page=10`);
    expect(reply.status).toBe(200);
    expect(reply.body.result!.map((s) => s.id)).toEqual([own.id]);
    expect(reply.body.result_info).toMatchObject({ page: 1, per_page: 10, count: 1, total_count: 1, total_pages: 1 });
    const other = await emu.call<ShareObject[]>("GET", `/organizations/${OTHER_ORG}/shares`);
    expect(other.body.result!.map((s) => s.name)).toEqual(["elsewhere"]);
  });

  test("createPropagationMs: GET answers 404 while the list already shows the new share", async () => {
    emu.control.configure({ timings: { createPropagationMs: 300 } });
    const share = await create();
    expectFailure(await emu.call("GET", `${sharesPath()}/${share.id}`), 404, ERROR_CODES.notFound);
    expect((await emu.call<ShareObject[]>("GET", sharesPath())).body.result!.map((s) => s.id)).toEqual([share.id]);
    emu.clock.advance(300);
    expect((await emu.call("GET", `${sharesPath()}/${share.id}`)).status).toBe(200);
  });

  test("settings.behaviour.createStatusCode can make creates answer 200", async () => {
    emu.control.configure({ behaviour: { createStatusCode: 200 } });
    expect((await emu.call("POST", sharesPath(), { body: shareBody() })).status).toBe(200);
  });
});
