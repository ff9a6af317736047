"use strict";
// One share, one recipient and one shared object, on the dynamic providers (`e2e:face` = "dynamic")
// or on the plugin (`e2e:face` = "plugin"), moved there with aliases, as docs/languages.md "Moving a TypeScript stack to
// the plugin" tells.
const pulumi = require("@pulumi/pulumi");
const sharing = require("pulumi-cloudflare-sharing");

const config = new pulumi.Config("e2e");
const spec = JSON.parse(config.require("spec"));
const onPlugin = config.require("face") === "plugin";

const Share = onPlugin ? sharing.plugin.Share : sharing.Share;
const ShareRecipient = onPlugin ? sharing.plugin.ShareRecipient : sharing.ShareRecipient;
const ShareResource = onPlugin ? sharing.plugin.ShareResource : sharing.ShareResource;
const moved = (kind) => (onPlugin ? { aliases: [sharing.plugin.MOVED_FROM_DYNAMIC[kind]] } : {});

const owner = spec.accountId;
const share = new Share(
  "share",
  {
    accountId: owner,
    name: spec.name,
    recipients: [{ recipientAccountId: spec.inlineRecipient }],
    resources: [{ resourceType: "custom-ruleset", resourceId: spec.ruleset, resourceAccountId: owner, meta: { tier: "gold" } }],
  },
  moved("Share"),
);
const partner = new ShareRecipient("partner", { accountId: owner, shareId: share.id, recipientAccountId: spec.recipient }, moved("ShareRecipient"));
const policy = new ShareResource(
  "policy",
  { accountId: owner, shareId: share.id, resourceType: "gateway-policy", resourceId: spec.policy, resourceAccountId: owner, meta: '{"note":"shared"}' },
  moved("ShareResource"),
);

exports.shareId = share.id;
exports.partnerId = partner.id;
exports.policyId = policy.id;
exports.partnerStatus = partner.associationStatus;
