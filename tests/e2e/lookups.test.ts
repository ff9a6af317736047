// The lookup functions in a real program under the real engine: they read every page of a share
// with more items than one page holds, return each item once, feed another resource, and do not run
// during a preview in which their inputs are unknown.
import type { RunningEmulator } from "../../emulator";
import { createTestStack, TestStack } from "./harness";
import { FAST_TUNING, OWNER, startE2eEmulator, TOKEN, writes } from "./fixtures";
import { hexIdOf } from "./invariants";

jest.setTimeout(300_000);

const RECIPIENTS = 150; // a page holds 100
const RESOURCES = 230;
const OTHER_SHARES = 101;
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"; // what Pulumi sends for an unknown value

describe("lookup functions in a program", () => {
  let emulator: RunningEmulator;
  let testStack: TestStack;
  let shareId: string;

  beforeAll(async () => {
    emulator = await startE2eEmulator({ auth: { tokens: [TOKEN] } }); // any other credential is refused
    const seeded = emulator.control.seedShare({
      accountId: OWNER,
      name: "large",
      recipients: Array.from({ length: RECIPIENTS }, (_, i) => ({ recipient_account_id: hexIdOf(`partner ${i}`) })),
      resources: Array.from({ length: RESOURCES }, (_, i) => ({
        resource_type: i % 2 ? "gateway-policy" : "custom-ruleset",
        resource_id: hexIdOf(`object ${i}`),
        resource_account_id: OWNER,
        meta: { index: i },
      })),
      settled: true,
    });
    shareId = seeded.share.id;
    // Three recipients removed in the dashboard (listed forever as disassociated), two resources removed.
    for (const recipient of seeded.recipients.slice(0, 3)) emulator.control.removeRecipient(shareId, recipient.id);
    for (const resource of seeded.resources.slice(0, 2)) emulator.control.removeResource(shareId, resource.id);
    for (let i = 0; i < OTHER_SHARES; i++) {
      emulator.control.seedShare({
        accountId: OWNER,
        name: `other ${i}`,
        recipients: [{ recipient_account_id: hexIdOf(`partner ${i}`) }],
        resources: [{ resource_type: "custom-ruleset", resource_id: hexIdOf(`other ${i}`), resource_account_id: OWNER, meta: {} }],
        settled: true,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 400)); // the removals settle (FAST_TIMINGS)
    testStack = await createTestStack({
      program: "lookups",
      // The token only in the stack config, as a secret: the lookups read it there, as the resources do.
      config: { "e2e:accountId": { value: OWNER }, "e2e:shareId": { value: shareId }, "cloudflare:apiToken": { value: TOKEN, secret: true } },
      env: { CLOUDFLARE_BASE_URL: emulator.url, CLOUDFLARE_SHARING_TUNING: FAST_TUNING },
    });
  });
  afterAll(async () => {
    await testStack?.destroyAndRemove().catch(() => undefined);
    await emulator?.stop();
  });

  it("a lookup whose input is unknown during preview does not run; known ones read with an explicit page size", async () => {
    emulator.control.clearLog();
    const preview = await testStack.stack.preview();
    expect(preview.changeSummary).toMatchObject({ create: 2 }); // the stack and the copy
    const log = emulator.control.requestLog();
    expect(log.length).toBeGreaterThan(0);
    for (const entry of log) {
      expect(entry.method).toBe("GET");
      expect(entry.path).not.toContain(UNKNOWN);
      // Only the seeded share and the account's list were read: nothing for the copy, whose id is unknown.
      expect(entry.path).toMatch(new RegExp(`/accounts/${OWNER}/shares(/${shareId}(/recipients|/resources)?)?$`));
      if (!entry.path.endsWith(shareId)) expect(entry.query.per_page).toBe("100");
    }
  });

  it("returns every item of every page once, and the results feed another resource", async () => {
    emulator.control.clearLog();
    const up = await testStack.stack.up({ onOutput: (line) => testStack.printed.push(line) });
    expect(up.summary.result).toBe("succeeded");
    const out = Object.fromEntries(Object.entries(up.outputs).map(([key, value]) => [key, value.value]));

    const serverRecipients = emulator.control.listRecipients(shareId);
    const activeResources = emulator.control.listResources(shareId).filter((r) => r.status === "active");
    expect(out.recipientIds).toHaveLength(RECIPIENTS);
    expect(new Set(out.recipientIds).size).toBe(RECIPIENTS);
    expect([...out.recipientIds].sort()).toEqual(serverRecipients.map((r) => r.id).sort());
    expect(out.recipientStatuses.filter((s: string) => s === "disassociated")).toHaveLength(3);
    expect(out.associatedCount).toBe(RECIPIENTS - 3);

    expect(out.resourceIds).toHaveLength(RESOURCES - 2);
    expect(new Set(out.resourceIds).size).toBe(RESOURCES - 2);
    expect([...out.resourceIds].sort()).toEqual(activeResources.map((r) => r.id).sort());
    expect(out.resourceCountViaPromise).toBe(RESOURCES - 2);
    expect(out.embeddedResourceCount).toBe(emulator.control.listResources(shareId).length);
    expect([...out.rulesetIds].sort()).toEqual(emulator.control.listResources(shareId).filter((r) => r.resource_type === "custom-ruleset").map((r) => r.id).sort());

    expect(out.sentShareIds).toHaveLength(OTHER_SHARES + 1);
    expect(new Set(out.sentShareIds).size).toBe(OTHER_SHARES + 1);

    // The copy was built from the lookups' results.
    const copy = emulator.control.getShare(out.copyId)!;
    expect(copy.name).toBe("large (copy)");
    const copied = emulator.control.listResources(out.copyId).map((r) => r.resource_id).sort();
    expect(copied).toEqual(activeResources.slice(0, 2).map((r) => r.resource_id).sort());
    const firstAssociated = serverRecipients.filter((r) => r.association_status === "associated").slice(0, 2).map((r) => r.account_id).sort();
    expect(out.copyRecipientAccounts).toEqual(firstAssociated);
    expect(out.copyResourceIds).toHaveLength(2);

    // The token reached the API from the stack config, and nothing printed or persisted shows it.
    expect(emulator.control.requestLog().every((entry) => entry.status !== 401)).toBe(true);
    expect(testStack.printed.join("\n")).not.toContain(TOKEN);
    for (const text of testStack.persistedState()) expect(text).not.toContain(TOKEN);

    // Lookups read; the only write is the copy's create.
    expect(writes(emulator)).toEqual(["POST /shares"]);
    for (const entry of emulator.control.requestLog()) {
      if (entry.method === "GET" && /\/(shares|recipients|resources)$/.test(entry.path)) expect(entry.query.per_page).toBe("100");
    }
  });
});
