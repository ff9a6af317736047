// max-recipients: a share reaches at most so many recipients, declared inline or separately.

import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { knownConfig } from "./config-schema";
import { declaredRecipients, describe } from "./declarations";
import { kindOf } from "./resource-kinds";
import { UnknownValues } from "./unknowns";

/** Config of `max-recipients`. */
export interface MaxRecipientsConfig {
  max?: number;
}

/** The recipients counted for one share. */
interface ShareCount {
  label: string;
  urn?: string;
  inline: number;
  separate: string[];
}

/**
 * Each share may have at most `max` recipients: its inline `recipients` plus every separate
 * ShareRecipient of it. A ShareRecipient belongs to the Share its `shareId` comes from (found through
 * the dependency even while the id is unknown at preview) or, for a share outside the stack, to the
 * literal `shareId`. A stack policy, since separate recipients are other resources. Without `max`
 * the policy checks nothing.
 *
 * @example
 * new PolicyPack("cloudflare-sharing", { policies: [maxRecipients] });
 * // config: { "max-recipients": { "max": 5 } }
 */
export const maxRecipients: StackValidationPolicy = {
  name: "max-recipients",
  description: "At most the configured number of recipients per share, inline and separate.",
  configSchema: {
    properties: {
      max: { type: "integer", minimum: 0, description: "The most recipients one share may have." },
    },
  },
  validateStack: (args, reportViolation) => {
    const { max } = knownConfig<MaxRecipientsConfig>(args, maxRecipients);
    if (max === undefined) return;
    const unknowns = new UnknownValues();
    const counts = new Map<string, ShareCount>();
    const countFor = (key: string, label: string, urn?: string): ShareCount => {
      let count = counts.get(key);
      if (!count) counts.set(key, (count = { label, urn, inline: 0, separate: [] }));
      return count;
    };

    for (const resource of args.resources) {
      if (kindOf(resource.type) === "Share") {
        countFor(resource.urn, describe(resource), resource.urn).inline = declaredRecipients(resource, unknowns).length;
      }
    }
    for (const resource of args.resources) {
      if (kindOf(resource.type) !== "ShareRecipient") continue;
      const share = owningShare(resource);
      if (share) {
        countFor(share.urn, describe(share), share.urn).separate.push(resource.name);
        continue;
      }
      const shareId = unknowns.read(() => resource.props.shareId);
      if (typeof shareId === "string") countFor(`id:${shareId}`, `share ${shareId}`).separate.push(resource.name);
    }

    for (const count of counts.values()) {
      const total = count.inline + count.separate.length;
      if (total <= max) continue;
      const separate = count.separate.length ? `, ${count.separate.length} separate ShareRecipient (${count.separate.join(", ")})` : "";
      reportViolation(
        `${count.label}: ${total} recipients (${count.inline} inline in recipients${separate}), more than the maximum of ${max} per share.`,
        count.urn,
      );
    }
    unknowns.settle();
  },
};

/** The Share in the stack a separate ShareRecipient's `shareId` comes from, if any. */
function owningShare(recipient: PolicyResource): PolicyResource | undefined {
  return (recipient.propertyDependencies?.shareId ?? []).find((dependency) => kindOf(dependency.type) === "Share");
}
