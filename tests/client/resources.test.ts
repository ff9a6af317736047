// One method per endpoint, checked against the emulator; the natural-key rules of each create's
// recovery, checked exactly against a scripted server.
import { FAST_TIMINGS, startEmulator, type RunningEmulator } from "../../emulator";
import type { RecipientObject, ResourceInput, ShareObject, ShareResourceObject } from "../../provider/client";
import { ACCOUNT, testClient } from "./helpers/client";
import { type ScriptedServer, ok, startScriptedServer } from "./helpers/scripted-server";

const RECIPIENT = "1111111111111111aaaaaaaaaaaaaaaa";
const OTHER = "2222222222222222bbbbbbbbbbbbbbbb";
const resource = (id: string): ResourceInput => ({ resource_type: "custom-ruleset", resource_id: id, resource_account_id: ACCOUNT, meta: {} });

describe("endpoints against the emulator", () => {
  let emu: RunningEmulator;
  beforeEach(async () => {
    emu = await startEmulator({ port: 0, settings: { timings: FAST_TIMINGS }, seed: 1 });
  });
  afterEach(() => emu.stop());

  it("reads a recipient's account from recipient_account_id when the answer has only that name (§4.2, §11)", async () => {
    emu.control.configure({ behaviour: { recipientAccountIdField: "recipient_account_id" } });
    const { client } = testClient(emu.url);
    const share = await client.shares.create(ACCOUNT, { name: "renamed field", recipients: [{ recipient_account_id: RECIPIENT }], resources: [resource("a".repeat(32))] });
    const [listed] = await client.recipients.listAll(ACCOUNT, share.id);
    expect(listed.account_id).toBe(RECIPIENT);
    const added = await client.recipients.create(ACCOUNT, share.id, { recipient_account_id: OTHER });
    expect(added.account_id).toBe(OTHER);
    expect((await client.recipients.get(ACCOUNT, share.id, added.id)).account_id).toBe(OTHER);
    expect((await client.recipients.delete(ACCOUNT, share.id, added.id)).account_id).toBe(OTHER);
  });

  it("covers the share, recipient, resource and organization endpoints", async () => {
    const { client } = testClient(emu.url);
    const share = await client.shares.create(ACCOUNT, { name: "first", recipients: [{ recipient_account_id: RECIPIENT }], resources: [resource("a".repeat(32)), resource("b".repeat(32))] });
    expect(share).toMatchObject({ name: "first", status: "active", account_id: ACCOUNT });
    expect((await client.shares.get(ACCOUNT, share.id, { include_resources: true })).resources).toHaveLength(2);
    expect((await client.shares.update(ACCOUNT, share.id, { name: "renamed" })).id).toBe(share.id);

    const recipients = await client.recipients.listAll(ACCOUNT, share.id);
    expect(recipients.map((r) => r.account_id)).toEqual([RECIPIENT]);
    const added = await client.recipients.create(ACCOUNT, share.id, { recipient_account_id: OTHER });
    expect((await client.recipients.get(ACCOUNT, share.id, added.id)).account_id).toBe(OTHER);
    expect((await client.recipients.delete(ACCOUNT, share.id, added.id)).association_status).toBe("disassociating");
    await expect(client.recipients.replaceAll(ACCOUNT, share.id, [{ recipient_account_id: RECIPIENT }])).resolves.toBeUndefined();

    const resources = await client.resources.listAll(ACCOUNT, share.id, { resource_type: "custom-ruleset" });
    expect(resources.map((r) => r.resource_id).sort()).toEqual(["a".repeat(32), "b".repeat(32)]);
    const third = await client.resources.create(ACCOUNT, share.id, resource("c".repeat(32)));
    expect((await client.resources.get(ACCOUNT, share.id, third.id)).resource_id).toBe("c".repeat(32));
    expect((await client.resources.update(ACCOUNT, share.id, third.id, { meta: { note: "x" } })).id).toBe(third.id);
    expect((await client.resources.delete(ACCOUNT, share.id, third.id)).status).toBe("deleting");

    const organizationId = emu.control.settings.accounts.defaultOrganizationId;
    expect((await client.organizations.listAllShares(organizationId)).map((s) => s.id)).toContain(share.id);
    expect((await client.shares.delete(ACCOUNT, share.id)).status).toBe("deleting");

    const puts = emu.control.requestLog().filter((e) => e.method === "PUT").map((e) => e.path.replace(/^\/client\/v4/, ""));
    expect(puts).toContain(`/accounts/${ACCOUNT}/shares/${share.id}/recipients`);
  });
});

describe("natural keys used by recovery", () => {
  let server: ScriptedServer;
  afterEach(() => server.close());

  const page = (items: unknown[]) => ok(items, { result_info: { page: 1, per_page: 100, count: items.length, total_pages: 1 } });
  const iso = (ms: number) => new Date(ms).toISOString();
  const now = Date.parse("2026-04-01T10:00:00Z");
  const res = (type: string, id: string) => ({ resource_type: type, resource_id: id }) as ShareResourceObject;
  const share = (id: string, name: string, created: number, extra: Partial<ShareObject> = {}) =>
    ({ id, name, created: iso(created), status: "active", kind: "sent", resources: [res("custom-ruleset", "r1"), res("gateway-policy", "p1")], ...extra }) as ShareObject;
  const body = { name: "edge", recipients: [{ recipient_account_id: RECIPIENT }], resources: [resource("r1"), { ...resource("p1"), resource_type: "gateway-policy" }] };

  const recipient = (id: string, account: string, status: string, created: number) =>
    ({ id, account_id: account, association_status: status, created: iso(created), modified: "" }) as RecipientObject;

  it("share: exact name, sent, not leaving, not too old, same resources and same recipients; oldest first; stops at the window's edge", async () => {
    // The lookup asks for newest first, as the API sorts for order=created&direction=desc.
    const recipientsOf: Record<string, RecipientObject[]> = {
      "match-newest": [recipient("a", RECIPIENT, "associating", now)],
      "match-older": [recipient("b", RECIPIENT, "associated", now), recipient("c", OTHER, "disassociated", now)],
      "other-recipients": [recipient("d", OTHER, "associated", now)],
      "extra-recipient": [recipient("e", RECIPIENT, "associated", now), recipient("f", OTHER, "associated", now)],
    };
    server = await startScriptedServer((request) => {
      const shareId = /\/shares\/([^/]+)\/recipients$/.exec(request.path)?.[1];
      if (shareId !== undefined) return page(recipientsOf[shareId] ?? []);
      return page([
        share("fewer-resources", "edge", now + 4000, { resources: [res("custom-ruleset", "r1")] }),
        share("received", "edge", now + 3000, { kind: "received" }),
        share("deleted", "edge", now + 2000, { status: "deleted" }),
        share("deleting", "edge", now + 1900, { status: "deleting" }),
        share("other-name", "Edge", now + 1000),
        share("match-newest", "edge", now + 900),
        share("other-recipients", "edge", now + 800),
        share("extra-recipient", "edge", now + 700),
        share("match-older", "edge", now + 500),
        share("too-old", "edge", now - 10_000),
        share("never-reached", "edge", now - 20_000, { resources: [res("custom-ruleset", "r1"), res("gateway-policy", "p1")] }),
      ]);
    });
    const { client } = testClient(server.url);
    const found = await client.shares.findByNaturalKey(ACCOUNT, body, now - 5000);
    expect(found.map((s) => s.id)).toEqual(["match-older", "match-newest"]);
    expect(await client.shares.findByNaturalKey(ACCOUNT, body, now + 950)).toEqual([]);
    expect(server.requests[0].rawQuery).toBe("kind=sent&include_resources=true&order=created&direction=desc&page=1&per_page=100");
    // Recipients are listed only for the shares that match on everything else.
    const listed = server.requests.filter((r) => r.path.endsWith("/recipients")).map((r) => r.path.split("/").slice(-2)[0]);
    expect(new Set(listed)).toEqual(new Set(["match-newest", "other-recipients", "extra-recipient", "match-older"]));
  });

  it("share: nothing when no candidate matches", async () => {
    server = await startScriptedServer(() => page([share("too-old", "edge", now - 10_000)]));
    const { client } = testClient(server.url);
    expect(await client.shares.findByNaturalKey(ACCOUNT, body, now - 5000)).toEqual([]);
  });

  it("recipient: same account (or organization), not leaving, not too old; oldest first", async () => {
    server = await startScriptedServer(() =>
      page([
        recipient("gone", OTHER, "disassociated", now + 9),
        recipient("leaving", OTHER, "disassociating", now + 8),
        recipient("someone-else", RECIPIENT, "associating", now + 7),
        recipient("older", OTHER, "associated", now),
        recipient("newest", OTHER, "associating", now + 5),
      ]),
    );
    const { client } = testClient(server.url);
    expect((await client.recipients.findByNaturalKey(ACCOUNT, "s1", { recipient_account_id: OTHER })).map((r) => r.id)).toEqual(["older", "newest"]);
    expect((await client.recipients.findByNaturalKey(ACCOUNT, "s1", { recipient_account_id: OTHER }, now + 1)).map((r) => r.id)).toEqual(["newest"]);
    expect(await client.recipients.findByNaturalKey(ACCOUNT, "s1", { organization_id: "f".repeat(32) })).toEqual([]);
  });

  it("resource: filtered by type, same resource id (whatever the owning account), not leaving", async () => {
    const item = (id: string, resourceId: string, status: string, owner = ACCOUNT) =>
      ({ id, resource_type: "custom-ruleset", resource_id: resourceId, resource_account_id: owner, status, created: iso(now) }) as ShareResourceObject;
    server = await startScriptedServer(() =>
      page([item("deleting", "r1", "deleting"), item("other-owner", "r1", "active", OTHER), item("other-id", "r2", "active"), item("match", "r1", "active")]),
    );
    const { client } = testClient(server.url);
    expect((await client.resources.findByNaturalKey(ACCOUNT, "s1", resource("r1"))).map((r) => r.id).sort()).toEqual(["match", "other-owner"]);
    expect(server.requests[0].query.get("resource_type")).toBe("custom-ruleset");
  });
});
