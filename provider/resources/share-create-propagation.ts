// After a Share create with inline recipients and resources: the share is in effect once every
// inline recipient reports every inline resource's `resource_version` (§4.2), as for a resource
// added later (share-reconcile `propagate`). Answered, where it can be, from the recipient list the
// create already read for its recipient waits: no request of its own.

import type { RecipientObject } from "../client/types";
import { TerminalStatusError } from "../wait/errors";
import { latestView } from "../wait/latest-view";
import { lookupRecipients } from "../wait/finders";
import { describeResource, terminalRecipientError, TimeBudget, WaitContext, waitResourcePropagated } from "../wait/waits";
import { lastRecipientList } from "../wait/watched-recipients";
import type { ManagedResource, ShareOutputs } from "./share-model";

/** What one list shows of `resource` reaching `recipientIds`: done, or Cloudflare's reason for a terminal error. */
function reachedAll(listed: readonly RecipientObject[], recipientIds: readonly string[], resource: ManagedResource): { done: boolean; terminal?: string } {
  let done = true;
  const failures: string[] = [];
  for (const id of recipientIds) {
    const recipient = listed.find((candidate) => candidate.id === id);
    if (recipient === undefined) {
      done = false;
      continue;
    }
    // An answer without per-object `resources` (an API that does not report them) is taken at its word.
    if (recipient.resources === undefined) continue;
    const entry = recipient.resources.find((candidate) => candidate.resource_id === resource.id);
    if (entry?.terminal && entry.error) failures.push(`${entry.error} (recipient ${recipient.id}, account ${recipient.account_id})`);
    // Versions only grow: one reported now stays reported, whatever the recipient's status then was.
    if (entry === undefined || !(entry.resource_version >= resource.resourceVersion)) done = false;
  }
  return { done, terminal: failures.length > 0 ? failures.join("; ") : undefined };
}

/**
 * Until every inline recipient of a just-created share reports every inline resource's version; fails
 * with Cloudflare's reason (a {@link TerminalStatusError}) on a terminal error for one of them. On any
 * failure (a timeout included) it first returns through `onFailure` the state that tells the truth:
 * the resources not yet seen everywhere marked `propagated: false` (the next `up` resumes that wait),
 * and a terminal error's reason recorded on the recipients concerned (the next `up` replaces them).
 * A resource the recipient watch's last list already shows everywhere costs no request; the others
 * are waited for like a resource added later.
 *
 * @example
 * await confirmCreatePropagated(wait, share.id, outs, budget, (recorded) => (outs = recorded));
 */
export async function confirmCreatePropagated(
  wait: WaitContext,
  shareId: string,
  outs: ShareOutputs,
  budget: TimeBudget,
  onFailure: (recorded: ShareOutputs) => void,
): Promise<void> {
  const recipientIds = outs.recipients.map((recipient) => recipient.id);
  if (recipientIds.length === 0 || outs.resources.length === 0) return;
  const listed = lastRecipientList(wait, shareId) ?? [];
  const confirmed = new Set<string>();
  const record = (server: readonly RecipientObject[] | undefined) =>
    onFailure({
      ...outs,
      recipients: outs.recipients.map((recipient) => {
        const reason = server === undefined ? undefined : terminalRecipientError(server.find((candidate) => candidate.id === recipient.id) ?? { resources: [] });
        return reason === undefined ? recipient : { ...recipient, terminalError: reason };
      }),
      resources: outs.resources.map((resource) => (confirmed.has(resource.id) ? resource : { ...resource, propagated: false })),
    });
  for (const resource of outs.resources) {
    const seen = reachedAll(listed, recipientIds, resource);
    if (seen.terminal !== undefined) {
      record(listed);
      throw new TerminalStatusError(`${describeResource(shareId, resource.id)} reaching its recipients`, seen.terminal, 0, "propagating");
    }
    if (seen.done) {
      confirmed.add(resource.id);
      continue;
    }
    try {
      await waitResourcePropagated(wait, shareId, resource.id, resource.resourceVersion, budget);
      confirmed.add(resource.id);
    } catch (error) {
      const server =
        error instanceof TerminalStatusError
          ? ((await latestView(wait, (signal) => lookupRecipients(wait, shareId, signal), budget.deadline)) ?? [])
          : undefined;
      record(server);
      throw error;
    }
  }
}
