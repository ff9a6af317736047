// `exclusive: true` on a Share, provider by provider against the emulator: check refuses a flag that is
// not a boolean with no request; read records every live item the Share does not declare (every page);
// diff reports and names them; update removes only them; a non-exclusive Share's state is as before.
import shareProvider = require("../../provider/resources/share-provider");
import recipientProvider = require("../../provider/resources/share-recipient-provider");
import resourceProvider = require("../../provider/resources/share-resource-provider");
import type { RunningEmulator } from "../../emulator";
import { withCallContext } from "../../provider/call-context";
import { CloudflareSharingClient } from "../../provider/client";
import type { ShareInputs, ShareOutputs } from "../../provider/resources/share-model";
import { pause, readsSettleMs, startProviderEnvironment, stopProviderEnvironment, TEST_TOKEN } from "../support/provider-env";

const OWNER = "023e105f4ecef8ad9ca31a8372d0c353";
const PARTNER_A = "9a7806061c88ada191ed06f989cc3dac";
const PARTNER_B = "b1946ac92492d2347c6235b4d2611184";
const PARTNER_C = "7d793037a0760186574b0282f2f435e7";
const RULESET_1 = "2f2feab2026849078ba485f918791bdc";
const POLICY_1 = "45c48cce2e2d7fbdea1afc51c7c6ad26";

let emulator: RunningEmulator;
let api: CloudflareSharingClient;
beforeEach(async () => {
  emulator = await startProviderEnvironment();
  api = new CloudflareSharingClient({ credentials: { apiToken: TEST_TOKEN }, baseUrl: emulator.url });
});
afterEach(async () => stopProviderEnvironment(emulator));

const shareInputs = (change: Partial<ShareInputs> = {}): ShareInputs => ({
  accountId: OWNER,
  name: "waf rules",
  recipients: [{ recipientAccountId: PARTNER_A }],
  resources: [{ resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: OWNER, meta: {} }],
  ...change,
});

async function createShare(change: Partial<ShareInputs> = {}) {
  const checked = await shareProvider.check!({} as ShareInputs, shareInputs(change));
  expect(checked.failures).toBeUndefined();
  const created = await shareProvider.create(checked.inputs!);
  return { inputs: checked.inputs!, id: created.id, outs: created.outs as ShareOutputs };
}

/** A recipient and a shared object added by another client, once reads show them. */
async function grantOutOfBand(shareId: string, partners = [PARTNER_B]) {
  const recipients = [];
  for (const partner of partners) recipients.push(await api.recipients.create(OWNER, shareId, { recipient_account_id: partner }));
  const resource = await api.resources.create(OWNER, shareId, { resource_type: "gateway-policy", resource_id: POLICY_1, resource_account_id: OWNER, meta: {} });
  await pause(Math.max(300, readsSettleMs(emulator)));
  return { recipients, resource };
}

/** Runs `action` collecting the warnings the provider gives. */
async function warningsOf<T>(action: () => Promise<T>): Promise<{ result: T; warnings: string[] }> {
  const warnings: string[] = [];
  const result = await withCallContext({ log: () => undefined, warn: (line) => warnings.push(line) }, action);
  return { result, warnings };
}

describe("exclusive: check", () => {
  it.each([["yes"], [1], [{}]])("refuses exclusive = %j, naming the field, with no request", async (value) => {
    const result = await shareProvider.check!({} as ShareInputs, { ...shareInputs(), exclusive: value } as unknown as ShareInputs);
    expect(result.failures).toEqual([{ property: "exclusive", reason: `exclusive must be true or false, got ${JSON.stringify(value)}` }]);
    expect(emulator.control.requestLog()).toEqual([]);
  });
});

describe("exclusive: read, diff, update", () => {
  it("read records every live undeclared recipient and resource (across pages); diff names them; update removes only them", async () => {
    const { id, inputs, outs } = await createShare({ exclusive: true });
    expect(outs).toMatchObject({ exclusive: true, undeclaredRecipients: [], undeclaredResources: [] });
    const granted = await grantOutOfBand(id, [PARTNER_B, PARTNER_C]);

    // One item per page: the read follows every page.
    const tuning = JSON.parse(process.env.CLOUDFLARE_SHARING_TUNING!);
    process.env.CLOUDFLARE_SHARING_TUNING = JSON.stringify({ ...tuning, client: { ...tuning.client, perPage: 1 } });
    emulator.control.clearLog();
    const read = await shareProvider.read!(id, outs);
    process.env.CLOUDFLARE_SHARING_TUNING = JSON.stringify(tuning);
    expect(emulator.control.requestLog().filter((entry) => entry.method !== "GET")).toEqual([]);
    expect(emulator.control.requestLog().some((entry) => entry.path.endsWith("/recipients") && entry.query.page === "3")).toBe(true);
    const props = read.props as ShareOutputs;
    expect(props.undeclaredRecipients!.map(({ id, recipientAccountId, associationStatus }) => ({ id, recipientAccountId, associationStatus })).sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      granted.recipients.map((r) => ({ id: r.id, recipientAccountId: r.account_id, associationStatus: "associated" })).sort((a, b) => a.id.localeCompare(b.id)),
    );
    expect(props.undeclaredResources).toEqual([
      { id: granted.resource.id, resourceType: "gateway-policy", resourceId: POLICY_1, resourceAccountId: OWNER, status: "active", created: granted.resource.created },
    ]);
    expect(props.undeclaredRecipients!.every((r) => typeof r.created === "string" && r.created !== "")).toBe(true);
    // The declared items are still the Share's own.
    expect(props.recipients.map((r) => r.id)).toEqual(outs.recipients.map((r) => r.id));
    // The refreshed inputs carry them, so that the engine shows them going.
    expect(read.inputs?.undeclaredResources).toEqual(props.undeclaredResources);

    const { result: diff, warnings } = await warningsOf(() => shareProvider.diff!(id, props, inputs));
    expect(diff.changes).toBe(true);
    expect(warnings.join("\n")).toContain(`(account ${PARTNER_B}) of share ${id} is not declared by this exclusive Share`);
    expect(warnings.join("\n")).toContain(`gateway-policy ${POLICY_1} of account ${OWNER}`);

    emulator.control.clearLog();
    const lines: string[] = [];
    const updated = (await withCallContext({ log: (line) => lines.push(line) }, () => shareProvider.update!(id, props, inputs))).outs as ShareOutputs;
    expect(updated).toMatchObject({ exclusive: true, undeclaredRecipients: [], undeclaredResources: [] });
    const writes = emulator.control.requestLog().filter((entry) => entry.method !== "GET").map((entry) => `${entry.method} ${entry.path.split("/").slice(-2).join("/")}`);
    expect(writes.sort()).toEqual([...granted.recipients.map((r) => `DELETE recipients/${r.id}`), `DELETE resources/${granted.resource.id}`].sort());
    for (const recipient of granted.recipients) expect(emulator.control.listRecipients(id).find((r) => r.id === recipient.id)?.association_status).toBe("disassociated");
    expect(emulator.control.history(granted.resource.id).map((change) => change.status)).toContain("deleted");
    expect(lines.join("\n")).toContain(`removed recipient ${granted.recipients[0].id} (account ${PARTNER_B}) of share ${id}: it is disassociated`);
    // Nothing left to do.
    expect((await shareProvider.diff!(id, updated, inputs)).changes).toBe(false);
  });

  it("a Share that is not exclusive records nothing new and leaves an out-of-band grant alone", async () => {
    const { id, inputs, outs } = await createShare();
    for (const key of ["exclusive", "undeclaredRecipients", "undeclaredResources"]) expect(outs).not.toHaveProperty(key);
    await grantOutOfBand(id);
    const read = await shareProvider.read!(id, outs);
    for (const key of ["exclusive", "undeclaredRecipients", "undeclaredResources"]) {
      expect(read.props).not.toHaveProperty(key);
      expect(read.inputs).not.toHaveProperty(key);
    }
    expect((await shareProvider.diff!(id, read.props as ShareOutputs, inputs)).changes).toBe(false);
  });

  it("turning exclusive on is a change the update records without a request; the next refresh then sees the grant", async () => {
    const { id, inputs, outs } = await createShare();
    await grantOutOfBand(id);
    const exclusive = { ...inputs, exclusive: true };
    expect((await shareProvider.diff!(id, outs, exclusive)).changes).toBe(true);
    emulator.control.clearLog();
    const updated = (await shareProvider.update!(id, outs, exclusive)).outs as ShareOutputs;
    expect(emulator.control.requestLog()).toEqual([]);
    expect(updated).toMatchObject({ exclusive: true, undeclaredRecipients: [], undeclaredResources: [] });
    const read = (await shareProvider.read!(id, updated)).props as ShareOutputs;
    expect(read.undeclaredRecipients!.map((r) => r.recipientAccountId)).toEqual([PARTNER_B]);
    // And off again: the lists leave state, nothing is removed.
    const off = (await shareProvider.update!(id, read, inputs)).outs as ShareOutputs;
    expect(off).not.toHaveProperty("undeclaredRecipients");
    expect(emulator.control.listRecipients(id).filter((r) => r.association_status === "associated").map((r) => r.account_id).sort()).toEqual([PARTNER_A, PARTNER_B].sort());
  });

  it("an undeclared recipient and object that the program then declares are taken over, not removed and added again", async () => {
    const { id, inputs, outs } = await createShare({ exclusive: true });
    const granted = await grantOutOfBand(id);
    const read = (await shareProvider.read!(id, outs)).props as ShareOutputs;
    const declaring = {
      ...inputs,
      recipients: [...inputs.recipients!, { recipientAccountId: PARTNER_B }],
      resources: [...inputs.resources!, { resourceType: "gateway-policy", resourceId: POLICY_1, resourceAccountId: OWNER, meta: "{}" }],
    };
    emulator.control.clearLog();
    const updated = (await shareProvider.update!(id, read, declaring)).outs as ShareOutputs;
    expect(emulator.control.requestLog().filter((entry) => entry.method !== "GET")).toEqual([]);
    expect(updated.recipients.map((r) => r.id)).toContain(granted.recipients[0].id);
    expect(updated.resources.map((r) => r.id)).toContain(granted.resource.id);
    expect(updated).toMatchObject({ undeclaredRecipients: [], undeclaredResources: [] });
  });

  it("a separate ShareRecipient or ShareResource on an exclusive share fails its check naming shareId, before any write", async () => {
    const { id, inputs, outs } = await createShare({ exclusive: true });
    await shareProvider.diff!(id, outs, inputs);
    emulator.control.clearLog();
    const recipient = await recipientProvider.check!({} as never, { accountId: OWNER, shareId: id, recipientAccountId: PARTNER_B } as never);
    expect(recipient.failures).toEqual([{ property: "shareId", reason: expect.stringContaining(`shareId ${id} is a Share with exclusive: true`) }]);
    const resource = await resourceProvider.check!({} as never, { accountId: OWNER, shareId: id, resourceType: "gateway-policy", resourceId: POLICY_1, resourceAccountId: OWNER } as never);
    expect(resource.failures).toEqual([{ property: "shareId", reason: expect.stringContaining("Declare it in the Share's resources instead") }]);
    await expect(recipientProvider.create({ accountId: OWNER, shareId: id, recipientAccountId: PARTNER_B } as never)).rejects.toThrow(/exclusive: true/);
    expect(emulator.control.requestLog()).toEqual([]);
  });
});
