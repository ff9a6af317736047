"use strict";
// Reads an existing share with the lookup functions (both forms) and feeds what they return into a
// new Share; a lookup on that new share's id shows that a lookup waits for its inputs.
const pulumi = require("@pulumi/pulumi");
const sharing = require("pulumi-cloudflare-sharing");

const config = new pulumi.Config("e2e");
const accountId = config.require("accountId");
const shareId = config.require("shareId");

const share = sharing.getShareOutput({ accountId, shareId, includeResources: true, includeRecipientCounts: true });
const recipients = sharing.listShareRecipientsOutput({ accountId, shareId });
const resources = sharing.listShareResourcesOutput({ accountId, shareId: pulumi.output(shareId), status: "active" });
const rulesets = sharing.listShareResourcesOutput({ accountId, shareId, resourceType: "custom-ruleset" });
const sent = sharing.listSharesOutput({ accountId, kind: "sent", status: "active", order: "created", direction: "asc" });

// The lookups' outputs feed another resource.
const copy = new sharing.Share("copy", {
  accountId,
  name: share.name.apply((name) => `${name} (copy)`),
  recipients: recipients.recipients.apply((list) =>
    list.filter((r) => r.associationStatus === "associated").slice(0, 2).map((r) => ({ recipientAccountId: r.recipientAccount })),
  ),
  resources: resources.shareResources.apply((list) =>
    list.slice(0, 2).map((r) => ({ resourceType: r.resourceType, resourceId: r.resourceId, resourceAccountId: r.resourceAccountId, meta: r.meta })),
  ),
});
// Unknown during the first preview (the copy does not exist yet): must not run then.
const ofCopy = sharing.listShareRecipientsOutput({ accountId, shareId: copy.id });

exports.shareName = share.name;
exports.associatedCount = share.associatedRecipientCount;
exports.embeddedResourceCount = share.shareResources.apply((list) => list.length);
exports.recipientIds = recipients.recipients.apply((list) => list.map((r) => r.id));
exports.recipientStatuses = recipients.recipients.apply((list) => list.map((r) => r.associationStatus));
exports.resourceIds = resources.shareResources.apply((list) => list.map((r) => r.id));
exports.rulesetIds = rulesets.shareResources.apply((list) => list.map((r) => r.id));
exports.sentShareIds = sent.shares.apply((list) => list.map((s) => s.id));
exports.resourceCountViaPromise = sharing.listShareResources({ accountId, shareId, status: "active" }).then((r) => r.shareResources.length);
exports.copyId = copy.id;
exports.copyResourceIds = copy.resourceIds;
exports.copyRecipientAccounts = ofCopy.recipients.apply((list) => list.map((r) => r.recipientAccount).sort());
