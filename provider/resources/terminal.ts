// What to tell the user when Cloudflare reports a terminal error: it never retries one, so waiting
// again cannot help, and the message says what does.

import { TerminalStatusError } from "../wait/errors";

/**
 * The error to report for a recipient with a terminal error: Cloudflare's reason, and what to do.
 * An `up` that sees such a recipient in state (a refresh records it) replaces it: a new association
 * is a new attempt.
 *
 * @example
 * catch (error) { if (error instanceof TerminalStatusError) throw terminalAdvice(error); throw error; }
 */
export function terminalAdvice(error: TerminalStatusError): Error {
  return new Error(
    `${error.message}. Cloudflare does not retry this: fix the cause in the recipient account, then run \`pulumi up --refresh\`, ` +
      `which removes the recipient and adds it anew (or remove the recipient from the program)`,
    { cause: error },
  );
}
