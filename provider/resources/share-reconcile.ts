// The reconcile engine: brings a share's inline recipients and resources from what state says it
// manages to what the program declares, one item at a time, keeping every object it touches in state.

import { Runtime } from "../runtime";
import {
  waitRecipientAssociated,
  waitRecipientGone,
  waitResourceActive,
  waitResourceGone,
  waitShareActive,
} from "../wait/waits";
import { deleteTolerantly, messageOf, ResourceInitError, settleAll } from "./common";
import { recipientCreate, resourceCreate } from "./owned-creates";
import { createOwned } from "./ownership";
import { metaObject, normalizeMeta } from "./inputs";
import {
  finishOutputs,
  managedRecipient,
  managedResource,
  RecipientDeclaration,
  recipientKey,
  ResourceDeclaration,
  resourceKey,
  shareFields,
  ShareInputs,
  ShareOutputs,
} from "./share-model";
import { describeTarget } from "./share-recipient-model";

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
export async function reconcile(runtime: Runtime, id: string, olds: ShareOutputs, news: ShareInputs, timeout: number): Promise<ShareOutputs> {
  const { api, wait } = runtime;
  const account = news.accountId;
  let state: ShareOutputs = { ...olds, timeouts: news.timeouts, adopt: news.adopt };
  const recipients = new Map(olds.recipients.map((r) => [recipientKey(r), r]));
  const resources = new Map(olds.resources.map((r) => [resourceKey(r), r]));
  const snapshot = () =>
    finishOutputs({ ...state, recipients: [...recipients.values()], resources: [...resources.values()] });

  try {
    // 1. The share itself: rename, or resume waiting for it to settle.
    // The PUT's own response always shows the new name; only a read shows when it is in effect.
    // With the name unchanged and the share last seen active there is nothing to wait for.
    if (news.name !== olds.name || olds.status !== "active") {
      if (news.name !== olds.name) await api.shares.update(account, id, { name: news.name });
      const share = await waitShareActive(wait, id, timeout, { name: news.name });
      state = { ...state, ...shareFields(share) };
    }

    // 2. Recipients: add the new, remove the gone, resume the unsettled.
    const declaredRecipients = news.recipients ?? [];
    const declaredKeys = new Set(declaredRecipients.map(recipientKey));
    const recipientTasks = [
      ...declaredRecipients.map((declaration) => async () => {
        const key = recipientKey(declaration);
        let tracked = recipients.get(key);
        if (tracked === undefined) {
          const { object: created } = await createOwned(recipientCreate(api, wait.log, news.ownerStack, account, id, declaration, "this Share"));
          tracked = managedRecipient(declaration, created);
          recipients.set(key, tracked);
        }
        if (tracked.associationStatus === "associated") return;
        const settled = await waitRecipientAssociated(wait, id, tracked.id, timeout, { afterCreate: true, label: recipientLabel(declaration, tracked.id, id) });
        recipients.set(key, managedRecipient(declaration, settled));
      }),
      ...[...recipients.entries()]
        .filter(([key]) => !declaredKeys.has(key))
        .map(([key, tracked]) => async () => {
          const removed = await deleteTolerantly(api.recipients.delete(account, id, tracked.id));
          if (removed) recipients.set(key, { ...tracked, associationStatus: removed.association_status });
          await waitRecipientGone(wait, id, tracked.id, timeout, removed);
          recipients.delete(key);
        }),
    ];

    // 3. Resources: add the new and update changed meta first; remove the gone only afterwards,
    //    so the share never passes through having no resource (the API refuses to delete the last
    //    one). A resource whose owning account changed is removed, then added anew.
    const declaredResources = new Map((news.resources ?? []).map((d) => [resourceKey(d), d]));
    const createResource = async (key: string, declaration: ResourceDeclaration) => {
      const meta = normalizeMeta(declaration.meta);
      const body = {
        resource_type: declaration.resourceType,
        resource_id: declaration.resourceId,
        resource_account_id: declaration.resourceAccountId,
        meta: metaObject(meta),
      };
      const { object: created } = await createOwned(resourceCreate(api, wait.log, news.ownerStack, account, id, body, "this Share"));
      resources.set(key, managedResource(created));
      // One left by an interrupted run may carry other meta; the PUT's response proves nothing, a read does.
      const metaMatches = normalizeMeta(created.meta ?? {}) === meta;
      if (!metaMatches) await api.resources.update(account, id, created.id, { meta: metaObject(meta) });
      const settled = await waitResourceActive(wait, id, created.id, timeout, { initial: metaMatches ? created : undefined, meta, afterCreate: true });
      resources.set(key, managedResource(settled));
    };
    const resourceTasks = [...declaredResources.entries()].map(([key, declaration]) => async () => {
      const tracked = resources.get(key);
      if (tracked === undefined) return createResource(key, declaration);
      if (tracked.resourceAccountId !== declaration.resourceAccountId) return; // replaced below
      const meta = normalizeMeta(declaration.meta);
      if (tracked.meta === meta && tracked.status === "active") return;
      // As for a rename: the PUT's response shows the new meta at once; wait until reads do.
      if (tracked.meta !== meta) await api.resources.update(account, id, tracked.id, { meta: metaObject(meta) });
      resources.set(key, managedResource(await waitResourceActive(wait, id, tracked.id, timeout, { meta })));
    });

    const failures = await settleAll([...recipientTasks, ...resourceTasks]);

    const removals = [...resources.entries()].filter(([key, tracked]) => declaredResources.get(key)?.resourceAccountId !== tracked.resourceAccountId);
    failures.push(
      ...(await settleAll(
        removals.map(([key, tracked]) => async () => {
          const removed = await deleteTolerantly(api.resources.delete(account, id, tracked.id));
          if (removed) resources.set(key, managedResource(removed));
          await waitResourceGone(wait, id, tracked.id, timeout, removed);
          resources.delete(key);
          const replacement = declaredResources.get(key);
          if (replacement) await createResource(key, replacement);
        }),
      )),
    );
    if (failures.length > 0) throw new ResourceInitError(id, { ...snapshot() }, news as unknown as Record<string, unknown>, failures);
    return snapshot();
  } catch (error) {
    throw shareInitError(id, snapshot(), news, error);
  }
}

function recipientLabel(declaration: RecipientDeclaration, recipientId: string, shareId: string): string {
  return `recipient ${recipientId} (${describeTarget(declaration)}) of share ${shareId}`;
}
