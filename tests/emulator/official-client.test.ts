// The official `cloudflare` npm client (7.3.0) against the emulator: every resource-sharing method it has.

import Cloudflare from "cloudflare";
import type { RunningEmulator } from "../../emulator";
import { startEmulator } from "../../emulator";
import { HEX32, OWNER, PEER, PEER2, TIMESTAMP } from "./helpers";

const SHARE_FIELDS = ["id", "account_id", "account_name", "organization_id", "name", "created", "modified", "status", "target_type"];
const RECIPIENT_FIELDS = ["id", "account_id", "association_status", "created", "modified"];
const RESOURCE_FIELDS = ["id", "resource_id", "resource_account_id", "resource_type", "resource_version", "meta", "status", "created", "modified"];

const waitUntil = async (check: () => Promise<boolean>, timeoutMs = 5000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe("official cloudflare client", () => {
  let emulator: RunningEmulator;
  let client: Cloudflare;
  beforeAll(async () => {
    const quick = [10, 30] as const;
    emulator = await startEmulator({
      seed: 3,
      settings: {
        timings: {
          recipientAssociateMs: quick,
          recipientDisassociateMs: quick,
          shareDeleteMs: quick,
          resourceDeleteMs: quick,
          shareUpdateMs: quick,
          resourceUpdateMs: quick,
        },
      },
    });
    client = new Cloudflare({ apiToken: "official-client-token", baseURL: emulator.url, maxRetries: 0 });
  });
  afterAll(() => emulator.stop());

  test("shares: create, get, list, update, delete", async () => {
    const created = await client.resourceSharing.create({
      account_id: OWNER,
      name: "official",
      recipients: [{ recipient_account_id: PEER }],
      resources: [{ resource_type: "custom-ruleset", resource_id: "r1", resource_account_id: OWNER, meta: {} }],
    });
    expect(Object.keys(created)).toEqual(expect.arrayContaining(SHARE_FIELDS));
    expect(created.id).toMatch(HEX32);
    expect(created.created).toMatch(TIMESTAMP);
    expect(created.status).toBe("active");

    const got = await client.resourceSharing.get(created.id, { account_id: OWNER, include_resources: true, include_recipient_counts: true });
    expect(got.resources![0]).toEqual(expect.objectContaining({ resource_id: "r1", resource_version: 1 }));
    expect(got.associating_recipient_count! + got.associated_recipient_count!).toBe(1);

    const listed = [];
    for await (const share of client.resourceSharing.list({ account_id: OWNER, per_page: 100 })) listed.push(share);
    expect(listed.map((s) => s.id)).toContain(created.id);

    const updated = await client.resourceSharing.update(created.id, { account_id: OWNER, name: "renamed" });
    expect(updated.name).toBe("renamed");
    await waitUntil(async () => (await client.resourceSharing.get(created.id, { account_id: OWNER })).name === "renamed");

    const deleted = await client.resourceSharing.delete(created.id, { account_id: OWNER });
    expect(deleted.status).toBe("deleting");
    await waitUntil(async () => (await client.resourceSharing.get(created.id, { account_id: OWNER })).status === "deleted");
  });

  test("recipients: create (path_account_id + recipient_account_id), list, get, delete", async () => {
    const share = await client.resourceSharing.create({
      account_id: OWNER,
      name: "r",
      recipients: [{ recipient_account_id: PEER }],
      resources: [{ resource_type: "gateway-policy", resource_id: "p1", resource_account_id: OWNER, meta: { x: 1 } }],
    });
    const recipient = await client.resourceSharing.recipients.create(share.id, { path_account_id: OWNER, recipient_account_id: PEER2 });
    expect(Object.keys(recipient)).toEqual(expect.arrayContaining(RECIPIENT_FIELDS));
    expect(recipient).toMatchObject({ account_id: PEER2, association_status: "associating" });

    const listed = [];
    for await (const r of client.resourceSharing.recipients.list(share.id, { account_id: OWNER, per_page: 50, include_resources: true })) listed.push(r);
    expect(listed.map((r) => r.account_id)).toEqual([PEER, PEER2]);
    expect(listed[0].resources![0]).toEqual({ resource_id: expect.stringMatching(HEX32), resource_version: 1, error: "", terminal: false });

    await waitUntil(
      async () => (await client.resourceSharing.recipients.get(recipient.id, { account_id: OWNER, share_id: share.id })).association_status === "associated",
    );
    const removed = await client.resourceSharing.recipients.delete(recipient.id, { account_id: OWNER, share_id: share.id });
    expect(removed.association_status).toBe("disassociating");
    await waitUntil(
      async () =>
        (await client.resourceSharing.recipients.get(recipient.id, { account_id: OWNER, share_id: share.id, include_resources: true }))
          .association_status === "disassociated",
    );
  });

  test("resources: create, list, get, update, delete", async () => {
    const share = await client.resourceSharing.create({
      account_id: OWNER,
      name: "res",
      recipients: [{}],
      resources: [{ resource_type: "custom-ruleset", resource_id: "keep", resource_account_id: OWNER, meta: {} }],
    });
    const created = await client.resourceSharing.resources.create(share.id, {
      account_id: OWNER,
      resource_type: "gateway-destination-ip",
      resource_id: "d1",
      resource_account_id: OWNER,
      meta: { a: 1 },
    });
    expect(Object.keys(created)).toEqual(expect.arrayContaining(RESOURCE_FIELDS));

    const listed = [];
    for await (const r of client.resourceSharing.resources.list(share.id, { account_id: OWNER, per_page: 10, resource_type: "gateway-destination-ip" })) listed.push(r);
    expect(listed.map((r) => r.id)).toEqual([created.id]);

    const got = await client.resourceSharing.resources.get(created.id, { account_id: OWNER, share_id: share.id });
    expect(got).toEqual(created);

    const updated = await client.resourceSharing.resources.update(created.id, { account_id: OWNER, share_id: share.id, meta: { a: 2 } });
    expect(updated.meta).toEqual({ a: 2 });
    await waitUntil(async () => (await client.resourceSharing.resources.get(created.id, { account_id: OWNER, share_id: share.id })).resource_version === 2);

    const deleted = await client.resourceSharing.resources.delete(created.id, { account_id: OWNER, share_id: share.id });
    expect(deleted.status).toBe("deleting");
  });

  test("errors surface as the client's typed API errors with Cloudflare codes", async () => {
    const missing = client.resourceSharing.get("0".repeat(32), { account_id: OWNER });
    await expect(missing).rejects.toBeInstanceOf(Cloudflare.NotFoundError);
    await expect(missing).rejects.toMatchObject({ status: 404, errors: [expect.objectContaining({ code: 1004 })] });
    const anonymous = new Cloudflare({ apiToken: "x", baseURL: emulator.url, maxRetries: 0, defaultHeaders: { Authorization: null } });
    await expect(anonymous.resourceSharing.list({ account_id: OWNER, per_page: 5 })).rejects.toMatchObject({ status: 401 });
  });

  test("auto-pagination: explicit per_page walks every share once; without it the client repeats items (§8 quirk)", async () => {
    const account = "e0000000000000000000000000000005";
    // Its own organization, so the organization shares of the other tests are not received by it.
    emulator.control.configure({ accounts: { accounts: { [account]: { name: "Pager", organizationId: "5".repeat(32) } } } });
    for (let i = 0; i < 25; i++) emulator.control.seedShare({ accountId: account, name: `p${i}`, resources: [{ resource_type: "custom-ruleset", resource_id: "r", resource_account_id: account, meta: {} }] });
    const withPerPage: string[] = [];
    for await (const share of client.resourceSharing.list({ account_id: account, per_page: 10 })) withPerPage.push(share.id);
    expect(withPerPage).toHaveLength(25);
    expect(new Set(withPerPage).size).toBe(25);
    const withoutPerPage: string[] = [];
    for await (const share of client.resourceSharing.list({ account_id: account })) withoutPerPage.push(share.id);
    expect(withoutPerPage).toHaveLength(30);
    expect(new Set(withoutPerPage).size).toBe(25);
  });
});
