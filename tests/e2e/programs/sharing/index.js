"use strict";
// Declares what the `e2e:spec` stack config describes, loading the package by name from
// node_modules, as a user's program does. A recipient's or resource's `options` are its resource options.
const pulumi = require("@pulumi/pulumi");
const { Share, ShareRecipient, ShareResource } = require("pulumi-cloudflare-sharing");

const spec = new pulumi.Config("e2e").requireObject("spec");
const shares = {};

// `options` of an entry: resource options as JSON (e.g. `aliases: [{ name: "old" }]`).
for (const [key, { options, ...share }] of Object.entries(spec.shares || {})) {
  shares[key] = new Share(key, { accountId: spec.accountId, ...share }, options);
}
const recipients = {};
for (const [key, { share, options, ...args }] of Object.entries(spec.recipients || {})) {
  recipients[key] = new ShareRecipient(key, { accountId: spec.accountId, shareId: shares[share].id, ...args }, options);
}
const resources = {};
for (const [key, { share, options, ...args }] of Object.entries(spec.resources || {})) {
  resources[key] = new ShareResource(key, { accountId: spec.accountId, shareId: shares[share].id, ...args }, options);
}

exports.shares = Object.fromEntries(
  Object.entries(shares).map(([key, s]) => [key, { id: s.id, name: s.name, status: s.status, recipients: s.recipients, resources: s.resources }]),
);
exports.recipients = Object.fromEntries(
  Object.entries(recipients).map(([key, r]) => [key, { id: r.id, associationStatus: r.associationStatus, shareId: r.shareId }]),
);
exports.resources = Object.fromEntries(
  Object.entries(resources).map(([key, r]) => [key, { id: r.id, status: r.status, meta: r.meta, resourceId: r.resourceId }]),
);
