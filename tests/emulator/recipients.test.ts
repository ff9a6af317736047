// Recipients (§2 #6–#10; §3.6–§3.10; §4.2; §7): fields, statuses, soft delete, PUT list, errors.

import type { RecipientObject, ShareObject } from "../../provider/client/types";
import { ERROR_CODES } from "../../emulator";
import { HEX32, OWNER, PEER, PEER2, TIMESTAMP, type TestEmulator, expectFailure, ruleset, shareBody, sharesPath, startTestEmulator } from "./helpers";

const ORG = "0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f";
const FOREIGN = "d0000000000000000000000000000004";

describe("recipients", () => {
  let emu: TestEmulator;
  let share: ShareObject;
  let base: string;
  beforeEach(async () => {
    emu = await startTestEmulator({
      accounts: { defaultOrganizationId: ORG, accounts: { [FOREIGN]: { name: "Foreign", organizationId: "9".repeat(32) } } },
    });
    share = (await emu.call<ShareObject>("POST", sharesPath(), { body: shareBody() })).body.result!;
    base = `${sharesPath()}/${share.id}/recipients`;
  });
  afterEach(() => emu.stop());

  const list = async (query = "") => (await emu.call<RecipientObject[]>("GET", `${base}${query}`)).body.result!;

  test("the recipient object has every §4.2 field; input fields are not echoed", async () => {
    const [recipient] = await list();
    expect(recipient).toEqual({
      id: expect.stringMatching(HEX32),
      account_id: PEER,
      association_status: "associating",
      created: expect.stringMatching(TIMESTAMP),
      modified: expect.stringMatching(TIMESTAMP),
    });
  });

  test("POST recipient answers 201 with an associating recipient that becomes associated (§3.7, §7)", async () => {
    const reply = await emu.call<RecipientObject>("POST", base, { body: { recipient_account_id: PEER2 } });
    expect(reply.status).toBe(201);
    expect(reply.body.result).toMatchObject({ account_id: PEER2, association_status: "associating" });
    const id = reply.body.result!.id;
    emu.clock.advance(999);
    expect((await emu.call<RecipientObject>("GET", `${base}/${id}`)).body.result!.association_status).toBe("associating");
    emu.clock.advance(1);
    const settled = (await emu.call<RecipientObject>("GET", `${base}/${id}`)).body.result!;
    expect(settled.association_status).toBe("associated");
    expect(settled.modified).not.toBe(settled.created);
    expect(emu.control.history(id)).toEqual([
      { status: "associating", at: emu.clock.ms - 1000 },
      { status: "associated", at: emu.clock.ms },
    ]);
  });

  test("the deprecated account_id body field is an alias of recipient_account_id (§3.1)", async () => {
    const reply = await emu.call<RecipientObject>("POST", base, { body: { account_id: PEER2 } });
    expect(reply.status).toBe(201);
    expect(reply.body.result!.account_id).toBe(PEER2);
  });

  test("a recipient account of another organization → 400 (§3.7)", async () => {
    expectFailure(await emu.call("POST", base, { body: { recipient_account_id: FOREIGN } }), 400, ERROR_CODES.organizationMismatch, /same organization/);
    expectFailure(await emu.call("POST", base, { body: { organization_id: "9".repeat(32) } }), 400, ERROR_CODES.organizationMismatch);
  });

  test("both recipient_account_id and organization_id → 400 (bothRecipientTargets: reject)", async () => {
    expectFailure(await emu.call("POST", base, { body: { recipient_account_id: PEER2, organization_id: ORG } }), 400, ERROR_CODES.invalidField, /organization_id/);
  });

  test("a duplicate live recipient → 409; after disassociated the account can be added again", async () => {
    const [existing] = await list();
    expectFailure(await emu.call("POST", base, { body: { recipient_account_id: PEER } }), 409, ERROR_CODES.conflict);
    await emu.call("DELETE", `${base}/${existing.id}`);
    expectFailure(await emu.call("POST", base, { body: { recipient_account_id: PEER } }), 409, ERROR_CODES.conflict); // still disassociating
    emu.clock.advance(1000);
    const again = await emu.call<RecipientObject>("POST", base, { body: { recipient_account_id: PEER } });
    expect(again.status).toBe(201);
    expect(again.body.result!.id).not.toBe(existing.id);
    expect((await list()).map((r) => r.association_status)).toEqual(["disassociated", "associating"]);
  });

  test("DELETE recipient is a soft delete: disassociating → disassociated, still listed (§3.10)", async () => {
    emu.clock.advance(1000);
    const [recipient] = await list();
    const del = await emu.call<RecipientObject>("DELETE", `${base}/${recipient.id}`);
    expect(del.status).toBe(200);
    expect(del.body.result!.association_status).toBe("disassociating");
    emu.clock.advance(1000);
    expect((await emu.call<RecipientObject>("GET", `${base}/${recipient.id}`)).body.result!.association_status).toBe("disassociated");
    expect((await list()).map((r) => r.id)).toEqual([recipient.id]);
    // Deleting again returns it unchanged.
    const again = await emu.call<RecipientObject>("DELETE", `${base}/${recipient.id}`);
    expect(again.body.result).toEqual((await emu.call<RecipientObject>("GET", `${base}/${recipient.id}`)).body.result);
    expect(emu.control.history(recipient.id).map((c) => c.status)).toEqual(["associating", "associated", "disassociating", "disassociated"]);
  });

  test("all four association_status values show in the list (§5)", async () => {
    const [first] = await list();
    await emu.call("POST", base, { body: { recipient_account_id: PEER2 } });
    emu.clock.advance(1000); // both associated
    await emu.call("DELETE", `${base}/${first.id}`);
    emu.clock.advance(1000); // first disassociated
    const third = (await emu.call<RecipientObject>("POST", base, { body: { recipient_account_id: "e".repeat(32) } })).body.result!;
    await emu.call("POST", base, { body: { recipient_account_id: "f".repeat(32) } });
    await emu.call("DELETE", `${base}/${third.id}`);
    expect((await list()).map((r) => r.association_status)).toEqual(["disassociated", "associated", "disassociating", "associating"]);
  });

  test("include_resources: one entry per non-deleted share resource with version, error and terminal (§4.2)", async () => {
    const second = (await emu.call<{ id: string }>("POST", `${sharesPath()}/${share.id}/resources`, { body: ruleset("r2") })).body.result!;
    const resources = emu.control.listResources(share.id);
    const [recipient] = await list("?include_resources=true");
    expect(recipient.resources).toEqual(resources.map((r) => ({ resource_id: r.id, resource_version: 1, error: "", terminal: false })));
    await emu.call("DELETE", `${sharesPath()}/${share.id}/resources/${second.id}`);
    emu.clock.advance(1000);
    const got = (await emu.call<RecipientObject>("GET", `${base}/${recipient.id}?include_resources=true`)).body.result!;
    expect(got.resources!.map((r) => r.resource_id)).toEqual([resources[0].id]);
    expect((await emu.call<RecipientObject>("GET", `${base}/${recipient.id}`)).body.result).not.toHaveProperty("resources");
  });

  test("an injected non-terminal error keeps the recipient associating until cleared (§4.2)", async () => {
    emu.control.injectRecipientError({ accountId: PEER2, error: "Recipient is missing necessary entitlement", terminal: false });
    const added = (await emu.call<RecipientObject>("POST", base, { body: { recipient_account_id: PEER2 } })).body.result!;
    emu.clock.advance(5000);
    const blocked = (await emu.call<RecipientObject>("GET", `${base}/${added.id}?include_resources=true`)).body.result!;
    expect(blocked.association_status).toBe("associating");
    expect(blocked.resources![0]).toMatchObject({ error: "Recipient is missing necessary entitlement", terminal: false });
    // The PEER recipient (not matched) associated normally.
    expect((await list()).find((r) => r.account_id === PEER)!.association_status).toBe("associated");
    emu.control.clearRecipientErrors();
    emu.clock.advance(1000);
    const cleared = (await emu.call<RecipientObject>("GET", `${base}/${added.id}?include_resources=true`)).body.result!;
    expect(cleared.association_status).toBe("associated");
    expect(cleared.resources![0]).toMatchObject({ error: "", terminal: false });
  });

  test("a terminal error stays after clearRecipientErrors (never retried, §4.2)", async () => {
    emu.control.injectRecipientError({ shareId: share.id, error: "fatal", terminal: true });
    emu.clock.advance(1000);
    const [recipient] = await list("?include_resources=true");
    expect(recipient.association_status).toBe("associating");
    expect(recipient.resources![0]).toMatchObject({ error: "fatal", terminal: true });
    emu.control.clearRecipientErrors();
    emu.clock.advance(5000);
    expect((await list())[0].association_status).toBe("associating");
  });

  test("an error for one shared object is on that object's entry only, also for an object added later (§4.2)", async () => {
    emu.clock.advance(1000);
    emu.control.injectRecipientError({ accountId: PEER, resourceId: "r2", error: "Recipient is missing necessary entitlement", terminal: true });
    const added = (await emu.call<{ id: string }>("POST", `${sharesPath()}/${share.id}/resources`, { body: ruleset("r2") })).body.result!;
    emu.clock.advance(1000);
    const [recipient] = await list("?include_resources=true");
    // The recipient stays associated: the default reading of §7.
    expect(recipient.association_status).toBe("associated");
    expect(recipient.resources!.map((entry) => [entry.resource_id === added.id, entry.error, entry.terminal])).toEqual([
      [false, "", false],
      [true, "Recipient is missing necessary entitlement", true],
    ]);
  });

  test("with recipientOnNewResource `reassociates`, an associated recipient is associating while a new object reaches it, and stays so with an error for it", async () => {
    emu.control.configure({ behaviour: { recipientOnNewResource: "reassociates" }, consistency: { recipientResourceVersionLagMs: 500 } });
    await emu.call("POST", base, { body: { recipient_account_id: PEER2 } });
    emu.clock.advance(1000);
    expect((await list()).map((r) => r.association_status)).toEqual(["associated", "associated"]);
    emu.control.injectRecipientError({ accountId: PEER2, resourceId: "r2", error: "fatal", terminal: true });
    await emu.call("POST", `${sharesPath()}/${share.id}/resources`, { body: ruleset("r2") });
    expect((await list()).map((r) => r.association_status)).toEqual(["associating", "associating"]);
    emu.clock.advance(1000);
    const after = await list("?include_resources=true");
    expect(after.map((r) => r.association_status)).toEqual(["associated", "associating"]);
    expect(after[1].resources![1]).toMatchObject({ error: "fatal", terminal: true });
  });

  test("PUT recipients takes a bare array, answers 204 with no body and replaces the list (§3.8)", async () => {
    emu.clock.advance(1000);
    const [old] = await list();
    const reply = await emu.call("PUT", base, { body: [{ recipient_account_id: PEER2 }, { account_id: "e".repeat(32) }] });
    expect(reply.status).toBe(204);
    expect(reply.text).toBe("");
    const after = await list();
    expect(after.map((r) => [r.account_id, r.association_status])).toEqual([
      [PEER, "disassociating"],
      [PEER2, "associating"],
      ["e".repeat(32), "associating"],
    ]);
    expect(after[0].id).toBe(old.id);
    // Keeping a recipient leaves it alone.
    emu.clock.advance(1000);
    await emu.call("PUT", base, { body: [{ recipient_account_id: PEER2 }] });
    expect((await list()).map((r) => r.association_status)).toEqual(["disassociated", "associated", "disassociating"]);
  });

  test("PUT recipients on an organization-targeted share → 400; so does POST recipient (§3.7, §3.8)", async () => {
    const orgShare = (await emu.call<ShareObject>("POST", sharesPath(), { body: shareBody("org", { recipients: [{}] }) })).body.result!;
    const orgBase = `${sharesPath()}/${orgShare.id}/recipients`;
    expectFailure(await emu.call("PUT", orgBase, { body: [{ recipient_account_id: PEER }] }), 400, ERROR_CODES.invalidState, /organization/);
    expectFailure(await emu.call("POST", orgBase, { body: { recipient_account_id: PEER } }), 400, ERROR_CODES.invalidState);
    const [orgRecipient] = (await emu.call<RecipientObject[]>("GET", orgBase)).body.result!;
    expect(orgRecipient.account_id).toBe(ORG); // organizationRecipientAccountId: "organization"
  });

  test("organizationRecipientAccountId: owner puts the owner account id in account_id", async () => {
    emu.control.configure({ behaviour: { organizationRecipientAccountId: "owner" } });
    const orgShare = (await emu.call<ShareObject>("POST", sharesPath(), { body: shareBody("org", { recipients: [{ organization_id: ORG }] }) })).body.result!;
    const [recipient] = (await emu.call<RecipientObject[]>("GET", `${sharesPath()}/${orgShare.id}/recipients`)).body.result!;
    expect(recipient.account_id).toBe(OWNER);
  });

  test("PUT recipients with a non-array body → 400", async () => {
    expectFailure(await emu.call("PUT", base, { body: { recipient_account_id: PEER } }), 400, ERROR_CODES.malformedBody, /array/);
  });

  test("unknown recipient → 404 / 1004", async () => {
    expectFailure(await emu.call("GET", `${base}/${"0".repeat(32)}`), 404, ERROR_CODES.notFound);
    expectFailure(await emu.call("DELETE", `${base}/${"0".repeat(32)}`), 404, ERROR_CODES.notFound);
  });
});
