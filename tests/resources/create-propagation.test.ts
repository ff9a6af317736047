// A Share created with inline recipients and resources is in effect only once every recipient
// reports every resource's `resource_version` (§4.2), as for a resource added later; a terminal error
// there fails the create with Cloudflare's reason and is recorded on the recipient (the next `up`
// replaces it). Where the create's own recipient list already shows it, no request is added.
import shareProvider = require("../../provider/resources/share-provider");
import type { RunningEmulator } from "../../emulator";
import { ResourceInitError } from "../../provider/resources/common";
import type { ShareInputs, ShareOutputs } from "../../provider/resources/share-model";
import * as waits from "../../provider/wait/waits";
import { startProviderEnvironment, stopProviderEnvironment } from "../support/provider-env";

const OWNER = "023e105f4ecef8ad9ca31a8372d0c353";
const PARTNER_A = "9a7806061c88ada191ed06f989cc3dac";
const PARTNER_B = "b1946ac92492d2347c6235b4d2611184";
const RULESET_1 = "2f2feab2026849078ba485f918791bdc";
const RULESET_2 = "e4da3b7fbbce2345d7772b0674a318d5";
// Far longer than a recipient takes to associate under the compressed timings (50-150 ms).
const VERSION_LAG_MS = 1_500;

jest.setTimeout(60_000);

let emulator: RunningEmulator | undefined;
afterEach(async () => {
  jest.restoreAllMocks();
  await stopProviderEnvironment(emulator);
  emulator = undefined;
});

async function createInputs(): Promise<ShareInputs> {
  const result = await shareProvider.check!({} as ShareInputs, {
    accountId: OWNER,
    name: "propagated rules",
    recipients: [{ recipientAccountId: PARTNER_A }, { recipientAccountId: PARTNER_B }],
    resources: [
      { resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: OWNER, meta: {} },
      { resourceType: "custom-ruleset", resourceId: RULESET_2, resourceAccountId: OWNER, meta: {} },
    ],
  } as ShareInputs);
  expect(result.failures).toBeUndefined();
  return result.inputs as ShareInputs;
}

/** Every (recipient account, share resource id, reported version) the emulator shows for the share now. */
function reported(shareId: string): [string, string, number][] {
  return emulator!.control
    .listRecipients(shareId)
    .flatMap((recipient) => (recipient.resources ?? []).map((entry): [string, string, number] => [recipient.account_id!, entry.resource_id, entry.resource_version]));
}

it("returns only once every inline recipient reports every inline resource's version", async () => {
  emulator = await startProviderEnvironment({ consistency: { recipientResourceVersionLagMs: [VERSION_LAG_MS, VERSION_LAG_MS] } });
  const created = await shareProvider.create(await createInputs());
  const outs = created.outs as ShareOutputs;
  expect(outs.recipients.map((r) => r.associationStatus)).toEqual(["associated", "associated"]);
  const expected = outs.recipients.flatMap((recipient) => outs.resources.map((resource): [string, string, number] => [recipient.recipientAccountId!, resource.id, resource.resourceVersion]));
  expect(reported(created.id).sort()).toEqual(expected.sort());
});

it("fails with Cloudflare's reason when a recipient reports a terminal error for an inline resource, recording it on that recipient", async () => {
  emulator = await startProviderEnvironment({ consistency: { recipientResourceVersionLagMs: [VERSION_LAG_MS, VERSION_LAG_MS] } });
  const reason = "Recipient account cannot receive custom rulesets";
  // Once PARTNER_B is associated (before any version reaches it), it reports a terminal error.
  const inject = setInterval(() => {
    const share = emulator!.control.listShares(OWNER)[0];
    const partner = share && emulator!.control.listRecipients(share.id).find((r) => r.account_id === PARTNER_B);
    if (partner?.association_status === "associated") {
      clearInterval(inject);
      emulator!.control.injectRecipientError({ accountId: PARTNER_B, error: reason, terminal: true });
    }
  }, 5);
  const failure = await shareProvider
    .create(await createInputs())
    .then(() => undefined, (error: unknown) => error)
    .finally(() => clearInterval(inject));
  expect(failure).toBeInstanceOf(ResourceInitError);
  const error = failure as ResourceInitError;
  expect(error.message).toContain(reason);
  expect(error.message).toContain(`account ${PARTNER_B}`);
  const recipients = error.properties.recipients as { recipientAccountId: string; terminalError?: string }[];
  expect(recipients.find((r) => r.recipientAccountId === PARTNER_B)?.terminalError).toContain(reason);
  expect(recipients.find((r) => r.recipientAccountId === PARTNER_A)?.terminalError).toBeUndefined();
});

it("sends no request of its own when the create's recipient list already shows every version", async () => {
  // Versions reach recipients at once: the list the create reads to learn its recipients shows them.
  emulator = await startProviderEnvironment({ consistency: { recipientResourceVersionLagMs: 0 } });
  const propagationWaits = jest.spyOn(waits, "waitResourcePropagated");
  const inputs = await createInputs();
  emulator.control.clearLog();
  const created = await shareProvider.create(inputs);
  expect(propagationWaits).not.toHaveBeenCalled();
  // The create's requests: the POST, then only the share and recipient reads its discovery and
  // recipient waits make (the same as before the propagation check existed).
  const log = emulator.control.requestLog().map((entry) => `${entry.method} ${entry.path.replace(/^\/client\/v4\/accounts\/[0-9a-f]+/, "")}`);
  expect(log.filter((line) => line.startsWith("POST "))).toEqual(["POST /shares"]);
  expect((created.outs as ShareOutputs).recipients.map((r) => r.associationStatus)).toEqual(["associated", "associated"]);
});
