// Page-number pagination of every list endpoint (§3.2, §3.6, §3.11, §8).

import type { WireResultInfo } from "./wire";
import { invalidQuery } from "./errors";
import type { Query } from "./validation";

/** §3.2: `per_page` is at most 100 and defaults to 20. */
export const MAX_PER_PAGE = 100;
export const DEFAULT_PER_PAGE = 20;

export type PageRequest = { kind: "all" } | { kind: "page"; page: number; perPage: number };

function positiveInteger(query: Query, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw invalidQuery(name, "must be a positive integer");
  const value = Number(raw);
  if (value < 1) throw invalidQuery(name, "must be at least 1");
  return value;
}

/**
 * Reads `page` / `per_page`. Only `per_page` → page 1; only `page` → 20 per page; neither → the whole
 * list when `unpaginatedWhenNoPageParams` (newest DOCS), else page 1 of 20.
 */
export function parsePageRequest(query: Query, unpaginatedWhenNoPageParams: boolean): PageRequest {
  const page = positiveInteger(query, "page");
  const perPage = positiveInteger(query, "per_page");
  if (perPage !== undefined && perPage > MAX_PER_PAGE) throw invalidQuery("per_page", `must be at most ${MAX_PER_PAGE}`);
  if (page === undefined && perPage === undefined && unpaginatedWhenNoPageParams) return { kind: "all" };
  return { kind: "page", page: page ?? 1, perPage: perPage ?? DEFAULT_PER_PAGE };
}

/** One page of `items` and its `result_info`; pages past the end are empty. */
export function paginate<T>(items: readonly T[], request: PageRequest): { result: T[]; result_info: WireResultInfo } {
  const total = items.length;
  if (request.kind === "all") {
    return {
      result: [...items],
      result_info: { page: 1, per_page: total, count: total, total_count: total, total_pages: total > 0 ? 1 : 0 },
    };
  }
  const start = (request.page - 1) * request.perPage;
  const result = items.slice(start, start + request.perPage);
  return {
    result,
    result_info: {
      page: request.page,
      per_page: request.perPage,
      count: result.length,
      total_count: total,
      total_pages: Math.ceil(total / request.perPage),
    },
  };
}
