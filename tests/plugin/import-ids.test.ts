import { parseImportId } from "../../provider/plugin/import-ids";

const ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353";
const SHARE = "3fd85f74b32742f1bff64a85009dda07";
const ITEM = "9a7806061c88ada191ed06f989cc3dac";

describe("import ids", () => {
  it("splits each kind's form", () => {
    expect(parseImportId("Share", `${ACCOUNT}/${SHARE}`)).toEqual({ accountId: ACCOUNT, id: SHARE });
    expect(parseImportId("ShareRecipient", `${ACCOUNT}/${SHARE}/${ITEM}`)).toEqual({ accountId: ACCOUNT, shareId: SHARE, id: ITEM });
    expect(parseImportId("ShareResource", `${ACCOUNT}/${SHARE}/${ITEM}`)).toEqual({ accountId: ACCOUNT, shareId: SHARE, id: ITEM });
  });

  it("rejects other forms with the expected one", () => {
    expect(() => parseImportId("Share", SHARE)).toThrow("the id must be <accountId>/<shareId>");
    expect(() => parseImportId("ShareRecipient", `${ACCOUNT}/${SHARE}`)).toThrow("<accountId>/<shareId>/<recipientId>");
    expect(() => parseImportId("ShareResource", `${ACCOUNT}/${SHARE}/not-hex`)).toThrow("<accountId>/<shareId>/<shareResourceId>");
  });
});
