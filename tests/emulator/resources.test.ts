// Share resources (§2 #11–#15; §3.11–§3.15; §4.3; §7).

import type { ShareObject, ShareResourceObject } from "../../provider/client/types";
import { ERROR_CODES } from "../../emulator";
import { HEX32, OWNER, TIMESTAMP, type TestEmulator, expectFailure, ruleset, shareBody, sharesPath, startTestEmulator } from "./helpers";

describe("share resources", () => {
  let emu: TestEmulator;
  let share: ShareObject;
  let base: string;
  beforeEach(async () => {
    emu = await startTestEmulator();
    share = (await emu.call<ShareObject>("POST", sharesPath(), { body: shareBody("s", { resources: [ruleset("r1", { k: "v" })] }) })).body.result!;
    base = `${sharesPath()}/${share.id}/resources`;
  });
  afterEach(() => emu.stop());

  const add = async (body: object) => (await emu.call<ShareResourceObject>("POST", base, { body })).body.result!;
  const list = async (query = "") => (await emu.call<ShareResourceObject[]>("GET", `${base}${query}`)).body.result!;

  test("the resource object has every §4.3 field; id differs from resource_id", async () => {
    const [resource] = await list();
    expect(resource).toEqual({
      id: expect.stringMatching(HEX32),
      resource_id: "r1",
      resource_account_id: OWNER,
      resource_type: "custom-ruleset",
      resource_version: 1,
      meta: { k: "v" },
      status: "active",
      created: expect.stringMatching(TIMESTAMP),
      modified: expect.stringMatching(TIMESTAMP),
    });
    expect(resource.id).not.toBe(resource.resource_id);
  });

  test("POST resource answers 201 and GET uses {share_resource_id} (§3.12, §3.13)", async () => {
    const reply = await emu.call<ShareResourceObject>("POST", base, { body: ruleset("r2") });
    expect(reply.status).toBe(201);
    const got = await emu.call<ShareResourceObject>("GET", `${base}/${reply.body.result!.id}`);
    expect(got.status).toBe(200);
    expect(got.body.result).toEqual(reply.body.result);
    expectFailure(await emu.call("GET", `${base}/r2`), 404, ERROR_CODES.notFound); // resource_id is not the path id
  });

  test("every §5 resource_type is accepted, trust-grant too (§12.5)", async () => {
    const types = ["custom-ruleset", "gateway-policy", "gateway-destination-ip", "gateway-block-page-settings", "gateway-extended-email-matching", "idp-federation-grant", "trust-grant"];
    for (const [i, type] of types.entries()) {
      const created = await add({ ...ruleset(`t${i}`), resource_type: type });
      expect(created.resource_type).toBe(type);
    }
  });

  test("PUT resource returns the new meta at once; GET shows it and resource_version + 1 after resourceUpdateMs (§3.14)", async () => {
    const [resource] = await list();
    const put = await emu.call<ShareResourceObject>("PUT", `${base}/${resource.id}`, { body: { meta: { k: "w" } } });
    expect(put.status).toBe(200);
    expect(put.body.result).toMatchObject({ meta: { k: "w" }, resource_version: 1, status: "active" });
    expect((await list())[0].meta).toEqual({ k: "v" });
    emu.clock.advance(500);
    expect((await list())[0]).toMatchObject({ meta: { k: "w" }, resource_version: 2 });
  });

  test("DELETE resource: deleting → deleted → gone after retention (§3.15, §7)", async () => {
    const extra = await add(ruleset("r2"));
    const del = await emu.call<ShareResourceObject>("DELETE", `${base}/${extra.id}`);
    expect(del.status).toBe(200);
    expect(del.body.result!.status).toBe("deleting");
    emu.clock.advance(1000);
    expect((await emu.call<ShareResourceObject>("GET", `${base}/${extra.id}`)).body.result!.status).toBe("deleted");
    const again = await emu.call<ShareResourceObject>("DELETE", `${base}/${extra.id}`);
    expect(again.body.result!.status).toBe("deleted");
    emu.clock.advance(5000);
    expectFailure(await emu.call("GET", `${base}/${extra.id}`), 404, ERROR_CODES.notFound);
    expect((await list()).map((r) => r.resource_id)).toEqual(["r1"]);
    expect(emu.control.history(extra.id).map((c) => c.status)).toEqual(["active", "deleting", "deleted"]);
  });

  test("PUT on a deleting resource → 400", async () => {
    const extra = await add(ruleset("r2"));
    await emu.call("DELETE", `${base}/${extra.id}`);
    expectFailure(await emu.call("PUT", `${base}/${extra.id}`, { body: { meta: {} } }), 400, ERROR_CODES.invalidState);
  });

  test("deleting the last active resource → 400 (lastResourceDeletion: reject); allowed with 'allow'", async () => {
    const [only] = await list();
    expectFailure(await emu.call("DELETE", `${base}/${only.id}`), 400, ERROR_CODES.invalidState, /last resource/);
    emu.control.configure({ behaviour: { lastResourceDeletion: "allow" } });
    expect((await emu.call<ShareResourceObject>("DELETE", `${base}/${only.id}`)).body.result!.status).toBe("deleting");
  });

  test("the same resource_type + resource_id twice → 409 (duplicateResource: reject)", async () => {
    expectFailure(await emu.call("POST", base, { body: ruleset("r1") }), 409, ERROR_CODES.conflict);
    expect((await emu.call("POST", base, { body: { ...ruleset("r1"), resource_type: "gateway-policy" } })).status).toBe(201);
  });

  test("resource list filters: resource_type (singular) and status (§3.11)", async () => {
    const policy = await add({ ...ruleset("p"), resource_type: "gateway-policy" });
    const extra = await add(ruleset("r3"));
    await emu.call("DELETE", `${base}/${extra.id}`);
    expect((await list("?resource_type=gateway-policy")).map((r) => r.id)).toEqual([policy.id]);
    expect((await list("?status=deleting")).map((r) => r.id)).toEqual([extra.id]);
    expect((await list("?status=active&resource_type=custom-ruleset")).map((r) => r.resource_id)).toEqual(["r1"]);
    expectFailure(await emu.call("GET", `${base}?status=gone`), 400, ERROR_CODES.invalidQuery, /status/);
    expectFailure(await emu.call("GET", `${base}?resource_type=widget`), 400, ERROR_CODES.invalidQuery, /resource_type/);
  });
});
