// The providers where the API's open behaviours bite (docs/cloudflare-resource-sharing-api.md §7, §12):
// run under every emulator profile (EMULATOR_PROFILE), so each test meets lists that trail writes
// (`laggy`), long `deleting` / `disassociating` (`slow-deletes`), 200 creates and accepted duplicates
// (`lenient`), the renamed recipient account field (`strict`) — and must hold under each.
import shareProvider = require("../../provider/resources/share-provider");
import recipientProvider = require("../../provider/resources/share-recipient-provider");
import resourceProvider = require("../../provider/resources/share-resource-provider");
import type { RunningEmulator } from "../../emulator";
import type { ShareInputs, ShareOutputs } from "../../provider/resources/share-model";
import { activeProfileName } from "../support/emulator-profile";
import { pause, readsSettleMs, TEST_TOKEN, startProviderEnvironment, stopProviderEnvironment } from "../support/provider-env";

const OWNER = "023e105f4ecef8ad9ca31a8372d0c353";
const PARTNER_A = "9a7806061c88ada191ed06f989cc3dac";
const PARTNER_B = "b1946ac92492d2347c6235b4d2611184";
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

async function createShare() {
  const inputs = await checked<ShareInputs>(shareProvider, {
    accountId: OWNER,
    name: `open behaviours (${activeProfileName()})`,
    recipients: [{ recipientAccountId: PARTNER_A }],
    resources: [{ resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: OWNER, meta: {} }],
  });
  const created = await shareProvider.create(inputs);
  return { id: created.id, outs: created.outs as ShareOutputs };
}

/** The HTTP status of a GET of `path` (under the owner account) on the emulator's API. */
async function api(path: string): Promise<number> {
  const reply = await fetch(`${emulator.url}/accounts/${OWNER}${path}`, { headers: { Authorization: `Bearer ${TEST_TOKEN}` }, signal: AbortSignal.timeout(5000) });
  await reply.arrayBuffer();
  return reply.status;
}

/** Polls until `predicate` holds; bounded. */
async function until(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe(`open behaviours of the API (profile ${process.env.EMULATOR_PROFILE || "default"})`, () => {
  it("a refresh right after create keeps every object, even when lists do not show them yet", async () => {
    const { id: shareId, outs } = await createShare();
    const recipient = await recipientProvider.create(await checked(recipientProvider, { accountId: OWNER, shareId, recipientAccountId: PARTNER_B }));
    const resource = await resourceProvider.create(
      await checked(resourceProvider, { accountId: OWNER, shareId, resourceType: "custom-ruleset", resourceId: RULESET_2, resourceAccountId: OWNER, meta: {} }),
    );
    // Past any read-after-create window (GET by id answers), while lists may still trail the creates.
    await until(async () => (await api(`/shares/${shareId}/recipients/${recipient.id}`)) === 200, "the new recipient answers GET by id");
    await until(async () => (await api(`/shares/${shareId}/resources/${resource.id}`)) === 200, "the new resource answers GET by id");
    const listLag = emulator.control.settings.consistency.listLagMs;
    if (listLag !== 0) {
      // The point of this test under a lagging profile: the lists do not show the new objects yet.
      const listed = async (path: string, id: string) =>
        ((await (await fetch(`${emulator.url}/accounts/${OWNER}${path}`, { headers: { Authorization: `Bearer ${TEST_TOKEN}` } })).json()) as { result: { id: string }[] }).result.some((o) => o.id === id);
      expect([await listed(`/shares/${shareId}/recipients?per_page=100`, recipient.id), await listed(`/shares/${shareId}/resources?per_page=100`, resource.id)]).toEqual([false, false]);
    }
    // A refresh reads everything at once.
    const [share, readRecipient, readResource] = await Promise.all([
      shareProvider.read!(shareId, outs),
      recipientProvider.read!(recipient.id, recipient.outs!),
      resourceProvider.read!(resource.id, resource.outs!),
    ]);
    expect([share.id, readRecipient.id, readResource.id]).toEqual([shareId, recipient.id, resource.id]);
  });

  it("delete waits through a long `deleting` until the share is deleted and its recipients disassociated", async () => {
    const { id, outs } = await createShare();
    await shareProvider.delete!(id, outs);
    expect(emulator.control.getShare(id)?.status ?? "gone").toMatch(/^(deleted|gone)$/);
    expect(emulator.control.listRecipients(id).every((r) => r.association_status === "disassociated")).toBe(true);
  });

  it("a refresh while a share deleted out of band is still `deleting` drops it from state", async () => {
    const { id, outs } = await createShare();
    // Still `deleting` once reads can show the delete (lists may trail it under the profile).
    emulator.control.configure({ timings: { shareDeleteMs: readsSettleMs(emulator) + 10_000 } });
    emulator.control.deleteShare(id);
    await pause(readsSettleMs(emulator));
    expect(emulator.control.getShare(id)?.status).toBe("deleting");
    expect(await shareProvider.read!(id, outs)).toEqual({ id: "" });
  });

  it("a recipient removed out of band and refreshed while `disassociating` is added again by the next create", async () => {
    const { id: shareId } = await createShare();
    const inputs = await checked(recipientProvider, { accountId: OWNER, shareId, recipientAccountId: PARTNER_B });
    const first = await recipientProvider.create(inputs);
    emulator.control.removeRecipient(shareId, first.id);
    expect(await recipientProvider.read!(first.id, first.outs!)).toEqual({ id: "" }); // gone for refresh
    // The next `up` creates it again, whatever the API answers while the old record is still leaving.
    const again = await recipientProvider.create(inputs);
    expect(again.outs).toMatchObject({ associationStatus: "associated", recipientAccount: PARTNER_B });
    await until(
      () => emulator.control.listRecipients(shareId).filter((r) => r.account_id === PARTNER_B && r.association_status === "associated").length === 1,
      "exactly one live record of the re-added recipient",
    );
  });
});
