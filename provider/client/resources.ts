// Resources of a share: /accounts/{account_id}/shares/{share_id}/resources (reference §3.11–3.15).
import type { CallOptions } from "./core/call-options";
import type { HttpCore } from "./core/http";
import { resourceHoldsKey } from "./natural-keys";
import { collectAll } from "./core/http";
import { path } from "./core/path";
import type { ResourceInput, ResourceListQuery, ResourceUpdateBody, ShareResourceObject } from "./types";

/**
 * Resources of a share. A share resource's `id` (the `{share_resource_id}`) differs from the
 * `resource_id` of the object it shares.
 *
 * @example
 * const res = await client.resources.create(accountId, shareId, { resource_type: "custom-ruleset", resource_id, resource_account_id: accountId, meta: {} });
 */
export class Resources {
  constructor(private readonly http: HttpCore) {}

  /**
   * `POST .../shares/{share_id}/resources`: adds a resource (all four fields required, `meta` even if `{}`).
   * `resource_type`, `resource_id` and `resource_account_id` are immutable afterwards.
   *
   * Never creates a duplicate: after an ambiguous failure the client looks for the share resource this
   * call made ({@link findByNaturalKey}, created since this call started) for as long as lists may
   * lag, and returns it if found; a copy made by a re-send is removed.
   */
  create(accountId: string, shareId: string, body: ResourceInput, options: CallOptions = {}): Promise<ShareResourceObject> {
    return this.http.request<ShareResourceObject>({
      method: "POST",
      path: path`/accounts/${accountId}/shares/${shareId}/resources`,
      body,
      signal: options.signal,
      recover: {
        find: (createdNotBefore) => this.findByNaturalKey(accountId, shareId, body, createdNotBefore, options),
        remove: (copy) => this.delete(accountId, shareId, copy.id, options),
      },
    });
  }

  /** `GET .../resources/{share_resource_id}`. */
  get(accountId: string, shareId: string, shareResourceId: string, options: CallOptions = {}): Promise<ShareResourceObject> {
    return this.http.request<ShareResourceObject>({
      method: "GET",
      path: path`/accounts/${accountId}/shares/${shareId}/resources/${shareResourceId}`,
      signal: options.signal,
    });
  }

  /** `GET .../resources`, optionally filtered by one `resource_type` (singular here) and `status`. */
  list(accountId: string, shareId: string, query: ResourceListQuery = {}, options: CallOptions = {}): AsyncIterable<ShareResourceObject> {
    return this.http.paginate<ShareResourceObject>(path`/accounts/${accountId}/shares/${shareId}/resources`, query, options);
  }

  /** {@link list}, collected into an array. */
  listAll(accountId: string, shareId: string, query: ResourceListQuery = {}, options: CallOptions = {}): Promise<ShareResourceObject[]> {
    return collectAll(this.list(accountId, shareId, query, options));
  }

  /**
   * `PUT .../resources/{share_resource_id}`: replaces `meta`, the only mutable field. Not immediate:
   * the returned resource carries its new status.
   */
  update(accountId: string, shareId: string, shareResourceId: string, body: ResourceUpdateBody, options: CallOptions = {}): Promise<ShareResourceObject> {
    return this.http.request<ShareResourceObject>({
      method: "PUT",
      path: path`/accounts/${accountId}/shares/${shareId}/resources/${shareResourceId}`,
      body,
      signal: options.signal,
    });
  }

  /**
   * `DELETE .../resources/{share_resource_id}`: asynchronous (`deleting → deleted`); returns the
   * resource with its new status. The last resource of a share reportedly cannot be removed: delete the share.
   */
  delete(accountId: string, shareId: string, shareResourceId: string, options: CallOptions = {}): Promise<ShareResourceObject> {
    return this.http.request<ShareResourceObject>({
      method: "DELETE",
      path: path`/accounts/${accountId}/shares/${shareId}/resources/${shareResourceId}`,
      signal: options.signal,
    });
  }

  /**
   * Every share resource of the share holding the natural key of `body` (the shared object, see
   * `natural-keys`), not on its way out, created at or after `createdNotBefore` (epoch ms; 0 for
   * any), oldest first. Lists only that `resource_type`.
   */
  async findByNaturalKey(accountId: string, shareId: string, body: ResourceInput, createdNotBefore = 0, options: CallOptions = {}): Promise<ShareResourceObject[]> {
    const matches: ShareResourceObject[] = [];
    for await (const resource of this.list(accountId, shareId, { resource_type: body.resource_type }, options)) {
      if (resourceHoldsKey(resource, body) && Date.parse(resource.created) >= createdNotBefore) matches.push(resource);
    }
    return matches.sort((a, b) => Date.parse(a.created) - Date.parse(b.created));
  }
}
