// The error a lookup function throws when its arguments break a rule, before any request is sent.

import { CloudflareSharingError } from "../client/core/errors";

/** Stable code of {@link InvalidArgumentsError}. */
export const INVALID_ARGUMENTS_CODE = "CF_SHARING_ERR_INVALID_ARGUMENTS";

const BRAND = Symbol.for(`pulumi-cloudflare-sharing.error.${INVALID_ARGUMENTS_CODE}`);

/** One broken rule: the argument (a path such as `tags[2]`) and what it must be. */
export interface ArgumentProblem {
  argument: string;
  rule: string;
}

/**
 * A lookup was called with arguments that break a rule. Nothing was sent to Cloudflare. The message
 * names the function, every offending argument and its rule.
 *
 * @example
 * try {
 *   await listShares({ accountId: "not-an-id" });
 * } catch (error) {
 *   if (error instanceof InvalidArgumentsError) console.error(error.problems); // [{ argument: "accountId", rule: "…" }]
 * }
 */
export class InvalidArgumentsError extends CloudflareSharingError {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
  /** The function that was called, e.g. `listShares`. */
  readonly functionName: string;
  readonly problems: readonly ArgumentProblem[];

  constructor(functionName: string, problems: readonly ArgumentProblem[]) {
    super(`${functionName}: invalid arguments: ${problems.map((p) => p.rule).join("; ")}`, INVALID_ARGUMENTS_CODE);
    this.functionName = functionName;
    this.problems = problems;
  }
}
Object.defineProperty(InvalidArgumentsError.prototype, BRAND, { value: true, enumerable: false });
