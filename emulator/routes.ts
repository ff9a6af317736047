// The router of the /client/v4 API: the 16 endpoints of §2, each a thin handler over the store.

import { ApiError, ERROR_CODES } from "./errors";
import { paginate, parsePageRequest } from "./pagination";
import type { EmulatorSettings } from "./settings";
import type { Listed, ShareHandle, Store } from "./store";
import {
  MAX_ID_LENGTH,
  Query,
  parseCreateShareBody,
  parseRecipientInput,
  parseRecipientListBody,
  parseResourceInput,
  parseUpdateResourceBody,
  parseUpdateShareBody,
} from "./validation";
import { LIST_DIRECTIONS, LIST_ORDERS, RESOURCE_STATUSES, SHARE_STATUSES, SHARE_KINDS, SHARE_TARGET_TYPES, type ShareKind, type WireShare } from "./wire";

/** What a handler needs to answer one request. */
export interface RequestContext {
  params: Record<string, string>;
  query: Query;
  /** Parsed JSON body; undefined when the request had none. */
  body: unknown;
  store: Store;
  settings: EmulatorSettings;
}

/** A successful answer; the server wraps `result` in the §8 envelope (or sends no body for 204). */
export interface HandlerResult {
  status: number;
  result?: unknown;
  resultInfo?: object;
}

type Handler = (ctx: RequestContext) => HandlerResult;

interface Route {
  method: string;
  segments: string[];
  handler: Handler;
}

// Handlers -----------------------------------------------------------------------------------------

const ok = (result: unknown): HandlerResult => ({ status: 200, result });
const created = (ctx: RequestContext, result: unknown): HandlerResult => ({ status: ctx.settings.behaviour.createStatusCode, result });

/** The share of the path, as its owner sees it (every write and every sub-resource route). */
function ownedShare(ctx: RequestContext): ShareHandle {
  return ctx.store.findShare(ctx.params.account_id, ctx.params.share_id, { ownerOnly: true }).share;
}

/** Shared by #1 and #16: filters (§3.2), sort, pagination and rendering of a share collection. */
function shareCollection(ctx: RequestContext, entries: (Listed<ShareHandle> & { kind?: ShareKind })[]): HandlerResult {
  const { query, store, settings } = ctx;
  const direction = query.enumValue("direction", LIST_DIRECTIONS) ?? "asc";
  // [UNCONFIRMED] default order: creation time, oldest first (stable pages for page-number clients).
  const order = query.enumValue("order", LIST_ORDERS) ?? "created";
  const kind = query.enumValue("kind", SHARE_KINDS);
  const status = query.enumValue("status", SHARE_STATUSES);
  const targetType = query.enumValue("target_type", SHARE_TARGET_TYPES);
  const resourceTypes = query.enumValues("resource_types", settings.behaviour.resourceTypes);
  const tags = query.tags();
  const view = { includeResources: query.bool("include_resources"), includeRecipientCounts: query.bool("include_recipient_counts") };
  const pageRequest = parsePageRequest(query, settings.behaviour.unpaginatedWhenNoPageParams);

  const matching = entries.filter(({ handle: share, asOf, kind: shareKind }) => {
    if (kind && shareKind !== kind) return false;
    // A lagging list filters on the status it shows (`consistency.listLagMs`).
    if (status && (store.statusAt(share.id, asOf) ?? share.status) !== status) return false;
    if (targetType && store.targetType(share) !== targetType) return false;
    if (resourceTypes.length > 0) {
      const types = store.resourcesOf(share).filter((r) => r.status !== "deleted").map((r) => r.resourceType);
      if (!types.some((type) => resourceTypes.includes(type))) return false;
    }
    // `key` matches the key with any value; `key=value` matches exactly; several tags are ANDed (§3.2).
    return tags.every((tag) => share.tags.some((own) => own === tag || (!tag.includes("=") && own.startsWith(`${tag}=`))));
  });
  const sign = direction === "asc" ? 1 : -1;
  matching.sort(({ handle: a }, { handle: b }) => {
    const primary = order === "name" ? compareStrings(a.name, b.name) : a.created - b.created;
    return sign * (primary !== 0 ? primary : a.seq - b.seq);
  });
  const page = paginate(matching, pageRequest);
  const result: WireShare[] = page.result.map(({ handle, asOf, kind: shareKind }) => store.renderShare(handle, { ...view, kind: shareKind, asOf }));
  return { status: 200, result, resultInfo: page.result_info };
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const listShares: Handler = (ctx) => shareCollection(ctx, ctx.store.listSharesVisibleTo(ctx.params.account_id));

// §3.16: query parameters unconfirmed; the account list's are accepted. Every share is `sent` by the organization.
const listOrganizationShares: Handler = (ctx) =>
  shareCollection(
    ctx,
    ctx.store.listSharesOfOrganization(ctx.params.organization_id).map((entry) => ({ ...entry, kind: "sent" as const })),
  );

const createShare: Handler = (ctx) => {
  const body = parseCreateShareBody(ctx.body, {
    resourceTypes: ctx.settings.behaviour.resourceTypes,
    requireNonEmptyLists: ctx.settings.behaviour.requireNonEmptyCreateLists,
  });
  const { share } = ctx.store.createShare({ accountId: ctx.params.account_id, ...body });
  return created(ctx, ctx.store.renderShare(share, { kind: "sent" }));
};

const getShare: Handler = (ctx) => {
  const { share, kind } = ctx.store.findShare(ctx.params.account_id, ctx.params.share_id, { ownerOnly: false, getById: true });
  return ok(
    ctx.store.renderShare(share, {
      kind,
      includeResources: ctx.query.bool("include_resources"),
      includeRecipientCounts: ctx.query.bool("include_recipient_counts"),
    }),
  );
};

const updateShare: Handler = (ctx) => {
  const share = ownedShare(ctx);
  const { name } = parseUpdateShareBody(ctx.body);
  ctx.store.renameShare(share, name);
  return ok(ctx.store.renderShare(share, { kind: "sent", preview: true }));
};

const deleteShare: Handler = (ctx) => {
  const share = ownedShare(ctx);
  ctx.store.deleteShare(share);
  return ok(ctx.store.renderShare(share, { kind: "sent" }));
};

const listRecipients: Handler = (ctx) => {
  const share = ownedShare(ctx);
  const includeResources = ctx.query.bool("include_resources");
  const page = paginate(ctx.store.listRecipientsOf(share), parsePageRequest(ctx.query, ctx.settings.behaviour.unpaginatedWhenNoPageParams));
  return {
    status: 200,
    result: page.result.map(({ handle, asOf }) => ctx.store.renderRecipient(handle, includeResources, asOf)),
    resultInfo: page.result_info,
  };
};

const createRecipient: Handler = (ctx) => {
  const share = ownedShare(ctx);
  const recipient = ctx.store.addRecipient(share, parseRecipientInput(ctx.body, ""));
  return created(ctx, ctx.store.renderRecipient(recipient));
};

const replaceRecipients: Handler = (ctx) => {
  const share = ownedShare(ctx);
  ctx.store.replaceRecipients(share, parseRecipientListBody(ctx.body));
  return { status: 204 }; // §3.8: 204, empty body
};

const getRecipient: Handler = (ctx) => {
  const recipient = ctx.store.findRecipient(ownedShare(ctx), ctx.params.recipient_id, true);
  return ok(ctx.store.renderRecipient(recipient, ctx.query.bool("include_resources")));
};

const deleteRecipient: Handler = (ctx) => {
  const recipient = ctx.store.findRecipient(ownedShare(ctx), ctx.params.recipient_id);
  ctx.store.disassociate(recipient);
  return ok(ctx.store.renderRecipient(recipient));
};

const listResources: Handler = (ctx) => {
  const share = ownedShare(ctx);
  const resourceType = ctx.query.enumValue("resource_type", ctx.settings.behaviour.resourceTypes);
  const status = ctx.query.enumValue("status", RESOURCE_STATUSES);
  const pageRequest = parsePageRequest(ctx.query, ctx.settings.behaviour.unpaginatedWhenNoPageParams);
  const matching = ctx.store
    .listResourcesOf(share)
    .filter(({ handle: r, asOf }) => (!resourceType || r.resourceType === resourceType) && (!status || (ctx.store.statusAt(r.id, asOf) ?? r.status) === status));
  const page = paginate(matching, pageRequest);
  return { status: 200, result: page.result.map(({ handle, asOf }) => ctx.store.renderResource(handle, false, asOf)), resultInfo: page.result_info };
};

const createResource: Handler = (ctx) => {
  const share = ownedShare(ctx);
  const input = parseResourceInput(ctx.body, "", ctx.settings.behaviour.resourceTypes);
  return created(ctx, ctx.store.renderResource(ctx.store.addResource(share, input)));
};

const getResource: Handler = (ctx) =>
  ok(ctx.store.renderResource(ctx.store.findResource(ownedShare(ctx), ctx.params.share_resource_id, true)));

const updateResource: Handler = (ctx) => {
  const share = ownedShare(ctx);
  const resource = ctx.store.findResource(share, ctx.params.share_resource_id);
  const { meta } = parseUpdateResourceBody(ctx.body);
  ctx.store.updateResourceMeta(share, resource, meta);
  return ok(ctx.store.renderResource(resource, true));
};

const deleteResource: Handler = (ctx) => {
  const share = ownedShare(ctx);
  const resource = ctx.store.findResource(share, ctx.params.share_resource_id);
  ctx.store.deleteResource(share, resource);
  return ok(ctx.store.renderResource(resource));
};

// Route table (§2) -----------------------------------------------------------------------------------

const SHARES = "/accounts/:account_id/shares";
const SHARE = `${SHARES}/:share_id`;

const ROUTES: Route[] = (
  [
    ["GET", SHARES, listShares], // #1
    ["POST", SHARES, createShare], // #2
    ["GET", SHARE, getShare], // #3
    ["PUT", SHARE, updateShare], // #4
    ["DELETE", SHARE, deleteShare], // #5
    ["GET", `${SHARE}/recipients`, listRecipients], // #6
    ["POST", `${SHARE}/recipients`, createRecipient], // #7
    ["PUT", `${SHARE}/recipients`, replaceRecipients], // #8
    ["GET", `${SHARE}/recipients/:recipient_id`, getRecipient], // #9
    ["DELETE", `${SHARE}/recipients/:recipient_id`, deleteRecipient], // #10
    ["GET", `${SHARE}/resources`, listResources], // #11
    ["POST", `${SHARE}/resources`, createResource], // #12
    ["GET", `${SHARE}/resources/:share_resource_id`, getResource], // #13
    ["PUT", `${SHARE}/resources/:share_resource_id`, updateResource], // #14
    ["DELETE", `${SHARE}/resources/:share_resource_id`, deleteResource], // #15
    ["GET", "/organizations/:organization_id/shares", listOrganizationShares], // #16
  ] as const
).map(([method, pattern, handler]) => ({ method, segments: pattern.split("/").filter(Boolean), handler }));

/**
 * Finds the handler of `method path` (path relative to /client/v4). Unknown paths → 404 / 7000, known
 * path with another method → 405 / 7001, a path id over 32 characters → 400 / 7003 (§2 maxLength 32).
 */
export function resolveRoute(method: string, path: string): { handler: Handler; params: Record<string, string> } {
  const segments = path.split("/").filter(Boolean);
  let pathMatched = false;
  for (const route of ROUTES) {
    const params = matchSegments(route.segments, segments);
    if (!params) continue;
    pathMatched = true;
    if (route.method !== method) continue;
    for (const [name, value] of Object.entries(params)) {
      if (value.length > MAX_ID_LENGTH) {
        throw new ApiError(400, ERROR_CODES.invalidIdentifier, `${name}: must be at most ${MAX_ID_LENGTH} characters`);
      }
    }
    return { handler: route.handler, params };
  }
  if (pathMatched) throw new ApiError(405, ERROR_CODES.methodNotAllowed, `Method ${method} not allowed for this URI`);
  throw new ApiError(404, ERROR_CODES.noRoute, "No route for that URI");
}

function matchSegments(pattern: string[], segments: string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i].startsWith(":")) {
      let value: string;
      try {
        value = decodeURIComponent(segments[i]);
      } catch {
        return undefined;
      }
      if (value === "") return undefined;
      params[pattern[i].slice(1)] = value;
    } else if (pattern[i] !== segments[i]) {
      return undefined;
    }
  }
  return params;
}

/** True for methods that change state (a read-only token may not use them, §1). */
export function isWriteMethod(method: string): boolean {
  return method !== "GET" && method !== "HEAD";
}
