// The arguments of the lookup functions and their rules. Checked before any request: a wrong
// argument is an error naming the argument and the rule, never a 400 from Cloudflare.

import { Checker, isPlainObject, shownValue } from "../resources/inputs";
import { InvalidArgumentsError } from "./errors";

/** Filters and options of the share lists (reference §3.2), named as the rest of the package names things. */
export interface ShareListFilters {
  /** `sent` (shares this account owns) or `received`. Both when absent. */
  kind?: "sent" | "received";
  /** `active`, `deleting` or `deleted`. Every status when absent: deleted shares are listed while Cloudflare keeps them. */
  status?: "active" | "deleting" | "deleted";
  /** `account` or `organization`. */
  targetType?: "account" | "organization";
  /** Only shares with resources of these types. */
  resourceTypes?: string[];
  /** Tags, each `key` or `key=value`; at most 20; a share must match all of them. */
  tags?: string[];
  /** Adds `associatedRecipientCount` and the three other counts to each share. */
  includeRecipientCounts?: boolean;
  /** Adds `shareResources` to each share. */
  includeResources?: boolean;
  /** Sort key: `name` or `created` (Cloudflare's default order when absent). */
  order?: "name" | "created";
  /** `asc` or `desc`. */
  direction?: "asc" | "desc";
}

/** Arguments of `getShare`. */
export interface GetShareArgs {
  /** The account the share belongs to (or was sent to). */
  accountId: string;
  /** The share's id. */
  shareId: string;
  /** Adds the share's `resources`. */
  includeResources?: boolean;
  /** Adds the four recipient counts. */
  includeRecipientCounts?: boolean;
}

/** Arguments of `listShares`: an account's shares, sent and received unless `kind` says. */
export interface ListSharesArgs extends ShareListFilters {
  /** The account whose shares to list. */
  accountId: string;
}

/** Arguments of `listOrganizationShares`: the shares of every account of an organization. */
export interface ListOrganizationSharesArgs extends ShareListFilters {
  /** The organization whose accounts' shares to list. */
  organizationId: string;
}

/** Arguments of `listShareRecipients`. */
export interface ListShareRecipientsArgs {
  /** The account the share belongs to. */
  accountId: string;
  /** The share whose recipients to list. */
  shareId: string;
  /** Adds each recipient's per-resource state (`resources`: version, error, terminal). */
  includeResources?: boolean;
}

/** Arguments of `listShareResources`. */
export interface ListShareResourcesArgs {
  /** The account the share belongs to. */
  accountId: string;
  /** The share whose resources to list. */
  shareId: string;
  /** `active`, `deleting` or `deleted`. Every status when absent. */
  status?: "active" | "deleting" | "deleted";
  /** Only resources of this one type. */
  resourceType?: string;
}

const MAX_TAGS = 20;
const SHARE_LIST_FILTERS = ["kind", "status", "targetType", "resourceTypes", "tags", "includeRecipientCounts", "includeResources", "order", "direction"] as const;

/** Collects broken rules and throws them together, as one {@link InvalidArgumentsError}. */
class ArgumentRules {
  private readonly checker = new Checker();
  constructor(
    private readonly functionName: string,
    private readonly args: Record<string, unknown>,
    allowed: readonly string[],
  ) {
    for (const key of Object.keys(args)) {
      if (!allowed.includes(key) && args[key] !== undefined) {
        this.checker.fail(key, `${functionName} has no argument "${key}": its arguments are ${allowed.join(", ")}`);
      }
    }
  }

  id(name: string, required = true): this {
    this.checker.id(name, this.args[name], required);
    return this;
  }

  oneOf(name: string, values: readonly string[]): this {
    const value = this.args[name];
    if (value !== undefined && !values.includes(value as string)) {
      this.checker.fail(name, `${name} must be one of ${values.map((v) => `"${v}"`).join(", ")}, got ${shownValue(name, JSON.stringify(value))}`);
    }
    return this;
  }

  boolean(name: string): this {
    const value = this.args[name];
    if (value !== undefined && typeof value !== "boolean") this.checker.fail(name, `${name} must be true or false, got ${shownValue(name, JSON.stringify(value))}`);
    return this;
  }

  nonEmptyString(name: string): this {
    const value = this.args[name];
    if (value !== undefined && (typeof value !== "string" || value.trim() === "")) {
      this.checker.fail(name, `${name} must be a non-empty string, got ${shownValue(name, JSON.stringify(value))}`);
    }
    return this;
  }

  /** An array of non-empty strings, at most `max` of them, each matching `pattern` when given. */
  strings(name: string, options: { max?: number; pattern?: RegExp; patternRule?: string } = {}): this {
    const value = this.args[name];
    if (value === undefined) return this;
    if (!Array.isArray(value)) {
      this.checker.fail(name, `${name} must be an array of strings, got ${shownValue(name, JSON.stringify(value))}`);
      return this;
    }
    if (options.max !== undefined && value.length > options.max) {
      this.checker.fail(name, `${name} may hold at most ${options.max} values (Cloudflare's limit), got ${value.length}`);
    }
    value.forEach((item, index) => {
      if (typeof item !== "string" || item.trim() === "") {
        this.checker.fail(`${name}[${index}]`, `${name}[${index}] must be a non-empty string, got ${shownValue(`${name}[${index}]`, JSON.stringify(item))}`);
      } else if (options.pattern && !options.pattern.test(item)) {
        this.checker.fail(`${name}[${index}]`, `${name}[${index}] ${options.patternRule}, got ${shownValue(`${name}[${index}]`, JSON.stringify(item))}`);
      }
    });
    return this;
  }

  shareListFilters(): this {
    return this.oneOf("kind", ["sent", "received"])
      .oneOf("status", ["active", "deleting", "deleted"])
      .oneOf("targetType", ["account", "organization"])
      .strings("resourceTypes")
      .strings("tags", { max: MAX_TAGS, pattern: /^[^=]+(=.*)?$/, patternRule: 'must be "key" or "key=value"' })
      .boolean("includeRecipientCounts")
      .boolean("includeResources")
      .oneOf("order", ["name", "created"])
      .oneOf("direction", ["asc", "desc"]);
  }

  done(): void {
    const problems = this.checker.failures.map((failure) => ({ argument: failure.property, rule: failure.reason }));
    if (problems.length > 0) throw new InvalidArgumentsError(this.functionName, problems);
  }
}

function rulesFor(functionName: string, args: unknown, allowed: readonly string[]): ArgumentRules {
  if (!isPlainObject(args)) {
    throw new InvalidArgumentsError(functionName, [{ argument: "args", rule: `${functionName} takes an object of arguments such as { accountId: "…" }, got ${JSON.stringify(args)}` }]);
  }
  return new ArgumentRules(functionName, args, allowed);
}

/**
 * Checks the arguments of `getShare`; throws {@link InvalidArgumentsError} naming every broken rule.
 *
 * @example
 * checkGetShareArgs({ accountId: "023e105f4ecef8ad9ca31a8372d0c353", shareId: "3fd85f74b32742f1bff64a85009dda07" });
 */
export function checkGetShareArgs(args: GetShareArgs): void {
  rulesFor("getShare", args, ["accountId", "shareId", "includeResources", "includeRecipientCounts"])
    .id("accountId")
    .id("shareId")
    .boolean("includeResources")
    .boolean("includeRecipientCounts")
    .done();
}

/**
 * Checks the arguments of `listShares`.
 *
 * @example
 * checkListSharesArgs({ accountId: "023e105f4ecef8ad9ca31a8372d0c353", kind: "sent", tags: ["team=waf"] });
 */
export function checkListSharesArgs(args: ListSharesArgs): void {
  rulesFor("listShares", args, ["accountId", ...SHARE_LIST_FILTERS]).id("accountId").shareListFilters().done();
}

/**
 * Checks the arguments of `listOrganizationShares`.
 *
 * @example
 * checkListOrganizationSharesArgs({ organizationId: "4f1c2d3e5a6b7c8d9e0fa1b2c3d4e5f6" });
 */
export function checkListOrganizationSharesArgs(args: ListOrganizationSharesArgs): void {
  rulesFor("listOrganizationShares", args, ["organizationId", ...SHARE_LIST_FILTERS]).id("organizationId").shareListFilters().done();
}

/**
 * Checks the arguments of `listShareRecipients`.
 *
 * @example
 * checkListShareRecipientsArgs({ accountId, shareId, includeResources: true });
 */
export function checkListShareRecipientsArgs(args: ListShareRecipientsArgs): void {
  rulesFor("listShareRecipients", args, ["accountId", "shareId", "includeResources"]).id("accountId").id("shareId").boolean("includeResources").done();
}

/**
 * Checks the arguments of `listShareResources`.
 *
 * @example
 * checkListShareResourcesArgs({ accountId, shareId, status: "active", resourceType: "custom-ruleset" });
 */
export function checkListShareResourcesArgs(args: ListShareResourcesArgs): void {
  rulesFor("listShareResources", args, ["accountId", "shareId", "status", "resourceType"])
    .id("accountId")
    .id("shareId")
    .oneOf("status", ["active", "deleting", "deleted"])
    .nonEmptyString("resourceType")
    .done();
}

/**
 * The API query of the share-list filters (reference §3.2).
 *
 * @example
 * shareListQuery({ targetType: "account", tags: ["team=waf"] }) // { target_type: "account", tag: ["team=waf"], … }
 */
export function shareListQuery(filters: ShareListFilters): Record<string, unknown> {
  return {
    kind: filters.kind,
    status: filters.status,
    target_type: filters.targetType,
    resource_types: filters.resourceTypes,
    tag: filters.tags,
    include_recipient_counts: filters.includeRecipientCounts,
    include_resources: filters.includeResources,
    order: filters.order,
    direction: filters.direction,
  };
}
