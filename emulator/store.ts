// The emulator's state: accounts, shares, recipients and share resources, with the asynchronous
// status machine of §7 computed lazily from the injected clock. Facts cite the reference (§n).

import { ApiError, ERROR_CODES, conflict, invalidField, invalidState, notFound } from "./errors";
import type { RandomStreams } from "./rng";
import { Scheduler, type ScheduledEvent } from "./scheduler";
import type { AccountInfo, EmulatorSettings, Range } from "./settings";
import type {
  RecipientAssociationStatus,
  ResourceStatus,
  ShareKind,
  ShareStatus,
  WireRecipient as RecipientObject,
  WireRecipientInput as RecipientInput,
  WireResource as ShareResourceObject,
  WireResourceInput as ResourceInput,
  WireShare as ShareObject,
} from "./wire";

/** One status an object took, with the ms it took effect (its scheduled time, not when it was observed). */
export interface StatusChange {
  status: string;
  at: number;
}

/** Whom a recipient targets: one account, or the owner's whole organization (§3.1). */
type RecipientTarget = { kind: "account"; accountId: string } | { kind: "organization"; organizationId: string };

/** A change that GET/list show only once `event` has run ("updating is not immediate", §3.4, §3.14). */
interface PendingUpdate<T> {
  value: T;
  requestedAt: number;
  event: ScheduledEvent;
}

interface ShareRecord {
  id: string;
  seq: number;
  accountId: string;
  name: string;
  tags: string[];
  status: ShareStatus;
  created: number;
  modified: number;
  visibleFrom: number;
  /** Lists show this share as it was this many ms ago (`consistency.listLagMs`). */
  listLag: number;
  /** When it was purged (404 from then on); lists may still show it for `listLag`. */
  purgedAt?: number;
  pendingName?: PendingUpdate<string>;
  recipients: Map<string, RecipientRecord>;
  resources: Map<string, ResourceRecord>;
  /** Purged resources that lagging lists still show. */
  resourceGhosts: Map<string, ResourceRecord>;
}

interface RecipientRecord {
  id: string;
  seq: number;
  shareId: string;
  target: RecipientTarget;
  status: RecipientAssociationStatus;
  created: number;
  modified: number;
  visibleFrom: number;
  listLag: number;
  /** Per-resource error (§4.2) on every entry; while set, an `associating` recipient does not progress. */
  error?: { message: string; terminal: boolean };
  /** Errors for one shared object each, by its `resource_id`: only that object's entry carries one. */
  objectErrors?: Map<string, { message: string; terminal: boolean }>;
  /** The next status transition, cancelled when a newer request supersedes it. */
  transition?: ScheduledEvent;
}

interface ResourceRecord {
  id: string;
  seq: number;
  shareId: string;
  resourceType: string;
  resourceId: string;
  resourceAccountId: string;
  version: number;
  meta: Record<string, unknown>;
  status: ResourceStatus;
  created: number;
  modified: number;
  visibleFrom: number;
  listLag: number;
  purgedAt?: number;
  /** Each version and when recipients' `resources[].resource_version` shows it (`consistency.recipientResourceVersionLagMs`). */
  versionsSeenByRecipients: { version: number; at: number }[];
  pendingMeta?: PendingUpdate<Record<string, unknown>>;
  transition?: ScheduledEvent;
}

/** An injected recipient error rule (§4.2 `resources[].error` / `terminal`). */
export interface RecipientErrorRule {
  /** The recipient's account id; unset matches every recipient. */
  accountId?: string;
  shareId?: string;
  /** The shared object's id (`resource_id`): the error is on that object's entry only; unset = every entry. */
  resourceId?: string;
  error: string;
  terminal: boolean;
}

/** How a share is rendered. */
export interface ShareView {
  /** Relative to the calling account; omitted when there is no calling account. */
  kind?: ShareKind;
  includeResources?: boolean;
  includeRecipientCounts?: boolean;
  /** Show a just-requested update (the PUT answer) instead of the settled values. */
  preview?: boolean;
  /** Render as a lagging list shows it: statuses, counts and resources as of this ms. */
  asOf?: number;
}

/** An object as a list shows it: the handle and the ms its listed state dates from. */
export interface Listed<T> {
  handle: T;
  asOf: number;
}

/** Internal handles returned to the router; opaque outside the emulator. */
export type ShareHandle = ShareRecord;
export type RecipientHandle = RecipientRecord;
export type ResourceHandle = ResourceRecord;

/** Cloudflare timestamps carry microseconds, e.g. `2023-09-21T18:56:32.624632Z` (§4.1). */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "000Z");
}

/**
 * All shares, recipients and resources of the emulator. Every public method first runs the
 * transitions that are due at `now()`, so the answer is what the server would say at that moment.
 */
export class Store {
  private shares = new Map<string, ShareRecord>();
  /** Purged shares that lagging lists still show, until `purgedAt + listLag`. */
  private shareGhosts = new Map<string, ShareRecord>();
  private recipients = new Map<string, RecipientRecord>();
  private resources = new Map<string, ResourceRecord>();
  /** Status timelines, kept after objects are purged so settle times stay measurable. */
  private histories = new Map<string, StatusChange[]>();
  private errorRules: RecipientErrorRule[] = [];
  private scheduler = new Scheduler();
  private nextSeq = 0;

  constructor(
    private readonly settings: () => EmulatorSettings,
    private readonly now: () => number,
    private readonly random: RandomStreams,
  ) {}

  /** Drops every object, timeline and injected error. */
  reset(): void {
    this.shares.clear();
    this.shareGhosts.clear();
    this.recipients.clear();
    this.resources.clear();
    this.histories.clear();
    this.errorRules = [];
    this.scheduler.clear();
  }

  /** Runs every transition due by now; returns now. */
  settle(): number {
    const now = this.now();
    this.scheduler.runDue(now);
    return now;
  }

  // ---------------------------------------------------------------- accounts

  /** Known account, or an auto-named one in the default organization. */
  account(accountId: string): AccountInfo {
    const { accounts, defaultOrganizationId } = this.settings().accounts;
    return accounts[accountId] ?? { name: `Account ${accountId.slice(0, 8)}`, organizationId: defaultOrganizationId };
  }

  // ---------------------------------------------------------------- lookups

  /** Shares owned by `accountId` (`sent`) or received through an `associated` recipient (`received`), §3.2. */
  sharesVisibleTo(accountId: string): { share: ShareHandle; kind: ShareKind }[] {
    this.settle();
    const out: { share: ShareHandle; kind: ShareKind }[] = [];
    for (const share of this.shares.values()) {
      const kind = this.kindFor(share, accountId);
      if (kind) out.push({ share, kind });
    }
    return out;
  }

  /** Shares owned by any account of the organization (#16); every one of them is `sent` by the organization. */
  sharesOfOrganization(organizationId: string): ShareHandle[] {
    this.settle();
    return [...this.shares.values()].filter((share) => this.account(share.accountId).organizationId === organizationId);
  }

  /**
   * What a share list (#1) shows `accountId` now: each share as of `now - listLag`, so a new share is
   * missing until its lag has passed and a purged one still shows until then (§7; `consistency.listLagMs`).
   */
  listSharesVisibleTo(accountId: string): (Listed<ShareHandle> & { kind: ShareKind })[] {
    const now = this.settle();
    const out: (Listed<ShareHandle> & { kind: ShareKind })[] = [];
    for (const share of [...this.shares.values(), ...this.shareGhosts.values()]) {
      const asOf = listedAsOf(share, now);
      const kind = asOf !== undefined ? this.kindFor(share, accountId) : undefined;
      if (asOf !== undefined && kind) out.push({ handle: share, asOf, kind });
    }
    return out;
  }

  /** The organization share list (#16), lagging like `listSharesVisibleTo`. */
  listSharesOfOrganization(organizationId: string): Listed<ShareHandle>[] {
    const now = this.settle();
    const out: Listed<ShareHandle>[] = [];
    for (const share of [...this.shares.values(), ...this.shareGhosts.values()]) {
      const asOf = listedAsOf(share, now);
      if (asOf !== undefined && this.account(share.accountId).organizationId === organizationId) out.push({ handle: share, asOf });
    }
    return out;
  }

  /** The recipient list (#6) of a share, lagging per recipient. */
  listRecipientsOf(share: ShareHandle): Listed<RecipientHandle>[] {
    const now = this.settle();
    return listedOf([...share.recipients.values()], now);
  }

  /** The resource list (#11) of a share, lagging per resource; purged resources show until their lag has passed. */
  listResourcesOf(share: ShareHandle): Listed<ResourceHandle>[] {
    const now = this.settle();
    return listedOf([...share.resources.values(), ...share.resourceGhosts.values()], now).sort((a, b) => a.handle.seq - b.handle.seq);
  }

  /** The status an object had at `at` (its status timeline), e.g. as a lagging list shows it. */
  statusAt(objectId: string, at: number): string | undefined {
    let status: string | undefined;
    for (const change of this.histories.get(objectId) ?? []) {
      if (change.at > at) break;
      status = change.status;
    }
    return status;
  }

  allShares(): ShareHandle[] {
    this.settle();
    return [...this.shares.values()];
  }

  /**
   * The share `shareId` as seen by `accountId`: its owner, or (for reads) an account it was shared with.
   * 404 / 1004 when unknown, purged, not visible to the caller, or still propagating after create.
   */
  findShare(accountId: string, shareId: string, access: { ownerOnly: boolean; getById?: boolean }): { share: ShareHandle; kind: ShareKind } {
    const now = this.settle();
    const share = this.shares.get(shareId);
    const kind = share && this.kindFor(share, accountId);
    if (!share || !kind || (access.ownerOnly && kind !== "sent") || (access.getById && now < share.visibleFrom)) {
      throw notFound("Share");
    }
    return { share, kind };
  }

  findRecipient(share: ShareHandle, recipientId: string, getById = false): RecipientHandle {
    const now = this.settle();
    const recipient = share.recipients.get(recipientId);
    if (!recipient || (getById && now < recipient.visibleFrom)) throw notFound("Share recipient");
    return recipient;
  }

  findResource(share: ShareHandle, shareResourceId: string, getById = false): ResourceHandle {
    const now = this.settle();
    const resource = share.resources.get(shareResourceId);
    if (!resource || (getById && now < resource.visibleFrom)) throw notFound("Share resource");
    return resource;
  }

  getShareById(shareId: string): ShareHandle | undefined {
    this.settle();
    return this.shares.get(shareId);
  }

  recipientsOf(share: ShareHandle): RecipientHandle[] {
    this.settle();
    return [...share.recipients.values()];
  }

  resourcesOf(share: ShareHandle): ResourceHandle[] {
    this.settle();
    return [...share.resources.values()];
  }

  /** Full status timeline of a share, recipient or resource (also after it was purged). */
  history(objectId: string): StatusChange[] {
    this.settle();
    return (this.histories.get(objectId) ?? []).map((change) => ({ ...change }));
  }

  // ---------------------------------------------------------------- computed fields

  /** `organization` if any recipient record targets the organization (§4.1 "computed from the recipients"). */
  targetType(share: ShareHandle): "account" | "organization" {
    for (const recipient of share.recipients.values()) if (recipient.target.kind === "organization") return "organization";
    return "account";
  }

  private kindFor(share: ShareRecord, accountId: string): ShareKind | undefined {
    if (share.accountId === accountId) return "sent";
    const organizationId = this.account(accountId).organizationId;
    for (const recipient of share.recipients.values()) {
      if (recipient.status !== "associated") continue;
      const target = recipient.target;
      if (target.kind === "account" ? target.accountId === accountId : target.organizationId === organizationId) return "received";
    }
    return undefined;
  }

  private liveResources(share: ShareRecord): ResourceRecord[] {
    return [...share.resources.values()].filter((resource) => resource.status !== "deleted");
  }

  // ---------------------------------------------------------------- rendering (§4)

  renderShare(share: ShareHandle, view: ShareView = {}): ShareObject {
    const pending = view.preview ? share.pendingName : undefined;
    const asOf = view.asOf;
    const statusOf = (record: { id: string; status: string }) => (asOf === undefined ? record.status : (this.statusAt(record.id, asOf) ?? record.status));
    const object: ShareObject = {
      id: share.id,
      account_id: share.accountId,
      account_name: this.account(share.accountId).name,
      organization_id: this.account(share.accountId).organizationId,
      name: pending ? pending.value : share.name,
      created: formatTimestamp(share.created),
      modified: formatTimestamp(pending ? pending.requestedAt : share.modified),
      status: statusOf(share) as ShareStatus,
      target_type: this.targetType(share),
    };
    if (view.kind) object.kind = view.kind;
    if (view.includeRecipientCounts) {
      const recipients = [...share.recipients.values()].filter((recipient) => asOf === undefined || recipient.created <= asOf);
      const count = (status: RecipientAssociationStatus) => recipients.filter((recipient) => statusOf(recipient) === status).length;
      object.associated_recipient_count = count("associated");
      object.associating_recipient_count = count("associating");
      object.disassociated_recipient_count = count("disassociated");
      object.disassociating_recipient_count = count("disassociating");
    }
    if (view.includeResources) {
      const resources =
        asOf === undefined
          ? [...share.resources.values()]
          : [...share.resources.values(), ...share.resourceGhosts.values()]
              .filter((resource) => isListedAt(resource, asOf))
              .sort((a, b) => a.seq - b.seq);
      object.resources = resources.map((resource) => this.renderResource(resource, false, asOf));
    }
    return object;
  }

  /** A recipient (§4.2); `asOf` renders its status as a lagging list shows it. */
  renderRecipient(recipient: RecipientHandle, includeResources = false, asOf?: number): RecipientObject {
    const accountId = this.recipientAccountId(recipient);
    // [UNCONFIRMED §4.2, §11] setting `recipientAccountIdField`: which name(s) the answer gives the account.
    const field = this.settings().behaviour.recipientAccountIdField ?? "account_id";
    const object: RecipientObject = {
      id: recipient.id,
      ...(field !== "recipient_account_id" ? { account_id: accountId } : {}),
      ...(field !== "account_id" ? { recipient_account_id: accountId } : {}),
      association_status: (asOf === undefined ? recipient.status : (this.statusAt(recipient.id, asOf) ?? recipient.status)) as RecipientAssociationStatus,
      created: formatTimestamp(recipient.created),
      modified: formatTimestamp(recipient.modified),
    };
    if (includeResources) {
      // One entry per non-deleted share resource (§4.2); `resource_id` is the share-resource id. The version
      // shown is the newest one that has reached recipients (`consistency.recipientResourceVersionLagMs`);
      // a resource no version of which has reached them yet is not listed.
      const now = this.now();
      const share = this.shares.get(recipient.shareId) ?? this.shareGhosts.get(recipient.shareId);
      object.resources = [];
      for (const resource of share ? this.liveResources(share) : []) {
        const seen = resource.versionsSeenByRecipients.filter((entry) => entry.at <= now);
        if (seen.length === 0) continue;
        const error = recipient.error ?? recipient.objectErrors?.get(resource.resourceId);
        object.resources.push({
          resource_id: resource.id,
          resource_version: Math.max(...seen.map((entry) => entry.version)),
          error: error?.message ?? "",
          terminal: error?.terminal ?? false,
        });
      }
    }
    return object;
  }

  /** A recipient with its `resources[]`, always carrying `account_id` (for the control surface). */
  renderRecipientForControl(recipient: RecipientHandle): RecipientObject & { account_id: string } {
    return { ...this.renderRecipient(recipient, true), account_id: this.recipientAccountId(recipient) };
  }

  /** A share resource (§4.3); `preview` shows a just-requested PUT, `asOf` the status a lagging list shows. */
  renderResource(resource: ResourceHandle, preview = false, asOf?: number): ShareResourceObject {
    const pending = preview ? resource.pendingMeta : undefined;
    const status = (asOf === undefined ? resource.status : (this.statusAt(resource.id, asOf) ?? resource.status)) as ResourceStatus;
    return {
      id: resource.id,
      resource_id: resource.resourceId,
      resource_account_id: resource.resourceAccountId,
      resource_type: resource.resourceType,
      resource_version: resource.version,
      meta: structuredClone(pending ? pending.value : resource.meta),
      status,
      created: formatTimestamp(resource.created),
      modified: formatTimestamp(pending ? pending.requestedAt : resource.modified),
    };
  }

  private recipientAccountId(recipient: RecipientRecord): string {
    if (recipient.target.kind === "account") return recipient.target.accountId;
    // [UNCONFIRMED §12.12] setting `organizationRecipientAccountId`.
    if (this.settings().behaviour.organizationRecipientAccountId === "organization") return recipient.target.organizationId;
    return this.shares.get(recipient.shareId)?.accountId ?? recipient.target.organizationId;
  }

  // ---------------------------------------------------------------- writes: shares

  /**
   * Creates a share with its recipients and resources (#2, §3.1), all or nothing: every input is
   * checked before anything is stored. `settled` makes recipients `associated` at once (seeding).
   */
  createShare(input: {
    accountId: string;
    name: string;
    recipients: RecipientInput[];
    resources: ResourceInput[];
    tags?: string[];
    settled?: boolean;
  }): { share: ShareHandle; recipients: RecipientHandle[]; resources: ResourceHandle[] } {
    const now = this.settle();
    const behaviour = this.settings().behaviour;
    const targets = input.recipients.map((recipient, i) => this.resolveTarget(input.accountId, recipient, `recipients[${i}]`));
    this.assertDistinct(
      targets.map((target) => targetKey(target)),
      behaviour.duplicateRecipient,
      "recipients",
      "the same recipient is listed twice",
    );
    this.assertDistinct(
      input.resources.map((resource) => resourceKey(resource.resource_type, resource.resource_id)),
      behaviour.duplicateResource,
      "resources",
      "the same resource is listed twice",
    );

    const share: ShareRecord = {
      id: this.newId(),
      seq: this.nextSeq++,
      accountId: input.accountId,
      name: input.name,
      tags: [...(input.tags ?? [])],
      status: behaviour.shareStatusAfterCreate,
      created: now,
      modified: now,
      visibleFrom: now + this.draw(this.settings().timings.createPropagationMs),
      listLag: this.drawListLag(),
      recipients: new Map(),
      resources: new Map(),
      resourceGhosts: new Map(),
    };
    this.shares.set(share.id, share);
    this.recordStatus(share.id, share.status, now);
    const resources = input.resources.map((resource) => this.insertResource(share, resource, now));
    const recipients = targets.map((target) => this.insertRecipient(share, target, now, input.settled ?? false));
    return { share, recipients, resources };
  }

  /** PUT share (#4): the answer shows the new name at once, GET/list only after `shareUpdateMs` (§3.4). */
  renameShare(share: ShareHandle, name: string): void {
    const now = this.settle();
    this.assertShareWritable(share, "update");
    if (share.pendingName) share.pendingName.event.cancelled = true;
    const event = this.scheduler.schedule(now + this.draw(this.settings().timings.shareUpdateMs), (at) => {
      share.name = name;
      share.modified = at;
      share.pendingName = undefined;
    });
    share.pendingName = { value: name, requestedAt: now, event };
  }

  /**
   * DELETE share (#5, §3.5, §7): `deleting` now; after `shareDeleteMs` the share is `deleted`, its resources
   * `deleted` and its recipients `disassociated`; after `deletedShareRetentionMs` more it answers 404.
   * Deleting a share already `deleting`/`deleted` changes nothing.
   */
  deleteShare(share: ShareHandle): void {
    const now = this.settle();
    if (share.status !== "active") return;
    const deletedAt = now + this.draw(this.settings().timings.shareDeleteMs);
    this.setShareStatus(share, "deleting", now);
    for (const resource of share.resources.values()) {
      if (resource.status === "active") this.startResourceDeletion(resource, now, deletedAt, false);
    }
    for (const recipient of share.recipients.values()) {
      if (recipient.status === "associating" || recipient.status === "associated") this.startDisassociation(recipient, now, deletedAt);
    }
    this.scheduler.schedule(deletedAt, (at) => {
      this.setShareStatus(share, "deleted", at);
      this.scheduler.schedule(at + this.draw(this.settings().timings.deletedShareRetentionMs), (purgeAt) => this.purgeShare(share.id, purgeAt));
    });
  }

  /** Removes a share and everything in it at once: 404 from now on. */
  purgeShare(shareId: string, at: number = this.now()): void {
    const share = this.shares.get(shareId);
    if (!share) return;
    for (const recipient of share.recipients.values()) {
      if (recipient.transition) recipient.transition.cancelled = true;
      this.recipients.delete(recipient.id);
    }
    for (const resource of share.resources.values()) {
      if (resource.transition) resource.transition.cancelled = true;
      if (resource.pendingMeta) resource.pendingMeta.event.cancelled = true;
      this.resources.delete(resource.id);
    }
    if (share.pendingName) share.pendingName.event.cancelled = true;
    this.shares.delete(shareId);
    // A lagging list still shows it for its lag (§7; `consistency.listLagMs`).
    if (share.listLag > 0) {
      share.purgedAt = at;
      this.shareGhosts.set(shareId, share);
      this.scheduler.schedule(at + share.listLag, () => this.shareGhosts.delete(shareId));
    }
  }

  // ---------------------------------------------------------------- writes: recipients

  /** POST recipient (#7, §3.7): one recipient on an account-targeted share, same organization as the owner. */
  addRecipient(share: ShareHandle, input: RecipientInput): RecipientHandle {
    const now = this.settle();
    this.assertShareWritable(share, "add a recipient to");
    if (this.targetType(share) === "organization") {
      throw invalidState("Recipients can only be added to an account-targeted share; this share targets an organization");
    }
    const target = this.resolveTarget(share.accountId, input, "");
    this.assertNoLiveRecipient(share, target);
    return this.insertRecipient(share, target, now, false);
  }

  /**
   * PUT recipients (#8, §3.8): the share's recipients become exactly `inputs`. Recipients no longer listed
   * go `disassociating`; new ones start `associating`; unchanged ones are left alone.
   * Rejected on an organization-targeted share.
   */
  replaceRecipients(share: ShareHandle, inputs: RecipientInput[]): void {
    const now = this.settle();
    this.assertShareWritable(share, "replace the recipients of");
    if (this.targetType(share) === "organization") {
      throw invalidState("The recipient list of a share that targets an organization cannot be replaced");
    }
    const targets = inputs.map((input, i) => this.resolveTarget(share.accountId, input, `[${i}]`));
    const wanted = new Set(targets.map(targetKey));
    this.assertDistinct(targets.map(targetKey), this.settings().behaviour.duplicateRecipient, "", "the same recipient is listed twice");
    const live = [...share.recipients.values()].filter((recipient) => isLiveRecipient(recipient.status));
    const liveKeys = new Set(live.map((recipient) => targetKey(recipient.target)));
    for (const recipient of live) {
      if (!wanted.has(targetKey(recipient.target))) this.disassociate(recipient);
    }
    for (const target of targets) {
      if (!liveKeys.has(targetKey(target))) {
        liveKeys.add(targetKey(target));
        this.insertRecipient(share, target, now, false);
      }
    }
  }

  /** DELETE recipient (#10, §3.10): soft delete, `disassociating` → `disassociated`; repeated deletes change nothing. */
  disassociate(recipient: RecipientHandle): void {
    const now = this.settle();
    if (recipient.status === "disassociating" || recipient.status === "disassociated") return;
    this.startDisassociation(recipient, now, now + this.draw(this.settings().timings.recipientDisassociateMs));
  }

  // ---------------------------------------------------------------- writes: resources

  /** POST resource (#12, §3.12). */
  addResource(share: ShareHandle, input: ResourceInput): ResourceHandle {
    const now = this.settle();
    this.assertShareWritable(share, "add a resource to");
    if (this.settings().behaviour.duplicateResource === "reject") {
      const key = resourceKey(input.resource_type, input.resource_id);
      for (const resource of share.resources.values()) {
        if (resource.status !== "deleted" && resourceKey(resource.resourceType, resource.resourceId) === key) {
          throw conflict(`Resource ${input.resource_type}/${input.resource_id} is already shared by this share (share resource ${resource.id})`);
        }
      }
    }
    const resource = this.insertResource(share, input, now);
    if (this.settings().behaviour.recipientOnNewResource === "reassociates") this.reassociateFor(share, resource, now);
    return resource;
  }

  /**
   * Every `associated` recipient of `share` goes `associating` while `resource` reaches it, and
   * `associated` again once its first version has, unless it reports an error for it by then.
   */
  private reassociateFor(share: ShareRecord, resource: ResourceRecord, now: number): void {
    for (const recipient of share.recipients.values()) {
      if (recipient.status !== "associated") continue;
      this.setRecipientStatus(recipient, "associating", now);
      if (this.reportsError(recipient)) continue;
      recipient.transition = this.scheduler.schedule(Math.max(now, resource.versionsSeenByRecipients[0].at), (at) => {
        recipient.transition = undefined;
        if (!this.reportsError(recipient)) this.setRecipientStatus(recipient, "associated", at);
      });
    }
  }

  /** PUT resource (#14, §3.14): new `meta` in the answer at once; GET/list and `resource_version` change after `resourceUpdateMs`. */
  updateResourceMeta(share: ShareHandle, resource: ResourceHandle, meta: Record<string, unknown>): void {
    const now = this.settle();
    this.assertShareWritable(share, "update a resource of");
    if (resource.status !== "active") throw invalidState(`Share resource is ${resource.status} and can no longer be updated`);
    if (resource.pendingMeta) resource.pendingMeta.event.cancelled = true;
    const value = structuredClone(meta);
    const event = this.scheduler.schedule(now + this.draw(this.settings().timings.resourceUpdateMs), (at) => {
      resource.meta = value;
      resource.version += 1;
      resource.versionsSeenByRecipients.push({ version: resource.version, at: at + this.draw(this.settings().consistency.recipientResourceVersionLagMs) });
      resource.modified = at;
      resource.pendingMeta = undefined;
    });
    resource.pendingMeta = { value: structuredClone(meta), requestedAt: now, event };
  }

  /**
   * DELETE resource (#15, §3.15): `deleting` → `deleted`, gone after `deletedResourceRetentionMs`.
   * A resource already `deleting`/`deleted` is returned unchanged. With `lastResourceDeletion: "reject"`
   * the last active resource of a share cannot be deleted ([3P] ALCHEMY); `enforceLastResourceRule`
   * is false for out-of-band drift.
   */
  deleteResource(share: ShareHandle, resource: ResourceHandle, enforceLastResourceRule = true): void {
    const now = this.settle();
    if (resource.status !== "active") return;
    if (enforceLastResourceRule && this.settings().behaviour.lastResourceDeletion === "reject") {
      const active = [...share.resources.values()].filter((other) => other.status === "active");
      if (active.length === 1) throw invalidState("The last resource of a share cannot be deleted; delete the share instead");
    }
    this.startResourceDeletion(resource, now, now + this.draw(this.settings().timings.resourceDeleteMs), true);
  }

  // ---------------------------------------------------------------- recipient errors (§4.2)

  /** Applies to matching recipients existing now and created later; an `associating` one stays so while the error is present. */
  injectRecipientError(rule: RecipientErrorRule): void {
    this.settle();
    this.errorRules.push({ ...rule });
    for (const recipient of this.recipients.values()) {
      if (ruleMatches(rule, recipient, this.recipientAccountId(recipient))) this.applyError(recipient, rule);
    }
  }

  /**
   * Drops every rule. Non-terminal errors vanish and their `associating` recipients are associated after a
   * fresh `recipientAssociateMs`; terminal errors stay (they are never retried, §4.2).
   */
  clearRecipientErrors(): void {
    const now = this.settle();
    this.errorRules = [];
    for (const recipient of this.recipients.values()) {
      for (const [objectId, error] of recipient.objectErrors ?? []) if (!error.terminal) recipient.objectErrors!.delete(objectId);
      if (recipient.error && !recipient.error.terminal) recipient.error = undefined;
      if (recipient.status === "associating" && !recipient.transition && !this.reportsError(recipient)) this.scheduleAssociation(recipient, now);
    }
  }

  // ---------------------------------------------------------------- internals

  /** Resolves a recipient input to its target, enforcing §3.1/§3.7 rules. `field` prefixes error messages. */
  private resolveTarget(ownerAccountId: string, input: RecipientInput, field: string): RecipientTarget {
    const behaviour = this.settings().behaviour;
    const at = (name: string) => (field ? `${field}.${name}` : name);
    const ownerOrganization = this.account(ownerAccountId).organizationId;
    // `account_id` is the deprecated alias of `recipient_account_id` (§3.1), accepted until 2027-05-26.
    if (input.account_id !== undefined && behaviour.deprecatedAccountIdInput === "reject") {
      throw invalidField(at("account_id"), "is no longer accepted; use recipient_account_id");
    }
    if (input.recipient_account_id !== undefined && input.account_id !== undefined && input.recipient_account_id !== input.account_id) {
      throw invalidField(at("account_id"), "is a deprecated alias of recipient_account_id and must not differ from it");
    }
    const accountId = input.recipient_account_id ?? input.account_id;
    const organizationId = input.organization_id;
    if (accountId !== undefined && organizationId !== undefined && behaviour.bothRecipientTargets === "reject") {
      throw invalidField(at("organization_id"), "give either recipient_account_id or organization_id, not both");
    }
    if (accountId !== undefined) {
      if (this.account(accountId).organizationId !== ownerOrganization) {
        throw new ApiError(
          400,
          ERROR_CODES.organizationMismatch,
          `${at("recipient_account_id")}: the recipient account must belong to the same organization as the share owner`,
        );
      }
      if (accountId === ownerAccountId && behaviour.selfRecipient === "reject") {
        throw invalidField(at("recipient_account_id"), "a share cannot be shared with its owner account");
      }
      return { kind: "account", accountId };
    }
    if (organizationId !== undefined && organizationId !== ownerOrganization) {
      throw new ApiError(400, ERROR_CODES.organizationMismatch, `${at("organization_id")}: must be the organization of the share owner`);
    }
    // Neither field: the caller's organization (§3.1).
    return { kind: "organization", organizationId: ownerOrganization };
  }

  private assertDistinct(keys: string[], rule: "reject" | "allow", field: string, message: string): void {
    if (rule === "allow") return;
    const seen = new Set<string>();
    for (const key of keys) {
      if (seen.has(key)) throw conflict(field ? `${field}: ${message}` : message);
      seen.add(key);
    }
  }

  private assertNoLiveRecipient(share: ShareRecord, target: RecipientTarget): void {
    if (this.settings().behaviour.duplicateRecipient === "allow") return;
    const key = targetKey(target);
    for (const recipient of share.recipients.values()) {
      if (isLiveRecipient(recipient.status) && targetKey(recipient.target) === key) {
        throw conflict(`The recipient already exists on this share (recipient ${recipient.id}, ${recipient.status})`);
      }
    }
  }

  private assertShareWritable(share: ShareRecord, action: string): void {
    if (share.status !== "active") throw invalidState(`Cannot ${action} a share that is ${share.status}`);
  }

  private insertRecipient(share: ShareRecord, target: RecipientTarget, now: number, settled: boolean): RecipientRecord {
    const recipient: RecipientRecord = {
      id: this.newId(),
      seq: this.nextSeq++,
      shareId: share.id,
      target,
      status: "associating",
      created: now,
      modified: now,
      visibleFrom: now + this.draw(this.settings().timings.createPropagationMs),
      listLag: this.drawListLag(),
    };
    share.recipients.set(recipient.id, recipient);
    this.recipients.set(recipient.id, recipient);
    this.recordStatus(recipient.id, "associating", now);
    const matching = this.errorRules.filter((r) => ruleMatches(r, recipient, this.recipientAccountId(recipient)));
    // The newest rule for every object, and every rule for one object.
    const everyObject = matching.filter((r) => r.resourceId === undefined).pop();
    for (const rule of [...(everyObject ? [everyObject] : []), ...matching.filter((r) => r.resourceId !== undefined)]) this.applyError(recipient, rule);
    if (this.reportsError(recipient)) return recipient;
    if (settled) this.setRecipientStatus(recipient, "associated", now);
    else this.scheduleAssociation(recipient, now);
    return recipient;
  }

  /** Whether the recipient reports an error: for every object, or for one its share has. */
  private reportsError(recipient: RecipientRecord): boolean {
    if (recipient.error !== undefined) return true;
    const share = this.shares.get(recipient.shareId);
    return share !== undefined && this.liveResources(share).some((resource) => recipient.objectErrors?.has(resource.resourceId));
  }

  private scheduleAssociation(recipient: RecipientRecord, from: number): void {
    recipient.transition = this.scheduler.schedule(from + this.draw(this.settings().timings.recipientAssociateMs), (at) => {
      recipient.transition = undefined;
      this.setRecipientStatus(recipient, "associated", at);
    });
  }

  private applyError(recipient: RecipientRecord, rule: RecipientErrorRule): void {
    if (!isLiveRecipient(recipient.status)) return;
    if (recipient.error?.terminal) return; // a terminal error is final
    const error = { message: rule.error, terminal: rule.terminal };
    if (rule.resourceId === undefined) recipient.error = error;
    else if (!recipient.objectErrors?.get(rule.resourceId)?.terminal) (recipient.objectErrors ??= new Map()).set(rule.resourceId, error);
    // While the error is present the association does not complete.
    if (recipient.status === "associating" && recipient.transition && this.reportsError(recipient)) {
      recipient.transition.cancelled = true;
      recipient.transition = undefined;
    }
  }

  private startDisassociation(recipient: RecipientRecord, now: number, doneAt: number): void {
    if (recipient.transition) recipient.transition.cancelled = true;
    recipient.error = undefined;
    recipient.objectErrors = undefined;
    this.setRecipientStatus(recipient, "disassociating", now);
    recipient.transition = this.scheduler.schedule(doneAt, (at) => {
      recipient.transition = undefined;
      this.setRecipientStatus(recipient, "disassociated", at);
    });
  }

  private insertResource(share: ShareRecord, input: ResourceInput, now: number): ResourceRecord {
    const resource: ResourceRecord = {
      id: this.newId(),
      seq: this.nextSeq++,
      shareId: share.id,
      resourceType: input.resource_type,
      resourceId: input.resource_id,
      resourceAccountId: input.resource_account_id,
      version: 1,
      meta: structuredClone(input.meta),
      status: "active",
      created: now,
      modified: now,
      visibleFrom: now + this.draw(this.settings().timings.createPropagationMs),
      listLag: this.drawListLag(),
      versionsSeenByRecipients: [{ version: 1, at: now + this.draw(this.settings().consistency.recipientResourceVersionLagMs) }],
    };
    share.resources.set(resource.id, resource);
    this.resources.set(resource.id, resource);
    this.recordStatus(resource.id, "active", now);
    return resource;
  }

  /** `deleting` now, `deleted` at `deletedAt`; standalone deletions also vanish after the retention time. */
  private startResourceDeletion(resource: ResourceRecord, now: number, deletedAt: number, purgeAfterRetention: boolean): void {
    if (resource.transition) resource.transition.cancelled = true;
    this.setResourceStatus(resource, "deleting", now);
    resource.transition = this.scheduler.schedule(deletedAt, (at) => {
      this.setResourceStatus(resource, "deleted", at);
      resource.transition = undefined;
      if (!purgeAfterRetention) return; // resources of a deleted share go with the share
      resource.transition = this.scheduler.schedule(at + this.draw(this.settings().timings.deletedResourceRetentionMs), (purgedAt) => {
        const share = this.shares.get(resource.shareId);
        share?.resources.delete(resource.id);
        this.resources.delete(resource.id);
        // A lagging list still shows it for its lag (§7; `consistency.listLagMs`).
        if (share && resource.listLag > 0) {
          resource.purgedAt = purgedAt;
          share.resourceGhosts.set(resource.id, resource);
          this.scheduler.schedule(purgedAt + resource.listLag, () => share.resourceGhosts.delete(resource.id));
        }
      });
    });
  }

  private setShareStatus(share: ShareRecord, status: ShareStatus, at: number): void {
    share.status = status;
    share.modified = at;
    this.recordStatus(share.id, status, at);
  }

  private setRecipientStatus(recipient: RecipientRecord, status: RecipientAssociationStatus, at: number): void {
    recipient.status = status;
    recipient.modified = at;
    this.recordStatus(recipient.id, status, at);
  }

  private setResourceStatus(resource: ResourceRecord, status: ResourceStatus, at: number): void {
    resource.status = status;
    resource.modified = at;
    this.recordStatus(resource.id, status, at);
  }

  private recordStatus(id: string, status: string, at: number): void {
    let timeline = this.histories.get(id);
    if (!timeline) this.histories.set(id, (timeline = []));
    timeline.push({ status, at });
  }

  private drawListLag(): number {
    return this.draw(this.settings().consistency?.listLagMs ?? 0);
  }

  private draw(range: Range): number {
    return this.random.durations.draw(range);
  }

  private newId(): string {
    for (;;) {
      const id = this.random.ids.hexId();
      if (!this.histories.has(id)) return id;
    }
  }
}

/** The ms a lagging list shows `record` as of, or undefined when the list does not show it at all. */
function listedAsOf(record: { created: number; listLag: number; purgedAt?: number }, now: number): number | undefined {
  const asOf = now - record.listLag;
  return isListedAt(record, asOf) ? asOf : undefined;
}

/** Listed at `asOf`: created by then and not yet purged then. */
function isListedAt(record: { created: number; purgedAt?: number }, asOf: number): boolean {
  return record.created <= asOf && (record.purgedAt === undefined || record.purgedAt > asOf);
}

function listedOf<T extends { created: number; listLag: number; purgedAt?: number }>(records: T[], now: number): Listed<T>[] {
  const out: Listed<T>[] = [];
  for (const handle of records) {
    const asOf = listedAsOf(handle, now);
    if (asOf !== undefined) out.push({ handle, asOf });
  }
  return out;
}

function isLiveRecipient(status: RecipientAssociationStatus): boolean {
  return status !== "disassociated";
}

function targetKey(target: RecipientTarget): string {
  return target.kind === "account" ? `account:${target.accountId}` : `organization:${target.organizationId}`;
}

function resourceKey(resourceType: string, resourceId: string): string {
  return `${resourceType}\u0000${resourceId}`;
}

function ruleMatches(rule: RecipientErrorRule, recipient: RecipientRecord, accountId: string): boolean {
  return (rule.shareId === undefined || rule.shareId === recipient.shareId) && (rule.accountId === undefined || rule.accountId === accountId);
}
