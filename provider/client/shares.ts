// Shares: /accounts/{account_id}/shares (reference §3.1–3.5).
import type { CallOptions } from "./core/call-options";
import type { HttpCore } from "./core/http";
import { shareHoldsKey, shareMayHoldKey } from "./natural-keys";
import { collectAll } from "./core/http";
import { path } from "./core/path";
import type { RecipientObject, ShareCreateBody, ShareGetQuery, ShareListQuery, ShareObject, ShareUpdateBody } from "./types";

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
   * looks for the share this call made ({@link findByNaturalKey}, created since this call started)
   * for as long as lists may lag, and returns it if found; a copy made by a re-send is removed.
   */
  create(accountId: string, body: ShareCreateBody, options: CallOptions = {}): Promise<ShareObject> {
    return this.http.request<ShareObject>({
      method: "POST",
      path: path`/accounts/${accountId}/shares`,
      body,
      signal: options.signal,
      recover: {
        find: (createdNotBefore) => this.findByNaturalKey(accountId, body, createdNotBefore, options),
        remove: (copy) => this.delete(accountId, copy.id, options),
      },
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
   * Every share holding the natural key of `body` (see `natural-keys`: same exact name, sent, not on
   * its way out, the same shared objects and the same recipient targets) created at or after
   * `createdNotBefore` (epoch ms), oldest first. One list request, newest first, stopping at the
   * window's edge (usually one page), plus one recipient list per share that matches otherwise.
   */
  async findByNaturalKey(accountId: string, body: ShareCreateBody, createdNotBefore: number, options: CallOptions = {}): Promise<ShareObject[]> {
    const candidates: ShareObject[] = [];
    const query = { kind: "sent", include_resources: true, order: "created", direction: "desc" } as const;
    for await (const share of this.list(accountId, query, options)) {
      if (Date.parse(share.created) < createdNotBefore) break;
      if (shareMayHoldKey(share, body)) candidates.push(share);
    }
    const matches: ShareObject[] = [];
    for (const share of candidates) {
      const recipients = await collectAll(this.http.paginate<RecipientObject>(path`/accounts/${accountId}/shares/${share.id}/recipients`, {}, options));
      if (shareHoldsKey(share, recipients, body)) matches.push(share);
    }
    return matches.sort((a, b) => Date.parse(a.created) - Date.parse(b.created));
  }
}
