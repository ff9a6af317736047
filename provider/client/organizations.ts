// Organization-level shares: GET /organizations/{organization_id}/shares (reference §2 #16, §3.16).
import type { CallOptions } from "./core/call-options";
import type { HttpCore } from "./core/http";
import { collectAll } from "./core/http";
import { path } from "./core/path";
import type { ShareListQuery, ShareObject } from "./types";

/** The organization-level endpoint. Only a list exists; it is in the spec but in no official SDK. */
export class Organizations {
  constructor(private readonly http: HttpCore) {}

  /**
   * `GET /organizations/{organization_id}/shares`: the organization's shares, page by page.
   * Its query parameters are unconfirmed; the account-level list's are passed through as given.
   */
  listShares(organizationId: string, query: ShareListQuery = {}, options: CallOptions = {}): AsyncIterable<ShareObject> {
    return this.http.paginate<ShareObject>(path`/organizations/${organizationId}/shares`, query, options);
  }

  /** {@link listShares}, collected into an array. */
  listAllShares(organizationId: string, query: ShareListQuery = {}, options: CallOptions = {}): Promise<ShareObject[]> {
    return collectAll(this.listShares(organizationId, query, options));
  }
}
