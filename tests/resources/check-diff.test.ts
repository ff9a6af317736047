// check and diff of the three providers: pure functions that run during `pulumi preview`.
import shareProvider = require("../../provider/resources/share-provider");
import recipientProvider = require("../../provider/resources/share-recipient-provider");
import resourceProvider = require("../../provider/resources/share-resource-provider");
import { UNKNOWN } from "../../provider/resources/inputs";
import type { ShareOutputs } from "../../provider/resources/share-model";
import type { ShareRecipientOutputs } from "../../provider/resources/share-recipient-model";
import type { ShareResourceOutputs } from "../../provider/resources/share-resource-model";

const ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353";
const OTHER = "9a7806061c88ada191ed06f989cc3dac";
const SHARE = "3fd85f74b32742f1bff64a85009dda07";
const RULESET = "2f2feab2026849078ba485f918791bdc";

const validShare = () => ({
  accountId: ACCOUNT,
  name: "rules",
  recipients: [{ recipientAccountId: OTHER }],
  resources: [{ resourceType: "custom-ruleset", resourceId: RULESET, resourceAccountId: ACCOUNT, meta: { b: 1, a: [2] } }],
});

const shareState = (): ShareOutputs => ({
  accountId: ACCOUNT,
  name: "rules",
  recipients: [{ recipientAccountId: OTHER, id: "r1", associationStatus: "associated" }],
  resources: [{ resourceType: "custom-ruleset", resourceId: RULESET, resourceAccountId: ACCOUNT, meta: '{"a":[2],"b":1}', id: "x1", status: "active", resourceVersion: 1 }],
  recipientIds: ["r1"],
  resourceIds: ["x1"],
  status: "active",
  accountName: "Account",
  organizationId: "org",
  targetType: "account",
  kind: "sent",
  created: "2026-01-01T00:00:00Z",
  modified: "2026-01-01T00:00:00Z",
});

const failuresOf = async (provider: { check?: (o: any, n: any) => Promise<{ failures?: { property: string; reason: string }[] }> }, news: unknown) =>
  (await provider.check!({}, news)).failures ?? [];

describe("Share check", () => {
  it("accepts a valid share and stores meta as compact JSON with sorted keys", async () => {
    const result = await shareProvider.check!({} as never, validShare() as never);
    expect(result.failures).toBeUndefined();
    expect((result.inputs as any).resources[0].meta).toBe('{"a":[2],"b":1}');
  });

  it.each([
    ["accountId", { accountId: undefined }, /accountId is required/],
    ["accountId", { accountId: "x".repeat(33) }, /at most 32 characters/],
    ["accountId", { accountId: "not-hex!" }, /must be hexadecimal/],
    ["name", { name: "" }, /name must not be empty/],
    ["name", { name: 42 }, /name is required and must be a string/],
    ["recipients", { recipients: [] }, /at least one recipient/],
    ["resources", { resources: undefined }, /at least one resource/],
    ["recipients[0].organizationId", { recipients: [{ recipientAccountId: OTHER, organizationId: OTHER }] }, /exactly one of recipientAccountId .* not both/],
    ["recipients[0].recipientAccountId", { recipients: [{}] }, /exactly one of recipientAccountId/],
    ["recipients[1]", { recipients: [{ recipientAccountId: OTHER }, { recipientAccountId: OTHER }] }, /repeats recipients\[0\]/],
    ["resources[0].resourceId", { resources: [{ resourceType: "custom-ruleset", resourceId: "zz", resourceAccountId: ACCOUNT }] }, /must be hexadecimal/],
    ["resources[0].meta", { resources: [{ resourceType: "custom-ruleset", resourceId: RULESET, resourceAccountId: ACCOUNT, meta: "[1]" }] }, /must be a JSON object, got JSON an array/],
    ["resources[0].meta", { resources: [{ resourceType: "custom-ruleset", resourceId: RULESET, resourceAccountId: ACCOUNT, meta: "{nope" }] }, /not valid JSON/],
    ["timeouts.create", { timeouts: { create: "soon" } }, /must be a duration such as "30s"/],
    ["timeouts.forever", { timeouts: { forever: "1m" } }, /allowed keys are create, update, delete/],
    ["adopt", { adopt: "share-1" }, /must be hexadecimal/],
  ])("rejects a bad %s, naming the field and the rule", async (property, change, reason) => {
    const failures = await failuresOf(shareProvider, { ...validShare(), ...change });
    expect(failures).toEqual(expect.arrayContaining([expect.objectContaining({ property, reason: expect.stringMatching(reason) })]));
  });

  it("warns but accepts a resource type it does not know", async () => {
    const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
    const news = { ...validShare(), resources: [{ ...validShare().resources[0], resourceType: "zero-trust-list" }] };
    expect(await failuresOf(shareProvider, news)).toEqual([]);
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/resources\[0\]\.resourceType "zero-trust-list" is not one of the known resource types/));
    log.mockRestore();
  });

  it("knows trust-grant (§5, §12.5): no warning", async () => {
    const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
    const news = { ...validShare(), resources: [{ ...validShare().resources[0], resourceType: "trust-grant" }] };
    expect(await failuresOf(shareProvider, news)).toEqual([]);
    expect(log).not.toHaveBeenCalledWith(expect.stringMatching(/not one of the known resource types/));
    log.mockRestore();
  });

  it("lets values unknown during preview through untouched", async () => {
    const news = { ...validShare(), accountId: UNKNOWN, name: UNKNOWN, recipients: [{ recipientAccountId: UNKNOWN }], resources: UNKNOWN };
    const result = await shareProvider.check!({} as never, news as never);
    expect(result.failures).toBeUndefined();
    expect(result.inputs).toEqual(news);
  });
});

describe("Share diff", () => {
  const checked = async (news: object) => (await shareProvider.check!({} as never, { ...validShare(), ...news } as never)).inputs!;

  it("finds nothing to do when the program matches the state", async () => {
    expect(await shareProvider.diff!(SHARE, shareState(), await checked({}))).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });

  it("finds nothing to do when only the order of items or of meta keys changed", async () => {
    const state = { ...shareState(), recipients: [...shareState().recipients, { organizationId: OTHER, id: "r2", associationStatus: "associated" }] };
    const news = await checked({ recipients: [{ organizationId: OTHER }, { recipientAccountId: OTHER }], resources: [{ ...validShare().resources[0], meta: '{"b":1,"a":[2]}' }] });
    expect((await shareProvider.diff!(SHARE, state, news)).changes).toBe(false);
  });

  it("replaces the share when the account changes", async () => {
    expect(await shareProvider.diff!(SHARE, shareState(), await checked({ accountId: OTHER }))).toMatchObject({ changes: true, replaces: ["accountId"] });
  });

  it.each([
    ["a rename", { name: "renamed" }],
    ["an added recipient", { recipients: [{ recipientAccountId: OTHER }, { organizationId: ACCOUNT }] }],
    ["a removed recipient", { recipients: [{ organizationId: ACCOUNT }] }],
    ["a changed meta", { resources: [{ ...validShare().resources[0], meta: { a: 3 } }] }],
    ["a changed resource account", { resources: [{ ...validShare().resources[0], resourceAccountId: OTHER }] }],
    ["an added resource", { resources: [...validShare().resources, { resourceType: "gateway-policy", resourceId: OTHER, resourceAccountId: ACCOUNT }] }],
  ])("updates in place for %s, never replacing the share", async (_, change) => {
    expect(await shareProvider.diff!(SHARE, shareState(), await checked(change))).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("counts a change of timeouts (written to state by the update), ignores adopt", async () => {
    expect(await shareProvider.diff!(SHARE, shareState(), await checked({ timeouts: { delete: "20m" } }))).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect((await shareProvider.diff!(SHARE, shareState(), await checked({ adopt: SHARE }))).changes).toBe(false);
  });

  it.each([
    ["the share", (state: ShareOutputs) => ({ ...state, status: "deleting" })],
    ["a recipient", (state: ShareOutputs) => ({ ...state, recipients: state.recipients.map((r) => ({ ...r, associationStatus: "associating" })) })],
    ["a recipient with a terminal error", (state: ShareOutputs) => ({ ...state, recipients: state.recipients.map((r) => ({ ...r, terminalError: "Recipient is missing necessary entitlement" })) })],
    ["a resource", (state: ShareOutputs) => ({ ...state, resources: state.resources.map((r) => ({ ...r, status: "deleting" })) })],
    ["a resource not seen to reach its recipients", (state: ShareOutputs) => ({ ...state, resources: state.resources.map((r) => ({ ...r, propagated: false })) })],
  ])("counts %s that has not settled as a change (the update resumes the wait)", async (_what, unsettle) => {
    expect(await shareProvider.diff!(SHARE, unsettle(shareState()), await checked({}))).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("counts an inline resource as propagated when state says so or, as state written before the field existed, says nothing", async () => {
    const propagated = { ...shareState(), resources: shareState().resources.map((r) => ({ ...r, propagated: true })) };
    expect(shareState().resources[0]).not.toHaveProperty("propagated");
    expect(await shareProvider.diff!(SHARE, shareState(), await checked({}))).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    expect(await shareProvider.diff!(SHARE, propagated, await checked({}))).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });

  it("treats unknown values as changes: replace for the account, update for the rest", async () => {
    expect(await shareProvider.diff!(SHARE, shareState(), { ...validShare(), accountId: UNKNOWN } as never)).toMatchObject({ replaces: ["accountId"] });
    expect(await shareProvider.diff!(SHARE, shareState(), { ...validShare(), recipients: [{ recipientAccountId: UNKNOWN }] } as never)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });
});

describe("ShareRecipient check and diff", () => {
  const valid = { accountId: ACCOUNT, shareId: SHARE, recipientAccountId: OTHER };
  const state: ShareRecipientOutputs = { ...valid, associationStatus: "associated", recipientAccount: OTHER, resources: [], created: "c", modified: "m" };

  it.each([
    ["shareId", { shareId: "" }, /shareId is required/],
    ["organizationId", { organizationId: ACCOUNT }, /exactly one of .* not both/],
    ["recipientAccountId", { recipientAccountId: undefined }, /exactly one of recipientAccountId/],
    ["recipientAccountId", { recipientAccountId: "x" }, /must be hexadecimal/],
    ["timeouts.update", { timeouts: { update: "1m" } }, /allowed keys are create, delete/],
  ])("rejects a bad %s", async (property, change, reason) => {
    expect(await failuresOf(recipientProvider, { ...valid, ...change })).toEqual(
      expect.arrayContaining([expect.objectContaining({ property, reason: expect.stringMatching(reason) })]),
    );
  });

  it("has nothing to update in place: every target change replaces", async () => {
    expect(await recipientProvider.diff!("r1", state, valid)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: true });
    expect(await recipientProvider.diff!("r1", state, { ...valid, recipientAccountId: ACCOUNT })).toEqual({ changes: true, replaces: ["recipientAccountId"], deleteBeforeReplace: false });
    expect(await recipientProvider.diff!("r1", state, { ...valid, shareId: OTHER })).toMatchObject({ replaces: ["shareId"] });
    expect(await recipientProvider.diff!("r1", state, { ...valid, recipientAccountId: undefined, organizationId: OTHER })).toMatchObject({ replaces: ["recipientAccountId", "organizationId"] });
    expect(await recipientProvider.diff!("r1", state, { ...valid, recipientAccountId: UNKNOWN })).toMatchObject({ replaces: ["recipientAccountId"] });
  });

  it("deletes first when the replacement would add the same target to the same share", async () => {
    expect(await recipientProvider.diff!("r1", state, { ...valid, accountId: OTHER })).toEqual({ changes: true, replaces: ["accountId"], deleteBeforeReplace: true });
    // Also when the engine replaces it on its own (`--replace`, `replaceOnChanges`): it asks only then.
    expect(await recipientProvider.diff!("r1", state, valid)).toMatchObject({ deleteBeforeReplace: true });
  });

  it("replaces instead of recording new timeouts when the replaceOnChanges input names them", async () => {
    const newTimeouts = { ...valid, timeouts: { create: "4m" } };
    expect(await recipientProvider.diff!("r1", state, { ...newTimeouts, replaceOnChanges: ["timeouts"] })).toEqual({ changes: true, replaces: ["timeouts"], deleteBeforeReplace: true });
    expect(await recipientProvider.diff!("r1", state, { ...newTimeouts, replaceOnChanges: ["timeouts.create"] })).toMatchObject({ replaces: ["timeouts"] });
    expect(await recipientProvider.diff!("r1", state, { ...newTimeouts, replaceOnChanges: ["timeouts.delete"] })).toMatchObject({ replaces: [] });
    expect(await recipientProvider.diff!("r1", state, { ...valid, replaceOnChanges: ["*"] })).toEqual({ changes: false, replaces: [], deleteBeforeReplace: true });
  });

  it("resumes an unsettled recipient, records new timeouts, and replaces one with a terminal error", async () => {
    expect(await recipientProvider.diff!("r1", state, valid)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: true });
    expect(await recipientProvider.diff!("r1", { ...state, associationStatus: "associating" }, valid)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: true });
    expect(await recipientProvider.diff!("r1", state, { ...valid, timeouts: { delete: "20m" } })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: true });
    const terminal = { ...state, resources: [{ resourceId: RULESET, resourceVersion: 1, error: "Recipient is missing necessary entitlement", terminal: true }] };
    expect(await recipientProvider.diff!("r1", terminal, valid)).toEqual({ changes: true, replaces: ["recipientAccountId"], deleteBeforeReplace: true });
  });
});

describe("ShareResource check and diff", () => {
  const valid = { accountId: ACCOUNT, shareId: SHARE, resourceType: "custom-ruleset", resourceId: RULESET, resourceAccountId: ACCOUNT, meta: { z: 1, a: { y: 2, x: 1 } } };
  const state: ShareResourceOutputs = { ...valid, meta: '{"a":{"x":1,"y":2},"z":1}', status: "active", resourceVersion: 1, propagated: true, created: "c", modified: "m" };

  it("normalises meta given as an object or a string, and defaults it to {}", async () => {
    expect((await resourceProvider.check!({} as never, valid as never)).inputs!.meta).toBe('{"a":{"x":1,"y":2},"z":1}');
    expect((await resourceProvider.check!({} as never, { ...valid, meta: ' { "z":1, "a":{"x":1,"y":2} } ' } as never)).inputs!.meta).toBe('{"a":{"x":1,"y":2},"z":1}');
    expect((await resourceProvider.check!({} as never, { ...valid, meta: undefined } as never)).inputs!.meta).toBe("{}");
  });

  it.each([
    ["resourceType", { resourceType: "" }, /resourceType must not be empty/],
    ["resourceAccountId", { resourceAccountId: undefined }, /resourceAccountId is required/],
    ["meta", { meta: 5 }, /meta must be a JSON object/],
    ["meta", { meta: null }, /meta must be a JSON object/],
  ])("rejects a bad %s", async (property, change, reason) => {
    expect(await failuresOf(resourceProvider, { ...valid, ...change })).toEqual(
      expect.arrayContaining([expect.objectContaining({ property, reason: expect.stringMatching(reason) })]),
    );
  });

  it("updates meta in place and replaces on any other field", async () => {
    const news = async (change: object) => (await resourceProvider.check!({} as never, { ...valid, ...change } as never)).inputs!;
    expect(await resourceProvider.diff!("x1", state, await news({}))).toEqual({ changes: false, replaces: [], deleteBeforeReplace: true });
    expect(await resourceProvider.diff!("x1", state, await news({ meta: { a: 1 } }))).toEqual({ changes: true, replaces: [], deleteBeforeReplace: true });
    expect(await resourceProvider.diff!("x1", state, await news({ resourceId: OTHER }))).toEqual({ changes: true, replaces: ["resourceId"], deleteBeforeReplace: false });
    expect(await resourceProvider.diff!("x1", state, await news({ resourceType: "gateway-policy" }))).toMatchObject({ replaces: ["resourceType"] });
    expect(await resourceProvider.diff!("x1", state, await news({ shareId: OTHER }))).toMatchObject({ replaces: ["shareId"] });
    // Same object on the same share: the old one must go before the new one can be added.
    expect(await resourceProvider.diff!("x1", state, await news({ resourceAccountId: OTHER }))).toEqual({ changes: true, replaces: ["resourceAccountId"], deleteBeforeReplace: true });
    expect(await resourceProvider.diff!("x1", state, { ...valid, meta: UNKNOWN } as never)).toMatchObject({ changes: true, replaces: [] });
  });

  it("replaces instead of updating when the replaceOnChanges input names the change", async () => {
    const news = async (change: object) => (await resourceProvider.check!({} as never, { ...valid, ...change } as never)).inputs!;
    expect(await resourceProvider.diff!("x1", state, await news({ meta: { a: 1 }, replaceOnChanges: ["meta"] }))).toEqual({ changes: true, replaces: ["meta"], deleteBeforeReplace: true });
    // A path inside meta: only a change under it replaces.
    expect(await resourceProvider.diff!("x1", state, await news({ meta: { ...valid.meta, z: 2 }, replaceOnChanges: ["meta.z"] }))).toMatchObject({ replaces: ["meta"] });
    expect(await resourceProvider.diff!("x1", state, await news({ meta: { ...valid.meta, z: 2 }, replaceOnChanges: ["meta.a"] }))).toMatchObject({ replaces: [] });
    expect(await resourceProvider.diff!("x1", state, await news({ timeouts: { delete: "1m" }, replaceOnChanges: ["*"] }))).toMatchObject({ replaces: ["timeouts"] });
    // Another object as well: the new record does not clash with the old one, which may stay until it is made.
    expect(await resourceProvider.diff!("x1", state, await news({ resourceId: OTHER, meta: { a: 1 }, replaceOnChanges: ["meta"] }))).toEqual({ changes: true, replaces: ["resourceId", "meta"], deleteBeforeReplace: false });
  });

  it("resumes an unsettled resource and records new timeouts, in place", async () => {
    const news = (await resourceProvider.check!({} as never, valid as never)).inputs!;
    expect(await resourceProvider.diff!("x1", { ...state, status: "deleting" }, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: true });
    // Active, but not seen to reach its recipients: the update resumes that wait.
    expect(await resourceProvider.diff!("x1", { ...state, propagated: false }, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: true });
    // State written before `propagated` existed counts as propagated.
    const { propagated: _propagated, ...older } = state;
    expect(await resourceProvider.diff!("x1", older as never, news)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: true });
    expect(await resourceProvider.diff!("x1", state, { ...news, timeouts: { delete: "20m" } })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: true });
  });
});
