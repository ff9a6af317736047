// The plain lookups against the emulator: filters reach the API, every page is read, results are
// camelCase and named as the resources' outputs, errors are the client's typed errors.
import type { RunningEmulator } from "../../emulator";
import { NotFoundError } from "../../provider/client";
import { getShareWith, listOrganizationSharesWith, listShareRecipientsWith, listShareResourcesWith, listSharesWith, lookupContextFrom, uniqueById } from "../../provider/functions";
import { startProviderEnvironment, stopProviderEnvironment } from "../support/provider-env";

const OWNER = "023e105f4ecef8ad9ca31a8372d0c353";
const PARTNER = "9a7806061c88ada191ed06f989cc3dac";
const ORGANIZATION = "4f1c2d3e5a6b7c8d9e0fa1b2c3d4e5f6";
const hex = (n: number) => n.toString(16).padStart(32, "0");

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startProviderEnvironment();
});
afterAll(async () => stopProviderEnvironment(emulator));
beforeEach(() => emulator.control.reset());

function seed(name: string, options: { tags?: string[]; type?: string; resources?: number } = {}) {
  return emulator.control.seedShare({
    accountId: OWNER,
    name,
    tags: options.tags,
    recipients: [{ recipient_account_id: PARTNER }],
    resources: Array.from({ length: options.resources ?? 1 }, (_, i) => ({
      resource_type: options.type ?? "custom-ruleset",
      resource_id: hex(name.length * 1000 + i),
      resource_account_id: OWNER,
      meta: { b: 2, a: i },
    })),
    settled: true,
  });
}

describe("lookups", () => {
  it("getShare returns the share in camelCase, with its resources and recipient counts when asked", async () => {
    const { share, resources } = seed("waf", { resources: 2 });
    const found = await getShareWith(lookupContextFrom(), { accountId: OWNER, shareId: share.id, includeResources: true, includeRecipientCounts: true });
    expect(found).toMatchObject({ id: share.id, accountId: OWNER, name: "waf", status: "active", targetType: "account", organizationId: ORGANIZATION, associatedRecipientCount: 1, associatingRecipientCount: 0 });
    expect(found.shareResources?.map((r) => [r.id, r.shareId, r.meta, r.status])).toEqual(resources.map((r, i) => [r.id, share.id, `{"a":${i},"b":2}`, "active"]));
    const bare = await getShareWith(lookupContextFrom(), { accountId: OWNER, shareId: share.id });
    expect(bare.shareResources).toBeUndefined();
    expect(bare.associatedRecipientCount).toBeUndefined();
  });

  it("getShare of a share that does not exist throws the client's NotFoundError", async () => {
    await expect(getShareWith(lookupContextFrom(), { accountId: OWNER, shareId: hex(42) })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("listShares sends the filters and reads every page with an explicit page size", async () => {
    for (let i = 0; i < 105; i++) seed(`share ${i}`, { tags: i % 2 ? ["team=waf"] : ["team=dns"], type: i % 3 ? "custom-ruleset" : "gateway-policy" });
    emulator.control.clearLog();
    const all = await listSharesWith(lookupContextFrom(), { accountId: OWNER, kind: "sent" });
    expect(all.shares).toHaveLength(105);
    expect(new Set(all.shares.map((s) => s.id)).size).toBe(105);
    expect(emulator.control.requestLog().map((e) => [e.query.page, e.query.per_page])).toEqual([["1", "100"], ["2", "100"]]);

    const waf = await listSharesWith(lookupContextFrom(), { accountId: OWNER, tags: ["team=waf"], resourceTypes: ["gateway-policy"], order: "name", direction: "desc" });
    const expected = Array.from({ length: 105 }, (_, i) => i).filter((i) => i % 2 === 1 && i % 3 === 0).map((i) => `share ${i}`).sort().reverse();
    expect(waf.shares.map((s) => s.name)).toEqual(expected);
    const last = emulator.control.requestLog().at(-1)!;
    expect(last.query).toMatchObject({ tag: "team=waf", resource_types: "gateway-policy", order: "name", direction: "desc" });
  });

  it("listShareRecipients lists every recipient, removed ones too; listShareResources filters by status and type", async () => {
    const { share, recipients, resources } = seed("policy", { resources: 3 });
    emulator.control.removeRecipient(share.id, recipients[0].id);
    emulator.control.removeResource(share.id, resources[0].id);
    const listed = await listShareRecipientsWith(lookupContextFrom(), { accountId: OWNER, shareId: share.id, includeResources: true });
    expect(listed.recipients).toEqual([
      expect.objectContaining({ id: recipients[0].id, shareId: share.id, recipientAccount: PARTNER, associationStatus: expect.stringMatching(/^disassociat/) }),
    ]);
    const active = await listShareResourcesWith(lookupContextFrom(), { accountId: OWNER, shareId: share.id, status: "active" });
    expect(active.shareResources.map((r) => r.id)).toEqual(resources.slice(1).map((r) => r.id));
    const policies = await listShareResourcesWith(lookupContextFrom(), { accountId: OWNER, shareId: share.id, resourceType: "gateway-policy" });
    expect(policies.shareResources).toEqual([]);
  });

  it("listOrganizationShares reads the organization's list", async () => {
    const { share } = seed("org-wide");
    const listed = await listOrganizationSharesWith(lookupContextFrom(), { organizationId: ORGANIZATION });
    expect(listed.shares.map((s) => s.id)).toEqual([share.id]);
    expect(emulator.control.requestLog().at(-1)!.path).toBe(`/client/v4/organizations/${ORGANIZATION}/shares`);
  });

  it("an item that moved onto the next page while the pages were read is returned once", () => {
    expect(uniqueById([{ id: "a" }, { id: "b" }, { id: "a" }, { id: "c" }])).toEqual([{ id: "a" }, { id: "b" }, { id: "c" }]);
  });
});
