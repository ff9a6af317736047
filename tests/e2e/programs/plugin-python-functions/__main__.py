"""A Python program calling the cloudflare-sharing plugin's functions, through the SDK generated into sdk/python."""
import json

import pulumi
import pulumi_cloudflare_sharing as sharing

spec = json.loads(pulumi.Config("e2e").require("spec"))

share = sharing.get_share(account_id=spec["accountId"], share_id=spec["shareId"], include_resources=True)
recipients = sharing.list_share_recipients_output(account_id=spec["accountId"], share_id=spec["shareId"])

pulumi.export("shareName", share.name)
pulumi.export("shareStatus", share.status)
pulumi.export("sharedObjects", [resource.resource_id for resource in share.share_resources])
pulumi.export("recipientAccounts", recipients.recipients.apply(lambda items: sorted(item.recipient_account for item in items)))
