// Conformance of the settings that stand for behaviours the reference leaves open (§7, §12): lists that
// lag behind writes, long `deleting` / `disassociating`, lagging per-recipient versions, the recipient
// account field of answers and bodies, duplicates, and the create status. One test per setting value.

import { ERROR_CODES } from "../../emulator";
import type { WireRecipient, WireResource, WireShare } from "../../emulator";
import { PEER, PEER2, type TestEmulator, expectFailure, ruleset, shareBody, sharesPath, startTestEmulator } from "./helpers";

describe("open behaviours", () => {
  let emu: TestEmulator;
  beforeEach(async () => {
    emu = await startTestEmulator();
  });
  afterEach(() => emu.stop());

  const create = async (name = "share", overrides: Record<string, unknown> = {}) =>
    (await emu.call<WireShare>("POST", sharesPath(), { body: shareBody(name, overrides) })).body.result!;
  const listShares = async (query = "") => (await emu.call<WireShare[]>("GET", `${sharesPath()}${query}`)).body.result!;
  const listRecipients = async (shareId: string, query = "") =>
    (await emu.call<WireRecipient[]>("GET", `${sharesPath()}/${shareId}/recipients${query}`)).body.result!;
  const listResources = async (shareId: string, query = "") =>
    (await emu.call<WireResource[]>("GET", `${sharesPath()}/${shareId}/resources${query}`)).body.result!;

  describe("consistency.listLagMs: lists trail writes", () => {
    beforeEach(() => emu.control.configure({ consistency: { listLagMs: 1000 } }));

    test("a new share is missing from the list until the lag has passed; GET by id sees it at once", async () => {
      const share = await create();
      expect(await listShares()).toEqual([]);
      expect((await emu.call("GET", `${sharesPath()}/${share.id}`)).status).toBe(200);
      emu.clock.advance(999);
      expect(await listShares()).toEqual([]);
      emu.clock.advance(1);
      expect((await listShares()).map((s) => s.id)).toEqual([share.id]);
      expect(await listShares("?include_resources=true&include_recipient_counts=true")).toEqual([
        expect.objectContaining({ id: share.id, associating_recipient_count: 1, resources: [expect.objectContaining({ resource_id: "r1" })] }),
      ]);
    });

    test("a status change shows in the list (and its status filter) only after the lag", async () => {
      const share = await create();
      emu.clock.advance(1000);
      await emu.call("DELETE", `${sharesPath()}/${share.id}`);
      expect((await listShares()).map((s) => s.status)).toEqual(["active"]);
      expect(await listShares("?status=deleting")).toEqual([]);
      emu.clock.advance(1000);
      expect((await listShares()).map((s) => s.status)).toEqual(["deleting"]);
      expect((await emu.call<WireShare>("GET", `${sharesPath()}/${share.id}`)).body.result!.status).toBe("deleting");
    });

    test("a purged share stays listed (as it last was) for the lag while GET answers 404", async () => {
      const share = await create();
      emu.clock.advance(1000);
      await emu.call("DELETE", `${sharesPath()}/${share.id}`);
      emu.clock.advance(2000 + 10_000); // deleted after shareDeleteMs, purged after the retention
      expectFailure(await emu.call("GET", `${sharesPath()}/${share.id}`), 404, ERROR_CODES.notFound);
      expect((await listShares()).map((s) => [s.id, s.status])).toEqual([[share.id, "deleted"]]);
      emu.clock.advance(1000);
      expect(await listShares()).toEqual([]);
    });

    test("recipients: a new one is missing from the list, a removal shows late", async () => {
      const share = await create();
      emu.clock.advance(1000);
      const added = (await emu.call<WireRecipient>("POST", `${sharesPath()}/${share.id}/recipients`, { body: { recipient_account_id: PEER2 } })).body.result!;
      expect((await listRecipients(share.id)).map((r) => r.account_id)).toEqual([PEER]);
      emu.clock.advance(1000);
      expect((await listRecipients(share.id)).map((r) => r.account_id)).toEqual([PEER, PEER2]);
      emu.clock.advance(1000); // associated (recipientAssociateMs), and listed so
      await emu.call("DELETE", `${sharesPath()}/${share.id}/recipients/${added.id}`);
      emu.clock.advance(999);
      expect((await emu.call<WireRecipient>("GET", `${sharesPath()}/${share.id}/recipients/${added.id}`)).body.result!.association_status).toBe("disassociating");
      expect((await listRecipients(share.id)).find((r) => r.id === added.id)!.association_status).toBe("associated");
    });

    test("resources: a new one is missing, a purged one stays listed for the lag", async () => {
      const share = await create();
      emu.clock.advance(1000);
      const added = (await emu.call<WireResource>("POST", `${sharesPath()}/${share.id}/resources`, { body: ruleset("r2") })).body.result!;
      expect((await listResources(share.id)).map((r) => r.resource_id)).toEqual(["r1"]);
      emu.clock.advance(1000);
      expect((await listResources(share.id)).map((r) => r.resource_id)).toEqual(["r1", "r2"]);
      await emu.call("DELETE", `${sharesPath()}/${share.id}/resources/${added.id}`);
      emu.clock.advance(1000 + 5000); // deleted, then purged after the retention
      expectFailure(await emu.call("GET", `${sharesPath()}/${share.id}/resources/${added.id}`), 404, ERROR_CODES.notFound);
      expect((await listResources(share.id)).map((r) => [r.resource_id, r.status])).toEqual([["r1", "active"], ["r2", "deleted"]]);
      expect((await listResources(share.id, "?status=deleted")).map((r) => r.resource_id)).toEqual(["r2"]);
      emu.clock.advance(1000);
      expect((await listResources(share.id)).map((r) => r.resource_id)).toEqual(["r1"]);
    });

    test("0 (the default) lists every write at once", async () => {
      emu.control.configure({ consistency: { listLagMs: 0 } });
      const share = await create();
      expect((await listShares()).map((s) => s.id)).toEqual([share.id]);
    });
  });

  test("long deleting and disassociating: timings.shareDeleteMs / recipientDisassociateMs hold the status that long (§7, §12.11)", async () => {
    emu.control.configure({ timings: { shareDeleteMs: 60_000, recipientDisassociateMs: 30_000 } });
    const share = await create();
    const [recipient] = await listRecipients(share.id);
    await emu.call("DELETE", `${sharesPath()}/${share.id}/recipients/${recipient.id}`);
    await emu.call("DELETE", `${sharesPath()}/${share.id}`);
    emu.clock.advance(29_999);
    expect((await emu.call<WireShare>("GET", `${sharesPath()}/${share.id}`)).body.result!.status).toBe("deleting");
    expect((await listRecipients(share.id))[0].association_status).toBe("disassociating");
    emu.clock.advance(1);
    expect((await listRecipients(share.id))[0].association_status).toBe("disassociated");
    emu.clock.advance(30_000);
    expect((await emu.call<WireShare>("GET", `${sharesPath()}/${share.id}`)).body.result!.status).toBe("deleted");
  });

  test("consistency.recipientResourceVersionLagMs: recipients report a resource's new version only after the lag (§4.2)", async () => {
    emu.control.configure({ consistency: { recipientResourceVersionLagMs: 2000 } });
    const share = await create();
    const [recipient] = await listRecipients(share.id);
    const recipientResources = async () =>
      (await emu.call<WireRecipient>("GET", `${sharesPath()}/${share.id}/recipients/${recipient.id}?include_resources=true`)).body.result!.resources!;
    expect(await recipientResources()).toEqual([]); // not yet propagated to the recipient
    emu.clock.advance(2000);
    const [resource] = await listResources(share.id);
    expect(await recipientResources()).toEqual([expect.objectContaining({ resource_id: resource.id, resource_version: 1 })]);
    await emu.call("PUT", `${sharesPath()}/${share.id}/resources/${resource.id}`, { body: { meta: { v: 2 } } });
    emu.clock.advance(500); // resourceUpdateMs: the share resource is at version 2 now
    expect((await listResources(share.id))[0].resource_version).toBe(2);
    expect((await recipientResources())[0].resource_version).toBe(1);
    emu.clock.advance(2000);
    expect((await recipientResources())[0].resource_version).toBe(2);
  });

  describe("behaviour.recipientAccountIdField: the account field of recipient answers (§4.2, §11)", () => {
    test.each([
      ["account_id", { account_id: PEER }, ["recipient_account_id"]],
      ["recipient_account_id", { recipient_account_id: PEER }, ["account_id"]],
      ["both", { account_id: PEER, recipient_account_id: PEER }, []],
    ] as const)("%s", async (field, present, absent) => {
      emu.control.configure({ behaviour: { recipientAccountIdField: field } });
      const share = await create();
      const [listed] = await listRecipients(share.id);
      const got = (await emu.call<WireRecipient>("GET", `${sharesPath()}/${share.id}/recipients/${listed.id}`)).body.result!;
      for (const answer of [listed, got]) {
        expect(answer).toMatchObject(present);
        for (const name of absent) expect(answer).not.toHaveProperty(name);
      }
      // The control surface always names the account.
      expect(emu.control.listRecipients(share.id)[0].account_id).toBe(PEER);
    });
  });

  test("behaviour.deprecatedAccountIdInput: 'reject' answers 400 naming account_id (as after the 2027-05-26 sunset, §3.1)", async () => {
    const share = await create();
    emu.control.configure({ behaviour: { deprecatedAccountIdInput: "reject" } });
    expectFailure(
      await emu.call("POST", `${sharesPath()}/${share.id}/recipients`, { body: { account_id: PEER2 } }),
      400,
      ERROR_CODES.invalidField,
      /^account_id: .*recipient_account_id/,
    );
    expectFailure(await emu.call("POST", sharesPath(), { body: shareBody("x", { recipients: [{ account_id: PEER }] }) }), 400, ERROR_CODES.invalidField, /recipients\[0\]\.account_id/);
    expect((await emu.call("POST", `${sharesPath()}/${share.id}/recipients`, { body: { recipient_account_id: PEER2 } })).status).toBe(201);
  });

  test("behaviour.duplicateRecipient: 'allow' adds a second live record of the same account", async () => {
    emu.control.configure({ behaviour: { duplicateRecipient: "allow" } });
    const share = await create();
    expect((await emu.call("POST", `${sharesPath()}/${share.id}/recipients`, { body: { recipient_account_id: PEER } })).status).toBe(201);
    expect((await listRecipients(share.id)).map((r) => r.account_id)).toEqual([PEER, PEER]);
  });

  test("behaviour.duplicateResource: 'allow' adds the same resource twice", async () => {
    emu.control.configure({ behaviour: { duplicateResource: "allow" } });
    const share = await create();
    expect((await emu.call("POST", `${sharesPath()}/${share.id}/resources`, { body: ruleset("r1") })).status).toBe(201);
    expect((await listResources(share.id)).map((r) => r.resource_id)).toEqual(["r1", "r1"]);
  });

  test("behaviour.createStatusCode: 200 applies to the recipient and resource creates too (§12.8)", async () => {
    emu.control.configure({ behaviour: { createStatusCode: 200 } });
    const share = await create();
    expect((await emu.call("POST", `${sharesPath()}/${share.id}/recipients`, { body: { recipient_account_id: PEER2 } })).status).toBe(200);
    expect((await emu.call("POST", `${sharesPath()}/${share.id}/resources`, { body: ruleset("r2") })).status).toBe(200);
  });

  test("trust-grant is a known resource type (§5, §12.5)", async () => {
    const share = await create("tg", { resources: [{ ...ruleset("t1"), resource_type: "trust-grant" }] });
    expect((await listResources(share.id))[0].resource_type).toBe("trust-grant");
  });
});
