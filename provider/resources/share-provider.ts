// The Share provider. A share is created with its first recipients and resources in one request;
// after that, inline recipients and resources are reconciled one by one through the sub-resource
// endpoints (the share itself is never replaced for that), and only the items this Share declared
// are ever touched, so separately declared ShareRecipient / ShareResource objects coexist with it.
// The parts live beside it: item checks (share-items), what a create made (share-discovery), the
// reconcile engine (share-reconcile) and adopt (share-adopt); ownership and the recovery of an
// interrupted create are in ./ownership and ./journal.
// This file's module.exports is the provider object itself (see share-resource-provider.ts).

import type * as pulumi from "@pulumi/pulumi";
import { ValidationError } from "../client/core/errors";
import type { ShareObject } from "../client/types";
import { rememberStackConfig } from "../config";
import { runtimeFor, warn } from "../runtime";
import { forReading, lookupRecipient, lookupResource, lookupShare } from "../wait/finders";
import { isGone, RECIPIENT_LIFECYCLE, RESOURCE_LIFECYCLE, SHARE_LIFECYCLE } from "../wait/lifecycle";
import { deadlineSignal } from "../wait/deadline-signal";
import { TerminalStatusError } from "../wait/errors";
import { latestView } from "../wait/latest-view";
import { describeShare, waitRecipientGone, waitShareGone } from "../wait/waits";
import { deleteTolerantly, explain, readResult, ResourceInitError } from "./common";
import { Checker, containsUnknown, isUnknown, normalizeMeta, shownValue, timeoutMs, withoutNulls } from "./inputs";
import { confirmShareInState, shareCreate, shareCreateBody } from "./owned-creates";
import { createOwned } from "./ownership";
import { handingOver } from "./hand-over";
import { journalOwner } from "./journal";
import { adoptShare, manageExisting } from "./share-adopt";
import { confirmCreatePropagated } from "./share-create-propagation";
import { discover, observeCreated } from "./share-discovery";
import { terminalAdvice } from "./terminal";
import { checkShareItems } from "./share-items";
import {
  ManagedRecipient,
  managedRecipient,
  ManagedResource,
  managedResource,
  recipientKey,
  ResourceDeclaration,
  resourceKey,
  shareInputsOf,
  ShareInputs,
  ShareOutputs,
  shareOutputsOf,
  TIMEOUT_KEYS,
} from "./share-model";
import { reconcile, shareInitError } from "./share-reconcile";
import { listUndeclared, undeclaredWarnings } from "./share-undeclared";
import { rememberExclusiveShare } from "./exclusive-shares";
import { timeoutsChanged, unsettledShareItems } from "./settling";

/**
 * State that is only the declaration: a pending create put in state by `pulumi refresh
 * --import-pending-creates` (what `recover` runs) carries the inputs the create was sent with, and its
 * inline items have no ids yet.
 */
function isDeclarationOnly(state: ShareOutputs): boolean {
  return [...(state.recipients ?? []), ...(state.resources ?? [])].some((item) => (item as { id?: string }).id === undefined);
}

/**
 * Reads a share imported from a pending create: its declared items are found on it by their natural
 * keys, as after a create. Whether its resources reached the recipients was never seen, so the next
 * `up` waits for that.
 */
async function readDeclared(id: string, declared: ShareOutputs): Promise<pulumi.dynamic.ReadResult<ShareOutputs>> {
  const seen = (await observeCreated(runtimeFor(declared.accountId), declared, id))?.value;
  if (seen === undefined || isGone(SHARE_LIFECYCLE, seen.status)) return { id: "" };
  const outs = { ...seen, resources: seen.resources.map((resource) => ({ ...resource, propagated: false })) };
  confirmShareInState(journalOwner(declared), id, outs);
  return readResult(id, outs, shareInputsOf(outs));
}

const provider: pulumi.dynamic.ResourceProvider<ShareInputs, ShareOutputs> = {
  async configure(request) {
    rememberStackConfig(request.config);
  },

  async check(_olds, news) {
    const checker = new Checker();
    checker.id("accountId", news.accountId);
    checker.nonEmptyString("name", news.name);
    checkShareItems(checker, news);
    checker.timeouts("timeouts", news.timeouts, TIMEOUT_KEYS);
    checker.id("adopt", news.adopt, false);
    for (const flag of ["adoptOnlyIfMatching", "exclusive"] as const) {
      const value = news[flag];
      if (value !== undefined && value !== null && typeof value !== "boolean" && !isUnknown(value)) {
        checker.fail(flag, `${flag} must be true or false, got ${shownValue(flag, JSON.stringify(value))}`);
      }
    }
    for (const warning of checker.warnings) warn(warning);
    if (checker.failures.length > 0) return { failures: checker.failures };
    const resources = Array.isArray(news.resources)
      ? news.resources.map((resource) => (containsUnknown(resource) ? resource : { ...resource, meta: normalizeMeta(resource.meta) }))
      : news.resources;
    // Explicit nulls become absent, so that every later step has one meaning of "not given".
    const recipients = Array.isArray(news.recipients) ? news.recipients.map((recipient) => withoutNulls(recipient)) : news.recipients;
    return { inputs: withoutNulls({ ...news, recipients, resources }) };
  },

  async diff(id, olds, news) {
    confirmShareInState(journalOwner(news) ?? journalOwner(olds), id, olds);
    rememberExclusiveShare(id, news.exclusive);
    if (isUnknown(news.accountId) || news.accountId !== olds.accountId) {
      return { changes: true, replaces: ["accountId"], deleteBeforeReplace: false };
    }
    const nameChanged = isUnknown(news.name) || news.name !== olds.name;
    const recipientsChanged = containsUnknown(news.recipients) || !sameKeys((news.recipients ?? []).map(recipientKey), olds.recipients.map(recipientKey));
    const resourcesChanged =
      containsUnknown(news.resources) ||
      !sameKeys((news.resources ?? []).map(resourceChangeKey), olds.resources.map(resourceChangeKey));
    // Also a change: what the last run did not see settle (the update resumes the waits), and new
    // timeouts (the update writes them to state without a request).
    const unsettled = unsettledShareItems(olds).length > 0;
    // An exclusive share with items it does not declare (granted out of band): `up` removes them.
    // Turning `exclusive` on or off is a change too: the update records it in state, without a request.
    const undeclared = news.exclusive === true ? undeclaredWarnings(id, olds) : [];
    for (const line of undeclared) warn(line);
    const exclusiveChanged = isUnknown(news.exclusive) || (news.exclusive === true) !== (olds.exclusive === true);
    const changes =
      nameChanged || recipientsChanged || resourcesChanged || unsettled || timeoutsChanged(olds.timeouts, news.timeouts) || undeclared.length > 0 || exclusiveChanged;
    return { changes, replaces: [], deleteBeforeReplace: false };
  },

  async create(inputs) {
    const runtime = runtimeFor(inputs.accountId);
    const timeout = timeoutMs(inputs.timeouts, "create");
    const started = Date.now();
    const budget = { totalMs: timeout, deadline: started + timeout };
    if (inputs.adopt) return adoptShare(runtime, inputs, budget);

    const body = shareCreateBody(inputs);
    let share: ShareObject;
    let recovered: boolean;
    try {
      const spec = shareCreate(runtime.api, runtime.wait.log, journalOwner(inputs), inputs.accountId, body, deadlineSignal(runtime.wait, budget));
      ({ object: share, recovered } = await createOwned(spec));
    } catch (error) {
      throw explain(`creating share "${inputs.name}" in account ${inputs.accountId}`, error);
    }
    // Left by an interrupted run of this stack: managed from what it has now, as an adopted share is
    // (with what the create's deadline has left).
    if (recovered) {
      return manageExisting(runtime, inputs, share, budget);
    }
    // From here on the share exists: every failure must keep it (and what it made) in state.
    let known: ShareOutputs | undefined;
    let propagationChecked = false;
    try {
      // The create's one deadline: discovery gets what the POST left of it.
      known = await discover(runtime, inputs, share, budget);
      // The create's one deadline: the reconcile gets what discovery left of it.
      known = await reconcile(runtime, share.id, known, inputs, budget);
      // In effect once every inline recipient reports every inline resource. A failure records which
      // resources are not yet seen there (the next `up` resumes that wait) and a terminal error's
      // recipients (which the next `up` replaces).
      propagationChecked = true;
      await confirmCreatePropagated(runtime.wait, share.id, known, budget, (recorded) => (known = recorded));
      rememberExclusiveShare(share.id, inputs.exclusive);
      return { id: share.id, outs: known };
    } catch (error) {
      if (error instanceof TerminalStatusError && known !== undefined) throw shareInitError(share.id, known, inputs, terminalAdvice(error));
      // Discovery failed: one more look, so that state records the items the create made and a
      // refresh sees them (the next `up` would otherwise find them only by their 409s). Bounded, so
      // that the error still comes by the deadline plus one request timeout.
      known ??=
        (await latestView(runtime.wait, (signal) => observeCreated(runtime, inputs, share.id, signal), budget.deadline))?.value ?? shareOutputsOf(inputs, share, [], []);
      const failure = shareInitError(share.id, known, inputs, error);
      // Failed before the propagation wait began: no inline resource has been seen at the inline
      // recipients yet, so the next `up` waits for that as well as for what failed here.
      throw propagationChecked ? failure : withPropagationUnconfirmed(failure, inputs);
    }
  },

  async read(id, props) {
    const current = props!;
    confirmShareInState(journalOwner(current), id, current);
    if (isDeclarationOnly(current)) return readDeclared(id, current);
    const { wait } = runtimeFor(current.accountId);
    const share = await lookupShare(wait, id, forReading(wait));
    // Gone (404, `deleted`, or `deleting`: it will never be active again): an empty id makes the
    // engine drop the share from state; the next `up` creates a new one.
    if (share === undefined || isGone(SHARE_LIFECYCLE, share.status)) return { id: "" };
    const recipients: ManagedRecipient[] = [];
    await Promise.all(
      current.recipients.map(async (recipient) => {
        const server = await lookupRecipient(wait, id, recipient.id, forReading(wait));
        // Removed out of band (or being removed): dropped here, added again by the next `up`.
        if (server && !isGone(RECIPIENT_LIFECYCLE, server.association_status)) {
          recipients.push(managedRecipient(recipient, server));
        }
      }),
    );
    const resources = (
      await Promise.all(
        current.resources.map(async (resource) => {
          // Missing from the share's `resources` (a list that trails writes): gone only if its GET says so.
          const server = share.resources?.find((candidate) => candidate.id === resource.id) ?? (await lookupResource(wait, id, resource.id, forReading(wait)));
          // Whether recipients have it is what the last wait saw: one unfinished stays so, for the next `up`.
          return server && !isGone(RESOURCE_LIFECYCLE, server.status) ? [managedResource(server, resource.propagated !== false)] : [];
        }),
      )
    ).flat();
    // Exclusive: every other live item on the share is recorded (named), so that refresh and diff
    // show an out-of-band grant and `up` removes it.
    const undeclared = current.exclusive === true ? await listUndeclared(runtimeFor(current.accountId), current.accountId, id, { recipients, resources }) : undefined;
    rememberExclusiveShare(id, current.exclusive);
    const outs = shareOutputsOf(current, share, inDeclaredOrder(current.recipients, recipients), resources, undeclared);
    return readResult(id, outs, shareInputsOf(outs));
  },

  async update(id, olds, news) {
    confirmShareInState(journalOwner(news) ?? journalOwner(olds), id, olds);
    const runtime = runtimeFor(news.accountId);
    rememberExclusiveShare(id, news.exclusive);
    try {
      return { outs: await reconcile(runtime, id, olds, news, timeoutMs(news.timeouts, "update")) };
    } catch (error) {
      if (error instanceof ResourceInitError) throw error;
      throw shareInitError(id, olds, news, error);
    }
  },

  async delete(id, props) {
    const { api, wait } = runtimeFor(props.accountId);
    confirmShareInState(journalOwner(props), id, props);
    const timeout = timeoutMs(props.timeouts, "delete");
    const started = Date.now();
    // One deadline for the delete: the DELETE with its retries, then the waits.
    const signal = deadlineSignal(wait, { totalMs: timeout, deadline: started + timeout });
    let deleted: ShareObject | undefined;
    try {
      deleted = await deleteTolerantly(api.shares.delete(props.accountId, id, { signal }));
    } catch (error) {
      // Already being deleted (out of band, or a DELETE whose response was lost): just wait.
      const current = error instanceof ValidationError ? await lookupShare(wait, id, undefined, signal) : undefined;
      if (current === undefined || !isGone(SHARE_LIFECYCLE, current.status)) throw explain(`deleting ${describeShare(id)}`, error);
    }
    try {
      await waitShareGone(wait, id, timeout, deleted);
      // A deleted share's recipients end `disassociated`; `destroy` is done when access is really gone.
      const remaining = Math.max(1, timeout - (Date.now() - started));
      await Promise.all(props.recipients.map((recipient) => waitRecipientGone(wait, id, recipient.id, remaining)));
    } catch (error) {
      throw explain(`deleting ${describeShare(id)}`, error);
    }
  },
};

function sameKeys(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().join("\n") === [...b].sort().join("\n");
}

/** Everything about an inline resource that, when changed, needs an API call. */
function resourceChangeKey(resource: ResourceDeclaration | ManagedResource): string {
  return `${resourceKey(resource)}|${resource.resourceAccountId}|${normalizeMeta(resource.meta)}`;
}

function inDeclaredOrder<T extends { id: string }>(order: readonly { id: string }[], items: T[]): T[] {
  const position = new Map(order.map((item, index) => [item.id, index]));
  return [...items].sort((a, b) => (position.get(a.id) ?? 0) - (position.get(b.id) ?? 0));
}

export = handingOver(provider);

/** `failure` with every inline resource marked `propagated: false` when the share has inline recipients. */
function withPropagationUnconfirmed(failure: ResourceInitError, inputs: ShareInputs): ResourceInitError {
  const outs = failure.properties as unknown as ShareOutputs;
  if (!(outs.recipients?.length > 0) || !(outs.resources?.length > 0)) return failure;
  const marked = { ...outs, resources: outs.resources.map((resource) => ({ ...resource, propagated: false })) };
  return new ResourceInitError(failure.id, marked as unknown as Record<string, unknown>, inputs as unknown as Record<string, unknown>, failure.reasons);
}
