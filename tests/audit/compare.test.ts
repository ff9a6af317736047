// The comparison: what counts as a live grant (the lifecycle tables), an undeclared share reported
// once with its items, and undeclared items of declared shares on their own.
import { noIds, undeclaredItems } from "../../provider/audit";
import type { DeclaredIds } from "../../provider/audit";
import type { RecipientObject, ShareObject, ShareResourceObject } from "../../provider/client/types";

const OWNER = "023e105f4ecef8ad9ca31a8372d0c353";
const SIBLING = "1679091c5a880faf6fb5e6087eb1b2dc";
const ORGANIZATION = "4f1c2d3e5a6b7c8d9e0fa1b2c3d4e5f6";
const PARTNER = "9a7806061c88ada191ed06f989cc3dac";
const CREATED = "2026-12-01T10:00:00Z";
const MODIFIED = "2026-12-02T10:00:00Z";

function share(id: string, status: ShareObject["status"], resources: ShareResourceObject[], accountId = OWNER): ShareObject {
  return { id, account_id: accountId, account_name: "acct", organization_id: ORGANIZATION, name: `share ${id}`, created: CREATED, modified: MODIFIED, status, target_type: "account", kind: "sent", resources };
}
function recipient(id: string, status: RecipientObject["association_status"], accountId = PARTNER): RecipientObject {
  return { id, account_id: accountId, association_status: status, created: CREATED, modified: MODIFIED };
}
function resource(id: string, status: ShareResourceObject["status"]): ShareResourceObject {
  return { id, resource_id: `object-${id}`, resource_account_id: OWNER, resource_type: "custom-ruleset", resource_version: 1, meta: {}, status, created: CREATED, modified: MODIFIED };
}
function declared(ids: Partial<Record<keyof DeclaredIds, string[]>>): DeclaredIds {
  const held = noIds();
  for (const kind of ["shares", "recipients", "resources"] as const) for (const id of ids[kind] ?? []) held[kind].add(id);
  return held;
}

describe("undeclaredItems", () => {
  const declaredShare = share("s1", "active", [resource("x1", "active"), resource("x2", "active"), resource("x3", "deleting"), resource("x4", "deleted")]);
  const recipientsOfDeclared = [recipient("r1", "associated"), recipient("r2", "associating", SIBLING), recipient("r3", "disassociating"), recipient("r4", "disassociated")];
  const live = { shares: [declaredShare], recipientsOf: new Map([["s1", recipientsOfDeclared]]), organizationIds: new Set([ORGANIZATION]) };

  it("is empty when the states hold every live item (gone items need not be held)", () => {
    expect(undeclaredItems(live, declared({ shares: ["s1"], recipients: ["r1", "r2"], resources: ["x1", "x2"] }))).toEqual([]);
  });

  it("lists each live item of a declared share that no state holds, with its share, status and dates", () => {
    expect(undeclaredItems(live, declared({ shares: ["s1"], recipients: ["r1"], resources: ["x1"] }))).toEqual([
      { kind: "recipient", shareId: "s1", shareName: "share s1", id: "r2", recipientAccountId: SIBLING, status: "associating", created: CREATED, modified: MODIFIED },
      {
        kind: "resource",
        shareId: "s1",
        shareName: "share s1",
        id: "x2",
        resourceType: "custom-ruleset",
        resourceId: "object-x2",
        resourceAccountId: OWNER,
        status: "active",
        created: CREATED,
        modified: MODIFIED,
      },
    ]);
  });

  it("reports an undeclared share once, carrying its live items, and names an organization recipient", () => {
    const outOfBand = share("s2", "active", [resource("y1", "active"), resource("y2", "deleted")]);
    const items = undeclaredItems(
      { ...live, shares: [declaredShare, outOfBand], recipientsOf: new Map([...live.recipientsOf, ["s2", [recipient("q1", "associated", ORGANIZATION), recipient("q2", "disassociated")]]]) },
      declared({ shares: ["s1"], recipients: ["r1", "r2"], resources: ["x1", "x2"] }),
    );
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: "share", id: "s2", shareId: "s2", name: "share s2", accountId: OWNER, status: "active", created: CREATED, modified: MODIFIED, via: "account" });
    expect(items[0]).toMatchObject({ recipients: [{ id: "q1", organizationId: ORGANIZATION, status: "associated" }], resources: [{ id: "y1", status: "active" }] });
  });

  it("does not report a share on its way out, nor anything on it", () => {
    const leaving = share("s3", "deleting", [resource("z1", "active")]);
    const gone = share("s4", "deleted", [resource("z2", "active")]);
    expect(undeclaredItems({ ...live, shares: [leaving, gone], recipientsOf: new Map([["s3", [recipient("p1", "associated")]]]) }, noIds())).toEqual([]);
  });

  it("with the organization's list: shares of other accounts no state holds, once, without items", () => {
    const sibling = share("o1", "active", [], SIBLING);
    const siblingDeclared = share("o2", "active", [], SIBLING);
    const siblingDeleted = share("o3", "deleted", [], SIBLING);
    const items = undeclaredItems(
      { ...live, organizationShares: [declaredShare, sibling, siblingDeclared, siblingDeleted] },
      declared({ shares: ["s1", "o2"], recipients: ["r1", "r2"], resources: ["x1", "x2"] }),
    );
    expect(items).toEqual([
      { kind: "share", id: "o1", shareId: "o1", name: "share o1", accountId: SIBLING, organizationId: ORGANIZATION, status: "active", targetType: "account", created: CREATED, modified: MODIFIED, via: "organization" },
    ]);
  });
});
