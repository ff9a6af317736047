// Recipients of a share: /accounts/{account_id}/shares/{share_id}/recipients (reference §3.6–3.10).
import type { CallOptions } from "./core/call-options";
import type { HttpCore } from "./core/http";
import { recipientHoldsKey, recipientNaturalKey } from "./natural-keys";
import { collectAll } from "./core/http";
import { path } from "./core/path";
import type { RecipientInput, RecipientObject, RecipientQuery } from "./types";

/**
 * Recipients of a share. A recipient cannot be updated: changing one means removing it and adding another.
 *
 * @example
 * const r = await client.recipients.create(accountId, shareId, { recipient_account_id: "0123…" });
 */
export class Recipients {
  constructor(private readonly http: HttpCore) {}

  /**
   * `POST .../shares/{share_id}/recipients`: adds one recipient to an account-targeted share; the
   * recipient account must be in the share owner's organization. It starts `associating` and becomes
   * `associated` in the background. Send `recipient_account_id` (the body `account_id` is deprecated).
   *
   * Never creates a duplicate: after an ambiguous failure the client looks for the recipient this call
   * made ({@link findByNaturalKey}, created since this call started) for as long as lists may lag,
   * and returns it if found; a copy made by a re-send is removed. A body naming neither target has
   * no natural key, so an ambiguous failure is then thrown, not re-sent.
   */
  async create(accountId: string, shareId: string, body: RecipientInput, options: CallOptions = {}): Promise<RecipientObject> {
    return withAccountId(await this.http.request<RecipientObject>({
      method: "POST",
      path: path`/accounts/${accountId}/shares/${shareId}/recipients`,
      body,
      signal: options.signal,
      recover:
        recipientNaturalKey(body) === undefined
          ? undefined
          : {
              find: (createdNotBefore) => this.findByNaturalKey(accountId, shareId, body, createdNotBefore, options),
              remove: (copy) => this.delete(accountId, shareId, copy.id, options),
            },
    }));
  }

  /** `GET .../recipients/{recipient_id}`. `include_resources` adds per-resource `error`/`terminal` state. */
  async get(accountId: string, shareId: string, recipientId: string, query: RecipientQuery = {}, options: CallOptions = {}): Promise<RecipientObject> {
    return withAccountId(
      await this.http.request<RecipientObject>({
        method: "GET",
        path: path`/accounts/${accountId}/shares/${shareId}/recipients/${recipientId}`,
        query,
        signal: options.signal,
      }),
    );
  }

  /**
   * `GET .../recipients`: every recipient whatever its `association_status`, including
   * `disassociated` ones, which are kept forever. Filter client-side for the live ones.
   */
  async *list(accountId: string, shareId: string, query: RecipientQuery = {}, options: CallOptions = {}): AsyncIterable<RecipientObject> {
    for await (const recipient of this.http.paginate<RecipientObject>(path`/accounts/${accountId}/shares/${shareId}/recipients`, query, options)) {
      yield withAccountId(recipient);
    }
  }

  /** {@link list}, collected into an array. */
  listAll(accountId: string, shareId: string, query: RecipientQuery = {}, options: CallOptions = {}): Promise<RecipientObject[]> {
    return collectAll(this.list(accountId, shareId, query, options));
  }

  /**
   * `DELETE .../recipients/{recipient_id}`: a soft delete. The record stays; its status moves
   * `disassociating → disassociated` while a background workflow removes access. Returns the recipient
   * with its new status.
   */
  async delete(accountId: string, shareId: string, recipientId: string, options: CallOptions = {}): Promise<RecipientObject> {
    return withAccountId(
      await this.http.request<RecipientObject>({
        method: "DELETE",
        path: path`/accounts/${accountId}/shares/${shareId}/recipients/${recipientId}`,
        signal: options.signal,
      }),
    );
  }

  /**
   * `PUT .../recipients`: replaces the whole recipient list with `recipients` (a bare JSON array);
   * removed ones go `disassociating`. Answers 204 with no body. Fails for organization-targeted shares.
   * Not in the official SDKs (spec only). Idempotent, so retried like any PUT.
   */
  async replaceAll(accountId: string, shareId: string, recipients: readonly RecipientInput[], options: CallOptions = {}): Promise<void> {
    await this.http.request<void>({
      method: "PUT",
      path: path`/accounts/${accountId}/shares/${shareId}/recipients`,
      body: recipients,
      signal: options.signal,
    });
  }

  /**
   * Every live recipient of the share holding the natural key of `body` (its target, see
   * `natural-keys`) created at or after `createdNotBefore` (epoch ms; 0 for any), oldest first.
   */
  async findByNaturalKey(accountId: string, shareId: string, body: RecipientInput, createdNotBefore = 0, options: CallOptions = {}): Promise<RecipientObject[]> {
    if (recipientNaturalKey(body) === undefined) return [];
    const matches: RecipientObject[] = [];
    for await (const recipient of this.list(accountId, shareId, {}, options)) {
      if (recipientHoldsKey(recipient, body) && Date.parse(recipient.created) >= createdNotBefore) matches.push(recipient);
    }
    return matches.sort((a, b) => Date.parse(a.created) - Date.parse(b.created));
  }
}

/**
 * §4.2 names a recipient's account `account_id`; the body field was renamed `recipient_account_id` (§3.1,
 * §11) and an answer may carry that name too, or only it. Readers always find the account in `account_id`.
 */
function withAccountId(recipient: RecipientObject): RecipientObject {
  if (recipient && typeof recipient === "object" && recipient.account_id === undefined && typeof recipient.recipient_account_id === "string") {
    return { ...recipient, account_id: recipient.recipient_account_id };
  }
  return recipient;
}

