// The one rule for spending requests: on latency while the rate limit is far from binding, on saving
// them as it binds. Requests only cost time when the limit binds; until then what a pipeline feels is
// how soon each resource returns. So while every window of the rate budget is less than half full,
// looks go at once (a status look does not wait for the list another wait will make, a wait keeps
// looking at the short interval); from half full on, they are saved as before (batched with the
// lists other waits make, and spaced out as a wait grows old).
//
// Why half: below it the window has room for as many requests again as it holds, so the few extra
// looks latency costs (a few per cent more on a small stack) cannot bring the write reserve (the last
// 10 % of the capacity, see RateBudgetSettings.writeReserve) within reach before the mode turns;
// above it, every look saved is room for a write later in the window. The requests the server counts
// for other processes on the same token are in the fill too: many stacks at once turn to saving
// sooner.

/** `latency`: looks go at once; `saving`: looks are batched and spaced out (see the file's comment). */
export type BudgetMode = "latency" | "saving";

/** The fill of the busiest window (requests in it ÷ the capacity this client allows itself) below which looks go for latency. */
export const LATENCY_FILL = 0.5;

/** What the rule reads of a rate budget (RateBudget.snapshot). */
export interface BudgetFill {
  /** Milliseconds left of a pause a 429 ordered. */
  pauseRemainingMs: number;
  policies: readonly { quota: number; inWindow: number }[];
}

/**
 * The mode of a budget from its numbers: `saving` while a 429 has paused it or once any policy's
 * window holds {@link LATENCY_FILL} of its capacity (its quota less the safety margin, as
 * RateBudget.capacity), else `latency`.
 *
 * @example
 * budgetModeOf({ pauseRemainingMs: 0, policies: [{ quota: 1200, inWindow: 100 }] }, 0.05); // "latency"
 * budgetModeOf({ pauseRemainingMs: 0, policies: [{ quota: 1200, inWindow: 600 }] }, 0.05); // "saving"
 */
export function budgetModeOf(fill: BudgetFill, safetyMargin: number): BudgetMode {
  if (fill.pauseRemainingMs > 0) return "saving";
  const busiest = Math.max(0, ...fill.policies.map((policy) => policy.inWindow / Math.max(1, Math.floor(policy.quota * (1 - safetyMargin)))));
  return busiest < LATENCY_FILL ? "latency" : "saving";
}
