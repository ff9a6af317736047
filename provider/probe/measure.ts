// The probe's run: each open point measured on the API, with what it makes tracked so that it can
// always be removed. Writes happen one at a time; only status looks run side by side.

import type { CloudflareSharingClient, ObservedResponse, RecipientObject, ShareObject, ShareResourceObject } from "../client";
import { ApiError, NotFoundError } from "../client/core/errors";
import { path } from "../client/core/path";
import type { ResourceInput } from "../client/types";
import type { Observations } from "./compare";

/** Most looks one wait may take: its polls thin out as it goes, so this covers its whole deadline. */
export const MAX_POLLS_PER_WAIT = 60;
/** Status waits a full run makes (each bounded by {@link MAX_POLLS_PER_WAIT}). */
export const WAITS = 10;
/** Single requests of a full run: the reads, every POST/PUT/DELETE, and the clean-up's list and deletes. */
export const SINGLE_REQUESTS = 30;
/** Single requests of `--read-only`. */
export const READ_ONLY_REQUESTS = 4;

/**
 * The most requests one run sends (retries of a refused last-resource DELETE included).
 *
 * @example
 * requestBound({ readOnly: false, maxRetries: 5 }); // printed before the first request
 */
export function requestBound(options: { readOnly: boolean; maxRetries: number }): number {
  return options.readOnly ? READ_ONLY_REQUESTS : READ_ONLY_REQUESTS + SINGLE_REQUESTS + options.maxRetries + WAITS * MAX_POLLS_PER_WAIT;
}

/** What the probe needs to know. */
export interface ProbeTarget {
  accountId: string;
  recipientAccountId: string;
  /** One or two objects to share; the second lets deletes and recipients' versions of a resource be timed. */
  resources: { type: string; id: string }[];
  /** `pulumi-cloudflare-sharing probe <timestamp>`: the name of everything the probe makes. */
  name: string;
  /** How many times slower than the profiles' scale the API is: sets the poll pace and every wait's deadline. */
  timeScale: number;
}

/** Everything the probe made, for the clean-up. */
export interface Made {
  shares: { id: string; name: string }[];
}

/** A Cloudflare failure envelope as seen: status and first error code. */
interface SeenAnswer {
  status: number;
  code?: number;
}

/** Observations that no profile setting decides: reported, never compared. */
export interface Facts {
  rateLimitHeaders: Record<string, string>;
  defaultPerPage: number | null;
  perPageAbove100: string | null;
  errors: Record<"notFound" | "badRequest" | "conflict", SeenAnswer | null>;
  requests?: number;
  notMeasured: string[];
}

/**
 * One probe run over a client. `observations` and `facts` fill in as it goes; `made` lists what it
 * created, even when the run stops half-way (interrupted, or an error).
 *
 * @example
 * const probe = new Probe(client, target, signal);
 * try { await probe.run(false); } finally { await removeMade(client, target, probe.made); }
 */
export class Probe {
  readonly made: Made = { shares: [] };
  readonly observations: Observations = {};
  readonly facts: Facts = { rateLimitHeaders: {}, defaultPerPage: null, perPageAbove100: null, errors: { notFound: null, badRequest: null, conflict: null }, notMeasured: [] };
  private lastAnswer = new Map<string, ObservedResponse>();
  private latest: ObservedResponse | undefined;

  constructor(
    private readonly api: CloudflareSharingClient,
    private readonly target: ProbeTarget,
    private readonly signal: AbortSignal,
  ) {}

  /** Give to the client's `onResponse`: keeps the last answer per method and path, and the rate-limit headers. */
  readonly onResponse = (response: ObservedResponse): void => {
    this.lastAnswer.set(`${response.method} ${response.path}`, response);
    this.latest = response;
    for (const [name, value] of Object.entries(response.headers)) {
      if (/ratelimit|retry-after/i.test(name) && value !== undefined && !(name in this.facts.rateLimitHeaders)) {
        this.facts.rateLimitHeaders[name] = Array.isArray(value) ? value.join(", ") : value;
      }
    }
  };

  /** Measures every point reads can show, then (unless `readOnly`) every point that needs writes. */
  async run(readOnly: boolean): Promise<void> {
    await this.measureReads();
    if (!readOnly) await this.measureWrites();
  }

  private get accountId(): string {
    return this.target.accountId;
  }

  /** Pagination defaults and limits, the envelope of a 404 and a 400, the rate-limit headers. */
  private async measureReads(): Promise<void> {
    const sharesPath = path`/accounts/${this.accountId}/shares`;
    const pageOnly = await this.api.http.requestPage<ShareObject[]>({ method: "GET", path: sharesPath, query: { page: 1 }, signal: this.signal });
    const defaultPerPage = pageOnly.resultInfo?.per_page ?? null;
    this.facts.defaultPerPage = defaultPerPage;
    const whole = await this.api.http.requestPage<ShareObject[]>({ method: "GET", path: sharesPath, signal: this.signal });
    const info = whole.resultInfo;
    const count = Array.isArray(whole.result) ? whole.result.length : 0;
    if (info?.per_page === undefined || defaultPerPage === null) this.observations.unpaginatedWhenNoPageParams = null;
    else if (count > defaultPerPage || info.per_page !== defaultPerPage) this.observations.unpaginatedWhenNoPageParams = true;
    else if (info.total_count !== undefined && info.total_count > count) this.observations.unpaginatedWhenNoPageParams = false;
    // As many shares as a default page holds: both readings answer the same.
    else this.observations.unpaginatedWhenNoPageParams = info.total_count === defaultPerPage ? null : false;

    const above = await this.answerOf(() => this.api.http.requestPage({ method: "GET", path: sharesPath, query: { page: 1, per_page: 101 }, signal: this.signal }));
    this.facts.perPageAbove100 = above.status >= 400 ? `refused (${above.status}${above.code !== undefined ? `, code ${above.code}` : ""})` : `accepted`;
    if (above.status === 400) this.facts.errors.badRequest = above;
    this.facts.errors.notFound = await this.answerOf(() => this.api.shares.get(this.accountId, "0".repeat(32), {}, { signal: this.signal }));
  }

  private async measureWrites(): Promise<void> {
    const { recipientAccountId, name } = this.target;
    const [first, second] = this.target.resources.map((r): ResourceInput => ({ resource_type: r.type, resource_id: r.id, resource_account_id: this.accountId, meta: {} }));
    const sharesPath = path`/accounts/${this.accountId}/shares`;

    // The share everything else hangs on.
    const share = await this.api.shares.create(this.accountId, { name, recipients: [{ recipient_account_id: recipientAccountId }], resources: [first] }, { signal: this.signal });
    this.made.shares.push({ id: share.id, name });
    const createdAt = Date.now();
    this.observations.createStatusCode = this.lastAnswer.get(`POST ${sharesPath}`)?.status ?? null;
    const sharePath = path`/accounts/${this.accountId}/shares/${share.id}`;
    let visible: ShareObject | undefined;
    const [byId, inList, associated] = await Promise.all([
      this.waitFor(createdAt, 1, async () => (visible = await this.found(() => this.api.shares.get(this.accountId, share.id, { include_resources: true }, { signal: this.signal }))) !== undefined),
      this.waitFor(createdAt, 6, async () => {
        const page = await this.api.http.request<ShareObject[]>({ method: "GET", path: sharesPath, query: { kind: "sent", order: "created", direction: "desc", page: 1, per_page: 50 }, signal: this.signal });
        return (page ?? []).some((s) => s.id === share.id);
      }),
      this.waitFor(createdAt, 4, async () => ((await this.found(() => this.api.shares.get(this.accountId, share.id, { include_recipient_counts: true }, { signal: this.signal })))?.associated_recipient_count ?? 0) >= 1),
    ]);
    this.observations.createPropagationMs = byId;
    this.observations.listLagMs = inList;
    this.observations.recipientAssociateMs = associated;
    const firstResource = visible?.resources?.find((r) => r.resource_id === first.resource_id);
    const organizationId = visible?.organization_id ?? share.organization_id;

    // The recipient as the list answers it, untouched by the client's field normalisation.
    const recipientsPath = `${sharePath}/recipients`;
    let recipient: Record<string, unknown> | undefined;
    await this.waitFor(Date.now(), 6, async () => {
      const listed = await this.api.http.request<Record<string, unknown>[]>({ method: "GET", path: recipientsPath, query: { page: 1, per_page: 50 }, signal: this.signal });
      recipient = (listed ?? []).find((r) => r.account_id === recipientAccountId || r.recipient_account_id === recipientAccountId);
      return recipient !== undefined;
    });
    if (recipient) {
      const named = ["account_id", "recipient_account_id"].filter((field) => recipient![field] === recipientAccountId);
      this.observations.recipientAccountIdField = named.length === 2 ? "both" : (named[0] ?? null);
    }

    // Recipient rules: each POST answers 2xx (taken) or 4xx (refused) and changes nothing else.
    const post = (body: Record<string, unknown>) => this.answerOf(() => this.api.http.request({ method: "POST", path: recipientsPath, body, signal: this.signal }));
    const duplicate = await post({ recipient_account_id: recipientAccountId });
    this.observations.duplicateRecipient = this.refusedOrTaken(duplicate, "duplicateRecipient");
    if (organizationId) {
      const both = await post({ recipient_account_id: recipientAccountId, organization_id: organizationId });
      // 409: both fields were taken, the account won, and it was a duplicate.
      this.observations.bothRecipientTargets = both.status === 400 ? "reject" : both.status < 300 || both.status === 409 ? "prefer-account" : null;
    } else this.facts.notMeasured.push("bothRecipientTargets (the share names no organization_id)");
    const alias = await post({ account_id: recipientAccountId });
    this.observations.deprecatedAccountIdInput = alias.status === 400 ? "reject" : alias.status < 300 || alias.status === 409 ? "accept" : null;
    const self = await post({ recipient_account_id: this.accountId });
    this.observations.selfRecipient = self.status === 400 || self.status === 403 ? "reject" : self.status < 300 ? "allow" : null;

    // Resources: a duplicate, then a second object to time a resource's arrival at the recipient and its delete.
    const resourcesPath = `${sharePath}/resources`;
    const postResource = (body: ResourceInput) => this.answerOf(() => this.api.http.request<ShareResourceObject>({ method: "POST", path: resourcesPath, body, signal: this.signal }));
    const duplicateResource = await postResource(first);
    this.observations.duplicateResource = this.refusedOrTaken(duplicateResource, "duplicateResource");
    const removable = duplicateResource.result ?? (second ? (await postResource(second)).result : undefined);
    const recipientId = recipient?.id as string | undefined;
    if (removable && recipientId) {
      const addedAt = Date.now();
      this.observations.recipientResourceVersionLagMs = await this.waitFor(addedAt, 3, async () => (await this.recipientVersions(sharePath, recipientId)).has(removable.id));
    }

    // New meta: when GET shows it, and when the recipient reports the new version.
    if (firstResource) {
      const resourcePath = resourcesPath + path`/${firstResource.id}`;
      const putAt = Date.now();
      await this.api.resources.update(this.accountId, share.id, firstResource.id, { meta: { probe: name } }, { signal: this.signal });
      let versionSeenAt = 0;
      this.observations.resourceUpdateMs = await this.waitFor(putAt, 3, async () => {
        const now = Date.now();
        const current = await this.api.http.request<ShareResourceObject>({ method: "GET", path: resourcePath, signal: this.signal });
        if ((current?.resource_version ?? 0) <= firstResource.resource_version) return false;
        versionSeenAt = now;
        return true;
      });
      if (this.observations.recipientResourceVersionLagMs === undefined && recipientId && versionSeenAt > 0) {
        this.observations.recipientResourceVersionLagMs = await this.waitFor(versionSeenAt, 3, async () => ((await this.recipientVersions(sharePath, recipientId)).get(firstResource.id) ?? 0) > firstResource.resource_version);
      }
    }

    // A recipient leaving: re-added at once, and how long it takes to go.
    if (recipientId) {
      const deletedAt = Date.now();
      await this.api.recipients.delete(this.accountId, share.id, recipientId, { signal: this.signal });
      this.observations.reAddWhileLeaving = this.refusedOrTaken(await post({ recipient_account_id: recipientAccountId }), "reAddWhileLeaving");
      this.observations.recipientDisassociateMs = await this.waitFor(deletedAt, 10, async () => {
        const current = await this.api.http.request<RecipientObject>({ method: "GET", path: recipientsPath + path`/${recipientId}`, signal: this.signal });
        return current?.association_status === "disassociated";
      });
    }

    // A resource's delete, then the last resource's.
    if (removable) {
      const deletedAt = Date.now();
      await this.api.resources.delete(this.accountId, share.id, removable.id, { signal: this.signal });
      this.observations.resourceDeleteMs = await this.resourceGone(resourcesPath, removable.id, deletedAt);
    } else this.facts.notMeasured.push("resourceDeleteMs and recipientResourceVersionLagMs from an added resource (give a second --resource-id)");
    if (firstResource) {
      const deletedAt = Date.now();
      const last = await this.answerOf(() => this.api.resources.delete(this.accountId, share.id, firstResource.id, { signal: this.signal }));
      this.observations.lastResourceDeletion = last.status < 300 ? "allow" : last.status === 400 || last.status === 409 || last.status === 403 ? "reject" : null;
      if (last.status < 300 && this.observations.resourceDeleteMs === undefined) this.observations.resourceDeleteMs = await this.resourceGone(resourcesPath, firstResource.id, deletedAt);
    }

    // A share with no recipient, and one for the whole organization.
    const empty = await this.answerOf(() => this.api.http.request<ShareObject>({ method: "POST", path: sharesPath, body: { name, recipients: [], resources: [first] }, signal: this.signal }));
    if (empty.result) this.made.shares.push({ id: empty.result.id, name });
    this.observations.requireNonEmptyCreateLists = empty.status === 400 ? true : empty.status < 300 ? false : null;
    if (organizationId) {
      const orgShare = await this.answerOf(() => this.api.http.request<ShareObject>({ method: "POST", path: sharesPath, body: { name, recipients: [{ organization_id: organizationId }], resources: [first] }, signal: this.signal }));
      if (orgShare.result) {
        this.made.shares.push({ id: orgShare.result.id, name });
        let reported: unknown;
        await this.waitFor(Date.now(), 6, async () => {
          const listed = await this.api.http.request<Record<string, unknown>[]>({ method: "GET", path: sharesPath + path`/${orgShare.result!.id}/recipients`, query: { page: 1, per_page: 50 }, signal: this.signal });
          reported = listed?.[0] ? (listed[0].account_id ?? listed[0].recipient_account_id) : undefined;
          return listed?.[0] !== undefined;
        });
        this.observations.organizationRecipientAccountId = reported === organizationId ? "organization" : reported === this.accountId ? "owner" : null;
      } else this.facts.notMeasured.push(`organizationRecipientAccountId (an organization share was refused: ${orgShare.status})`);
    }

    // The share's own delete.
    const deletedAt = Date.now();
    await this.api.shares.delete(this.accountId, share.id, { signal: this.signal });
    this.observations.shareDeleteMs = await this.waitFor(deletedAt, 12, async () => {
      const current = await this.found(() => this.api.shares.get(this.accountId, share.id, {}, { signal: this.signal }));
      return current === undefined || current.status === "deleted";
    });
  }

  /** The answer to one request: its status and first error code, and its result when it succeeded. */
  private async answerOf<T>(call: () => Promise<T>): Promise<SeenAnswer & { result?: T }> {
    try {
      const result = await call();
      // Calls measured this way run one at a time: the latest answer is theirs.
      return { status: this.latest?.status ?? 200, result };
    } catch (error) {
      if (error instanceof ApiError) {
        const seen = { status: error.status, code: error.errors[0]?.code };
        if (error.status === 409) this.facts.errors.conflict ??= seen;
        return seen;
      }
      throw error;
    }
  }

  /** 2xx: the API took it; 400 or 409: refused. A taken duplicate is one more object under the probe's share. */
  private refusedOrTaken(answer: SeenAnswer, point: string): "reject" | "allow" | null {
    if (answer.status < 300) return "allow";
    if (answer.status === 409 || answer.status === 400) return "reject";
    this.facts.notMeasured.push(`${point} (answered ${answer.status})`);
    return null;
  }

  /** The object, or undefined on 404 (not there yet, or gone). */
  private async found<T>(call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  private async recipientVersions(sharePath: string, recipientId: string): Promise<Map<string, number>> {
    const current = await this.api.http.request<RecipientObject>({ method: "GET", path: sharePath + path`/recipients/${recipientId}`, query: { include_resources: true }, signal: this.signal });
    return new Map((current?.resources ?? []).map((r) => [r.resource_id, r.resource_version]));
  }

  private resourceGone(resourcesPath: string, id: string, since: number): Promise<number> {
    return this.waitFor(since, 10, async () => {
      const current = await this.found(() => this.api.http.request<ShareResourceObject>({ method: "GET", path: resourcesPath + path`/${id}`, signal: this.signal }));
      return current === undefined || current.status === "deleted";
    });
  }

  /**
   * Looks until `done` holds; returns the ms from `since` to when the look that saw it left. Looks
   * thin out (a tenth of the time waited, at least 10 ms on the profiles' scale), at most
   * {@link MAX_POLLS_PER_WAIT}, until `deadlineSeconds` seconds on the profiles' scale have passed: then the
   * time waited is returned (a lower bound).
   */
  private async waitFor(since: number, deadlineSeconds: number, done: () => Promise<boolean>): Promise<number> {
    const deadline = since + deadlineSeconds * 1000 * this.target.timeScale;
    const minPause = 10 * this.target.timeScale;
    for (let poll = 0; ; poll++) {
      const sentAt = Date.now();
      if (await done()) return Math.max(0, sentAt - since);
      const waited = Date.now() - since;
      if (poll + 1 >= MAX_POLLS_PER_WAIT || Date.now() >= deadline) return waited;
      await sleep(Math.min(Math.max(minPause, waited / 10), deadline - Date.now()), this.signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, Math.max(0, ms));
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
