// `adopt` of an organization recipient: the declared `organizationId` is recognised whichever account
// id the API reports for such a recipient (reference §12.12: the organization's, or the owner's), the
// same way import and discover recognise it; an account recipient is still refused for it.
import recipientProvider = require("../../provider/resources/share-recipient-provider");
import type { RunningEmulator } from "../../emulator";
import type { ShareRecipientInputs } from "../../provider/resources/share-recipient-model";
import { pause, readsSettleMs, startProviderEnvironment, stopProviderEnvironment } from "../support/provider-env";

const OWNER = "023e105f4ecef8ad9ca31a8372d0c353";
const PARTNER_A = "9a7806061c88ada191ed06f989cc3dac";
const RULESET_1 = "2f2feab2026849078ba485f918791bdc";
const ORGANIZATION = "4f1c2d3e5a6b7c8d9e0fa1b2c3d4e5f6"; // the emulator's default organization

async function adoptRecipient(news: ShareRecipientInputs) {
  const checked = await recipientProvider.check!({} as ShareRecipientInputs, news);
  expect(checked.failures).toBeUndefined();
  return recipientProvider.create(checked.inputs!);
}

describe.each(["organization", "owner"] as const)("ShareRecipient adopt of an organization recipient (its account_id holds the %s id)", (reading) => {
  let emulator: RunningEmulator;
  beforeEach(async () => {
    emulator = await startProviderEnvironment({ behaviour: { organizationRecipientAccountId: reading } });
  });
  afterEach(async () => stopProviderEnvironment(emulator));

  /** A settled share with an account recipient and an organization recipient, as one found in the account. */
  async function seedMixedShare() {
    const seeded = emulator.control.seedShare({
      accountId: OWNER,
      name: "partner and org",
      recipients: [{ recipient_account_id: PARTNER_A }, { organization_id: ORGANIZATION }],
      resources: [{ resource_type: "custom-ruleset", resource_id: RULESET_1, resource_account_id: OWNER, meta: {} }],
      settled: true,
    });
    await pause(readsSettleMs(emulator));
    return { shareId: seeded.share.id, account: seeded.recipients[0], organization: seeded.recipients[1] };
  }

  it("takes it over when declared with organizationId, with no write", async () => {
    const { shareId, organization } = await seedMixedShare();
    emulator.control.clearLog();
    const adopted = await adoptRecipient({ accountId: OWNER, shareId, organizationId: ORGANIZATION, adopt: organization.id });
    expect(adopted.id).toBe(organization.id);
    expect(adopted.outs).toMatchObject({ organizationId: ORGANIZATION, associationStatus: "associated" });
    expect(emulator.control.requestLog().filter((entry) => entry.method !== "GET")).toEqual([]);
  });

  it("refuses the account recipient for organizationId, and the organization recipient for an account", async () => {
    const { shareId, account, organization } = await seedMixedShare();
    await expect(adoptRecipient({ accountId: OWNER, shareId, organizationId: ORGANIZATION, adopt: account.id })).rejects.toThrow(
      new RegExp(`cannot adopt .*${account.id}.*: it is for account ${PARTNER_A}, declared organization ${ORGANIZATION}`),
    );
    await expect(adoptRecipient({ accountId: OWNER, shareId, recipientAccountId: PARTNER_A, adopt: organization.id })).rejects.toThrow(
      new RegExp(`cannot adopt .*${organization.id}.*: it is for organization ${ORGANIZATION}, declared account ${PARTNER_A}`),
    );
  });
});
