import { lookupTarget, parseImportId } from "../../provider/plugin/import-ids";

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

  it("a get's bare id is looked up with the accountId (and shareId) given beside it", () => {
    expect(lookupTarget("Share", SHARE, { accountId: ACCOUNT })).toEqual({ accountId: ACCOUNT, id: SHARE });
    expect(lookupTarget("ShareRecipient", ITEM, { accountId: ACCOUNT, shareId: SHARE })).toEqual({ accountId: ACCOUNT, shareId: SHARE, id: ITEM });
    expect(lookupTarget("ShareResource", ITEM, { accountId: ACCOUNT, shareId: SHARE, meta: "{}" })).toEqual({ accountId: ACCOUNT, shareId: SHARE, id: ITEM });
    // The composite form needs nothing beside it.
    expect(lookupTarget("ShareResource", `${ACCOUNT}/${SHARE}/${ITEM}`, {})).toEqual({ accountId: ACCOUNT, shareId: SHARE, id: ITEM });
  });

  it("a bare id without what finds it names both ways", () => {
    expect(() => lookupTarget("Share", SHARE, {})).toThrow(`cannot read Share "${SHARE}": give its accountId`);
    expect(() => lookupTarget("Share", SHARE, {})).toThrow("or give the id as <accountId>/<shareId>");
    expect(() => lookupTarget("ShareRecipient", ITEM, { accountId: ACCOUNT })).toThrow("give its accountId and shareId");
    expect(() => lookupTarget("ShareResource", ITEM, { accountId: "nope", shareId: SHARE })).toThrow("<accountId>/<shareId>/<shareResourceId>");
  });
});
