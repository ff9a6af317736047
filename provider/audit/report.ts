// What `audit` tells: the report (also its `--json` output, as it is) and its text form.

import type { Undeclared, UndeclaredShare } from "./compare";

/** The result of one audit: `--json` prints exactly this object. */
export interface AuditReport {
  accountId: string;
  organizationId?: string;
  /** When the account was read (RFC 3339). */
  auditedAt: string;
  /** The state files, as given. */
  stateFiles: string[];
  /** Live objects read from Cloudflare (`organizationShares`: of the organization's other accounts, with `--organization`). */
  read: { shares: number; recipients: number; resources: number; organizationShares?: number };
  /** Ids the state files hold, all kinds and accounts together. */
  declared: { shares: number; recipients: number; resources: number };
  /** Every live object no state holds; the items of an undeclared share are inside it. */
  undeclared: Undeclared[];
  /** What could not be read from the state files (e.g. encrypted inline items). */
  warnings: string[];
  /** API requests sent (all GET). */
  requests: number;
}

/**
 * The report as text: a summary, then one line per undeclared object (a share's items under it).
 *
 * @example
 * for (const line of reportLines(report)) console.log(line);
 */
export function reportLines(report: AuditReport): string[] {
  const { read, declared, undeclared } = report;
  const files = report.stateFiles.length === 1 ? "The state file holds" : `The ${report.stateFiles.length} state files hold`;
  const lines = [
    `Account ${report.accountId}: ${count(read.shares, "live share")}, ${count(read.recipients, "recipient")}, ${count(read.resources, "resource")}` +
      (read.organizationShares !== undefined ? `; ${count(read.organizationShares, "live share")} of other accounts of organization ${report.organizationId}` : "") +
      ".",
    `${files} ${count(declared.shares, "share")}, ${count(declared.recipients, "recipient")}, ${count(declared.resources, "resource")}. ${count(report.requests, "API request")} sent (reads only).`,
  ];
  if (undeclared.length === 0) {
    lines.push("Nothing undeclared: every live share, recipient and resource is held by a given state.");
    return lines;
  }
  lines.push(`Undeclared (${undeclared.length}, held by no given state):`);
  for (const item of undeclared) {
    if (item.kind === "share") lines.push(...shareLines(item));
    else if (item.kind === "recipient") lines.push(`  recipient ${item.id} of share ${item.shareId} ${JSON.stringify(item.shareName)}: ${target(item)} (${dates(item)})`);
    else lines.push(`  resource ${item.id} of share ${item.shareId} ${JSON.stringify(item.shareName)}: ${item.resourceType} ${item.resourceId} of account ${item.resourceAccountId} (${dates(item)})`);
  }
  return lines;
}

function shareLines(share: UndeclaredShare): string[] {
  const owner = share.via === "organization" ? `, of account ${share.accountId} (organization list: its items were not read)` : "";
  const lines = [`  share ${share.id} ${JSON.stringify(share.name)} (${dates(share)}, targets ${share.targetType === "organization" ? "an organization" : "accounts"}${owner})`];
  for (const recipient of share.recipients ?? []) lines.push(`    recipient ${recipient.id}: ${target(recipient)} (${dates(recipient)})`);
  for (const resource of share.resources ?? []) lines.push(`    resource ${resource.id}: ${resource.resourceType} ${resource.resourceId} of account ${resource.resourceAccountId} (${dates(resource)})`);
  return lines;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function target(recipient: { recipientAccountId?: string; organizationId?: string }): string {
  return recipient.organizationId !== undefined ? `organization ${recipient.organizationId}` : `account ${recipient.recipientAccountId}`;
}

function dates(item: { status: string; created: string; modified: string }): string {
  return `${item.status}, created ${item.created}, modified ${item.modified}`;
}
