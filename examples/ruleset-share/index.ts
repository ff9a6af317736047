// Creates a custom WAF ruleset with @pulumi/cloudflare and shares it with other accounts of the
// organization. Needs a real Cloudflare account: see the README ("Using it with your account").
//
//   pulumi config set accountId <your account id>
//   pulumi config set --secret cloudflare:apiToken <token>   # used by both providers
//   pulumi config set --path 'partnerAccountIds[0]' <account id>
//   pulumi up
import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { Share } from "pulumi-cloudflare-sharing";

const config = new pulumi.Config();
const accountId = config.require("accountId");
const partners = config.requireObject<string[]>("partnerAccountIds");

const ruleset = new cloudflare.Ruleset("block-bad-bots", {
  accountId,
  name: "Block known bad bots",
  description: "Shared with every partner account",
  kind: "custom",
  phase: "http_request_firewall_custom",
  rules: [
    {
      action: "block",
      expression: '(cf.client.bot) and not (http.user_agent contains "Googlebot")',
      description: "Block verified-bad bots",
      enabled: true,
    },
  ],
});

// The share waits until every partner is `associated`: a pipeline step after this can deploy the
// partners' own rules that reference the shared ruleset.
const share = new Share("bad-bots", {
  accountId,
  name: "Block known bad bots",
  recipients: partners.map((recipientAccountId) => ({ recipientAccountId })),
  resources: [{ resourceType: "custom-ruleset", resourceId: ruleset.id, resourceAccountId: accountId, meta: {} }],
});

export const rulesetId = ruleset.id;
export const shareId = share.id;
export const associated = share.recipients.apply((items) => items.every((r) => r.associationStatus === "associated"));
