// The items a Share's own create made. The share in state is this resource's, so what its create POST
// made with it (recipients and resources created at the share's own `created` instant) is this
// resource's too: a create cut short (a timeout while lists still trailed it) leaves state without
// their ids, and the resume takes them over instead of calling them another owner's.

import type { OwnedCreate } from "./ownership";

/** How far apart the share's and its items' `created` may be when one POST made them all. */
const SAME_CREATE_MARGIN_MS = 5_000;

/**
 * The live item holding `spec`'s key that the share's create made, or undefined. While the share is
 * younger than the lists' lag, an empty list proves nothing: it looks again once the lag has passed.
 *
 * @example
 * const made = await madeByShareCreate(recipientCreate(api, log, stack, account, shareId, declaration, "this Share"), share.created);
 */
export async function madeByShareCreate<T extends { id: string; created: string }>(spec: OwnedCreate<T>, shareCreated: string): Promise<T | undefined> {
  const createdAt = Date.parse(shareCreated);
  if (Number.isNaN(createdAt)) return undefined;
  const look = async () => {
    for (const listed of await spec.find(createdAt - SAME_CREATE_MARGIN_MS)) {
      if (Date.parse(listed.created) > createdAt + SAME_CREATE_MARGIN_MS) continue;
      const current = await spec.lookup(listed.id);
      if (current !== undefined && (spec.sameObject?.(current) ?? true)) return current;
    }
    return undefined;
  };
  const found = await look();
  const lagLeft = createdAt + (spec.listLagMs ?? 0) - Date.now();
  if (found !== undefined || lagLeft <= 0) return found;
  await new Promise((resolve) => setTimeout(resolve, lagLeft));
  return look();
}
