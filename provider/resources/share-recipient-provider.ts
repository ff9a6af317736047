// The ShareRecipient provider: one account (or the caller's organization) that receives a share.
// A recipient has no updatable field; removing one is a soft delete that ends in `disassociated`.
// This file's module.exports is the provider object itself (see share-resource-provider.ts).

import type * as pulumi from "@pulumi/pulumi";
import { ValidationError } from "../client/core/errors";
import type { RecipientObject } from "../client/types";
import { rememberStackConfig } from "../config";
import { runtimeFor } from "../runtime";
import { forReading, lookupRecipient, lookupRecipients, lookupShare } from "../wait/finders";
import { TerminalStatusError } from "../wait/errors";
import { deadlineSignal } from "../wait/deadline-signal";
import { latestView } from "../wait/latest-view";
import { isGone, isSettled, RECIPIENT_LIFECYCLE } from "../wait/lifecycle";
import { rememberRecipientWrite } from "../wait/watched-recipients";
import { budgetOf, describeRecipient, waitRecipientAssociated, waitRecipientGone, WaitContext } from "../wait/waits";
import { deleteTolerantly, explain, messageOf, readResult, ResourceInitError } from "./common";
import { createOwned } from "./ownership";
import { handingOver } from "./hand-over";
import { journalOwner } from "./journal";
import { confirmRecipientInState, recipientCreate } from "./owned-creates";
import { Checker, isUnknown, timeoutMs, withoutNulls, withoutUndefined } from "./inputs";
import { forcedReplaces } from "./forced-replacements";
import { afterLeaving, waitForLeavingRecipients } from "./re-add";
import { timeoutsChanged } from "./settling";
import { terminalAdvice } from "./terminal";
import { exclusiveShareConflict } from "./exclusive-shares";
import { recipientTarget } from "./recipient-target";
import {
  checkRecipientTarget,
  hasValue,
  describeTarget,
  recipientInput,
  recipientInputsOf,
  recipientOutputsOf,
  REPLACE_ON_CHANGE,
  ShareRecipientInputs,
  ShareRecipientOutputs,
  TIMEOUT_KEYS,
} from "./share-recipient-model";

/** Cloudflare's reason for a terminal error in a recipient's state, if any. */
function terminalErrorOf(state: ShareRecipientOutputs): string | undefined {
  return state.resources?.find((entry) => entry.terminal && entry.error)?.error;
}

function adviseOnTerminal(error: unknown): unknown {
  return error instanceof TerminalStatusError ? terminalAdvice(error) : error;
}

function label(inputs: ShareRecipientInputs, recipientId: string): string {
  return `recipient ${recipientId} (${describeTarget(inputs)}) of share ${inputs.shareId}`;
}

const provider: pulumi.dynamic.ResourceProvider<ShareRecipientInputs, ShareRecipientOutputs> = {
  async configure(request) {
    rememberStackConfig(request.config);
  },

  async check(_olds, news) {
    const checker = new Checker();
    checker.id("accountId", news.accountId);
    checker.id("shareId", news.shareId);
    const exclusiveConflict = exclusiveShareConflict(news.shareId, "ShareRecipient");
    if (exclusiveConflict) checker.fail("shareId", exclusiveConflict);
    checkRecipientTarget(checker, "", news);
    checker.timeouts("timeouts", news.timeouts, TIMEOUT_KEYS);
    checker.id("adopt", news.adopt, false);
    if (checker.failures.length > 0) return { failures: checker.failures };
    return { inputs: withoutNulls(news) };
  },

  async diff(id, olds, news) {
    confirmRecipientInState(journalOwner(news) ?? journalOwner(olds), id, olds);
    const newTimeouts = timeoutsChanged(olds.timeouts, news.timeouts);
    const replaces: string[] = REPLACE_ON_CHANGE.filter((key) => isUnknown(news[key]) || news[key] !== olds[key]);
    // Cloudflare never retries a terminal error: a new association of the same target is the only
    // new attempt.
    const retry = replaces.length === 0 && terminalErrorOf(olds) !== undefined;
    if (retry) replaces.push(hasValue(olds.recipientAccountId) ? "recipientAccountId" : "organizationId");
    // New timeouts are written in place, unless the program's `replaceOnChanges` names them.
    replaces.push(...forcedReplaces(news.replaceOnChanges, newTimeouts ? { timeouts: [olds.timeouts, news.timeouts] } : {}));
    // The same target cannot be added to the same share twice while the old one is still there: a
    // replacement that keeps it (the account changed, a retry, or the engine replaces it for
    // `--replace` or `replaceOnChanges`) must remove the old one first. The engine asks only when it
    // replaces, so the answer stands for any.
    const sameNaturalKey = retry || !replaces.some((key) => key === "shareId" || key === "recipientAccountId" || key === "organizationId");
    // Also a change: a recipient the last run did not see associated (the update resumes the wait),
    // and new timeouts (the update writes them to state without a request).
    const unsettled = !isSettled(RECIPIENT_LIFECYCLE, olds.associationStatus);
    return {
      changes: replaces.length > 0 || unsettled || newTimeouts,
      replaces,
      deleteBeforeReplace: sameNaturalKey,
    };
  },

  async create(inputs) {
    // Checked again before the first write: the Share may have been reached after this check.
    const exclusiveConflict = exclusiveShareConflict(inputs.shareId, "ShareRecipient");
    if (exclusiveConflict) throw new Error(exclusiveConflict);
    const raw = inputs as unknown as Record<string, unknown>;
    const { api, wait } = runtimeFor(inputs.accountId);
    // One deadline for the create: the association wait gets what the add left of it.
    const budget = budgetOf(timeoutMs(inputs.timeouts, "create"));
    let created: RecipientObject;
    if (inputs.adopt) {
      created = await adopt(wait, inputs);
    } else {
      try {
        const spec = recipientCreate(api, wait.log, journalOwner(inputs), inputs.accountId, inputs.shareId, inputs, "this ShareRecipient", deadlineSignal(wait, budget), wait);
        const body = recipientInput(inputs);
        const owned = await createOwned(afterLeaving(spec, () => waitForLeavingRecipients(wait, inputs.shareId, body, budget)));
        created = owned.object;
        // What this write made: its wait can be answered from the share's last list (recipient watch).
        if (!owned.recovered) rememberRecipientWrite(wait, inputs.shareId, created);
      } catch (error) {
        throw explain(`adding ${describeTarget(inputs)} to share ${inputs.shareId}`, error);
      }
    }
    try {
      const settled = await waitRecipientAssociated(wait, inputs.shareId, created.id, budget, {
        initial: created.resources ? created : undefined,
        afterCreate: !inputs.adopt,
        label: label(inputs, created.id),
      });
      return { id: created.id, outs: recipientOutputsOf(inputs, settled) };
    } catch (error) {
      // The latest view, so that state records a terminal error (and the next `up` replaces it);
      // one bounded look, so that the error still comes by the deadline plus one request timeout.
      const known = (await latestView(wait, (signal) => lookupRecipient(wait, inputs.shareId, created.id, undefined, signal), budget.deadline)) ?? created;
      throw new ResourceInitError(created.id, { ...recipientOutputsOf(inputs, known) }, raw, [messageOf(adviseOnTerminal(error))]);
    }
  },

  async read(id, props) {
    const current = props!;
    confirmRecipientInState(journalOwner(current), id, current);
    const { wait } = runtimeFor(current.accountId);
    const server = await lookupRecipient(wait, current.shareId, id, forReading(wait));
    // Removed (or being removed) out of band: drop it from state so the next `up` adds it again.
    if (server === undefined || isGone(RECIPIENT_LIFECYCLE, server.association_status)) return { id: "" };
    const outs = recipientOutputsOf(current, server);
    return readResult(id, outs, recipientInputsOf(outs));
  },

  // Nothing of a recipient can change in place; `update` runs to resume a wait that did not finish
  // (after a partial failure, or a refresh that found the recipient still associating), and to
  // record new timeouts, which needs no request.
  async update(id, olds, news) {
    confirmRecipientInState(journalOwner(news) ?? journalOwner(olds), id, olds);
    const raw = news as unknown as Record<string, unknown>;
    if (isSettled(RECIPIENT_LIFECYCLE, olds.associationStatus)) return { outs: withoutUndefined({ ...olds, timeouts: news.timeouts, adopt: news.adopt }) };
    const { wait } = runtimeFor(news.accountId);
    const budget = budgetOf(timeoutMs(news.timeouts, "create"));
    try {
      const settled = await waitRecipientAssociated(wait, news.shareId, id, budget, { label: label(news, id) });
      return { outs: recipientOutputsOf(news, settled) };
    } catch (error) {
      const known = await latestView(wait, (signal) => lookupRecipient(wait, news.shareId, id, undefined, signal), budget.deadline);
      if (known === undefined) throw adviseOnTerminal(error);
      throw new ResourceInitError(id, { ...recipientOutputsOf(news, known) }, raw, [messageOf(adviseOnTerminal(error))]);
    }
  },

  async delete(id, props) {
    const { api, wait } = runtimeFor(props.accountId);
    confirmRecipientInState(journalOwner(props), id, props);
    // One deadline for the delete: the DELETE with its retries, then the wait.
    const budget = budgetOf(timeoutMs(props.timeouts, "delete"));
    const signal = deadlineSignal(wait, budget);
    let removed: RecipientObject | undefined;
    try {
      removed = await deleteTolerantly(api.recipients.delete(props.accountId, props.shareId, id, { signal }));
      if (removed) rememberRecipientWrite(wait, props.shareId, removed);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw explain(`removing ${describeRecipient(props.shareId, id)}`, error);
      // A share being deleted takes its recipients with it, and the API may refuse the DELETE then:
      // that is fine as long as the recipient is on its way out.
      const current = await lookupRecipient(wait, props.shareId, id, undefined, signal);
      if (current !== undefined && !isGone(RECIPIENT_LIFECYCLE, current.association_status)) {
        throw explain(`removing ${describeRecipient(props.shareId, id)}`, error);
      }
    }
    await waitRecipientGone(wait, props.shareId, id, budget, removed).catch((error: unknown) => {
      throw explain(`removing ${describeRecipient(props.shareId, id)}`, error);
    });
  },
};

/**
 * Takes over an existing recipient instead of adding one, after checking it is for the declared
 * target. The target is worked out as import and discover do (./recipient-target): the API reports
 * an organization recipient with the organization's id or with the owner's account id (§12.12).
 */
async function adopt(wait: WaitContext, inputs: ShareRecipientInputs): Promise<RecipientObject> {
  const [existing, share, listed] = await Promise.all([
    lookupRecipient(wait, inputs.shareId, inputs.adopt!),
    lookupShare(wait, inputs.shareId),
    lookupRecipients(wait, inputs.shareId),
  ]);
  const what = describeRecipient(inputs.shareId, inputs.adopt!);
  // A recipient's share cannot be missing while the recipient is there: both are answered "does not exist".
  if (existing === undefined || share === undefined || isGone(RECIPIENT_LIFECYCLE, existing.association_status)) {
    throw new Error(`cannot adopt ${what}: it ${existing && share ? `is ${existing.association_status}` : "does not exist"}`);
  }
  // The GET is the recipient's latest view; a list may trail it.
  const siblings = [existing, ...(listed ?? []).filter((other) => other.id !== existing.id)];
  const target = recipientTarget(existing, share, new Set(), siblings);
  const declared = describeTarget(inputs);
  if (describeTarget(target) !== declared) {
    throw new Error(`cannot adopt ${what}: it is for ${describeTarget(target)}, declared ${declared}`);
  }
  return existing;
}

export = handingOver(provider);
