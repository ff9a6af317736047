"use strict";
// The fleet benchmark's program (bench/fleet.js copies it under .bench-work/ and sets `bench:fleet`).
// Each share declares its first recipient and resource inline; the others are separate
// ShareRecipient / ShareResource resources. Loads the package by name, as a user's program does.
const pulumi = require("@pulumi/pulumi");
const { Share, ShareRecipient, ShareResource } = require("pulumi-cloudflare-sharing");

const fleet = new pulumi.Config("bench").requireObject("fleet");

function declareShare(spec) {
  const [firstRecipient, ...moreRecipients] = spec.recipients;
  const [firstResource, ...moreResources] = spec.resources;
  const resourceArgs = (resourceId) => ({ resourceType: fleet.resourceType, resourceId, resourceAccountId: fleet.accountId });
  const share = new Share(spec.key, {
    accountId: fleet.accountId,
    name: spec.name,
    recipients: [{ recipientAccountId: firstRecipient }],
    resources: [resourceArgs(firstResource)],
  });
  moreRecipients.forEach((recipientAccountId, index) => {
    new ShareRecipient(`${spec.key}-recipient-${index + 2}`, { accountId: fleet.accountId, shareId: share.id, recipientAccountId });
  });
  moreResources.forEach((resourceId, index) => {
    new ShareResource(`${spec.key}-resource-${index + 2}`, { accountId: fleet.accountId, shareId: share.id, ...resourceArgs(resourceId) });
  });
}

module.exports = async () => {
  for (const spec of fleet.shares) {
    // Registrations go out on the event loop: yielding between shares lets the engine start on the
    // first ones while the program declares the rest. In one synchronous loop nothing goes out
    // before the loop ends (the large fleet measures both).
    if (fleet.yieldBetweenShares) await new Promise((resolve) => setImmediate(resolve));
    declareShare(spec);
  }
};
