// The recipients and shared objects a resource declares, inline on a Share or as a separate resource,
// each with the path of the field it came from (for messages).

import { UnknownValues } from "./unknowns";
import { kindOf } from "./resource-kinds";

/** A recipient as declared: an account or an organization, and where in the inputs it is. */
export interface DeclaredRecipient {
  field: string;
  recipientAccountId?: string;
  organizationId?: string;
}

/** A shared object as declared, and where in the inputs it is. */
export interface DeclaredObject {
  field: string;
  resourceType?: string;
  resourceId?: string;
  resourceAccountId?: string;
}

/** One resource's inputs and how to describe it in a message. */
export interface PolicyInputs {
  type: string;
  name: string;
  props: Record<string, any>;
}

/**
 * How a message names a resource: its kind and its Pulumi name.
 *
 * @example
 * describe({ type: "cloudflare-sharing:index:Share", name: "rules", props: {} }); // 'Share "rules"'
 */
export function describe(resource: PolicyInputs): string {
  return `${kindOf(resource.type) ?? resource.type} "${resource.name}"`;
}

/**
 * The recipients a resource declares: the `recipients` of a Share, or the ShareRecipient itself.
 * Values unknown at preview are left undefined and noted in `unknowns`.
 *
 * @example
 * declaredRecipients({ type: "cloudflare-sharing:index:Share", name: "s", props: { recipients: [{ recipientAccountId: "a" }] } }, new UnknownValues());
 * // [{ field: "recipients[0]", recipientAccountId: "a" }]
 */
export function declaredRecipients(resource: PolicyInputs, unknowns: UnknownValues): DeclaredRecipient[] {
  const read = (item: any, field: string): DeclaredRecipient => ({
    field,
    recipientAccountId: unknowns.read(() => item.recipientAccountId),
    organizationId: unknowns.read(() => item.organizationId),
  });
  switch (kindOf(resource.type)) {
    case "Share":
      return listOf(resource.props, "recipients", unknowns).map((item, i) => read(item, `recipients[${i}]`));
    case "ShareRecipient":
      return [read(resource.props, "")];
    default:
      return [];
  }
}

/**
 * The objects a resource shares: the `resources` of a Share, or the ShareResource itself.
 * Values unknown at preview are left undefined and noted in `unknowns`.
 *
 * @example
 * declaredObjects({ type: "cloudflare-sharing:index:ShareResource", name: "r", props: { resourceType: "custom-ruleset" } }, new UnknownValues());
 * // [{ field: "", resourceType: "custom-ruleset", resourceId: undefined, resourceAccountId: undefined }]
 */
export function declaredObjects(resource: PolicyInputs, unknowns: UnknownValues): DeclaredObject[] {
  const read = (item: any, field: string): DeclaredObject => ({
    field,
    resourceType: unknowns.read(() => item.resourceType),
    resourceId: unknowns.read(() => item.resourceId),
    resourceAccountId: unknowns.read(() => item.resourceAccountId),
  });
  switch (kindOf(resource.type)) {
    case "Share":
      return listOf(resource.props, "resources", unknowns).map((item, i) => read(item, `resources[${i}]`));
    case "ShareResource":
      return [read(resource.props, "")];
    default:
      return [];
  }
}

/**
 * A field path for a message: `recipients[1].recipientAccountId` inline, `recipientAccountId` on a
 * separate resource.
 *
 * @example
 * fieldPath("recipients[1]", "recipientAccountId"); // "recipients[1].recipientAccountId"
 * fieldPath("", "recipientAccountId"); // "recipientAccountId"
 */
export function fieldPath(itemField: string, name: string): string {
  return itemField ? `${itemField}.${name}` : name;
}

/** The items of an inline list; an unknown list is noted and counts as none known. */
function listOf(props: Record<string, any>, key: string, unknowns: UnknownValues): any[] {
  const list = unknowns.read(() => props[key]);
  if (!Array.isArray(list)) return [];
  // Each item is read through its own index so that an unknown item does not hide the others.
  const items: any[] = [];
  for (let i = 0; i < list.length; i++) {
    const item = unknowns.read(() => list[i]);
    items.push(item ?? {});
  }
  return items;
}
