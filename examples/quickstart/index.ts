// Quickstart: one share with two recipient accounts and two shared rulesets, plus one more recipient
// and one more shared object declared as separate resources.
//
// `pulumi up` returns only when Cloudflare reports the share `active`, every recipient `associated`
// and every shared object `active`, so whatever runs after it in a pipeline can rely on the share.
// `pulumi preview` right after finds nothing to do; after a change made in the dashboard,
// `pulumi preview --refresh` shows what the next `up` will repair.
import * as pulumi from "@pulumi/pulumi";
import { Share, ShareRecipient, ShareResource } from "pulumi-cloudflare-sharing";

const config = new pulumi.Config();
// Ids of your own accounts and objects; the defaults only make sense against the local emulator.
const accountId = config.get("accountId") ?? "023e105f4ecef8ad9ca31a8372d0c353";
const partners = config.getObject<string[]>("partnerAccountIds") ?? ["9a7806061c88ada191ed06f989cc3dac", "b1946ac92492d2347c6235b4d2611184"];
const rulesets = config.getObject<string[]>("rulesetIds") ?? ["2f2feab2026849078ba485f918791bdc", "e4da3b7fbbce2345d7772b0674a318d5"];

// The share is created with its first recipients and resources in one request (Cloudflare needs at
// least one of each). Adding, removing or changing an item later changes the share in place.
const share = new Share("waf-rules", {
  accountId,
  name: "WAF rules for partner accounts",
  recipients: partners.map((recipientAccountId) => ({ recipientAccountId })),
  resources: rulesets.map((resourceId) => ({
    resourceType: "custom-ruleset",
    resourceId,
    resourceAccountId: accountId,
    meta: {}, // Cloudflare requires meta, even empty; objects and JSON strings both work
  })),
  // Deadlines for the waits; the default is 5 minutes each.
  timeouts: { create: "10m", delete: "10m" },
});

// Declared separately, e.g. by another team's stack: the Share above never touches these.
const auditor = new ShareRecipient("auditor", {
  accountId,
  shareId: share.id,
  recipientAccountId: config.get("auditorAccountId") ?? "7d793037a0760186574b0282f2f435e7",
});

const blockPage = new ShareResource("block-page", {
  accountId,
  shareId: share.id,
  resourceType: "gateway-block-page-settings",
  resourceId: config.get("blockPageSettingsId") ?? "45c48cce2e2d7fbdea1afc51c7c6ad26",
  resourceAccountId: accountId,
  meta: { note: "shared block page" },
});

export const shareId = share.id;
export const shareStatus = share.status;
export const recipients = share.recipients.apply((items) => items.map((r) => `${r.recipientAccountId}: ${r.associationStatus}`));
export const sharedObjects = share.resources.apply((items) => items.map((r) => `${r.resourceType} ${r.resourceId}: ${r.status}`));
export const auditorStatus = auditor.associationStatus;
export const blockPageStatus = blockPage.status;
