// The providers against the emulator over TCP, with the emulator's timings compressed.
import shareProvider = require("../../provider/resources/share-provider");
import recipientProvider = require("../../provider/resources/share-recipient-provider");
import resourceProvider = require("../../provider/resources/share-resource-provider");
import type { RunningEmulator } from "../../emulator";
import { ResourceInitError } from "../../provider/resources/common";
import type { ShareResourceOutputs } from "../../provider/resources/share-resource-model";
import type { ShareInputs, ShareOutputs } from "../../provider/resources/share-model";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { recipientNaturalKey, shareNaturalKey } from "../../provider/client/natural-keys";
import { JOURNAL_DIR_ENV, writeEntry } from "../../provider/resources/journal";
import { endOfOperation } from "../../provider/resources/hand-over";
import { forgetObjectsMadeHere } from "../../provider/resources/ownership";
import { pause, readsSettleMs, startProviderEnvironment, stopProviderEnvironment, TEST_TOKEN } from "../support/provider-env";

const OWNER = "023e105f4ecef8ad9ca31a8372d0c353";
const PARTNER_A = "9a7806061c88ada191ed06f989cc3dac";
const PARTNER_B = "b1946ac92492d2347c6235b4d2611184";
const PARTNER_C = "7d793037a0760186574b0282f2f435e7";
const RULESET_1 = "2f2feab2026849078ba485f918791bdc";
const RULESET_2 = "e4da3b7fbbce2345d7772b0674a318d5";

let emulator: RunningEmulator;
beforeEach(async () => {
  emulator = await startProviderEnvironment();
});
afterEach(async () => stopProviderEnvironment(emulator));

async function checked<T>(provider: { check?: (olds: any, news: any) => Promise<{ inputs?: any; failures?: unknown[] }> }, news: T): Promise<T> {
  const result = await provider.check!({}, news);
  expect(result.failures).toBeUndefined();
  return result.inputs as T;
}

const shareInputs = (change: Partial<ShareInputs> = {}): ShareInputs => ({
  accountId: OWNER,
  name: "waf rules",
  recipients: [{ recipientAccountId: PARTNER_A }, { recipientAccountId: PARTNER_B }],
  resources: [
    { resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: OWNER, meta: { tier: "gold" } },
    { resourceType: "custom-ruleset", resourceId: RULESET_2, resourceAccountId: OWNER, meta: {} },
  ],
  ...change,
});

const writes = () => emulator.control.requestLog().filter((entry) => entry.method !== "GET");

async function createShare(change: Partial<ShareInputs> = {}) {
  const inputs = await checked(shareProvider, shareInputs(change));
  const created = await shareProvider.create(inputs);
  return { inputs, id: created.id, outs: created.outs as ShareOutputs };
}

describe("Share provider", () => {
  it("create returns only once the share is active, every recipient associated and every resource active", async () => {
    const { id, outs } = await createShare();
    expect(outs.status).toBe("active");
    expect(outs.recipients.map((r) => [r.recipientAccountId, r.associationStatus])).toEqual([[PARTNER_A, "associated"], [PARTNER_B, "associated"]]);
    expect(outs.resources.map((r) => [r.resourceId, r.status, r.meta])).toEqual([[RULESET_1, "active", '{"tier":"gold"}'], [RULESET_2, "active", "{}"]]);
    expect(outs.recipientIds).toHaveLength(2);
    expect(outs).toMatchObject({ accountId: OWNER, name: "waf rules", kind: "sent", targetType: "account" });
    expect(outs.accountName).toEqual(expect.any(String));
    // What the outputs claim is what the emulator has.
    const server = emulator.control.listRecipients(id);
    expect(server.every((r) => r.association_status === "associated")).toBe(true);
    expect(writes().map((e) => e.method)).toEqual(["POST"]);
  });

  it("update renames in place and waits until the new name is visible", async () => {
    const { id, inputs, outs } = await createShare();
    emulator.control.clearLog();
    const updated = (await shareProvider.update!(id, outs, { ...inputs, name: "renamed" })).outs as ShareOutputs;
    expect(updated.name).toBe("renamed");
    expect(emulator.control.getShare(id)?.name).toBe("renamed");
    expect(writes().map((e) => `${e.method} ${e.path.split("/").slice(-2).join("/")}`)).toEqual([`PUT shares/${id}`]);
  });

  it("reconciles inline recipients and resources through the sub-resource endpoints, keeping the share id", async () => {
    const { id, inputs, outs } = await createShare();
    const removedRecipient = outs.recipients.find((r) => r.recipientAccountId === PARTNER_B)!;
    emulator.control.clearLog();
    const news = await checked(shareProvider, {
      ...inputs,
      recipients: [{ recipientAccountId: PARTNER_A }, { recipientAccountId: PARTNER_C }],
      resources: [{ resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: OWNER, meta: { tier: "platinum" } }],
    });
    const updated = (await shareProvider.update!(id, outs, news)).outs as ShareOutputs;

    expect(updated.recipients.map((r) => [r.recipientAccountId, r.associationStatus])).toEqual([[PARTNER_A, "associated"], [PARTNER_C, "associated"]]);
    expect(updated.resources.map((r) => [r.resourceId, r.meta])).toEqual([[RULESET_1, '{"tier":"platinum"}']]);
    const calls = writes().map((e) => `${e.method} ${e.path.replace(`/client/v4/accounts/${OWNER}/shares/${id}`, "")}`).sort();
    expect(calls).toEqual(
      [`DELETE /recipients/${removedRecipient.id}`, `DELETE /resources/${outs.resources[1].id}`, "POST /recipients", `PUT /resources/${outs.resources[0].id}`].sort(),
    );
    // The removed recipient is soft-deleted, and ended disassociated before update returned.
    expect(emulator.control.listRecipients(id).find((r) => r.id === removedRecipient.id)?.association_status).toBe("disassociated");
    // Its history, not a list: under a profile whose lists trail writes, a list may not show it yet.
    expect(emulator.control.history(outs.resources[1].id).map((change) => change.status)).toContain("deleted");
  });

  it("never touches a separately declared ShareRecipient on the same share", async () => {
    const { id, inputs, outs } = await createShare();
    const separate = await recipientProvider.create(await checked(recipientProvider, { accountId: OWNER, shareId: id, recipientAccountId: PARTNER_C }));
    const updated = (await shareProvider.update!(id, outs, { ...inputs, recipients: [{ recipientAccountId: PARTNER_A }] })).outs as ShareOutputs;
    expect(updated.recipients.map((r) => r.recipientAccountId)).toEqual([PARTNER_A]);
    expect(emulator.control.listRecipients(id).find((r) => r.id === separate.id)?.association_status).toBe("associated");
    // And a refresh of the Share does not claim it either.
    const read = await shareProvider.read!(id, updated);
    expect((read.props as ShareOutputs).recipients.map((r) => r.id)).not.toContain(separate.id);
  });

  it("delete waits until the share is deleted and its recipients disassociated", async () => {
    const { id, outs } = await createShare();
    await shareProvider.delete!(id, outs);
    expect(emulator.control.getShare(id)?.status ?? "gone").toMatch(/deleted|gone/);
    // (Purged already when the wait outlasted the retention: then nothing of it is left.)
    if (emulator.control.getShare(id)) expect(emulator.control.listRecipients(id).every((r) => r.association_status === "disassociated")).toBe(true);
    // Deleting again (e.g. after a lost response) is not an error.
    await expect(shareProvider.delete!(id, outs)).resolves.toBeUndefined();
  });

  it("read sees drift: an out-of-band rename, a removed recipient and changed meta", async () => {
    const { id, outs } = await createShare();
    emulator.control.renameShare(id, "renamed elsewhere");
    emulator.control.removeRecipient(id, outs.recipients[1].id);
    emulator.control.setResourceMeta(id, outs.resources[0].id, { tier: "bronze" });
    await pause(Math.max(200, readsSettleMs(emulator))); // let the emulator's compressed update and removal settle
    const read = await shareProvider.read!(id, outs);
    const props = read.props as ShareOutputs;
    expect(read.id).toBe(id);
    expect(props.name).toBe("renamed elsewhere");
    expect(props.recipients.map((r) => r.recipientAccountId)).toEqual([PARTNER_A]);
    expect(props.resources[0].meta).toBe('{"tier":"bronze"}');
    expect((read.inputs as unknown as ShareInputs).recipients).toEqual([{ recipientAccountId: PARTNER_A }]);
    // The next diff against the program finds the repair to make.
    expect((await shareProvider.diff!(id, props, await checked(shareProvider, shareInputs()))).changes).toBe(true);
  });

  it("read drops a share deleted out of band from state (empty id)", async () => {
    const { id, outs } = await createShare();
    emulator.control.purgeShare(id);
    await pause(readsSettleMs(emulator)); // lists that trail writes still show it for a while
    expect(await shareProvider.read!(id, outs)).toEqual({ id: "" });
  });

  it("a terminal recipient error fails fast with the server's reason, keeping the share in state", async () => {
    emulator.control.injectRecipientError({ accountId: PARTNER_B, error: "Recipient is missing necessary entitlement", terminal: true });
    const inputs = await checked(shareProvider, shareInputs());
    const failure = await shareProvider.create(inputs).then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(ResourceInitError);
    const error = failure as ResourceInitError;
    expect(error.message).toMatch(new RegExp(`account ${PARTNER_B}.*Recipient is missing necessary entitlement`));
    expect(emulator.control.getShare(error.id)?.status).toBe("active");
    expect((error.properties.recipients as { id: string }[]).length).toBe(2);
  });

  it("a timeout yields the partial-failure error carrying the id; the next update resumes and finishes", async () => {
    emulator.control.configure({ timings: { recipientAssociateMs: 1500 } });
    const inputs = await checked(shareProvider, shareInputs({ timeouts: { create: "300ms" } }));
    const error = (await shareProvider.create(inputs).catch((e: unknown) => e)) as ResourceInitError;
    expect(error).toBeInstanceOf(ResourceInitError);
    // The recipients' wait, or (when lists trail the create) the wait for the share's items to show.
    expect(error.message).toMatch(/timeout while waiting for .* to become '(associated|complete)'/);
    expect(emulator.control.listShares(OWNER)).toHaveLength(1);
    const resumed = (await shareProvider.update!(error.id, error.properties as unknown as ShareOutputs, inputs)).outs as ShareOutputs;
    expect(resumed.recipients.every((r) => r.associationStatus === "associated")).toBe(true);
    expect(emulator.control.listShares(OWNER)).toHaveLength(1);
    expect(writes().filter((e) => e.method === "POST")).toHaveLength(1);
  });

  it("adopts an existing share by id, taking over what matches and adding what is missing", async () => {
    const seeded = emulator.control.seedShare({
      accountId: OWNER,
      name: "made by hand",
      recipients: [{ recipient_account_id: PARTNER_A }],
      resources: [{ resource_type: "custom-ruleset", resource_id: RULESET_1, resource_account_id: OWNER, meta: { tier: "gold" } }],
      settled: true,
    });
    await pause(readsSettleMs(emulator)); // an existing share, not one made a moment ago
    const inputs = await checked(shareProvider, shareInputs({ adopt: seeded.share.id }));
    const created = await shareProvider.create(inputs);
    const outs = created.outs as ShareOutputs;
    expect(created.id).toBe(seeded.share.id);
    expect(outs.name).toBe("waf rules");
    expect(outs.recipients.find((r) => r.recipientAccountId === PARTNER_A)?.id).toBe(seeded.recipients[0].id);
    expect(outs.recipients).toHaveLength(2);
    expect(outs.resources.find((r) => r.resourceId === RULESET_1)?.id).toBe(seeded.resources[0].id);
    expect(emulator.control.listShares(OWNER)).toHaveLength(1);
  });

  it("refuses to adopt a share that does not exist", async () => {
    const inputs = await checked(shareProvider, shareInputs({ adopt: "00000000000000000000000000000000" }));
    await expect(shareProvider.create(inputs)).rejects.toThrow(/cannot adopt share 00000000000000000000000000000000: it does not exist/);
    expect(writes()).toHaveLength(0);
  });
});

describe("ShareRecipient provider", () => {
  it("creates, waits for associated, and on delete waits for disassociated", async () => {
    const { id: shareId } = await createShare();
    const inputs = await checked(recipientProvider, { accountId: OWNER, shareId, recipientAccountId: PARTNER_C });
    const created = await recipientProvider.create(inputs);
    expect(created.outs).toMatchObject({ associationStatus: "associated", recipientAccount: PARTNER_C });
    await recipientProvider.delete!(created.id, created.outs!);
    expect(emulator.control.listRecipients(shareId).find((r) => r.id === created.id)?.association_status).toBe("disassociated");
    // Gone for refresh: an empty id drops it from state.
    expect(await recipientProvider.read!(created.id, created.outs!)).toEqual({ id: "" });
  });

  it("fails fast on a terminal error, with the server's reason, keeping the id", async () => {
    const { id: shareId } = await createShare();
    emulator.control.injectRecipientError({ accountId: PARTNER_C, error: "Recipient account is suspended", terminal: true });
    const inputs = await checked(recipientProvider, { accountId: OWNER, shareId, recipientAccountId: PARTNER_C });
    const error = (await recipientProvider.create(inputs).catch((e: unknown) => e)) as ResourceInitError;
    expect(error).toBeInstanceOf(ResourceInitError);
    expect(error.message).toMatch(/recipient \w+ \(account 7d793037a0760186574b0282f2f435e7\) of share \w+ failed: Recipient account is suspended/);
    expect(error.id).toMatch(/^[0-9a-f]{32}$/);
  });

  it("adopts an existing recipient, refusing one for another account", async () => {
    const { id: shareId, outs } = await createShare();
    const existing = outs.recipients[0];
    const adopted = await recipientProvider.create(await checked(recipientProvider, { accountId: OWNER, shareId, recipientAccountId: PARTNER_A, adopt: existing.id }));
    expect(adopted.id).toBe(existing.id);
    await expect(
      recipientProvider.create(await checked(recipientProvider, { accountId: OWNER, shareId, recipientAccountId: PARTNER_C, adopt: existing.id })),
    ).rejects.toThrow(/cannot adopt .*: it is for account 9a7806061c88ada191ed06f989cc3dac, declared account 7d793037a0760186574b0282f2f435e7/);
  });
});

describe("ShareResource provider", () => {
  const resourceInputs = (shareId: string, change: object = {}) => ({
    accountId: OWNER, shareId, resourceType: "gateway-policy", resourceId: PARTNER_C, resourceAccountId: OWNER, meta: '{"b":2,"a":1}', ...change,
  });

  it("creates active, updates meta in place and waits until it is visible, deletes until deleted", async () => {
    const { id: shareId } = await createShare();
    const inputs = await checked(resourceProvider, resourceInputs(shareId));
    const created = await resourceProvider.create(inputs);
    expect(created.outs).toMatchObject({ status: "active", meta: '{"a":1,"b":2}' });
    const news = await checked(resourceProvider, resourceInputs(shareId, { meta: { a: 9 } }));
    const updated = await resourceProvider.update!(created.id, created.outs!, news);
    expect(updated.outs).toMatchObject({ meta: '{"a":9}', status: "active" });
    expect(emulator.control.listResources(shareId).find((r) => r.id === created.id)?.meta).toEqual({ a: 9 });
    await resourceProvider.delete!(created.id, updated.outs!);
    expect(emulator.control.listResources(shareId).find((r) => r.id === created.id)?.status ?? "gone").toMatch(/deleted|gone/);
  });

  it("sees meta drift on read, and an out-of-band removal as gone", async () => {
    const { id: shareId } = await createShare();
    const created = await resourceProvider.create(await checked(resourceProvider, resourceInputs(shareId)));
    emulator.control.setResourceMeta(shareId, created.id, { changed: true });
    await pause(Math.max(150, readsSettleMs(emulator)));
    const read = await resourceProvider.read!(created.id, created.outs!);
    expect(read.props).toMatchObject({ meta: '{"changed":true}' });
    emulator.control.removeResource(shareId, created.id);
    await pause(Math.max(150, readsSettleMs(emulator))); // past the read-reuse window: a refresh reads each object once, this test twice
    expect(await resourceProvider.read!(created.id, created.outs!)).toEqual({ id: "" });
  });

  it("a terminal error reaching a recipient fails with the reason, is stored as not propagated, and the resume fails with it again, writing nothing", async () => {
    const { id: shareId } = await createShare();
    emulator.control.injectRecipientError({ accountId: PARTNER_B, error: "Recipient is missing necessary entitlement", terminal: true });
    const inputs = await checked(resourceProvider, resourceInputs(shareId));
    const error = (await resourceProvider.create(inputs).catch((e: unknown) => e)) as ResourceInitError;
    expect(error).toBeInstanceOf(ResourceInitError);
    expect(error.message).toMatch(new RegExp(`reaching its recipients failed: Recipient is missing necessary entitlement \\(recipient \\w+, account ${PARTNER_B}\\)`));
    expect(error.properties).toMatchObject({ status: "active", propagated: false });
    const stored = error.properties as unknown as ShareResourceOutputs;
    expect(await resourceProvider.diff!(error.id, stored, inputs)).toMatchObject({ changes: true, replaces: [] });
    emulator.control.clearLog();
    const resumed = (await resourceProvider.update!(error.id, stored, inputs).catch((e: unknown) => e)) as ResourceInitError;
    expect(resumed).toBeInstanceOf(ResourceInitError);
    expect(resumed.message).toMatch(/Recipient is missing necessary entitlement/);
    expect(resumed.properties).toMatchObject({ propagated: false });
    expect(writes()).toEqual([]);
  });

  it("never puts the token in errors", async () => {
    const { id: shareId } = await createShare();
    const error = await resourceProvider.create(await checked(resourceProvider, resourceInputs(shareId, { resourceType: "not-a-type" }))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(JSON.stringify({ message: (error as Error).message, ...(error as object) })).not.toContain(TEST_TOKEN);
  });
});

describe("ownership: only adopt, or proof that this very resource made it, takes an existing object over", () => {
  const STACK = "proj/dev";
  const URN = "urn:pulumi:dev::proj::cloudflare-sharing:index:Share::waf";
  const OWNER_OF = { stack: STACK, urn: URN };
  const owned = { ownerStack: STACK, ownerUrn: URN };
  let journalDir: string;
  beforeEach(() => {
    journalDir = fs.mkdtempSync(path.join(os.tmpdir(), "sharing-journal-"));
    process.env[JOURNAL_DIR_ENV] = journalDir;
  });
  afterEach(() => {
    delete process.env[JOURNAL_DIR_ENV];
    fs.rmSync(journalDir, { recursive: true, force: true });
  });

  const seedLikeShareInputs = (recipients = [PARTNER_A, PARTNER_B]) =>
    emulator.control.seedShare({
      accountId: OWNER,
      name: "waf rules",
      recipients: recipients.map((id) => ({ recipient_account_id: id })),
      resources: [
        { resource_type: "custom-ruleset", resource_id: RULESET_1, resource_account_id: OWNER, meta: { tier: "gold" } },
        { resource_type: "custom-ruleset", resource_id: RULESET_2, resource_account_id: OWNER, meta: {} },
      ],
      settled: true,
    });
  const createBody = (inputs: ShareInputs) => ({
    name: inputs.name,
    recipients: inputs.recipients!.map((r) => ({ recipient_account_id: r.recipientAccountId })),
    resources: inputs.resources!.map((r) => ({ resource_type: r.resourceType, resource_id: r.resourceId, resource_account_id: r.resourceAccountId, meta: {} })),
  });
  const journalFiles = () => fs.readdirSync(journalDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());

  it("a Share create never takes over a matching share nothing shows is its own (another stack's): it creates its own", async () => {
    const other = seedLikeShareInputs();
    const { id, inputs, outs } = await createShare(owned);
    expect(id).not.toBe(other.share.id);
    expect(emulator.control.listShares(OWNER).map((s) => s.status)).toEqual(["active", "active"]);
    expect(writes().map((e) => e.method)).toEqual(["POST"]);
    // The create handed the id to the engine: its entry is marked so, and removed when the engine ends
    // the operation in order (a later resource of the same URN, a replacement or a new stack that took
    // a renamed one's name, must never find it).
    expect(journalFiles().filter((file) => file.name.endsWith(".json"))).toHaveLength(1);
    endOfOperation();
    expect(journalFiles()).toEqual([]);
    await shareProvider.diff!(id, outs, inputs);
    expect(journalFiles()).toEqual([]);
  });

  it("an entry handed to an engine that was then killed (no orderly end) still lets the same resource recover its object", async () => {
    const first = await createShare(owned);
    // The engine died before its checkpoint: the next run (a new provider process) of the same resource creates again.
    forgetObjectsMadeHere();
    const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
    const again = await createShare(owned);
    log.mockRestore();
    expect(again.id).toBe(first.id);
    expect(emulator.control.listShares(OWNER)).toHaveLength(1);
    endOfOperation();
    expect(journalFiles()).toEqual([]);
  });

  it("a Share create takes over the share an interrupted run of this resource created (its journal entry has the id)", async () => {
    const landed = seedLikeShareInputs();
    await pause(readsSettleMs(emulator)); // the interrupted run was a while ago, not a moment ago
    writeEntry(OWNER_OF, { kind: "share", key: shareNaturalKey(OWNER, createBody(shareInputs())), startedAt: Date.now() - 1_000, id: landed.share.id });
    const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
    const { id, outs } = await createShare(owned);
    expect(id).toBe(landed.share.id);
    expect(outs.recipients.map((r) => r.id).sort()).toEqual(landed.recipients.map((r) => r.id).sort());
    expect(emulator.control.listShares(OWNER)).toHaveLength(1);
    expect(writes()).toEqual([]);
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/this resource created it in an interrupted run .*\(its journal entry says so\).*taking it over/));
    log.mockRestore();
    // Shown back by the engine (a read): the entry is gone.
    await shareProvider.read!(id, outs);
    expect(journalFiles()).toEqual([]);
  });

  it.each([
    ["another stack's", { stack: "proj/ci", urn: URN.replace("dev::", "ci::") }, {}],
    ["another resource's (renamed without an alias)", { stack: STACK, urn: URN.replace("::waf", "::waf-renamed") }, {}],
    ["another backend's (same project, stack and URN)", OWNER_OF, { PULUMI_BACKEND_URL: "file:///somewhere/else" }],
  ])("%s journal entry is never used", async (_, entryOwner, entryEnv) => {
    const landed = seedLikeShareInputs();
    const saved = { ...process.env };
    Object.assign(process.env, entryEnv);
    writeEntry(entryOwner, { kind: "share", key: shareNaturalKey(OWNER, createBody(shareInputs())), startedAt: Date.now() - 1_000, id: landed.share.id });
    process.env = saved;
    const { id } = await createShare(owned);
    expect(id).not.toBe(landed.share.id);
    expect(emulator.control.listShares(OWNER)).toHaveLength(2);
  });

  it("a create that fails with the object kept in state hands its id over too: no entry is left to take it over later", async () => {
    emulator.control.injectRecipientError({ accountId: PARTNER_B, error: "Recipient is missing necessary entitlement", terminal: true });
    const error = await shareProvider.create(await checked(shareProvider, shareInputs(owned))).then(() => undefined, (failure: unknown) => failure);
    emulator.control.clearRecipientErrors();
    expect(error).toBeInstanceOf(ResourceInitError);
    endOfOperation();
    expect(journalFiles()).toEqual([]);
  });

  it("an entry is ended by any resource, of any stack, that shows its object back: then no other may take it over", async () => {
    const { id, inputs, outs } = await createShare();
    // Another stack's resource, killed before its engine recorded this very share, left an entry naming it.
    const theirs = { stack: "proj/ci", urn: URN.replace("dev::", "ci::") };
    writeEntry(theirs, { kind: "share", key: shareNaturalKey(OWNER, createBody(shareInputs())), startedAt: Date.now() - 1_000, id });
    expect(journalFiles().length).toBeGreaterThan(0);
    // This share's own resource (with no journal owner of its own) is shown back by its engine.
    await shareProvider.diff!(id, outs, inputs);
    expect(journalFiles()).toEqual([]);
  });

  it("a create whose inputs name no resource (no ownerUrn) keeps no journal at all", async () => {
    await createShare({ ownerStack: STACK });
    expect(journalFiles()).toEqual([]);
  });

  it("an entry without id (no response arrived): the one matching share made since is taken over; two are an error naming both", async () => {
    const key = shareNaturalKey(OWNER, createBody(shareInputs()));
    writeEntry(OWNER_OF, { kind: "share", key, startedAt: Date.now() - 1_000 });
    const first = seedLikeShareInputs();
    jest.spyOn(console, "log").mockImplementation(() => undefined);
    expect((await createShare(owned)).id).toBe(first.share.id);

    writeEntry(OWNER_OF, { kind: "share", key, startedAt: Date.now() - 1_000 });
    const second = seedLikeShareInputs();
    const message = await shareProvider.create(await checked(shareProvider, shareInputs(owned))).then(() => "created", (error: Error) => error.message);
    jest.restoreAllMocks();
    expect(message).toContain(`adopt: "${first.share.id}"`);
    expect(message).toContain(`adopt: "${second.share.id}"`);
    expect(emulator.control.listShares(OWNER)).toHaveLength(2);
  });

  it("a ShareRecipient create that gets 409 fails naming the recipient, its status and the adopt line; nothing is taken over", async () => {
    const { id: shareId, outs } = await createShare();
    const message = await recipientProvider
      .create(await checked(recipientProvider, { accountId: OWNER, shareId, recipientAccountId: PARTNER_A }))
      .then(() => "created", (error: Error) => error.message);
    const existing = outs.recipients[0].id;
    expect(message).toContain(`the recipient account ${PARTNER_A} of share ${shareId} already exists as ${existing} (status associated`);
    expect(message).toContain(`add \`adopt: "${existing}"\` to this ShareRecipient's arguments`);
    expect(emulator.control.listRecipients(shareId).filter((r) => r.account_id === PARTNER_A)).toHaveLength(1);
  });

  it("creates on one share look for a live holder with the waits' looks, not with a list each", async () => {
    const { id: shareId } = await createShare();
    emulator.control.clearLog();
    const partners = [PARTNER_C, "c4ca4238a0b923820dcc509a6f75849b", "c81e728d9d4c2f636f067f89cc14862c"];
    const rulesets = ["eccbc87e4b5ce2fe28308fd9f2a7baf3", "a87ff679a2f3e71d9181a67b7542122c", "e4da3b7fbbce2345d7772b0674a318d6"];
    await Promise.all([
      ...partners.map(async (partner) => recipientProvider.create(await checked(recipientProvider, { accountId: OWNER, shareId, recipientAccountId: partner }))),
      ...rulesets.map(async (ruleset) =>
        resourceProvider.create(await checked(resourceProvider, { accountId: OWNER, shareId, resourceType: "custom-ruleset", resourceId: ruleset, resourceAccountId: OWNER, meta: {} })),
      ),
    ]);
    const gets = emulator.control.requestLog().filter((entry) => entry.method === "GET");
    // The holder look of old: a plain recipient list or a resource list per create.
    const plainLists = gets.filter((entry) => /\/(recipients|resources)$/.test(entry.path) && entry.query.include_resources === undefined);
    expect(plainLists).toEqual([]);
  });

  it("a holder another client added since the share was last listed is found, on an API that accepts duplicates", async () => {
    emulator.control.configure({ behaviour: { duplicateRecipient: "allow" } });
    const { id: shareId } = await createShare(); // its create listed the share's recipients
    const added = await fetch(`${emulator.url}/accounts/${OWNER}/shares/${shareId}/recipients`, {
      method: "POST",
      headers: { Authorization: `Bearer ${TEST_TOKEN}`, "Content-Type": "application/json" },
      body: JSON.stringify({ recipient_account_id: PARTNER_C }),
      signal: AbortSignal.timeout(5000),
    });
    const holder = ((await added.json()) as { result: { id: string } }).result.id;
    await pause(readsSettleMs(emulator));
    const message = await recipientProvider
      .create(await checked(recipientProvider, { accountId: OWNER, shareId, recipientAccountId: PARTNER_C }))
      .then(() => "created", (error: Error) => error.message);
    expect(message).toContain(`already exists as ${holder}`);
    expect(emulator.control.listRecipients(shareId).filter((r) => r.account_id === PARTNER_C)).toHaveLength(1);
  });

  it("a ShareResource create that gets 409 fails naming the share resource and the adopt line", async () => {
    const { id: shareId, outs } = await createShare();
    const inputs = await checked(resourceProvider, { accountId: OWNER, shareId, resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: OWNER, meta: { tier: "silver" } });
    const message = await resourceProvider.create(inputs).then(() => "created", (error: Error) => error.message);
    expect(message).toContain(`custom-ruleset ${RULESET_1} on share ${shareId} already exists as ${outs.resources[0].id} (status active`);
    expect(message).toContain(`adopt: "${outs.resources[0].id}"`);
    expect(emulator.control.listResources(shareId).find((r) => r.id === outs.resources[0].id)?.meta).toEqual({ tier: "gold" });
  });

  it("a ShareRecipient interrupted in this resource's create (journal entry) is taken over on its 409-free retry", async () => {
    const { id: shareId } = await createShare();
    const landed = emulator.control.listRecipients(shareId)[0];
    const body = { recipient_account_id: PARTNER_A };
    writeEntry(OWNER_OF, { kind: "recipient", key: JSON.stringify([OWNER, shareId, recipientNaturalKey(body)]), startedAt: Date.now() - 1_000, id: landed.id });
    jest.spyOn(console, "log").mockImplementation(() => undefined);
    const created = await recipientProvider.create(await checked(recipientProvider, { accountId: OWNER, shareId, recipientAccountId: PARTNER_A, ...owned }));
    jest.restoreAllMocks();
    expect(created.id).toBe(landed.id);
    expect(writes().filter((e) => e.path.endsWith("/recipients"))).toEqual([]);
  });

  it("adopt hands nothing over in memory: a delete removes what its state holds, in one run as in two", async () => {
    const { id: shareId, outs } = await createShare();
    const existing = outs.recipients[0].id;
    jest.spyOn(console, "log").mockImplementation(() => undefined);
    const adopted = await recipientProvider.create(await checked(recipientProvider, { accountId: OWNER, shareId, recipientAccountId: PARTNER_A, adopt: existing }));
    expect(adopted.id).toBe(existing);
    // The delete of a resource whose state holds the id removes it, whoever adopted it in this process:
    // what a delete may remove is decided by state alone (an alias, or retainOnDelete, keeps an object).
    await recipientProvider.delete!(existing, adopted.outs!);
    jest.restoreAllMocks();
    expect(emulator.control.listRecipients(shareId).find((r) => r.id === existing)?.association_status).toBe("disassociated");
  });
});
