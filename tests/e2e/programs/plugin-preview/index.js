"use strict";
// The plugin's resources from a JavaScript program (`plugin.*` classes): a share, a recipient, and
// two resources that read the share's outputs (`policy` its item ids, `companyWide` its organization),
// as declared by the `e2e:declared` config.
const pulumi = require("@pulumi/pulumi");
const { plugin } = require("pulumi-cloudflare-sharing");

const config = new pulumi.Config("e2e");
const declared = JSON.parse(config.require("declared"));
const owner = declared.accountId;
const timeouts = (keys) => (declared.timeout ? { timeouts: Object.fromEntries(keys.map((key) => [key, declared.timeout])) } : {});

const share = new plugin.Share("share", {
  accountId: owner,
  name: declared.shareName,
  recipients: declared.inlineRecipients.map((recipientAccountId) => ({ recipientAccountId })),
  resources: [{ resourceType: "custom-ruleset", resourceId: declared.ruleset, resourceAccountId: owner, meta: declared.inlineMeta }],
  ...timeouts(["create", "update", "delete"]),
});
new plugin.ShareRecipient("partner", { accountId: owner, shareId: share.id, recipientAccountId: declared.partner, ...timeouts(["create", "delete"]) });
new plugin.Share("companyWide", {
  accountId: owner,
  name: "for the whole company",
  recipients: [{ organizationId: share.organizationId }],
  resources: [{ resourceType: "custom-ruleset", resourceId: declared.otherRuleset, resourceAccountId: owner }],
});
new plugin.ShareResource("policy", {
  accountId: owner,
  shareId: share.id,
  resourceType: "gateway-policy",
  resourceId: declared.policy,
  resourceAccountId: owner,
  meta: pulumi.all([share.resourceIds, share.recipientIds]).apply(([resourceIds, recipientIds]) => ({ ...declared.policyMeta, ruleset: resourceIds[0], firstRecipient: recipientIds[0] })),
  ...timeouts(["create", "update", "delete"]),
});
