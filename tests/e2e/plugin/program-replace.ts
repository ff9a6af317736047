// `pulumi up --replace` of the separate recipient and resource of a plugin program (plugin-python,
// plugin-go), which set no delete-before-replace option: the engine asks no provider how to replace
// for `--replace`, so this passes only when the SDK's classes ask to delete first by default.
import type { UpResult } from "@pulumi/pulumi/automation";
import type { RunningEmulator } from "../../../emulator";
import { recorder, TestStack } from "../harness";
import { PLUGIN_RECIPIENT_TYPE, PLUGIN_RESOURCE_TYPE } from "../invariants";
import { expectReplaced, Held } from "../replaced";

/**
 * The ids a plugin program's outputs `shareId`, `partnerId` (its recipient) and `policyId` (its
 * resource) hold.
 *
 * @example
 * const before = heldByOutputs((await testStack.stack.up()).outputs);
 */
export function heldByOutputs(outputs: Record<string, { value: any }>): Held {
  return { shareId: outputs.shareId.value, recipientId: outputs.partnerId.value, resourceId: outputs.policyId.value };
}

/**
 * Runs `up --replace` on every ShareRecipient and ShareResource of the stack (the program's two) and
 * checks that both were replaced, deleting each first: new ids, the old records gone, no orphan or
 * duplicate, nothing left to do (expectReplaced).
 *
 * @example
 * await expectUpReplaceReplaces(emulator, testStack, heldByOutputs(up.outputs));
 */
export async function expectUpReplaceReplaces(emulator: RunningEmulator, testStack: TestStack, before: Held): Promise<UpResult> {
  const replace = (((await testStack.exportState()).resources ?? []) as { type: string; urn: string }[])
    .filter((resource) => resource.type === PLUGIN_RECIPIENT_TYPE || resource.type === PLUGIN_RESOURCE_TYPE)
    .map((resource) => resource.urn);
  expect(replace).toHaveLength(2);

  const up = await testStack.stack.up({ replace, onOutput: recorder(testStack) });
  expect(up.summary.resourceChanges).toMatchObject({ replace: 2 });
  await expectReplaced(emulator, testStack, before, heldByOutputs(up.outputs));
  return up;
}
