// The test-side control surface of the emulator: settings, log, state, seeding, drift and injected errors.
// It reads and changes the same store the HTTP API uses, without logging or rate-limit cost.

import type { RateLimiter } from "./rate-limit";
import { type DeepPartial, type EmulatorSettings, mergeSettings } from "./settings";
import type { RecipientErrorRule, ShareHandle, StatusChange, Store } from "./store";
import { parseRecipientInput, parseResourceInput } from "./validation";
import type {
  WireRecipient,
  WireRecipientInput as RecipientInput,
  WireResource as ShareResourceObject,
  WireResourceInput as ResourceInput,
  WireShare as ShareObject,
} from "./wire";

/**
 * A recipient as the control surface shows it: as the API answers, and always with `account_id`, whatever
 * `behaviour.recipientAccountIdField` makes the API answer.
 */
export type RecipientObject = WireRecipient & { account_id: string };

/** One /client/v4 request as the emulator saw it. */
export interface RequestLogEntry {
  /** ms (from `now`) when the request arrived. */
  at: number;
  method: string;
  /** Path without query, e.g. /client/v4/accounts/<a>/shares. */
  path: string;
  query: Record<string, string | string[]>;
  /** HTTP status sent; 0 when the connection was reset or the response lost. */
  status: number;
  fault?: "latency" | "server-error" | "rate-limit" | "connection-reset" | "lost-response";
  /** Wall-clock time spent on the request. */
  durationMs: number;
}

/** Input of `seedShare`: like POST share, without validation of list sizes, plus internal tags. */
export interface SeedShareInput {
  accountId: string;
  name: string;
  recipients?: RecipientInput[];
  resources?: ResourceInput[];
  /** Recipients are `associated` at once. */
  settled?: boolean;
  /** Internal tags (`key=value` or `key`) matched by the `tag` list filter (§3.2). */
  tags?: string[];
}

/** Out-of-band changes (as if made in the dashboard), for drift tests; the HTTP form of the drift methods. */
export type DriftOperation =
  | { op: "renameShare"; shareId: string; name: string }
  | { op: "deleteShare"; shareId: string }
  | { op: "purgeShare"; shareId: string }
  | { op: "removeRecipient"; shareId: string; recipientId: string }
  | { op: "removeResource"; shareId: string; resourceId: string }
  | { op: "setResourceMeta"; shareId: string; resourceId: string; meta: Record<string, unknown> };

/** A share with everything under it, as `GET /__emulator/state` returns it. */
export interface ShareState extends ShareObject {
  recipients: RecipientObject[];
  resources: ShareResourceObject[];
}

/** Drives a running emulator from a test or a separate process. */
export interface EmulatorControl {
  /** Current effective settings. */
  readonly settings: EmulatorSettings;
  /** Changes timings, faults or limits at run time (deep merge; see `mergeSettings`). */
  configure(patch: DeepPartial<EmulatorSettings>): void;
  /** Drops all objects, the log, rate-limit counters and injected errors. */
  reset(): void;
  requestLog(): RequestLogEntry[];
  clearLog(): void;
  /** Shares as the server would list them now: those visible to `accountId`, or all (as their owners see them). */
  listShares(accountId?: string): ShareObject[];
  /** A share as its owner would GET it now (deleted shares included while retained). */
  getShare(shareId: string): ShareObject | undefined;
  /** Recipients of a share, with `resources[]` filled in. */
  listRecipients(shareId: string): RecipientObject[];
  listResources(shareId: string): ShareResourceObject[];
  /** Full status timeline of a share, recipient or resource, each status with the ms it took effect. */
  history(objectId: string): StatusChange[];
  /** Creates a share directly (no log entry, no rate-limit cost). */
  seedShare(input: SeedShareInput): { share: ShareObject; recipients: RecipientObject[]; resources: ShareResourceObject[] };
  /** Out-of-band rename; goes through the same delayed update as PUT. */
  renameShare(shareId: string, name: string): void;
  /** Asynchronous delete, as DELETE would do. */
  deleteShare(shareId: string): void;
  /** Gone at once: 404 from now on. */
  purgeShare(shareId: string): void;
  /** Asynchronous disassociation. */
  removeRecipient(shareId: string, recipientId: string): void;
  /** Asynchronous resource deletion (the last-resource rule does not apply out of band). */
  removeResource(shareId: string, resourceId: string): void;
  /** Out-of-band meta change; goes through the same delayed update as PUT. */
  setResourceMeta(shareId: string, resourceId: string, meta: Record<string, unknown>): void;
  /**
   * Per-resource recipient error (§4.2). Applies to matching recipients (by recipient account and/or share)
   * existing now and created later; while present an `associating` recipient stays `associating`. With
   * `resourceId` (a shared object's id), only that object's entry carries it, also for an object added later.
   */
  injectRecipientError(e: { accountId?: string; shareId?: string; resourceId?: string; error: string; terminal: boolean }): void;
  /** Removes the rules; non-terminal errors clear and their recipients then associate after their normal time. */
  clearRecipientErrors(): void;
}

/** Everything the control needs from the server. */
export interface ControlDeps {
  store: Store;
  limiter: RateLimiter;
  log: RequestLogEntry[];
  getSettings(): EmulatorSettings;
  setSettings(settings: EmulatorSettings): void;
}

/** Builds the control object over the server's store, limiter and log. */
export function createControl(deps: ControlDeps): EmulatorControl {
  const { store, limiter, log } = deps;
  const shareOrThrow = (shareId: string): ShareHandle => {
    const share = store.getShareById(shareId);
    if (!share) throw new Error(`No share ${shareId}`);
    return share;
  };
  const recipientOrThrow = (shareId: string, recipientId: string) => store.findRecipient(shareOrThrow(shareId), recipientId);
  const resourceOrThrow = (shareId: string, resourceId: string) => store.findResource(shareOrThrow(shareId), resourceId);

  return {
    get settings() {
      return deps.getSettings();
    },
    configure(patch) {
      deps.setSettings(mergeSettings(deps.getSettings(), patch));
    },
    reset() {
      store.reset();
      limiter.reset();
      log.length = 0;
    },
    requestLog: () => log.map((entry) => ({ ...entry, query: { ...entry.query } })),
    clearLog() {
      log.length = 0;
    },
    listShares(accountId) {
      if (accountId !== undefined) return store.sharesVisibleTo(accountId).map(({ share, kind }) => store.renderShare(share, { kind }));
      return store.allShares().map((share) => store.renderShare(share, { kind: "sent" }));
    },
    getShare(shareId) {
      const share = store.getShareById(shareId);
      return share && store.renderShare(share, { kind: "sent" });
    },
    listRecipients: (shareId) => store.recipientsOf(shareOrThrow(shareId)).map((r) => store.renderRecipientForControl(r)),
    listResources: (shareId) => store.resourcesOf(shareOrThrow(shareId)).map((r) => store.renderResource(r)),
    history: (objectId) => store.history(objectId),
    seedShare(input) {
      const resourceTypes = deps.getSettings().behaviour.resourceTypes;
      const created = store.createShare({
        accountId: input.accountId,
        name: input.name,
        recipients: (input.recipients ?? []).map((r, i) => parseRecipientInput(r, `recipients[${i}]`)),
        resources: (input.resources ?? []).map((r, i) => parseResourceInput(r, `resources[${i}]`, resourceTypes)),
        tags: input.tags,
        settled: input.settled,
      });
      return {
        share: store.renderShare(created.share, { kind: "sent" }),
        recipients: created.recipients.map((r) => store.renderRecipientForControl(r)),
        resources: created.resources.map((r) => store.renderResource(r)),
      };
    },
    renameShare: (shareId, name) => store.renameShare(shareOrThrow(shareId), name),
    deleteShare: (shareId) => store.deleteShare(shareOrThrow(shareId)),
    purgeShare(shareId) {
      shareOrThrow(shareId);
      store.purgeShare(shareId);
    },
    removeRecipient: (shareId, recipientId) => store.disassociate(recipientOrThrow(shareId, recipientId)),
    removeResource: (shareId, resourceId) => store.deleteResource(shareOrThrow(shareId), resourceOrThrow(shareId, resourceId), false),
    setResourceMeta: (shareId, resourceId, meta) =>
      store.updateResourceMeta(shareOrThrow(shareId), resourceOrThrow(shareId, resourceId), meta),
    injectRecipientError(e: RecipientErrorRule) {
      if (typeof e.error !== "string" || typeof e.terminal !== "boolean") throw new Error("injectRecipientError needs { error: string, terminal: boolean }");
      store.injectRecipientError({ accountId: e.accountId, shareId: e.shareId, resourceId: e.resourceId, error: e.error, terminal: e.terminal });
    },
    clearRecipientErrors: () => store.clearRecipientErrors(),
  };
}

/** Applies one drift operation (the body of POST /__emulator/drift). */
export function applyDrift(control: EmulatorControl, operation: DriftOperation): void {
  switch (operation.op) {
    case "renameShare":
      return control.renameShare(operation.shareId, operation.name);
    case "deleteShare":
      return control.deleteShare(operation.shareId);
    case "purgeShare":
      return control.purgeShare(operation.shareId);
    case "removeRecipient":
      return control.removeRecipient(operation.shareId, operation.recipientId);
    case "removeResource":
      return control.removeResource(operation.shareId, operation.resourceId);
    case "setResourceMeta":
      return control.setResourceMeta(operation.shareId, operation.resourceId, operation.meta);
    default:
      throw new Error(`Unknown drift op ${JSON.stringify((operation as { op?: unknown }).op)}`);
  }
}

/** Every share with its recipients and resources, for GET /__emulator/state. */
export function snapshotState(control: EmulatorControl): ShareState[] {
  return control.listShares().map((share) => ({
    ...share,
    recipients: control.listRecipients(share.id),
    resources: control.listResources(share.id),
  }));
}
