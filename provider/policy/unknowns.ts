// Values a preview cannot know yet (an output of a resource not created) are never taken as a pass.

import { UnknownValueError } from "@pulumi/policy";

/**
 * Reads a resource's inputs value by value, so that one unknown value does not stop the check of
 * the others. After every known value has been checked, `settle()` throws the first unknown one
 * again: @pulumi/policy then reports the policy as not run at preview for that value, as an advisory
 * note naming its path (`can't run policy … during preview: string value at .recipients.1.recipientAccountId
 * can't be known during preview`). At `up` every input is known and the policy runs in full.
 *
 * @example
 * const unknowns = new UnknownValues();
 * const account = unknowns.read(() => props.accountId); // undefined if unknown at preview
 * if (account !== undefined && !allowed.includes(account)) report(`…`);
 * unknowns.settle();
 */
export class UnknownValues {
  private first: UnknownValueError | undefined;

  /** The value `get` returns, or undefined (noted) when it is unknown at preview. */
  read<T>(get: () => T): T | undefined {
    try {
      return get();
    } catch (error) {
      if (!(error instanceof UnknownValueError)) throw error;
      this.first ??= error;
      return undefined;
    }
  }

  /** Whether any value read so far was unknown. */
  get any(): boolean {
    return this.first !== undefined;
  }

  /** Throws the first unknown value met, for @pulumi/policy to report; does nothing if there was none. */
  settle(): void {
    if (this.first) throw this.first;
  }
}
