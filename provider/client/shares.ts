// Shares: /accounts/{account_id}/shares (reference §3.1–3.5).
import type { CallOptions } from "./core/call-options";
import type { HttpCore } from "./core/http";
import { collectAll } from "./core/http";
import { path } from "./core/path";
import type { ResourceInput, ShareCreateBody, ShareGetQuery, ShareListQuery, ShareObject, ShareResourceObject, ShareUpdateBody } from "./types";

/**
 * Shares of an account.
 *
 * @example
 * const share = await client.shares.create(accountId, { name: "rules", recipients: [{ recipient_account_id }], resources: [...] });
 * for await (const s of client.shares.list(accountId, { kind: "sent" })) console.log(s.name, s.status);
 */
export class Shares {
  constructor(private readonly http: HttpCore) {}

  /**
   * `POST /accounts/{account_id}/shares`: creates a share with at least one recipient and one resource.
   * Share names are not unique. The returned status may not be final; recipients then move
   * `associating → associated` in the background.
   *
   * Never creates a duplicate: after an ambiguous failure (connection lost, timeout, 5xx) the client
   * first looks for the share this call would have created ({@link findCreated}: same exact name,
   * `kind=sent`, not deleted, created no earlier than this call's start minus `naturalKeyClockSkewMs`,
   * same set of (resource_type, resource_id); newest wins) and returns it if found.
   */
  create(accountId: string, body: ShareCreateBody, options: CallOptions = {}): Promise<ShareObject> {
    const createdNotBefore = this.http.clock.now() - this.http.settings.naturalKeyClockSkewMs;
    return this.http.request<ShareObject>({
      method: "POST",
      path: path`/accounts/${accountId}/shares`,
      body,
      signal: options.signal,
      recover: () => this.findCreated(accountId, body, createdNotBefore, options),
    });
  }

  /**
   * `GET /accounts/{account_id}/shares/{share_id}`. A share being deleted shows `deleting`, then
   * `deleted`; once purged this throws `NotFoundError` (404 / code 1004).
   * `include_recipient_counts` adds the four `*_recipient_count` fields: one GET tells whether every
   * recipient has settled.
   */
  get(accountId: string, shareId: string, query: ShareGetQuery = {}, options: CallOptions = {}): Promise<ShareObject> {
    return this.http.request<ShareObject>({ method: "GET", path: path`/accounts/${accountId}/shares/${shareId}`, query, signal: options.signal });
  }

  /**
   * `GET /accounts/{account_id}/shares`: every share, sent and received, page by page (lazy).
   * Deleted shares are included unless filtered with `status`.
   */
  list(accountId: string, query: ShareListQuery = {}, options: CallOptions = {}): AsyncIterable<ShareObject> {
    return this.http.paginate<ShareObject>(path`/accounts/${accountId}/shares`, query, options);
  }

  /** {@link list}, collected into an array. */
  listAll(accountId: string, query: ShareListQuery = {}, options: CallOptions = {}): Promise<ShareObject[]> {
    return collectAll(this.list(accountId, query, options));
  }

  /**
   * `PUT /accounts/{account_id}/shares/{share_id}`: renames the share; the name is its only mutable
   * field (recipients and resources change through their own endpoints). Not immediate: the returned
   * share carries its new status.
   */
  update(accountId: string, shareId: string, body: ShareUpdateBody, options: CallOptions = {}): Promise<ShareObject> {
    return this.http.request<ShareObject>({ method: "PUT", path: path`/accounts/${accountId}/shares/${shareId}`, body, signal: options.signal });
  }

  /**
   * `DELETE /accounts/{account_id}/shares/{share_id}`: asynchronous. Returns the share with its new
   * status (`deleting`); it becomes `deleted` and, later, 404.
   */
  delete(accountId: string, shareId: string, options: CallOptions = {}): Promise<ShareObject> {
    return this.http.request<ShareObject>({ method: "DELETE", path: path`/accounts/${accountId}/shares/${shareId}`, signal: options.signal });
  }

  /**
   * The natural-key lookup behind {@link create}'s recovery: the newest sent, non-deleted share with
   * exactly `body.name`, created at or after `createdNotBefore` (epoch ms), whose resources are exactly
   * the (resource_type, resource_id) pairs of `body.resources`. Undefined when there is none.
   */
  async findCreated(accountId: string, body: ShareCreateBody, createdNotBefore: number, options: CallOptions = {}): Promise<ShareObject | undefined> {
    return pickCreated(await this.listCreatedSince(accountId, createdNotBefore, options), body, createdNotBefore);
  }

  /**
   * The sent shares (with their resources) created at or after `createdNotBefore` (epoch ms). Newest
   * first, so the scan stops at the first share older than that: usually one page, however many
   * shares the account has.
   */
  async listCreatedSince(accountId: string, createdNotBefore: number, options: CallOptions = {}): Promise<ShareObject[]> {
    const shares: ShareObject[] = [];
    const query = { kind: "sent", include_resources: true, order: "created", direction: "desc" } as const;
    for await (const share of this.list(accountId, query, options)) {
      if (Date.parse(share.created) < createdNotBefore) break;
      shares.push(share);
    }
    return shares;
  }
}

/**
 * Of `shares`, the newest sent, non-deleted one with exactly `body.name`, created at or after
 * `createdNotBefore`, whose resources are exactly the (resource_type, resource_id) pairs of
 * `body.resources`: the share a create of `body` made. Undefined when there is none.
 *
 * @example
 * const mine = pickCreated(await client.shares.listCreatedSince(accountId, since), body, since);
 */
export function pickCreated(shares: readonly ShareObject[], body: ShareCreateBody, createdNotBefore: number): ShareObject | undefined {
  const wanted = resourceKeys(body.resources);
  let newest: ShareObject | undefined;
  for (const share of shares) {
    const created = Date.parse(share.created);
    if (created < createdNotBefore) continue;
    if (share.name !== body.name || share.status === "deleted" || (share.kind !== undefined && share.kind !== "sent")) continue;
    if (!sameKeys(resourceKeys(share.resources ?? []), wanted)) continue;
    if (!newest || created > Date.parse(newest.created)) newest = share;
  }
  return newest;
}

function resourceKeys(resources: readonly (ResourceInput | ShareResourceObject)[]): Set<string> {
  return new Set(resources.map((r) => `${r.resource_type}\u0000${r.resource_id}`));
}

function sameKeys(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((key) => b.has(key));
}
