// Reading stack exports: both faces of the providers, a Share's inline items, secrets, and files
// that are not stack exports.
import { declaredInExport, kindOf, NotAStackExportError } from "../../provider/audit";

const SHARE = "3fd85f74b32742f1bff64a85009dda07";
const INLINE_RECIPIENT = "9f1c0a8e2b4d4e6f8a0b1c2d3e4f5a6b";
const INLINE_RESOURCE = "6d3482d4062cd94ae28c522149623bb9";
const RECIPIENT = "b87061a380a4177741ce9d1b3ca181ec";
const RESOURCE = "aa00c4c0f44c5cb7cad68df40e8f8877";
const OWNER = "023e105f4ecef8ad9ca31a8372d0c353";
const SECRET_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";

const shareOutputs = {
  accountId: OWNER,
  name: "waf rules",
  recipients: [{ recipientAccountId: "9a7806061c88ada191ed06f989cc3dac", id: INLINE_RECIPIENT, associationStatus: "associated" }],
  resources: [{ resourceType: "custom-ruleset", resourceId: "2f2feab2026849078ba485f918791bdc", resourceAccountId: OWNER, meta: "{}", id: INLINE_RESOURCE, status: "active", resourceVersion: 1 }],
  recipientIds: [INLINE_RECIPIENT],
  resourceIds: [INLINE_RESOURCE],
  status: "active",
  targetType: "account",
  kind: "sent",
};
const recipientOutputs = { accountId: OWNER, shareId: SHARE, recipientAccountId: "b1946ac92492d2347c6235b4d2611184", associationStatus: "associated", recipientAccount: "b1946ac92492d2347c6235b4d2611184", resources: [] };
const resourceOutputs = { accountId: OWNER, shareId: SHARE, resourceType: "gateway-policy", resourceId: "45c48cce2e2d7fbdea1afc51c7c6ad26", resourceAccountId: OWNER, meta: "{}", status: "active" };

/** A stack export as `pulumi stack export` writes it, holding `resources` (plus the stack and a provider). */
function exportOf(resources: { type: string; id?: string; outputs?: object; delete?: boolean }[]): string {
  return JSON.stringify({
    version: 3,
    deployment: {
      manifest: { time: "2026-12-06T10:00:00Z", version: "v3.259.0" },
      resources: [
        { urn: "urn:pulumi:prod::p::pulumi:pulumi:Stack::p-prod", custom: false, type: "pulumi:pulumi:Stack" },
        { urn: "urn:pulumi:prod::p::pulumi:providers:cloudflare-sharing::default", custom: true, id: "0f1e", type: "pulumi:providers:cloudflare-sharing", outputs: { version: "0.1.0" } },
        ...resources.map((resource, i) => ({ urn: `urn:pulumi:prod::p::${resource.type}::r${i}`, custom: true, ...resource })),
      ],
    },
  });
}

describe("declaredInExport", () => {
  it("reads the dynamic face: the type does not say the kind, the outputs do (both type tokens)", () => {
    const held = declaredInExport(
      "dynamic.json",
      exportOf([
        { type: "pulumi-nodejs:dynamic:Resource", id: SHARE, outputs: { ...shareOutputs, __provider: "exports.handler = …" } },
        { type: "pulumi-nodejs:dynamic/cloudflare:ShareRecipient", id: RECIPIENT, outputs: { ...recipientOutputs, __provider: "…" } },
        { type: "pulumi-nodejs:dynamic:Resource", id: RESOURCE, outputs: { ...resourceOutputs, __provider: "…" } },
        // Another dynamic resource of the same program: not a Resource Sharing object.
        { type: "pulumi-nodejs:dynamic:Resource", id: "echo-1", outputs: { message: "hello", __provider: "…" } },
      ]),
    );
    expect(held.shares).toEqual(new Set([SHARE]));
    expect(held.recipients).toEqual(new Set([INLINE_RECIPIENT, RECIPIENT]));
    expect(held.resources).toEqual(new Set([INLINE_RESOURCE, RESOURCE]));
    expect(held.warnings).toEqual([]);
  });

  it("reads the plugin face by type token, inline items included, and skips other providers' resources", () => {
    const held = declaredInExport(
      "plugin.json",
      exportOf([
        { type: "cloudflare-sharing:index:Share", id: SHARE, outputs: shareOutputs },
        { type: "cloudflare-sharing:index:ShareRecipient", id: RECIPIENT, outputs: recipientOutputs },
        { type: "cloudflare-sharing:index:ShareResource", id: RESOURCE, outputs: resourceOutputs },
        { type: "cloudflare:index/zone:Zone", id: "zone-1", outputs: { shareId: "x", resourceType: "y", resourceId: "z", resourceAccountId: "w" } },
      ]),
    );
    expect(held.shares).toEqual(new Set([SHARE]));
    expect(held.recipients).toEqual(new Set([INLINE_RECIPIENT, RECIPIENT]));
    expect(held.resources).toEqual(new Set([INLINE_RESOURCE, RESOURCE]));
  });

  it("takes inline ids from the item lists or the id lists, whichever the state has", () => {
    const { recipientIds: _r, resourceIds: _s, ...withoutIdLists } = shareOutputs;
    const onlyItems = declaredInExport("a.json", exportOf([{ type: "cloudflare-sharing:index:Share", id: SHARE, outputs: withoutIdLists }]));
    expect(onlyItems.recipients).toEqual(new Set([INLINE_RECIPIENT]));
    const onlyIds = declaredInExport("b.json", exportOf([{ type: "cloudflare-sharing:index:Share", id: SHARE, outputs: { ...shareOutputs, recipients: [], resources: [] } }]));
    expect(onlyIds.resources).toEqual(new Set([INLINE_RESOURCE]));
  });

  it("reads secrets exported with --show-secrets, and warns about encrypted inline items instead of guessing", () => {
    const revealed = { [SECRET_KEY]: SECRET_SIGNATURE, plaintext: JSON.stringify(shareOutputs.recipients) };
    const shown = declaredInExport("shown.json", exportOf([{ type: "cloudflare-sharing:index:Share", id: SHARE, outputs: { ...shareOutputs, recipients: revealed, recipientIds: [] } }]));
    expect(shown.recipients).toEqual(new Set([INLINE_RECIPIENT]));

    const encrypted = { [SECRET_KEY]: SECRET_SIGNATURE, ciphertext: "v1:abc" };
    const hidden = declaredInExport("hidden.json", exportOf([{ type: "cloudflare-sharing:index:Share", id: SHARE, outputs: { ...shareOutputs, recipients: encrypted, recipientIds: encrypted } }]));
    expect(hidden.shares).toEqual(new Set([SHARE]));
    expect(hidden.recipients).toEqual(new Set());
    expect(hidden.warnings).toEqual([`share ${SHARE}: its inline recipients are encrypted in hidden.json (export with --show-secrets to audit them)`]);
  });

  it("holds a resource pending deletion, and skips a create that never recorded an id", () => {
    const held = declaredInExport(
      "pending.json",
      exportOf([
        { type: "cloudflare-sharing:index:ShareResource", id: RESOURCE, outputs: resourceOutputs, delete: true },
        { type: "cloudflare-sharing:index:ShareRecipient", outputs: recipientOutputs },
      ]),
    );
    expect(held.resources).toEqual(new Set([RESOURCE]));
    expect(held.recipients).toEqual(new Set());
  });

  it("reads an empty stack's export (no resources)", () => {
    expect(declaredInExport("empty.json", JSON.stringify({ version: 3, deployment: { manifest: {} } })).shares).toEqual(new Set());
  });

  it("refuses what is not a stack export, naming the file", () => {
    const refusal = (text: string) => {
      try {
        declaredInExport("stacks/prod.json", text);
      } catch (error) {
        expect(error).toBeInstanceOf(NotAStackExportError);
        return (error as Error).message;
      }
      throw new Error("accepted");
    };
    expect(refusal("name: prod\n")).toBe("stacks/prod.json is not a Pulumi stack export (it is not JSON): give the output of `pulumi stack export --file <file>`");
    expect(refusal(JSON.stringify({ resources: [] }))).toContain("stacks/prod.json is not a Pulumi stack export (it has no `version` and `deployment`)");
    expect(refusal(JSON.stringify({ version: 3, deployment: { resources: {} } }))).toContain("its `deployment.resources` is not a list");
  });
});

describe("kindOf", () => {
  it("tells the three kinds apart by outputs alone, and nothing else", () => {
    expect(kindOf("pulumi-nodejs:dynamic:Resource", shareOutputs)).toBe("share");
    expect(kindOf("pulumi-nodejs:dynamic:Resource", recipientOutputs)).toBe("recipient");
    expect(kindOf("pulumi-nodejs:dynamic:Resource", resourceOutputs)).toBe("resource");
    expect(kindOf("pulumi-nodejs:dynamic:Resource", { accountId: OWNER, name: "x" })).toBeUndefined();
    expect(kindOf("pulumi-nodejs:dynamic:Resource", undefined)).toBeUndefined();
    expect(kindOf("aws:s3/bucket:Bucket", shareOutputs)).toBeUndefined();
  });
});
