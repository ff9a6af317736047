// The outputs of the dynamic and the plugin classes come from one declaration per resource
// (…Properties): the public types stay what they were, and the plugin classes register every output.
import * as pulumi from "@pulumi/pulumi";
import * as plugin from "../../provider/plugin/classes";
import { ShareRecipient as DynamicShareRecipient } from "../../provider/resources/share-recipient";
import { ShareResource as DynamicShareResource } from "../../provider/resources/share-resource";
import type { ManagedRecipientOutput, ManagedResourceOutput, Share, ShareProperties } from "../../provider/resources/share";
import type { ShareRecipient, ShareRecipientProperties } from "../../provider/resources/share-recipient";
import type { RecipientResourceState } from "../../provider/resources/share-recipient-model";
import type { ShareResource, ShareResourceProperties } from "../../provider/resources/share-resource";

/** true when A and B are the same type (readonly-ness and optionality included). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Outputs<C, K extends keyof C> = Pick<C, K>;

// Compile-time: each line fails to type-check if a public type changes.
const sameTypes: true[] = [
  true as Equal<Outputs<Share, "status">, { readonly status: pulumi.Output<string> }>,
  true as Equal<Outputs<Share, "recipients">, { readonly recipients: pulumi.Output<ManagedRecipientOutput[]> }>,
  true as Equal<Outputs<Share, "resources">, { readonly resources: pulumi.Output<ManagedResourceOutput[]> }>,
  true as Equal<Outputs<Share, "recipientIds">, { readonly recipientIds: pulumi.Output<string[]> }>,
  true as Equal<Outputs<ShareRecipient, "recipientAccountId">, { readonly recipientAccountId: pulumi.Output<string | undefined> }>,
  true as Equal<Outputs<ShareRecipient, "resources">, { readonly resources: pulumi.Output<RecipientResourceState[]> }>,
  true as Equal<Outputs<ShareResource, "resourceVersion">, { readonly resourceVersion: pulumi.Output<number> }>,
  true as Equal<Outputs<ShareResource, "meta">, { readonly meta: pulumi.Output<string> }>,
  // The two faces show the very same outputs.
  true as Equal<Outputs<plugin.Share, keyof ShareProperties>, Outputs<Share, keyof ShareProperties>>,
  true as Equal<Outputs<plugin.ShareRecipient, keyof ShareRecipientProperties>, Outputs<ShareRecipient, keyof ShareRecipientProperties>>,
  true as Equal<Outputs<plugin.ShareResource, keyof ShareResourceProperties>, Outputs<ShareResource, keyof ShareResourceProperties>>,
];

const OWNER = "023e105f4ecef8ad9ca31a8372d0c353";
const SHARE = "3fd85f74b32742f1bff64a85009dda07";

const valueOf = <T>(output: pulumi.Output<T>): Promise<T> => new Promise((resolve) => output.apply(resolve));

describe("the resource classes' outputs", () => {
  const registered: { type: string; inputs: Record<string, unknown> }[] = [];
  beforeAll(() => {
    pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push({ type: args.type, inputs: args.inputs });
          return { id: `${args.name}-id`, state: { ...args.inputs, status: "active", meta: "{}", resourceVersion: 1, associationStatus: "associated", recipientAccountId: args.inputs.recipientAccountId } };
        },
        call: () => ({}),
      },
      "proj",
      "dev",
    );
  });

  it("are the same public types on both faces", () => {
    expect(sameTypes.every(Boolean)).toBe(true);
  });

  it("resolve on the plugin classes, read-back ones included, without overriding a given argument", async () => {
    const resource = new plugin.ShareResource("policy", { accountId: OWNER, shareId: SHARE, resourceType: "gateway-policy", resourceId: "f".repeat(32), resourceAccountId: OWNER });
    const recipient = new plugin.ShareRecipient("partner", { accountId: OWNER, shareId: SHARE, recipientAccountId: "9a7806061c88ada191ed06f989cc3dac" });
    // `meta` was not given: it is still an output, read back from state.
    expect(await valueOf(resource.meta)).toBe("{}");
    expect(await valueOf(resource.status)).toBe("active");
    expect(await valueOf(resource.resourceVersion)).toBe(1);
    expect(await valueOf(recipient.associationStatus)).toBe("associated");
    expect(await valueOf(recipient.recipientAccountId)).toBe("9a7806061c88ada191ed06f989cc3dac");
    const recipientInputs = registered.find((entry) => entry.type === "cloudflare-sharing:index:ShareRecipient")!.inputs;
    expect(recipientInputs.recipientAccountId).toBe("9a7806061c88ada191ed06f989cc3dac");
  });
});

describe("an exclusive Share of the same program", () => {
  beforeAll(() => {
    pulumi.runtime.setMocks({ newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }), call: () => ({}) }, "proj", "dev");
  });
  const args = { accountId: OWNER, name: "rules", recipients: [{ recipientAccountId: "9a7806061c88ada191ed06f989cc3dac" }], resources: [] };

  it("refuses, at construction, a separate ShareRecipient or ShareResource on it (both faces)", () => {
    // The dynamic classes refuse before registering anything (their Share marks its id as the plugin's does).
    const share = new plugin.Share("exclusive", { ...args, exclusive: true });
    for (const ShareRecipient of [plugin.ShareRecipient, DynamicShareRecipient]) {
      expect(() => new ShareRecipient("extra", { accountId: OWNER, shareId: share.id, recipientAccountId: "b1946ac92492d2347c6235b4d2611184" })).toThrow(
        /ShareRecipient "extra": its shareId is the id of a Share with exclusive: true.*Declare it in the Share's recipients instead/,
      );
    }
    for (const ShareResource of [plugin.ShareResource, DynamicShareResource]) {
      expect(() => new ShareResource("extra", { accountId: OWNER, shareId: share.id, resourceType: "gateway-policy", resourceId: "f".repeat(32), resourceAccountId: OWNER })).toThrow(
        /ShareResource "extra": its shareId is the id of a Share with exclusive: true/,
      );
    }
  });

  it("accepts them on a Share that is not exclusive", () => {
    const share = new plugin.Share("open", args);
    expect(() => new plugin.ShareRecipient("open-extra", { accountId: OWNER, shareId: share.id, recipientAccountId: "b1946ac92492d2347c6235b4d2611184" })).not.toThrow();
  });
});

