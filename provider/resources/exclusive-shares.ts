// The exclusive shares this provider process has seen. One process serves every resource of a
// stack (the dynamic-provider host, or the plugin), and the engine reaches a Share before anything
// whose `shareId` is that Share's id: so a ShareRecipient or ShareResource added to an exclusive share
// of the same stack is refused in its `check`, before any write, instead of being added by one
// resource and removed by the other on every `up`.

const exclusiveShareIds = new Set<string>();

/**
 * Records whether the share `shareId` is exclusive (called wherever a Share's id and inputs meet:
 * diff, create, read, update).
 *
 * @example
 * rememberExclusiveShare(id, news.exclusive);
 */
export function rememberExclusiveShare(shareId: string | undefined, exclusive: unknown): void {
  if (typeof shareId !== "string" || shareId === "") return;
  if (exclusive === true) exclusiveShareIds.add(shareId);
  else exclusiveShareIds.delete(shareId);
}

/**
 * Why a separate `kind` on `shareId` cannot be, or undefined when it can (or it cannot be told yet).
 *
 * @example
 * const conflict = exclusiveShareConflict(news.shareId, "ShareRecipient");
 * if (conflict) checker.fail("shareId", conflict);
 */
export function exclusiveShareConflict(shareId: unknown, kind: "ShareRecipient" | "ShareResource"): string | undefined {
  if (typeof shareId !== "string" || !exclusiveShareIds.has(shareId)) return undefined;
  const inline = kind === "ShareRecipient" ? "recipients" : "resources";
  return (
    `shareId ${shareId} is a Share with exclusive: true, whose inline ${inline} are its complete set: a separate ${kind} on it ` +
    `would be removed by that Share on every \`up\` and added again by this resource. Declare it in the Share's ${inline} instead, ` +
    `or drop exclusive from the Share`
  );
}
