// The lookup functions (README, "Lookup functions"): read an existing share and feed what they
// return into a new one. Needs a real account: `pulumi config set --secret cloudflare:apiToken <token>`.
import { getShareOutput, listShareResources, listShareRecipientsOutput, listSharesOutput, Share } from "pulumi-cloudflare-sharing";

const accountId = "023e105f4ecef8ad9ca31a8372d0c353";
const existing = getShareOutput({ accountId, shareId: "3fd85f74b32742f1bff64a85009dda07", includeResources: true });
const partners = listShareRecipientsOutput({ accountId, shareId: existing.id });

// Their results feed other resources: the same objects, shared with the same accounts, under a new share.
new Share("copy", {
  accountId,
  name: existing.name.apply((name) => `${name} (copy)`),
  recipients: partners.recipients.apply((list) =>
    list.filter((r) => r.associationStatus === "associated").map((r) => ({ recipientAccountId: r.recipientAccount }))),
  resources: existing.apply((share) =>
    (share.shareResources ?? []).filter((r) => r.status === "active").map(({ resourceType, resourceId, resourceAccountId, meta }) => ({ resourceType, resourceId, resourceAccountId, meta }))),
});

export const activeShares = listSharesOutput({ accountId, kind: "sent", status: "active" }).shares.apply((s) => s.length);
export const rulesetCount = listShareResources({ accountId, shareId: "3fd85f74b32742f1bff64a85009dda07", resourceType: "custom-ruleset" })
  .then(({ shareResources }) => shareResources.length);
