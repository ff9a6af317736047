// What the plugin answers to the engine's preview calls: the outputs a create or an update will
// have, from the inputs and the old state alone; and the stables of a diff.
import { previewCreate, previewUpdate, stableOutputs } from "../../provider/plugin/preview";
import { UNKNOWN } from "../../provider/resources/inputs";

const OWNER = "023e105f4ecef8ad9ca31a8372d0c353";
const PARTNER = "9a7806061c88ada191ed06f989cc3dac";
const OTHER = "b1946ac92492d2347c6235b4d2611184";
const RULESET = "2f2feab2026849078ba485f918791bdc";

const shareState = () => ({
  accountId: OWNER,
  name: "waf rules",
  recipients: [{ recipientAccountId: PARTNER, id: "r1", associationStatus: "associated" }],
  resources: [{ resourceType: "custom-ruleset", resourceId: RULESET, resourceAccountId: OWNER, meta: '{"tier":"gold"}', id: "x1", status: "active", resourceVersion: 1 }],
  recipientIds: ["r1"],
  resourceIds: ["x1"],
  status: "active",
  accountName: "Owner",
  organizationId: "org1",
  targetType: "account",
  kind: "sent",
  created: "2026-01-01T00:00:00Z",
  modified: "2026-01-01T00:00:00Z",
  ownerStack: "proj/dev",
});
const shareInputs = () => ({
  accountId: OWNER,
  name: "waf rules",
  recipients: [{ recipientAccountId: PARTNER }],
  resources: [{ resourceType: "custom-ruleset", resourceId: RULESET, resourceAccountId: OWNER, meta: '{"tier":"gold"}' }],
  ownerStack: "proj/dev",
});

describe("preview outputs", () => {
  it("a rename keeps every id, the items and the share's own fields known; only modified is unknown", () => {
    const olds = shareState();
    const predicted = previewUpdate("Share", olds, { ...shareInputs(), name: "renamed" });
    expect(predicted).toEqual({ ...olds, name: "renamed", modified: UNKNOWN });
    expect(stableOutputs("Share", olds, { ...shareInputs(), name: "renamed" }).sort()).toEqual(
      ["accountId", "accountName", "created", "kind", "organizationId", "ownerStack", "recipientIds", "recipients", "resourceIds", "resources", "status", "targetType"].sort(),
    );
  });

  it("an added inline recipient has an unknown id; the ones that stay keep theirs, first", () => {
    const predicted = previewUpdate("Share", shareState(), { ...shareInputs(), recipients: [{ recipientAccountId: OTHER }, { recipientAccountId: PARTNER }] });
    expect(predicted.recipients).toEqual([
      { recipientAccountId: PARTNER, id: "r1", associationStatus: "associated" },
      { recipientAccountId: OTHER, id: UNKNOWN, associationStatus: UNKNOWN },
    ]);
    expect(predicted.recipientIds).toEqual(["r1", UNKNOWN]);
    expect(predicted.modified).toBe("2026-01-01T00:00:00Z");
  });

  it("a recipient Cloudflare reported a terminal error for is re-added: its id is unknown", () => {
    const olds = { ...shareState(), recipients: [{ recipientAccountId: PARTNER, id: "r1", associationStatus: "associating", terminalError: "no" }] };
    expect(previewUpdate("Share", olds, shareInputs()).recipientIds).toEqual([UNKNOWN]);
  });

  it("a changed inline meta keeps the resource's id; its status and version are the API's to tell", () => {
    const news = { ...shareInputs(), resources: [{ ...shareInputs().resources[0], meta: '{"tier":"platinum"}' }] };
    const predicted = previewUpdate("Share", shareState(), news);
    expect(predicted.resourceIds).toEqual(["x1"]);
    expect(predicted.resources).toEqual([{ ...shareState().resources[0], meta: '{"tier":"platinum"}', status: UNKNOWN, resourceVersion: UNKNOWN }]);
    expect(stableOutputs("Share", shareState(), news)).toContain("resourceIds");
    expect(stableOutputs("Share", shareState(), news)).not.toContain("resources");
  });

  it("items not known yet make the lists unknown", () => {
    const predicted = previewUpdate("Share", shareState(), { ...shareInputs(), recipients: UNKNOWN });
    expect(predicted.recipients).toBe(UNKNOWN);
    expect(predicted.recipientIds).toBe(UNKNOWN);
    expect(predicted.resourceIds).toEqual(["x1"]);
  });

  it("a settled recipient's new timeouts change nothing else; an unsettled one's status is to come", () => {
    const olds = { accountId: OWNER, shareId: "s1", recipientAccountId: PARTNER, associationStatus: "associated", recipientAccount: PARTNER, resources: [], created: "c", modified: "m" };
    const news = { accountId: OWNER, shareId: "s1", recipientAccountId: PARTNER, timeouts: { create: "7m" } };
    expect(previewUpdate("ShareRecipient", olds, news)).toEqual({ ...olds, timeouts: { create: "7m" } });
    const waiting = previewUpdate("ShareRecipient", { ...olds, associationStatus: "associating" }, news);
    expect(waiting).toMatchObject({ associationStatus: UNKNOWN, modified: UNKNOWN, created: "c", recipientAccount: PARTNER });
  });

  it("a ShareResource's meta change: the new meta known, its status and version unknown", () => {
    const olds = { accountId: OWNER, shareId: "s1", resourceType: "custom-ruleset", resourceId: RULESET, resourceAccountId: OWNER, meta: "{}", status: "active", resourceVersion: 2, propagated: true, created: "c", modified: "m" };
    const predicted = previewUpdate("ShareResource", olds, { ...olds, meta: { b: 1, a: 2 } });
    expect(predicted).toMatchObject({ meta: '{"a":2,"b":1}', status: UNKNOWN, resourceVersion: UNKNOWN, modified: UNKNOWN, created: "c" });
    expect(stableOutputs("ShareResource", olds, { ...olds, meta: { b: 1, a: 2 } })).not.toContain("meta");
  });

  it("a create: the inputs known, what the API decides unknown", () => {
    // A Share's inline items keep what was declared, in the declared order; their ids and statuses are the API's.
    expect(previewCreate("Share", { ...shareInputs(), recipients: [{ recipientAccountId: PARTNER }, { recipientAccountId: OTHER }] })).toMatchObject({
      accountId: OWNER,
      name: "waf rules",
      recipients: [
        { recipientAccountId: PARTNER, id: UNKNOWN, associationStatus: UNKNOWN },
        { recipientAccountId: OTHER, id: UNKNOWN, associationStatus: UNKNOWN },
      ],
      resources: [{ resourceType: "custom-ruleset", resourceId: RULESET, resourceAccountId: OWNER, meta: '{"tier":"gold"}', id: UNKNOWN, status: UNKNOWN }],
      recipientIds: [UNKNOWN, UNKNOWN],
      status: UNKNOWN,
      created: UNKNOWN,
    });
    // Items the program does not know yet at preview: the lists are unknown.
    expect(previewCreate("Share", { ...shareInputs(), recipients: [{ recipientAccountId: UNKNOWN }] })).toMatchObject({ recipients: UNKNOWN, recipientIds: UNKNOWN });
    expect(previewCreate("ShareRecipient", { accountId: OWNER, shareId: UNKNOWN, recipientAccountId: PARTNER })).toEqual({
      accountId: OWNER,
      shareId: UNKNOWN,
      recipientAccountId: PARTNER,
      associationStatus: UNKNOWN,
      recipientAccount: UNKNOWN,
      resources: UNKNOWN,
      created: UNKNOWN,
      modified: UNKNOWN,
    });
  });
});
