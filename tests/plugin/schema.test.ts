// schema.json is what scripts/schema.js makes from the TypeScript argument types, so the plugin's
// face cannot drift from the dynamic providers' one.
import * as fs from "node:fs";
import * as path from "node:path";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { generate } = require("../../scripts/schema.js") as { generate: () => any };

const committed = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "schema.json"), "utf8"));

describe("schema.json", () => {
  const generated = generate();

  it("is up to date with the TypeScript types (run `npm run schema` after changing them)", () => {
    expect(committed).toEqual(generated);
  });

  it("names inputs and outputs exactly as the TypeScript classes do, with their TSDoc", () => {
    const recipient = generated.resources["cloudflare-sharing:index:ShareRecipient"];
    expect(Object.keys(recipient.inputProperties).sort()).toEqual(["accountId", "adopt", "organizationId", "recipientAccountId", "shareId", "timeouts"]);
    expect(recipient.requiredInputs).toEqual(["accountId", "shareId"]);
    expect(recipient.properties.associationStatus.description).toBe("`associating`, `associated`, `disassociating` or `disassociated`.");
    expect(recipient.inputProperties.shareId.description).toBe("The share to add the recipient to. Changing it replaces the recipient.");
    const share = generated.resources["cloudflare-sharing:index:Share"];
    expect(share.properties.recipients).toMatchObject({ type: "array", items: { $ref: "#/types/cloudflare-sharing:index:ManagedRecipient" } });
    expect(share.inputProperties.recipients).toMatchObject({ type: "array", items: { $ref: "#/types/cloudflare-sharing:index:ShareRecipientDeclaration" } });
    const resource = generated.resources["cloudflare-sharing:index:ShareResource"];
    expect(resource.inputProperties.meta).toMatchObject({ $ref: "pulumi.json#/Any" });
    expect(resource.properties.meta).toMatchObject({ type: "string" });
    expect(generated.types["cloudflare-sharing:index:ShareRecipientTimeouts"].properties).toHaveProperty("create");
    expect(generated.types["cloudflare-sharing:index:ShareRecipientTimeouts"].properties).not.toHaveProperty("update");
  });

  it("declares the lookups as functions, inputs and outputs named as the TypeScript functions name them, with their TSDoc", () => {
    expect(Object.keys(generated.functions).sort()).toEqual(
      ["getShare", "listOrganizationShares", "listShareRecipients", "listShareResources", "listShares"].map((name) => `cloudflare-sharing:index:${name}`),
    );
    const getShare = generated.functions["cloudflare-sharing:index:getShare"];
    expect(getShare.description).toMatch(/^One share of an account, by id/);
    expect(getShare.description).not.toContain("@example");
    expect(Object.keys(getShare.inputs.properties).sort()).toEqual(["accountId", "includeRecipientCounts", "includeResources", "shareId"]);
    expect(getShare.inputs.required).toEqual(["accountId", "shareId"]);
    expect(getShare.outputs.properties.shareResources).toMatchObject({ type: "array", items: { $ref: "#/types/cloudflare-sharing:index:ShareResourceInfo" } });
    expect(getShare.outputs.required).not.toContain("shareResources");
    const listShares = generated.functions["cloudflare-sharing:index:listShares"];
    // Filters inherited from ShareListFilters; a string-literal union is a string.
    expect(listShares.inputs.properties.kind).toEqual({ type: "string", description: "`sent` (shares this account owns) or `received`. Both when absent." });
    expect(listShares.inputs.properties.tags).toMatchObject({ type: "array", items: { type: "string" } });
    const recipients = generated.functions["cloudflare-sharing:index:listShareRecipients"];
    expect(recipients.outputs.properties.recipients.items).toEqual({ $ref: "#/types/cloudflare-sharing:index:ShareRecipientInfo" });
    expect(generated.types["cloudflare-sharing:index:ShareRecipientInfo"].properties).toHaveProperty("associationStatus");
    expect(generated.functions["cloudflare-sharing:index:listOrganizationShares"].inputs.required).toEqual(["organizationId"]);
    expect(generated.functions["cloudflare-sharing:index:listShareResources"].outputs.required).toEqual(["accountId", "shareId", "shareResources"]);
  });

  it("keeps the credentials secret", () => {
    expect(generated.config.variables.apiToken.secret).toBe(true);
    expect(generated.config.variables.apiKey.secret).toBe(true);
    expect(generated.provider.inputProperties.apiToken.secret).toBe(true);
  });
});
