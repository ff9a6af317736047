// What a create or an update will leave in a resource's outputs, said without a request: the plugin
// answers the engine's preview calls with it, so `pulumi preview` shows as known every output the
// operation keeps (ids, account, organization, created, the ids of items that stay…) and whatever
// reads them previews as `up` then does. Unknown is only what the API decides (a new id, a status
// still to come, `modified`). Each prediction mirrors what the provider's create or update returns
// on success (resources/share-reconcile.ts for a Share's items, in the order it keeps them).

import { containsUnknown, isUnknown, normalizeMeta, UNKNOWN, withoutUndefined } from "../resources/inputs";
import { ManagedRecipient, ManagedResource, recipientKey, resourceKey, ShareInputs, ShareOutputs } from "../resources/share-model";
import type { ShareRecipientInputs, ShareRecipientOutputs } from "../resources/share-recipient-model";
import { isSettledState, ShareResourceInputs, ShareResourceOutputs } from "../resources/share-resource-model";
import { isSettled, RECIPIENT_LIFECYCLE, RESOURCE_LIFECYCLE, SHARE_LIFECYCLE } from "../wait/lifecycle";
import type { ResourceKind } from "./import-ids";
import type { Plain } from "./properties";

/** The outputs only the API can tell, per kind: unknown in a create's preview. */
const COMPUTED: Record<ResourceKind, readonly string[]> = {
  Share: ["recipients", "resources", "recipientIds", "resourceIds", "status", "accountName", "organizationId", "targetType", "kind", "created", "modified"],
  ShareRecipient: ["associationStatus", "recipientAccount", "resources", "created", "modified"],
  ShareResource: ["status", "resourceVersion", "propagated", "created", "modified"],
};

/**
 * The outputs a create of `kind` will have: the inputs as checked, and unknown for what the API decides.
 *
 * @example
 * ```ts
 * previewCreate("ShareRecipient", { accountId, shareId, recipientAccountId }); // associationStatus, created… unknown
 * ```
 */
export function previewCreate(kind: ResourceKind, inputs: Plain): Plain {
  const computed = { ...inputs, ...Object.fromEntries(COMPUTED[kind].map((key) => [key, UNKNOWN])) };
  if (kind !== "Share") return computed;
  // A Share's create returns its inline items in the declared order (share-discovery), each with an id
  // and a status only the API can tell: what the program declared stays known (a stack policy reads it).
  const share = inputs as unknown as ShareInputs;
  if (containsUnknown(share.recipients) || containsUnknown(share.resources)) return computed;
  const recipients = predictedRecipients([], share.recipients ?? [], { inDeclaredOrder: true });
  const resources = predictedResources([], share.resources ?? [], { inDeclaredOrder: true });
  return { ...computed, recipients, resources, recipientIds: recipients.map(() => UNKNOWN), resourceIds: resources.map(() => UNKNOWN) };
}

/**
 * The outputs an update of `kind` from `olds` to `news` will have: `olds`, with what the update
 * predictably changes, and unknown for what only the API can tell.
 *
 * @example
 * ```ts
 * previewUpdate("Share", olds, { ...news, name: "renamed" }); // ids, items and created as in olds; modified unknown
 * ```
 */
export function previewUpdate(kind: ResourceKind, olds: Plain, news: Plain): Plain {
  switch (kind) {
    case "Share":
      return shareUpdate(olds as unknown as ShareOutputs, news as unknown as ShareInputs);
    case "ShareRecipient":
      return recipientUpdate(olds as unknown as ShareRecipientOutputs, news as unknown as ShareRecipientInputs);
    case "ShareResource":
      return resourceUpdate(olds as unknown as ShareResourceOutputs, news as unknown as ShareResourceInputs);
  }
}

/**
 * The outputs an update keeps as they are (the diff's `stables`): those whose predicted value is
 * known and equal to the old one.
 *
 * @example
 * ```ts
 * stableOutputs("ShareRecipient", olds, news); // ["accountId", "shareId", "recipientAccount", "created", …]
 * ```
 */
export function stableOutputs(kind: ResourceKind, olds: Plain, news: Plain): string[] {
  const predicted = previewUpdate(kind, olds, news);
  return Object.keys(predicted).filter((key) => !containsUnknown(predicted[key]) && JSON.stringify(predicted[key]) === JSON.stringify(olds[key]));
}

function shareUpdate(olds: ShareOutputs, news: ShareInputs): Plain {
  const renamed = isUnknown(news.name) || news.name !== olds.name;
  const shareSettled = isSettled(SHARE_LIFECYCLE, olds.status);
  const recipients = containsUnknown(news.recipients) ? UNKNOWN : predictedRecipients(olds.recipients, news.recipients ?? []);
  const resources = containsUnknown(news.resources) ? UNKNOWN : predictedResources(olds.resources, news.resources ?? []);
  const idsOf = (items: typeof recipients | typeof resources) => (items === UNKNOWN ? UNKNOWN : (items as { id?: string }[]).map((item) => (isUnknown(item) ? UNKNOWN : item.id)));
  return withoutUndefined({
    ...(olds as unknown as Plain),
    name: news.name,
    timeouts: news.timeouts,
    adopt: news.adopt,
    // A rename (or a share last seen settling) is read back: the API's status and time of change.
    status: shareSettled ? olds.status : UNKNOWN,
    modified: renamed || !shareSettled ? UNKNOWN : olds.modified,
    recipients,
    resources,
    recipientIds: idsOf(recipients),
    resourceIds: idsOf(resources),
  });
}

/**
 * The order the reconcile leaves: the recipients that stay, as they were, then those it adds (in
 * the order their adds complete, so their places are unknown when there are several; a create makes
 * them in one request and returns them in the declared order).
 */
function predictedRecipients(olds: ManagedRecipient[], declared: ShareInputs["recipients"] & object, order: { inDeclaredOrder?: boolean } = {}): unknown[] {
  const declaredKeys = new Set(declared.map(recipientKey));
  // One Cloudflare reported a terminal error for is removed and added anew (a new id).
  const staying = olds.filter((old) => declaredKeys.has(recipientKey(old)) && old.terminalError === undefined);
  const stayingKeys = new Set(staying.map(recipientKey));
  const added = declared
    .filter((declaration) => !stayingKeys.has(recipientKey(declaration)))
    .map(({ recipientAccountId, organizationId }) => withoutUndefined({ recipientAccountId, organizationId, id: UNKNOWN, associationStatus: UNKNOWN }));
  const kept = staying.map((old) => (isSettled(RECIPIENT_LIFECYCLE, old.associationStatus) ? old : { ...old, associationStatus: UNKNOWN }));
  return [...kept, ...(added.length > 1 && !order.inDeclaredOrder ? added.map(() => UNKNOWN) : added)];
}

/** As {@link predictedRecipients}: the resources that stay (their meta brought to the declared one), then those added. */
function predictedResources(olds: ManagedResource[], declared: ShareInputs["resources"] & object, order: { inDeclaredOrder?: boolean } = {}): unknown[] {
  const byKey = new Map(declared.map((declaration) => [resourceKey(declaration), declaration]));
  // Declared under another owning account: a new record is added and the old one removed.
  const staying = olds.filter((old) => byKey.get(resourceKey(old))?.resourceAccountId === old.resourceAccountId);
  const stayingKeys = new Set(staying.map(resourceKey));
  const kept = staying.map((old) => {
    const meta = normalizeMeta(byKey.get(resourceKey(old))!.meta);
    if (meta === old.meta && isSettled(RESOURCE_LIFECYCLE, old.status) && old.propagated !== false) return old;
    const { propagated: _propagated, ...rest } = old;
    return { ...rest, meta, status: UNKNOWN, resourceVersion: UNKNOWN };
  });
  const added = declared
    .filter((declaration) => !stayingKeys.has(resourceKey(declaration)))
    .map(({ resourceType, resourceId, resourceAccountId, meta }) => ({
      resourceType,
      resourceId,
      resourceAccountId,
      meta: normalizeMeta(meta),
      id: UNKNOWN,
      status: UNKNOWN,
      resourceVersion: UNKNOWN,
    }));
  return [...kept, ...(added.length > 1 && !order.inDeclaredOrder ? added.map(() => UNKNOWN) : added)];
}

function recipientUpdate(olds: ShareRecipientOutputs, news: ShareRecipientInputs): Plain {
  const state = { ...olds, timeouts: news.timeouts, adopt: news.adopt };
  // Settled: the update only records the new inputs. Otherwise it resumes the association wait.
  if (isSettled(RECIPIENT_LIFECYCLE, olds.associationStatus)) return withoutUndefined(state) as unknown as Plain;
  return withoutUndefined({ ...state, associationStatus: UNKNOWN, resources: UNKNOWN, modified: UNKNOWN }) as unknown as Plain;
}

function resourceUpdate(olds: ShareResourceOutputs, news: ShareResourceInputs): Plain {
  const meta = containsUnknown(news.meta) ? UNKNOWN : normalizeMeta(news.meta);
  const state = { ...olds, timeouts: news.timeouts, adopt: news.adopt };
  // Only new timeouts (or `adopt`) on a settled resource: no request, the rest stays.
  if (meta === olds.meta && isSettledState(olds)) return withoutUndefined(state) as unknown as Plain;
  return withoutUndefined({ ...state, meta, status: UNKNOWN, resourceVersion: UNKNOWN, propagated: true, modified: UNKNOWN }) as unknown as Plain;
}
