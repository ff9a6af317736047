// A Go program on the cloudflare-sharing plugin, through the SDK generated into sdk/go. Its separate
// recipient and resource declare no resource options: the SDK's defaults apply.
package main

import (
	"encoding/json"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	sharing "pulumi-cloudflare-sharing/sdk/go/cloudflaresharing"
)

// spec is what the test declares, in the `e2e:spec` config value.
type spec struct {
	AccountID       string `json:"accountId"`
	Name            string `json:"name"`
	InlineRecipient string `json:"inlineRecipient"`
	Recipient       string `json:"recipient"`
	Ruleset         string `json:"ruleset"`
	Policy          string `json:"policy"`
}

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		var s spec
		if err := json.Unmarshal([]byte(config.New(ctx, "e2e").Require("spec")), &s); err != nil {
			return err
		}
		owner := pulumi.String(s.AccountID)

		share, err := sharing.NewShare(ctx, "share", &sharing.ShareArgs{
			AccountId:  owner,
			Name:       pulumi.String(s.Name),
			Recipients: sharing.ShareRecipientDeclarationArray{sharing.ShareRecipientDeclarationArgs{RecipientAccountId: pulumi.String(s.InlineRecipient)}},
			Resources: sharing.ShareResourceDeclarationArray{sharing.ShareResourceDeclarationArgs{
				ResourceType:      pulumi.String("custom-ruleset"),
				ResourceId:        pulumi.String(s.Ruleset),
				ResourceAccountId: owner,
				Meta:              pulumi.Map{"tier": pulumi.String("gold")},
			}},
		})
		if err != nil {
			return err
		}
		partner, err := sharing.NewShareRecipient(ctx, "partner", &sharing.ShareRecipientArgs{
			AccountId:          owner,
			ShareId:            share.ID(),
			RecipientAccountId: pulumi.String(s.Recipient),
		})
		if err != nil {
			return err
		}
		policy, err := sharing.NewShareResource(ctx, "policy", &sharing.ShareResourceArgs{
			AccountId:         owner,
			ShareId:           share.ID(),
			ResourceType:      pulumi.String("gateway-policy"),
			ResourceId:        pulumi.String(s.Policy),
			ResourceAccountId: owner,
			Meta:              pulumi.String(`{"note":"shared"}`),
		})
		if err != nil {
			return err
		}

		ctx.Export("shareId", share.ID())
		ctx.Export("partnerId", partner.ID())
		ctx.Export("policyId", policy.ID())
		ctx.Export("shareStatus", share.Status)
		ctx.Export("partnerStatus", partner.AssociationStatus)
		ctx.Export("policyStatus", policy.Status)
		ctx.Export("policyMeta", policy.Meta)
		return nil
	})
}
