"""A Python program on the cloudflare-sharing plugin, through the SDK generated into sdk/python."""
import json

import pulumi
import pulumi_cloudflare_sharing as sharing

spec = json.loads(pulumi.Config("e2e").require("spec"))
owner = spec["accountId"]

share = sharing.Share(
    "share",
    account_id=owner,
    name=spec["name"],
    recipients=[sharing.ShareRecipientDeclarationArgs(recipient_account_id=spec["inlineRecipient"])],
    resources=[
        sharing.ShareResourceDeclarationArgs(
            resource_type="custom-ruleset",
            resource_id=spec["ruleset"],
            resource_account_id=owner,
            meta={"tier": "gold"},
        )
    ],
)
partner = sharing.ShareRecipient("partner", account_id=owner, share_id=share.id, recipient_account_id=spec["recipient"])
policy = sharing.ShareResource(
    "policy",
    account_id=owner,
    share_id=share.id,
    resource_type="gateway-policy",
    resource_id=spec["policy"],
    resource_account_id=owner,
    meta='{"note":"shared"}',
)

pulumi.export("shareId", share.id)
pulumi.export("partnerId", partner.id)
pulumi.export("policyId", policy.id)
pulumi.export("shareStatus", share.status)
pulumi.export("inlineRecipients", share.recipients)
pulumi.export("partnerStatus", partner.association_status)
pulumi.export("policyStatus", policy.status)
pulumi.export("policyMeta", policy.meta)
