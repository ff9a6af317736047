// The reconcile engine: brings a share's inline recipients and resources from what state says it
// manages to what the program declares, one item at a time, keeping every object it touches in state.

import { ConflictError } from "../client/core/errors";
import type { ShareResourceObject } from "../client/types";
import { Runtime } from "../runtime";
import { deadlineSignal } from "../wait/deadline-signal";
import { TerminalStatusError } from "../wait/errors";
import { latestView } from "../wait/latest-view";
import { isLeaving, isSettled, RECIPIENT_LIFECYCLE, RESOURCE_LIFECYCLE, SHARE_LIFECYCLE } from "../wait/lifecycle";
import {
  budgetOf,
  terminalRecipientError,
  waitRecipientAssociated,
  waitRecipientGone,
  waitResourceActive,
  waitResourceGone,
  waitResourcePropagated,
  waitShareActive,
  WaitTimeout,
} from "../wait/waits";
import { rememberRecipientWrite } from "../wait/watched-recipients";
import { deleteTolerantly, explain, messageOf, ResourceInitError, settleAll } from "./common";
import { recipientCreate, resourceCreate } from "./owned-creates";
import { createOwned, NotOwnedError } from "./ownership";
import { journalOwner } from "./journal";
import { madeByShareCreate } from "./share-made-items";
import { metaObject, normalizeMeta } from "./inputs";
import { afterLeaving, waitForLeavingRecipients, waitForLeavingResources } from "./re-add";
import { terminalAdvice } from "./terminal";
import {
  finishOutputs,
  ManagedRecipient,
  ManagedResource,
  managedRecipient,
  managedResource,
  RecipientDeclaration,
  recipientKey,
  ResourceDeclaration,
  resourceKey,
  shareFields,
  ShareInputs,
  ShareOutputs,
  exclusiveFields,
  UndeclaredRecipient,
  UndeclaredResource,
} from "./share-model";
import { describeUndeclaredRecipient, describeUndeclaredResource } from "./share-undeclared";
import { describeTarget, recipientInput } from "./share-recipient-model";

/**
 * The partial-failure error of a share: it exists, so the engine keeps it with the state `known`.
 *
 * @example
 * throw shareInitError(share.id, known, inputs, error);
 */
export function shareInitError(id: string, known: ShareOutputs, inputs: ShareInputs, error: unknown): ResourceInitError {
  if (error instanceof ResourceInitError) return error;
  return new ResourceInitError(id, { ...known }, inputs as unknown as Record<string, unknown>, [messageOf(error)]);
}

/**
 * Brings the share from `olds` (what state says we manage) to `news` (what the program declares),
 * and waits until all of it has settled. Also resumes waits that a previous run left unfinished.
 * Every item created is recorded in the state at once, so a failure anywhere still leaves every
 * object Cloudflare has in state: the error thrown carries that state (see ResourceInitError).
 *
 * @example
 * return { outs: await reconcile(runtime, id, olds, news, timeoutMs(news.timeouts, "update")) };
 */
export async function reconcile(runtime: Runtime, id: string, olds: ShareOutputs, news: ShareInputs, timeout: WaitTimeout): Promise<ShareOutputs> {
  const { api, wait } = runtime;
  const account = news.accountId;
  let state: ShareOutputs = { ...olds, timeouts: news.timeouts, adopt: news.adopt, exclusive: news.exclusive };
  // One deadline for the whole operation: each wait gets what is left of it.
  const budget = typeof timeout === "number" ? budgetOf(timeout) : timeout;
  // Writes stop at that deadline too (their retries and rate waits included).
  const signal = deadlineSignal(wait, budget);
  const writes = { signal };
  const recipients = new Map(olds.recipients.map((r) => [recipientKey(r), r]));
  const resources = new Map(olds.resources.map((r) => [resourceKey(r), r]));
  // An exclusive share's undeclared items join the inline ones under keys no declaration has, so the
  // removal of what is no longer declared (step 4) removes them too, after every addition.
  const undeclared = exclusiveRemovals(olds, news);
  for (const [key, item] of undeclared.recipients) recipients.set(key, item);
  for (const [key, item] of undeclared.resources) resources.set(key, item);
  const snapshot = () => {
    const [inline, leftRecipients] = splitUndeclared(recipients);
    const [inlineResources, leftResources] = splitUndeclared(resources);
    return finishOutputs({
      ...state,
      recipients: inline,
      resources: inlineResources,
      ...exclusiveFields(
        news.exclusive,
        leftRecipients.map((item) => ({ ...undeclared.recipientsById.get(item.id)!, associationStatus: item.associationStatus })),
        leftResources.map((item) => ({ ...undeclared.resourcesById.get(item.id)!, status: item.status })),
      ),
    });
  };

  try {
    // 1. The share itself: rename, or resume waiting for it to settle.
    // The PUT's own response always shows the new name; only a read shows when it is in effect.
    // With the name unchanged and the share last seen active there is nothing to wait for.
    if (news.name !== olds.name || !isSettled(SHARE_LIFECYCLE, olds.status)) {
      if (news.name !== olds.name) await api.shares.update(account, id, { name: news.name }, writes);
      const share = await waitShareActive(wait, id, budget, { name: news.name });
      state = { ...state, ...shareFields(share) };
    }

    // 2. Recipients: add the new, resume the unsettled, and replace those Cloudflare reported a
    //    terminal error for (it never retries them; a new association is a new attempt). Those no
    //    longer declared are removed after every addition, in step 4.
    const declaredRecipients = news.recipients ?? [];
    const declaredKeys = new Set(declaredRecipients.map(recipientKey));
    const removeRecipient = async (key: string, tracked: ManagedRecipient) => {
      const outOfBand = undeclared.recipientsById.get(tracked.id);
      if (outOfBand) wait.log(`removing ${describeUndeclaredRecipient(outOfBand, id)}: not declared, and the Share is exclusive`);
      // One already leaving (a removal a killed `up` sent) is only waited for.
      const leaving = outOfBand !== undefined && isLeaving(RECIPIENT_LIFECYCLE, tracked.associationStatus);
      const removed = leaving ? undefined : await deleteTolerantly(api.recipients.delete(account, id, tracked.id, writes));
      if (removed) recipients.set(key, { ...tracked, associationStatus: removed.association_status });
      if (removed) rememberRecipientWrite(wait, id, removed);
      await waitRecipientGone(wait, id, tracked.id, budget, removed);
      recipients.delete(key);
      if (outOfBand) wait.log(`removed ${describeUndeclaredRecipient(outOfBand, id)}: it is disassociated`);
    };
    const recipientTasks = [
      ...declaredRecipients.map((declaration) => async () => {
        const key = recipientKey(declaration);
        let tracked = recipients.get(key);
        if (tracked?.terminalError !== undefined) {
          wait.log(`replacing ${recipientLabel(declaration, tracked.id, id)}: Cloudflare reported a terminal error (${tracked.terminalError})`);
          await removeRecipient(key, tracked);
          tracked = undefined;
        }
        if (tracked === undefined) {
          const spec = recipientCreate(api, wait.log, journalOwner(news), account, id, declaration, "this Share", signal, wait);
          const body = recipientInput(declaration);
          const fromShareCreate = await madeByShareCreate(spec, state.created);
          const { object: created, recovered } =
            fromShareCreate !== undefined
              ? { object: fromShareCreate, recovered: false }
              : await createOwned(afterLeaving(spec, () => waitForLeavingRecipients(wait, id, body, budget)));
          tracked = managedRecipient(declaration, created);
          recipients.set(key, tracked);
          // What this write made: its wait can be answered from the share's last list (recipient watch).
          if (!recovered) rememberRecipientWrite(wait, id, created);
        }
        if (isSettled(RECIPIENT_LIFECYCLE, tracked.associationStatus) && tracked.terminalError === undefined) return;
        try {
          const settled = await waitRecipientAssociated(wait, id, tracked.id, budget, {
            afterCreate: true,
            label: recipientLabel(declaration, tracked.id, id),
            statusOnly: true, // the Share keeps only the id, status and terminal error of its recipients
          });
          recipients.set(key, managedRecipient(declaration, settled));
        } catch (error) {
          if (!(error instanceof TerminalStatusError)) throw error;
          // Recorded, so that `diff` sees it and the next `up` replaces the recipient.
          recipients.set(key, { ...tracked, terminalError: error.reason });
          throw terminalAdvice(error);
        }
      }),
    ];
    // Removed only once every addition is made (below), like resources.
    const recipientRemovals = [...recipients.entries()].filter(([key]) => !declaredKeys.has(key));

    // 3. Resources: add the new and update changed meta first; remove the gone only afterwards, so
    //    the share never passes through having no resource (the API refuses to delete the last one).
    //    That holds for a resource whose owning account changed too: the new record is added, then
    //    the old one removed.
    const declaredResources = new Map((news.resources ?? []).map((d) => [resourceKey(d), d]));
    // A new or changed object is in effect once every associated recipient reports its version. Until
    // it is seen to, state marks it `propagated: false`, so that a wait that ends first (a timeout, a
    // failure) is resumed by the next `up`. A terminal error there is also recorded on the inline
    // recipients it concerns, which the next `up` then replaces.
    const propagate = async (key: string, resource: ShareResourceObject) => {
      resources.set(key, managedResource(resource, false));
      try {
        await waitResourcePropagated(wait, id, resource.id, resource.resource_version, budget);
        resources.set(key, managedResource(resource));
      } catch (error) {
        if (!(error instanceof TerminalStatusError)) throw error;
        // One bounded look: a terminal error may come at the deadline, which must stay hard.
        const server = (await latestView(wait, (signal) => api.recipients.listAll(account, id, { include_resources: true }, { signal }), budget.deadline)) ?? [];
        for (const [key, tracked] of recipients) {
          const reason = terminalRecipientError(server.find((candidate) => candidate.id === tracked.id) ?? { resources: [] });
          if (reason !== undefined) recipients.set(key, { ...tracked, terminalError: reason });
        }
        throw terminalAdvice(error);
      }
    };
    const moving = new Map<string, ManagedResource>();
    for (const [key, tracked] of [...resources.entries()]) {
      const declaration = declaredResources.get(key);
      if (declaration === undefined || declaration.resourceAccountId === tracked.resourceAccountId) continue;
      // Kept in state under its own key until it is removed.
      resources.delete(key);
      resources.set(`${key}@${tracked.resourceAccountId}`, tracked);
      moving.set(key, tracked);
    }
    const createResource = async (key: string, declaration: ResourceDeclaration) => {
      const meta = normalizeMeta(declaration.meta);
      const body = {
        resource_type: declaration.resourceType,
        resource_id: declaration.resourceId,
        resource_account_id: declaration.resourceAccountId,
        meta: metaObject(meta),
      };
      const spec = resourceCreate(api, wait.log, journalOwner(news), account, id, body, "this Share", signal, wait);
      const created =
        (await madeByShareCreate(spec, state.created)) ?? (await createOwned(afterLeaving(spec, () => waitForLeavingResources(wait, id, body, budget)))).object;
      // Not yet seen by the recipients: a failure from here on leaves that wait for the next `up`.
      resources.set(key, managedResource(created, false));
      // One left by an interrupted run may carry other meta; the PUT's response proves nothing, a read does.
      const metaMatches = normalizeMeta(created.meta ?? {}) === meta;
      if (!metaMatches) await api.resources.update(account, id, created.id, { meta: metaObject(meta) }, writes);
      const settled = await waitResourceActive(wait, id, created.id, budget, { initial: metaMatches ? created : undefined, meta, afterCreate: true });
      await propagate(key, settled);
    };
    const removeResource = async (key: string, tracked: ManagedResource) => {
      const outOfBand = undeclared.resourcesById.get(tracked.id);
      if (outOfBand) wait.log(`removing ${describeUndeclaredResource(outOfBand, id)}: not declared, and the Share is exclusive`);
      const leaving = outOfBand !== undefined && isLeaving(RESOURCE_LIFECYCLE, tracked.status);
      const removed = leaving ? undefined : await deleteTolerantly(api.resources.delete(account, id, tracked.id, writes));
      if (removed) resources.set(key, managedResource(removed));
      await waitResourceGone(wait, id, tracked.id, budget, removed);
      resources.delete(key);
      if (outOfBand) wait.log(`removed ${describeUndeclaredResource(outOfBand, id)}: it is deleted`);
    };
    // The API may hold one record per shared object, whatever its account (a 409): then the old
    // record must go first, which the API allows only while the share has another resource.
    const moveResource = async (key: string, declaration: ResourceDeclaration, old: ManagedResource) => {
      try {
        await createResource(key, declaration);
      } catch (error) {
        // A 409 (or, as ownership reports it, the old record named as holding the object).
        if (!(error instanceof ConflictError) && !(error instanceof NotOwnedError)) throw error;
        try {
          await removeResource(`${key}@${old.resourceAccountId}`, old);
        } catch (removal) {
          throw explain(
            `moving ${declaration.resourceType} ${declaration.resourceId} from account ${old.resourceAccountId} to ${declaration.resourceAccountId} on share ${id}: ` +
              `the API refused a second record of it (${messageOf(error)}) and refused to remove the old one first`,
            removal,
          );
        }
        await createResource(key, declaration);
      }
    };
    const resourceTasks = [...declaredResources.entries()].map(([key, declaration]) => async () => {
      const tracked = resources.get(key);
      const old = moving.get(key);
      if (old !== undefined) return moveResource(key, declaration, old);
      if (tracked === undefined) return createResource(key, declaration);
      const meta = normalizeMeta(declaration.meta);
      // Resumed as well: a propagation the last run did not see finish (no write, only the waits).
      const unpropagated = tracked.meta !== meta || tracked.propagated === false;
      if (!unpropagated && isSettled(RESOURCE_LIFECYCLE, tracked.status)) return;
      // As for a rename: the PUT's response shows the new meta at once; wait until reads do.
      if (tracked.meta !== meta) await api.resources.update(account, id, tracked.id, { meta: metaObject(meta) }, writes);
      const settled = await waitResourceActive(wait, id, tracked.id, budget, { meta });
      if (unpropagated) await propagate(key, settled);
      else resources.set(key, managedResource(settled));
    });

    const failures = await settleAll([...recipientTasks, ...resourceTasks]);

    // 4. Only now, with every addition made: what is no longer declared (or was moved to another account).
    const removals = [...resources.entries()].filter(([key, tracked]) => {
      const declaration = declaredResources.get(resourceKey(tracked));
      if (declaration === undefined) return true;
      // A moved one goes once its successor is on the share, never before.
      if (key !== resourceKey(tracked)) return resources.get(resourceKey(tracked))?.resourceAccountId === declaration.resourceAccountId;
      return false;
    });
    failures.push(
      ...(await settleAll([
        ...recipientRemovals.map(([key, tracked]) => () => removeRecipient(key, tracked)),
        ...removals.map(([key, tracked]) => () => removeResource(key, tracked)),
      ])),
    );
    if (failures.length > 0) throw new ResourceInitError(id, { ...snapshot() }, news as unknown as Record<string, unknown>, failures);
    return snapshot();
  } catch (error) {
    throw shareInitError(id, snapshot(), news, error);
  }
}

/** Where the reconcile keeps an undeclared item: a key no declaration has (see recipientKey, resourceKey). */
const UNDECLARED_KEY = "undeclared:";

/**
 * The undeclared items an exclusive share's `up` removes, keyed for the reconcile's maps and shaped
 * as inline items (what its removal of inline items works on); none when the Share is not exclusive.
 * One the program now declares (and state does not yet track), unless already leaving, is taken over
 * under its declared key instead: it is the declared item, already there.
 */
function exclusiveRemovals(olds: ShareOutputs, news: ShareInputs) {
  const exclusive = news.exclusive === true;
  const trackedRecipients = new Set(olds.recipients.map(recipientKey));
  const trackedResources = new Set(olds.resources.map(resourceKey));
  const declaredRecipients = new Set((news.recipients ?? []).map(recipientKey).filter((key) => !trackedRecipients.has(key)));
  const declaredResources = new Map((news.resources ?? []).filter((d) => !trackedResources.has(resourceKey(d))).map((d) => [resourceKey(d), d]));
  const recipients: [string, ManagedRecipient][] = [];
  const resources: [string, ManagedResource][] = [];
  const recipientsById = new Map<string, UndeclaredRecipient>();
  const resourcesById = new Map<string, UndeclaredResource>();
  for (const item of exclusive ? olds.undeclaredRecipients ?? [] : []) {
    const managed: ManagedRecipient = { recipientAccountId: item.recipientAccountId, id: item.id, associationStatus: item.associationStatus };
    const declaredKey = recipientKey(managed);
    if (!isLeaving(RECIPIENT_LIFECYCLE, item.associationStatus) && declaredRecipients.delete(declaredKey)) {
      recipients.push([declaredKey, managed]);
      continue;
    }
    recipientsById.set(item.id, item);
    recipients.push([`${UNDECLARED_KEY}${item.id}`, managed]);
  }
  for (const item of exclusive ? olds.undeclaredResources ?? [] : []) {
    const declaredKey = resourceKey(item);
    const declaration = declaredResources.get(declaredKey);
    const managed: ManagedResource = { resourceType: item.resourceType, resourceId: item.resourceId, resourceAccountId: item.resourceAccountId, meta: "{}", id: item.id, status: item.status, resourceVersion: 0, propagated: false };
    if (!isLeaving(RESOURCE_LIFECYCLE, item.status) && declaration?.resourceAccountId === item.resourceAccountId) {
      // Its meta and its propagation are then brought to what is declared, as for any tracked one.
      declaredResources.delete(declaredKey);
      resources.push([declaredKey, managed]);
      continue;
    }
    resourcesById.set(item.id, item);
    resources.push([`${UNDECLARED_KEY}${item.id}`, managed]);
  }
  return { recipients, resources, recipientsById, resourcesById };
}

/** The reconcile's map of items, split into the inline ones and the undeclared ones not yet removed. */
function splitUndeclared<T>(items: Map<string, T>): [T[], T[]] {
  const entries = [...items.entries()];
  return [entries.filter(([key]) => !key.startsWith(UNDECLARED_KEY)).map(([, item]) => item), entries.filter(([key]) => key.startsWith(UNDECLARED_KEY)).map(([, item]) => item)];
}

function recipientLabel(declaration: RecipientDeclaration, recipientId: string, shareId: string): string {
  return `recipient ${recipientId} (${describeTarget(declaration)}) of share ${shareId}`;
}
