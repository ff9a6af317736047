// At construction, in a TypeScript program: a ShareRecipient or ShareResource whose `shareId` is the
// `id` of an exclusive Share of the same program is refused before anything is registered (the
// Share would remove on every `up` what the other adds). The providers check again by share id
// (./exclusive-shares), which is all a program in another language lets them see.

import type * as pulumi from "@pulumi/pulumi";

const exclusiveShareIds = new WeakSet<object>();

/**
 * Marks `id` as the id of an exclusive Share (when `exclusive` is plainly `true`; an Output is left
 * to the provider's check).
 *
 * @example
 * markExclusiveShareId(this.id, args.exclusive);
 */
export function markExclusiveShareId(id: pulumi.Output<string>, exclusive: pulumi.Input<boolean> | undefined): void {
  if (exclusive === true) exclusiveShareIds.add(id);
}

/**
 * Throws when `shareId` is the id of an exclusive Share of this program.
 *
 * @example
 * refuseOnExclusiveShare(name, args.shareId, "ShareRecipient");
 */
export function refuseOnExclusiveShare(name: string, shareId: pulumi.Input<string>, kind: "ShareRecipient" | "ShareResource"): void {
  if (shareId === null || typeof shareId !== "object" || !exclusiveShareIds.has(shareId)) return;
  const inline = kind === "ShareRecipient" ? "recipients" : "resources";
  throw new Error(
    `${kind} "${name}": its shareId is the id of a Share with exclusive: true, whose inline ${inline} are its complete set, so that ` +
      `Share would remove this ${kind} on every \`up\`. Declare it in the Share's ${inline} instead, or drop exclusive from the Share`,
  );
}
