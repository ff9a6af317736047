// What a forced replacement of a separate recipient and resource must leave, for the dynamic and the
// plugin face alike: new ids, the old records removed, the new ones settled, state and the API in
// agreement, and nothing left for the next `up` to do.
import type { RunningEmulator } from "../../emulator";
import type { TestStack } from "./harness";
import { OWNER } from "./fixtures";
import { duplicates, idsInState, liveObjects, orphans } from "./invariants";

/** The ids a stack's share, separate recipient and separate resource hold. */
export interface Held {
  shareId: string;
  recipientId: string;
  resourceId: string;
}

/**
 * Checks that `after` replaced the recipient and the resource of `before` on the same share.
 *
 * @example
 * await expectReplaced(emulator, testStack, before, heldBy(up.outputs));
 */
export async function expectReplaced(emulator: RunningEmulator, stack: TestStack, before: Held, after: Held): Promise<void> {
  expect(after.shareId).toBe(before.shareId);
  expect({ newRecipient: after.recipientId !== before.recipientId, newResource: after.resourceId !== before.resourceId }).toEqual({ newRecipient: true, newResource: true });
  const recipients = emulator.control.listRecipients(after.shareId);
  const resources = emulator.control.listResources(after.shareId);
  expect(recipients.find((r) => r.id === before.recipientId)?.association_status ?? "gone").toMatch(/^disassociat|^gone$/);
  expect(resources.find((r) => r.id === before.resourceId)?.status ?? "gone").toMatch(/^delet|^gone$/);
  expect(recipients.find((r) => r.id === after.recipientId)?.association_status).toBe("associated");
  expect(resources.find((r) => r.id === after.resourceId)?.status).toBe("active");
  const live = liveObjects(emulator, OWNER);
  const ids = idsInState(await stack.exportState());
  expect({ orphans: orphans(live, ids), duplicates: duplicates(live), pending: ids.pending }).toEqual({ orphans: [], duplicates: [], pending: [] });
  expect({ recipientInState: ids.recipients.has(after.recipientId), resourceInState: ids.resources.has(after.resourceId) }).toEqual({ recipientInState: true, resourceInState: true });
  // Every object the state holds is live.
  const liveIds = new Set(live.flatMap((l) => [l.share.id, ...l.recipients.map((r) => r.id), ...l.resources.map((r) => r.id)]));
  expect([...ids.shares, ...ids.recipients, ...ids.resources].filter((id) => !liveIds.has(id))).toEqual([]);
  // Nothing left to do: the state matches the API.
  await stack.stack.preview({ refresh: true, expectNoChanges: true });
}
