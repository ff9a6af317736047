// What "nothing lost" means, checked against the emulator and the engine's state: no object the state
// does not know (orphan), no object twice (duplicate), and failures that say what failed and why.
import { createHash } from "node:crypto";
import type { RunningEmulator } from "../../emulator";
import type { RecipientObject, ShareObject, ShareResourceObject } from "../../provider/client/types";

export const SHARE_TYPE = "pulumi-nodejs:dynamic/cloudflare:Share";
export const RECIPIENT_TYPE = "pulumi-nodejs:dynamic/cloudflare:ShareRecipient";
export const RESOURCE_TYPE = "pulumi-nodejs:dynamic/cloudflare:ShareResource";
/** The same resources as the provider plugin serves them (YAML, Python, Go programs). */
export const PLUGIN_SHARE_TYPE = "cloudflare-sharing:index:Share";
export const PLUGIN_RECIPIENT_TYPE = "cloudflare-sharing:index:ShareRecipient";
export const PLUGIN_RESOURCE_TYPE = "cloudflare-sharing:index:ShareResource";

/** A deterministic 32-hex id from a label (accounts, rulesets…), so fixtures need no list of constants. */
export function hexIdOf(label: string): string {
  return createHash("md5").update(label).digest("hex");
}

const SHARE_GONE = new Set(["deleting", "deleted"]);
const RECIPIENT_GONE = new Set(["disassociating", "disassociated"]);
const RESOURCE_GONE = new Set(["deleting", "deleted"]);

export interface LiveShare {
  share: ShareObject;
  recipients: RecipientObject[];
  resources: ShareResourceObject[];
}

/** Objects of `owner` that are not gone or on their way out, as the emulator has them now. */
export function liveObjects(emulator: RunningEmulator, owner: string): LiveShare[] {
  return emulator.control
    .listShares()
    .filter((share) => share.account_id === owner && !SHARE_GONE.has(share.status))
    .map((share) => ({
      share,
      recipients: emulator.control.listRecipients(share.id).filter((r) => !RECIPIENT_GONE.has(r.association_status)),
      resources: emulator.control.listResources(share.id).filter((r) => !RESOURCE_GONE.has(r.status)),
    }));
}

export interface StateIds {
  shares: Set<string>;
  recipients: Set<string>;
  resources: Set<string>;
  /** URNs of operations the engine recorded as started but never finished (a killed `up`). */
  pending: { type: string; urn: string }[];
}

/** Every id the engine's state knows: shares, their inline items, separate recipients and resources (either face). */
export function idsInState(deployment: Record<string, unknown>): StateIds {
  const ids: StateIds = { shares: new Set(), recipients: new Set(), resources: new Set(), pending: [] };
  for (const resource of (deployment.resources ?? []) as { type: string; id?: string; outputs?: Record<string, any> }[]) {
    if (!resource.id) continue;
    if (resource.type === SHARE_TYPE || resource.type === PLUGIN_SHARE_TYPE) {
      ids.shares.add(resource.id);
      for (const id of resource.outputs?.recipientIds ?? []) ids.recipients.add(id);
      for (const id of resource.outputs?.resourceIds ?? []) ids.resources.add(id);
    } else if (resource.type === RECIPIENT_TYPE || resource.type === PLUGIN_RECIPIENT_TYPE) {
      ids.recipients.add(resource.id);
    } else if (resource.type === RESOURCE_TYPE || resource.type === PLUGIN_RESOURCE_TYPE) {
      ids.resources.add(resource.id);
    }
  }
  for (const op of (deployment.pending_operations ?? []) as { resource: { type: string; urn: string } }[]) {
    ids.pending.push({ type: op.resource.type, urn: op.resource.urn });
  }
  return ids;
}

/** Live objects the state does not know, described for a failure message. */
export function orphans(live: LiveShare[], state: StateIds): string[] {
  const found: string[] = [];
  for (const { share, recipients, resources } of live) {
    if (!state.shares.has(share.id)) found.push(`share ${share.id} "${share.name}" (${share.status}, created ${share.created})`);
    for (const r of recipients) {
      if (!state.recipients.has(r.id)) found.push(`recipient ${r.id} (account ${r.account_id}, ${r.association_status}) of share ${share.id} "${share.name}"`);
    }
    for (const r of resources) {
      if (!state.resources.has(r.id)) found.push(`resource ${r.id} (${r.resource_type} ${r.resource_id}, ${r.status}) of share ${share.id} "${share.name}"`);
    }
  }
  return found;
}

/** The same thing live twice: shares by name, recipients by account per share, resources by type+id per share. */
export function duplicates(live: LiveShare[]): string[] {
  const found: string[] = [];
  const groups = <T>(items: T[], key: (item: T) => string) => {
    const map = new Map<string, T[]>();
    for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
    return [...map.entries()].filter(([, list]) => list.length > 1);
  };
  for (const [name, list] of groups(live, (l) => l.share.name)) {
    found.push(`${list.length} live shares named "${name}": ${list.map((l) => `${l.share.id} (created ${l.share.created})`).join(", ")}`);
  }
  for (const { share, recipients, resources } of live) {
    for (const [account, list] of groups(recipients, (r) => r.account_id)) {
      found.push(`${list.length} live recipients for ${account} on share ${share.id}: ${list.map((r) => r.id).join(", ")}`);
    }
    for (const [key, list] of groups(resources, (r) => `${r.resource_type} ${r.resource_id}`)) {
      found.push(`${list.length} live resources ${key} on share ${share.id}: ${list.map((r) => r.id).join(", ")}`);
    }
  }
  return found;
}

/**
 * The per-resource error lines of a failed engine operation. The engine prints each failed resource's
 * diagnostics as "    error: <text>" under the resource; the final summary lines say only that the
 * operation failed and are left out.
 */
export function errorLines(output: string): string[] {
  const lines = output.split("\n").map((line) => line.trim());
  const found: string[] = [];
  lines.forEach((line, index) => {
    if (!/^error:/.test(line)) return;
    let text = line.replace(/^error:\s*/, "");
    // A partial failure is reported as "N error(s) occurred:" followed by "* <reason>" lines.
    if (/^\d+ errors? occurred:?$/.test(text)) {
      const reasons: string[] = [];
      for (let next = index + 1; next < lines.length && /^\*/.test(lines[next]); next++) reasons.push(lines[next].replace(/^\*\s*/, ""));
      text = reasons.join("; ");
    }
    if (/^(update|refresh|destroy|preview) failed$/.test(text) || /^an error occurred/i.test(text)) return;
    found.push(text);
  });
  return found;
}

/**
 * Why a failure text is not a useful report, or undefined if it is: it must say what it was doing (a
 * share, recipient or resource, or an id) and why (an HTTP status, an API message or a timeout), and
 * must not be a bare "Error" or a stringified object.
 */
export function uninformative(text: string): string | undefined {
  const body = text.replace(/^Error:\s*/i, "").trim();
  if (body === "" || /^(Error|undefined|null)$/i.test(body)) return "bare error";
  if (/\[object Object\]/.test(text)) return "a stringified object";
  if (!/share|recipient|resource|[0-9a-f]{32}/i.test(text)) return "does not name the object";
  if (!/\b[1-5]\d\d\b|code \d+|timed out|time ?out|rate.?limit|connection|socket|reset|not found|failed|refused|invalid|HTTP/i.test(text)) return "does not say why";
  return undefined;
}

/** Ids that state holds but the emulator no longer has live (a share deleted under a resource that holds it). */
export function heldButGone(live: LiveShare[], state: StateIds): string[] {
  const shares = new Set(live.map((l) => l.share.id));
  const recipients = new Set(live.flatMap((l) => l.recipients.map((r) => r.id)));
  const resources = new Set(live.flatMap((l) => l.resources.map((r) => r.id)));
  return [
    ...[...state.shares].filter((id) => !shares.has(id)).map((id) => `share ${id}`),
    ...[...state.recipients].filter((id) => !recipients.has(id)).map((id) => `recipient ${id}`),
    ...[...state.resources].filter((id) => !resources.has(id)).map((id) => `resource ${id}`),
  ];
}
