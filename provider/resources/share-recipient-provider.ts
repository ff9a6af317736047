// The ShareRecipient provider: one account (or the caller's organization) that receives a share.
// A recipient has no updatable field; removing one is a soft delete that ends in `disassociated`.
// This file's module.exports is the provider object itself (see share-resource-provider.ts).

import type * as pulumi from "@pulumi/pulumi";
import { ValidationError } from "../client/core/errors";
import type { RecipientObject } from "../client/types";
import { rememberStackConfig } from "../config";
import { runtimeFor } from "../runtime";
import { forReading, lookupRecipient } from "../wait/finders";
import { rememberRecipientWrite } from "../wait/watched-recipients";
import { describeRecipient, waitRecipientAssociated, waitRecipientGone, WaitContext } from "../wait/waits";
import { createOrTakeOver, deleteTolerantly, explain, inputsFrom, messageOf, readResult, ResourceInitError } from "./common";
import { Checker, isUnknown, timeoutMs, withoutNulls } from "./inputs";
import { checkRecipientTarget, describeTarget, outputsOf, RECIPIENT_GONE_STATUSES, recipientInput, REPLACE_ON_CHANGE, ShareRecipientInputs, ShareRecipientOutputs, TIMEOUT_KEYS } from "./share-recipient-model";

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
    checkRecipientTarget(checker, "", news);
    checker.timeouts("timeouts", news.timeouts, TIMEOUT_KEYS);
    checker.id("adopt", news.adopt, false);
    if (checker.failures.length > 0) return { failures: checker.failures };
    return { inputs: withoutNulls(news) };
  },

  async diff(_id, olds, news) {
    const replaces = REPLACE_ON_CHANGE.filter((key) => isUnknown(news[key]) || news[key] !== olds[key]);
    // The same target cannot be added to the same share twice while the old one is still there.
    const sameNaturalKey = !replaces.some((key) => key !== "accountId");
    return { changes: replaces.length > 0, replaces: [...replaces], deleteBeforeReplace: replaces.length > 0 && sameNaturalKey };
  },

  async create(inputs) {
    const raw = inputs as unknown as Record<string, unknown>;
    const { api, wait } = runtimeFor(inputs.accountId);
    let created: RecipientObject;
    if (inputs.adopt) {
      created = await adopt(wait, inputs);
    } else {
      try {
        const body = recipientInput(inputs);
        created = await createOrTakeOver(
          () => api.recipients.create(inputs.accountId, inputs.shareId, body),
          () => api.recipients.findCreated(inputs.accountId, inputs.shareId, body),
          wait.log,
          `the recipient ${describeTarget(inputs)} of share ${inputs.shareId}`,
        );
      } catch (error) {
        throw explain(`adding ${describeTarget(inputs)} to share ${inputs.shareId}`, error);
      }
    }
    if (!inputs.adopt) rememberRecipientWrite(wait, inputs.shareId, created);
    try {
      const settled = await waitRecipientAssociated(wait, inputs.shareId, created.id, timeoutMs(inputs.timeouts, "create"), {
        initial: created.resources ? created : undefined,
        afterCreate: !inputs.adopt,
        label: label(inputs, created.id),
      });
      return { id: created.id, outs: outputsOf(inputs, settled) };
    } catch (error) {
      throw new ResourceInitError(created.id, { ...outputsOf(inputs, created) }, raw, [messageOf(error)]);
    }
  },

  async read(id, props) {
    const current = props!;
    const { wait } = runtimeFor(current.accountId);
    const server = await lookupRecipient(wait, current.shareId, id, forReading(wait));
    // Removed (or being removed) out of band: drop it from state so the next `up` adds it again.
    if (server === undefined || RECIPIENT_GONE_STATUSES.includes(server.association_status)) return { id: "" };
    const outs = outputsOf(current, server);
    return readResult(id, outs, inputsFrom(outs, ["accountId", "shareId", "recipientAccountId", "organizationId", "timeouts", "adopt"]));
  },

  // Nothing of a recipient can change in place; `update` only runs to resume a wait that did not
  // finish (the engine retries resources it recorded with a partial failure).
  async update(id, _olds, news) {
    const raw = news as unknown as Record<string, unknown>;
    const { wait } = runtimeFor(news.accountId);
    try {
      const settled = await waitRecipientAssociated(wait, news.shareId, id, timeoutMs(news.timeouts, "create"), { label: label(news, id) });
      return { outs: outputsOf(news, settled) };
    } catch (error) {
      const known = await lookupRecipient(wait, news.shareId, id).catch(() => undefined);
      if (known === undefined) throw error;
      throw new ResourceInitError(id, { ...outputsOf(news, known) }, raw, [messageOf(error)]);
    }
  },

  async delete(id, props) {
    const { api, wait } = runtimeFor(props.accountId);
    let removed: RecipientObject | undefined;
    try {
      removed = await deleteTolerantly(api.recipients.delete(props.accountId, props.shareId, id));
      if (removed) rememberRecipientWrite(wait, props.shareId, removed);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw explain(`removing ${describeRecipient(props.shareId, id)}`, error);
      // A share being deleted takes its recipients with it, and the API may refuse the DELETE then:
      // that is fine as long as the recipient is on its way out.
      const current = await lookupRecipient(wait, props.shareId, id);
      if (current !== undefined && !RECIPIENT_GONE_STATUSES.includes(current.association_status)) {
        throw explain(`removing ${describeRecipient(props.shareId, id)}`, error);
      }
    }
    await waitRecipientGone(wait, props.shareId, id, timeoutMs(props.timeouts, "delete"), removed).catch((error: unknown) => {
      throw explain(`removing ${describeRecipient(props.shareId, id)}`, error);
    });
  },
};

/** Takes over an existing recipient instead of adding one, after checking it is the declared one. */
async function adopt(wait: WaitContext, inputs: ShareRecipientInputs): Promise<RecipientObject> {
  const existing = await lookupRecipient(wait, inputs.shareId, inputs.adopt!);
  const what = describeRecipient(inputs.shareId, inputs.adopt!);
  if (existing === undefined || RECIPIENT_GONE_STATUSES.includes(existing.association_status)) {
    throw new Error(`cannot adopt ${what}: it ${existing ? `is ${existing.association_status}` : "does not exist"}`);
  }
  const declared = inputs.recipientAccountId ?? inputs.organizationId;
  if (existing.account_id !== declared) {
    throw new Error(`cannot adopt ${what}: it is for account ${existing.account_id}, declared ${declared}`);
  }
  return existing;
}

export = provider;
