// The ShareResource provider: one object shared by a share (a ruleset, a gateway policy…).
// This file's module.exports is the provider object itself: installed under node_modules, Pulumi
// serializes it as a one-line require() of this file instead of by value (see README, "How it works").

import type * as pulumi from "@pulumi/pulumi";
import type { ShareResourceObject } from "../client/types";
import { rememberStackConfig } from "../config";
import { runtimeFor, warn } from "../runtime";
import { forReading, lookupResource } from "../wait/finders";
import { isGone, isSettled, RESOURCE_LIFECYCLE } from "../wait/lifecycle";
import { TerminalStatusError } from "../wait/errors";
import { deadlineSignal } from "../wait/deadline-signal";
import { latestView } from "../wait/latest-view";
import { budgetOf, describeResource, waitResourceActive, waitResourceGone, waitResourcePropagated, WaitContext } from "../wait/waits";
import { deleteTolerantly, explain, messageOf, readResult, ResourceInitError } from "./common";
import { confirmResourceInState, resourceCreate } from "./owned-creates";
import { createOwned } from "./ownership";
import { handingOver } from "./hand-over";
import { journalOwner } from "./journal";
import { Checker, containsUnknown, isUnknown, metaObject, normalizeMeta, timeoutMs, withoutNulls, withoutUndefined } from "./inputs";
import { forcedReplaces } from "./forced-replacements";
import { afterLeaving, waitForLeavingResources } from "./re-add";
import { timeoutsChanged } from "./settling";
import { terminalAdvice } from "./terminal";
import { isSettledState, REPLACE_ON_CHANGE, resourceInputsOf, resourceOutputsOf, ShareResourceInputs, ShareResourceOutputs, TIMEOUT_KEYS } from "./share-resource-model";
import { exclusiveShareConflict } from "./exclusive-shares";

/** Throws the partial-failure error: the object exists, keep it in state and resume next time. */
function stillSettling(id: string, inputs: ShareResourceInputs, server: ShareResourceObject, error: unknown, raw: Record<string, unknown>): never {
  const reported = error instanceof TerminalStatusError ? terminalAdvice(error) : error;
  // Not seen to reach its recipients either: the next `up` resumes the waits (see `diff`).
  throw new ResourceInitError(id, { ...resourceOutputsOf(inputs, server, false) }, raw, [messageOf(reported)]);
}

const provider: pulumi.dynamic.ResourceProvider<ShareResourceInputs, ShareResourceOutputs> = {
  async configure(request) {
    rememberStackConfig(request.config);
  },

  async check(_olds, news) {
    const checker = new Checker();
    checker.id("accountId", news.accountId);
    checker.id("shareId", news.shareId);
    const exclusiveConflict = exclusiveShareConflict(news.shareId, "ShareResource");
    if (exclusiveConflict) checker.fail("shareId", exclusiveConflict);
    checker.resourceType("resourceType", news.resourceType);
    checker.id("resourceId", news.resourceId);
    checker.id("resourceAccountId", news.resourceAccountId);
    checker.meta("meta", news.meta);
    checker.timeouts("timeouts", news.timeouts, TIMEOUT_KEYS);
    checker.id("adopt", news.adopt, false);
    for (const warning of checker.warnings) warn(warning);
    if (checker.failures.length > 0) return { failures: checker.failures };
    const meta = news.meta === undefined ? "{}" : containsUnknown(news.meta) ? news.meta : normalizeMeta(news.meta);
    return { inputs: withoutNulls({ ...news, meta }) };
  },

  async diff(id, olds, news) {
    confirmResourceInState(journalOwner(news) ?? journalOwner(olds), id, olds);
    const metaChanged = containsUnknown(news.meta) || normalizeMeta(news.meta ?? {}) !== olds.meta;
    const newTimeouts = timeoutsChanged(olds.timeouts, news.timeouts);
    // What would be updated in place, unless the program's `replaceOnChanges` names it.
    const updated: Record<string, [unknown, unknown]> = {
      ...(metaChanged ? { meta: [olds.meta, news.meta] } : {}),
      ...(newTimeouts ? { timeouts: [olds.timeouts, news.timeouts] } : {}),
    };
    const replaces = [...REPLACE_ON_CHANGE.filter((key) => isUnknown(news[key]) || news[key] !== olds[key]), ...forcedReplaces(news.replaceOnChanges, updated)];
    // The same object on the same share cannot exist twice: a replacement that keeps the natural key
    // (the account changed, or the engine replaces it for `--replace` or `replaceOnChanges`) must
    // remove the old one first. The engine asks only when it replaces, so the answer stands for any.
    const sameNaturalKey = !replaces.some((key) => key === "shareId" || key === "resourceType" || key === "resourceId");
    // Also a change: a resource the last run did not see settle or reach its recipients (the update
    // resumes the wait), and new timeouts (the update writes them to state without a request).
    const unsettled = !isSettledState(olds);
    return {
      changes: replaces.length > 0 || metaChanged || unsettled || newTimeouts,
      replaces,
      deleteBeforeReplace: sameNaturalKey,
    };
  },

  async create(inputs) {
    // Checked again before the first write: the Share may have been reached after this check.
    const exclusiveConflict = exclusiveShareConflict(inputs.shareId, "ShareResource");
    if (exclusiveConflict) throw new Error(exclusiveConflict);
    const raw = inputs as unknown as Record<string, unknown>;
    const { api, wait } = runtimeFor(inputs.accountId);
    const timeout = timeoutMs(inputs.timeouts, "create");
    // One deadline for the create: each wait gets what is left of it.
    const budget = budgetOf(timeout);
    const meta = normalizeMeta(inputs.meta);
    let created: ShareResourceObject;
    if (inputs.adopt) {
      created = await adopt(wait, inputs);
    } else {
      try {
        const body = {
          resource_type: inputs.resourceType,
          resource_id: inputs.resourceId,
          resource_account_id: inputs.resourceAccountId,
          meta: metaObject(meta),
        };
        const spec = resourceCreate(api, wait.log, journalOwner(inputs), inputs.accountId, inputs.shareId, body, "this ShareResource", deadlineSignal(wait, budget), wait);
        created = (await createOwned(afterLeaving(spec, () => waitForLeavingResources(wait, inputs.shareId, body, budget)))).object;
      } catch (error) {
        throw explain(`creating share resource ${inputs.resourceType} ${inputs.resourceId} on share ${inputs.shareId}`, error);
      }
    }
    try {
      // A fresh POST's response is the object as created. One taken over (adopted, or left by an
      // interrupted run) may need its meta brought to the declared value, and a PUT's response shows
      // the new meta before reads do, so then only a read counts.
      const metaMatches = normalizeMeta(created.meta ?? {}) === meta;
      if (!metaMatches) await api.resources.update(inputs.accountId, inputs.shareId, created.id, { meta: metaObject(meta) }, { signal: deadlineSignal(wait, budget) });
      const initial = metaMatches && !inputs.adopt ? created : undefined;
      const settled = await waitResourceActive(wait, inputs.shareId, created.id, budget, { initial, meta, afterCreate: true });
      await waitResourcePropagated(wait, inputs.shareId, settled.id, settled.resource_version, budget);
      return { id: created.id, outs: resourceOutputsOf(inputs, settled, true) };
    } catch (error) {
      stillSettling(created.id, inputs, created, error, raw);
    }
  },

  async read(id, props) {
    const current = props!;
    confirmResourceInState(journalOwner(current), id, current);
    const { wait } = runtimeFor(current.accountId);
    const server = await lookupResource(wait, current.shareId, id, forReading(wait));
    // Gone (404, deleting, deleted, or its share gone): an empty id makes the engine drop it, and the
    // next `up` creates it again.
    if (server === undefined || isGone(RESOURCE_LIFECYCLE, server.status)) return { id: "" };
    // Whether recipients have it is what the last wait saw: one still unfinished stays so, and the
    // next `up` resumes it. State that is only the declaration (a pending create put in state by
    // `recover`: the declared fields, no status) never saw it: the next `up` waits for it. An import's
    // seed (only the account and share) has nothing to resume.
    const fromDeclaration = current.status === undefined && current.resourceType !== undefined;
    const outs = resourceOutputsOf(current, server, !fromDeclaration && current.propagated !== false);
    return readResult(id, outs, resourceInputsOf(outs));
  },

  async update(id, olds, news) {
    confirmResourceInState(journalOwner(news) ?? journalOwner(olds), id, olds);
    const raw = news as unknown as Record<string, unknown>;
    const { api, wait } = runtimeFor(news.accountId);
    const timeout = timeoutMs(news.timeouts, "update");
    const started = Date.now();
    const meta = normalizeMeta(news.meta);
    // Only new timeouts (or `adopt`): state records them, no request is needed.
    if (meta === olds.meta && isSettledState(olds)) {
      return { outs: withoutUndefined({ ...olds, timeouts: news.timeouts, adopt: news.adopt }) };
    }
    // One deadline for the update: the PUT with its retries, then each wait gets what is left of it.
    const budget = { totalMs: timeout, deadline: started + timeout };
    let latest: ShareResourceObject | undefined;
    try {
      if (meta !== olds.meta) {
        latest = await api.resources.update(news.accountId, news.shareId, id, { meta: metaObject(meta) }, { signal: deadlineSignal(wait, budget) });
      }
      // Also the path that resumes a create or update whose wait did not finish last time (with no
      // write when only the wait is left: an `active` resource takes one look here).
      const settled = await waitResourceActive(wait, news.shareId, id, budget, { meta });
      await waitResourcePropagated(wait, news.shareId, id, settled.resource_version, budget);
      return { outs: resourceOutputsOf(news, settled, true) };
    } catch (error) {
      // The latest view: one bounded look, so that the error still comes by the deadline plus one request timeout.
      const known = latest ?? (await latestView(wait, (signal) => lookupResource(wait, news.shareId, id, undefined, signal), budget.deadline));
      if (known === undefined) throw explain(`updating ${describeResource(news.shareId, id)}`, error);
      stillSettling(id, news, known, error, raw);
    }
  },

  async delete(id, props) {
    const { api, wait } = runtimeFor(props.accountId);
    confirmResourceInState(journalOwner(props), id, props);
    // One deadline for the delete: the DELETE with its retries, then the wait.
    const budget = budgetOf(timeoutMs(props.timeouts, "delete"));
    const deleted = await deleteTolerantly(api.resources.delete(props.accountId, props.shareId, id, { signal: deadlineSignal(wait, budget) })).catch((error) => {
      throw explain(`deleting ${describeResource(props.shareId, id)}`, error);
    });
    await waitResourceGone(wait, props.shareId, id, budget, deleted).catch((error: unknown) => {
      throw explain(`deleting ${describeResource(props.shareId, id)}`, error);
    });
  },
};

/** Finds the share resource to take over instead of creating one, after checking it is the declared one. */
async function adopt(wait: WaitContext, inputs: ShareResourceInputs): Promise<ShareResourceObject> {
  const existing = await lookupResource(wait, inputs.shareId, inputs.adopt!);
  const what = describeResource(inputs.shareId, inputs.adopt!);
  if (existing === undefined || !isSettled(RESOURCE_LIFECYCLE, existing.status)) {
    throw new Error(`cannot adopt ${what}: it ${existing ? `is ${existing.status}` : "does not exist"}`);
  }
  const mismatches = [
    ["resourceType", existing.resource_type, inputs.resourceType],
    ["resourceId", existing.resource_id, inputs.resourceId],
    ["resourceAccountId", existing.resource_account_id, inputs.resourceAccountId],
  ].filter(([, actual, declared]) => actual !== declared);
  if (mismatches.length > 0) {
    const detail = mismatches.map(([field, actual, declared]) => `${field} is "${actual}", declared "${declared}"`).join(", ");
    throw new Error(`cannot adopt ${what}: it does not match the declaration (${detail})`);
  }
  return existing;
}

export = handingOver(provider);
