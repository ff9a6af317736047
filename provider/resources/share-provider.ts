// The Share provider. A share is created with its first recipients and resources in one request;
// after that, inline recipients and resources are reconciled one by one through the sub-resource
// endpoints (the share itself is never replaced for that), and only the items this Share declared
// are ever touched, so separately declared ShareRecipient / ShareResource objects coexist with it.
// This file's module.exports is the provider object itself (see share-resource-provider.ts).

import type * as pulumi from "@pulumi/pulumi";
import { NotFoundError, ValidationError } from "../client/core/errors";
import type { ShareCreateBody, ShareObject, ShareResourceObject } from "../client/types";
import { rememberStackConfig } from "../config";
import { Runtime, runtimeFor } from "../runtime";
import { forReading, lookupRecipient, lookupShare } from "../wait/finders";
import { Observation, waitForStatus } from "../wait/waiter";
import {
  describeShare,
  isTransientApiError,
  waitRecipientAssociated,
  waitRecipientGone,
  waitResourceActive,
  waitResourceGone,
  waitShareActive,
  waitShareGone,
} from "../wait/waits";
import { createOrTakeOver, deleteTolerantly, explain, messageOf, readResult, ResourceInitError, settleAll } from "./common";
import { Checker, containsUnknown, isPlainObject, isUnknown, metaObject, normalizeMeta, timeoutMs, withoutNulls } from "./inputs";
import {
  finishOutputs,
  inputsOf,
  ManagedRecipient,
  managedRecipient,
  ManagedResource,
  managedResource,
  matchRecipients,
  matchResources,
  RecipientDeclaration,
  recipientKey,
  ResourceDeclaration,
  resourceKey,
  shareFields,
  ShareInputs,
  ShareOutputs,
  TIMEOUT_KEYS,
} from "./share-model";
import { adoptDifferences } from "./share-adopt-check";
import { checkRecipientTarget, describeTarget, RECIPIENT_GONE_STATUSES, recipientInput } from "./share-recipient-model";

const provider: pulumi.dynamic.ResourceProvider<ShareInputs, ShareOutputs> = {
  async configure(request) {
    rememberStackConfig(request.config);
  },

  async check(_olds, news) {
    const checker = new Checker();
    checker.id("accountId", news.accountId);
    checker.nonEmptyString("name", news.name);
    checkItems(checker, news);
    checker.timeouts("timeouts", news.timeouts, TIMEOUT_KEYS);
    checker.id("adopt", news.adopt, false);
    if (news.adoptOnlyIfMatching !== undefined && news.adoptOnlyIfMatching !== null && typeof news.adoptOnlyIfMatching !== "boolean" && !isUnknown(news.adoptOnlyIfMatching)) {
      checker.fail("adoptOnlyIfMatching", `adoptOnlyIfMatching must be true or false, got ${JSON.stringify(news.adoptOnlyIfMatching)}`);
    }
    for (const warning of checker.warnings) console.log(`warning: ${warning}`);
    if (checker.failures.length > 0) return { failures: checker.failures };
    const resources = Array.isArray(news.resources)
      ? news.resources.map((resource) => (containsUnknown(resource) ? resource : { ...resource, meta: normalizeMeta(resource.meta) }))
      : news.resources;
    // Explicit nulls become absent, so that every later step has one meaning of "not given".
    const recipients = Array.isArray(news.recipients) ? news.recipients.map((recipient) => withoutNulls(recipient)) : news.recipients;
    return { inputs: withoutNulls({ ...news, recipients, resources }) };
  },

  async diff(_id, olds, news) {
    if (isUnknown(news.accountId) || news.accountId !== olds.accountId) {
      return { changes: true, replaces: ["accountId"], deleteBeforeReplace: false };
    }
    const nameChanged = isUnknown(news.name) || news.name !== olds.name;
    const recipientsChanged = containsUnknown(news.recipients) || !sameKeys((news.recipients ?? []).map(recipientKey), olds.recipients.map(recipientKey));
    const resourcesChanged =
      containsUnknown(news.resources) ||
      !sameKeys((news.resources ?? []).map(resourceState), olds.resources.map(resourceState));
    return { changes: nameChanged || recipientsChanged || resourcesChanged, replaces: [], deleteBeforeReplace: false };
  },

  async create(inputs) {
    const runtime = runtimeFor(inputs.accountId);
    const timeout = timeoutMs(inputs.timeouts, "create");
    if (inputs.adopt) return adopt(runtime, inputs, timeout);

    const body: ShareCreateBody = {
      name: inputs.name,
      recipients: (inputs.recipients ?? []).map(recipientInput),
      resources: (inputs.resources ?? []).map((resource) => ({
        resource_type: resource.resourceType,
        resource_id: resource.resourceId,
        resource_account_id: resource.resourceAccountId,
        meta: metaObject(resource.meta),
      })),
    };
    let share: ShareObject;
    try {
      share = (await findInterruptedCreate(runtime, inputs.accountId, body)) ?? (await runtime.api.shares.create(inputs.accountId, body));
    } catch (error) {
      throw explain(`creating share "${inputs.name}" in account ${inputs.accountId}`, error);
    }
    // From here on the share exists: every failure must keep it (and what it made) in state.
    let known: ShareOutputs | undefined;
    try {
      known = await discover(runtime, inputs, share, timeout);
      return { id: share.id, outs: await reconcile(runtime, share.id, known, inputs, timeout) };
    } catch (error) {
      // Discovery failed: one more look, so that state records the items the create made and a
      // refresh sees them (the next `up` would otherwise find them only by their 409s).
      known ??= (await observeCreated(runtime, inputs, share.id).catch(() => undefined))?.value ?? stateOf(inputs, share, [], []);
      throw asInitError(share.id, known, inputs, error);
    }
  },

  async read(id, props) {
    const current = props!;
    const { wait } = runtimeFor(current.accountId);
    const share = await lookupShare(wait, id, forReading(wait));
    // Gone: an empty id makes the engine drop the share from state; the next `up` creates it again.
    if (share === undefined || share.status === "deleted") return { id: "" };
    const recipients: ManagedRecipient[] = [];
    await Promise.all(
      current.recipients.map(async (recipient) => {
        const server = await lookupRecipient(wait, id, recipient.id, forReading(wait));
        // Removed out of band (or being removed): dropped here, added again by the next `up`.
        if (server && !RECIPIENT_GONE_STATUSES.includes(server.association_status)) {
          recipients.push(managedRecipient(recipient, server));
        }
      }),
    );
    const resources = current.resources.flatMap((resource) => {
      const server = share.resources?.find((candidate) => candidate.id === resource.id);
      return server && server.status === "active" ? [managedResource(server)] : [];
    });
    const outs = stateOf(current, share, inDeclaredOrder(current.recipients, recipients), resources);
    return readResult(id, outs, inputsOf(outs));
  },

  async update(id, olds, news) {
    const runtime = runtimeFor(news.accountId);
    try {
      return { outs: await reconcile(runtime, id, olds, news, timeoutMs(news.timeouts, "update")) };
    } catch (error) {
      if (error instanceof ResourceInitError) throw error;
      throw asInitError(id, olds, news, error);
    }
  },

  async delete(id, props) {
    const { api, wait } = runtimeFor(props.accountId);
    const timeout = timeoutMs(props.timeouts, "delete");
    const started = Date.now();
    let deleted: ShareObject | undefined;
    try {
      deleted = await deleteTolerantly(api.shares.delete(props.accountId, id));
    } catch (error) {
      // Already being deleted (out of band, or a DELETE whose response was lost): just wait.
      const current = error instanceof ValidationError ? await lookupShare(wait, id) : undefined;
      if (current === undefined || current.status === "active") throw explain(`deleting ${describeShare(id)}`, error);
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

/** Every inline item checked: targets, ids, types, meta; at least one of each; no duplicates. */
function checkItems(checker: Checker, news: ShareInputs): void {
  const lists: [string, unknown][] = [["recipients", news.recipients], ["resources", news.resources]];
  for (const [field, list] of lists) {
    if (isUnknown(list)) continue;
    if (!Array.isArray(list) || list.length === 0) {
      checker.fail(
        field,
        `${field} must list at least one ${field === "recipients" ? "recipient" : "resource"}: the API creates a share only with ` +
          `at least one recipient and one resource (declare further ones inline or as separate Share${field === "recipients" ? "Recipient" : "Resource"} resources)`,
      );
    }
  }
  const seen = new Map<string, number>();
  (Array.isArray(news.recipients) ? news.recipients : []).forEach((recipient, index) => {
    if (containsUnknown(recipient)) return;
    if (!isPlainObject(recipient)) {
      checker.fail(`recipients[${index}]`, `recipients[${index}] must be an object such as { recipientAccountId: "…" }`);
      return;
    }
    checkRecipientTarget(checker, `recipients[${index}].`, recipient);
    const target = recipient.recipientAccountId ?? recipient.organizationId;
    if (typeof target !== "string") return; // already reported; no key to compare
    const key = recipientKey(recipient);
    if (seen.has(key)) checker.fail(`recipients[${index}]`, `recipients[${index}] repeats recipients[${seen.get(key)}]: each recipient may be listed once`);
    else seen.set(key, index);
  });
  seen.clear();
  (Array.isArray(news.resources) ? news.resources : []).forEach((resource, index) => {
    const prefix = `resources[${index}]`;
    if (!isPlainObject(resource)) {
      checker.fail(prefix, `${prefix} must be an object such as { resourceType, resourceId, resourceAccountId, meta }`);
      return;
    }
    checker.resourceType(`${prefix}.resourceType`, resource?.resourceType);
    checker.id(`${prefix}.resourceId`, resource?.resourceId);
    checker.id(`${prefix}.resourceAccountId`, resource?.resourceAccountId);
    checker.meta(`${prefix}.meta`, resource?.meta);
    if (typeof resource.resourceType !== "string" || typeof resource.resourceId !== "string" || containsUnknown(resource)) return;
    const key = resourceKey(resource);
    if (seen.has(key)) checker.fail(prefix, `${prefix} repeats resources[${seen.get(key)}] (${key}): each resource may be listed once`);
    else seen.set(key, index);
  });
}

function sameKeys(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().join("\n") === [...b].sort().join("\n");
}

/** Everything about an inline resource that, when changed, needs an API call. */
function resourceState(resource: ResourceDeclaration | ManagedResource): string {
  return `${resourceKey(resource)}|${resource.resourceAccountId}|${normalizeMeta(resource.meta)}`;
}

function stateOf(inputs: ShareInputs | ShareOutputs, share: ShareObject, recipients: ManagedRecipient[], resources: ManagedResource[]): ShareOutputs {
  return finishOutputs({
    accountId: inputs.accountId,
    timeouts: inputs.timeouts,
    adopt: inputs.adopt,
    ...shareFields(share),
    recipients,
    resources,
  });
}

function inDeclaredOrder<T extends { id: string }>(order: readonly { id: string }[], items: T[]): T[] {
  const position = new Map(order.map((item, index) => [item.id, index]));
  return [...items].sort((a, b) => (position.get(a.id) ?? 0) - (position.get(b.id) ?? 0));
}

function asInitError(id: string, known: ShareOutputs, inputs: ShareInputs, error: unknown): ResourceInitError {
  if (error instanceof ResourceInitError) return error;
  return new ResourceInitError(id, { ...known }, inputs as unknown as Record<string, unknown>, [messageOf(error)]);
}

/**
 * One look at what a create made: the share with the declared recipients and resources it has so
 * far (the create response carries none of their ids). `undefined` while the share is not readable.
 */
async function observeCreated(runtime: Runtime, inputs: ShareInputs, shareId: string): Promise<Observation<ShareOutputs> | undefined> {
  const { api, wait } = runtime;
  const declaredRecipients = inputs.recipients ?? [];
  const declaredResources = inputs.resources ?? [];
  const [withResources, recipients] = await Promise.all([
    lookupShare(wait, shareId),
    api.recipients.listAll(inputs.accountId, shareId, { include_resources: true }).catch((error: unknown) => {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }),
  ]);
  if (withResources === undefined || recipients === undefined) return undefined;
  const recipientMatches = matchRecipients(declaredRecipients, recipients);
  const resourceMatches = matchResources(declaredResources, withResources.resources ?? []);
  const state = stateOf(
    inputs,
    withResources,
    declaredRecipients.flatMap((d) => (recipientMatches.has(recipientKey(d)) ? [managedRecipient(d, recipientMatches.get(recipientKey(d))!)] : [])),
    declaredResources.flatMap((d) => (resourceMatches.has(resourceKey(d)) ? [managedResource(resourceMatches.get(resourceKey(d))!)] : [])),
  );
  const complete = state.recipients.length === declaredRecipients.length && state.resources.length === declaredResources.length;
  return { value: state, status: complete ? "complete" : "incomplete" };
}

/** After a create: waits until every declared item is visible, tolerating a short read-after-create lag. */
async function discover(runtime: Runtime, inputs: ShareInputs, share: ShareObject, timeout: number): Promise<ShareOutputs> {
  const { wait } = runtime;
  const found = await waitForStatus<ShareOutputs>({
    what: `the recipients and resources of ${describeShare(share.id)}`,
    pending: ["incomplete"],
    target: ["complete"],
    timeoutMs: timeout,
    notFoundChecks: wait.createNotFoundChecks,
    schedule: wait.schedule,
    clock: wait.clock,
    isTransient: isTransientApiError,
    refresh: () => observeCreated(runtime, inputs, share.id),
  });
  return found!;
}

/**
 * Brings the share from `olds` (what state says we manage) to `news` (what the program declares),
 * and waits until all of it has settled. Also resumes waits that a previous run left unfinished.
 * Every item created is recorded in the state at once, so a failure anywhere still leaves every
 * object Cloudflare has in state: the error thrown carries that state (see ResourceInitError).
 */
async function reconcile(runtime: Runtime, id: string, olds: ShareOutputs, news: ShareInputs, timeout: number): Promise<ShareOutputs> {
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
          const body = recipientInput(declaration);
          const created = await createOrTakeOver(
            () => api.recipients.create(account, id, body),
            () => api.recipients.findCreated(account, id, body),
            wait.log,
            `the recipient ${describeTarget(declaration)} of share ${id}`,
          );
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
      const created = await createOrTakeOver(
        () => api.resources.create(account, id, body),
        () => api.resources.findCreated(account, id, body),
        wait.log,
        `${declaration.resourceType} ${declaration.resourceId} on share ${id}`,
      );
      resources.set(key, managedResource(created));
      // One taken over after a 409 may carry other meta; the PUT's response proves nothing, a read does.
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
    throw asInitError(id, snapshot(), news, error);
  }
}

function recipientLabel(declaration: RecipientDeclaration, recipientId: string, shareId: string): string {
  return `recipient ${recipientId} (${describeTarget(declaration)}) of share ${shareId}`;
}

/**
 * A share that an interrupted run (a killed `pulumi up`) created but never recorded in state: same
 * exact name, same resources, same account recipients, created within the recovery window. Taking
 * it over instead of creating a second one is what keeps a crashed pipeline from leaving duplicates.
 * Costs one list request (newest first, so usually one page) per Share create.
 */
async function findInterruptedCreate(runtime: Runtime, accountId: string, body: ShareCreateBody): Promise<ShareObject | undefined> {
  const windowMs = runtime.settings.interruptedCreateWindowMs;
  if (!(windowMs > 0)) return undefined;
  const candidate = await runtime.api.shares.findCreated(accountId, body, Date.now() - windowMs);
  if (candidate === undefined) return undefined;
  const recipients = await runtime.api.recipients.listAll(accountId, candidate.id);
  const declared = body.recipients.map((r) => r.recipient_account_id ?? r.organization_id).sort();
  const live = recipients.filter((r) => !RECIPIENT_GONE_STATUSES.includes(r.association_status)).map((r) => r.account_id).sort();
  if (declared.join() !== live.join()) return undefined;
  runtime.wait.log(`share ${candidate.id} "${candidate.name}" was created ${new Date(candidate.created).toISOString()} with these recipients and resources but is not in state (an interrupted run?); taking it over instead of creating a duplicate`);
  return candidate;
}

/**
 * Takes over an existing share instead of creating one: it must exist, be active and belong to the
 * declared account. Declared items it already has are taken over; the rest are added, and the name
 * and meta brought to what the program declares. With `adoptOnlyIfMatching`, any difference fails
 * the create before a single write, naming every difference.
 */
async function adopt(runtime: Runtime, inputs: ShareInputs, timeout: number): Promise<pulumi.dynamic.CreateResult<ShareOutputs>> {
  const { api, wait } = runtime;
  const shareId = inputs.adopt!;
  const share = await lookupShare(wait, shareId);
  const what = describeShare(shareId);
  if (share === undefined || share.status !== "active") {
    throw new Error(`cannot adopt ${what}: it ${share ? `is ${share.status}` : "does not exist"}`);
  }
  if (share.account_id !== inputs.accountId || share.kind === "received") {
    throw new Error(`cannot adopt ${what}: it belongs to account ${share.account_id}, not ${inputs.accountId}`);
  }
  const server = await api.recipients.listAll(inputs.accountId, shareId, { include_resources: true });
  if (inputs.adoptOnlyIfMatching) {
    const differences = adoptDifferences(inputs, share, server);
    if (differences.length > 0) {
      throw new Error(
        `cannot adopt ${what} "${share.name}": it differs from the program (changed since it was discovered?): ${differences.join("; ")}. ` +
          `Nothing was changed (adoptOnlyIfMatching). Declare what the share now has (or run discover again), ` +
          `or remove adoptOnlyIfMatching to bring the share to the program.`,
      );
    }
  }
  const declaredRecipients = inputs.recipients ?? [];
  const recipientMatches = matchRecipients(declaredRecipients, server);
  // Matched by (type, id) only: one that differs in owning account is then replaced by reconcile.
  const resourceMatches = new Map<string, ShareResourceObject>(
    (share.resources ?? [])
      .filter((resource) => resource.status === "active")
      .map((resource) => [resourceKey({ resourceType: resource.resource_type, resourceId: resource.resource_id }), resource]),
  );
  const olds = stateOf(
    inputs,
    share,
    declaredRecipients.flatMap((d) => (recipientMatches.has(recipientKey(d)) ? [managedRecipient(d, recipientMatches.get(recipientKey(d))!)] : [])),
    (inputs.resources ?? []).flatMap((d) => (resourceMatches.has(resourceKey(d)) ? [managedResource(resourceMatches.get(resourceKey(d))!)] : [])),
  );
  try {
    return { id: shareId, outs: await reconcile(runtime, shareId, olds, inputs, timeout) };
  } catch (error) {
    throw asInitError(shareId, olds, inputs, error);
  }
}

export = provider;
