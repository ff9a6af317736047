// Arguments of the lookup functions: every broken rule is named, with the argument, before any request.
import type { RunningEmulator } from "../../emulator";
import {
  checkGetShareArgs,
  checkListOrganizationSharesArgs,
  checkListShareRecipientsArgs,
  checkListShareResourcesArgs,
  checkListSharesArgs,
  getShare,
  getShareWith,
  InvalidArgumentsError,
  listShareResources,
  listShares,
  lookupContextFrom,
  shareListQuery,
} from "../../provider/functions";
import { startProviderEnvironment, stopProviderEnvironment } from "../support/provider-env";

const ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353";
const SHARE = "3fd85f74b32742f1bff64a85009dda07";

function problemsOf(check: () => void): { argument: string; rule: string }[] {
  try {
    check();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentsError);
    return [...(error as InvalidArgumentsError).problems];
  }
  throw new Error("expected the arguments to be refused");
}

describe("lookup arguments", () => {
  it("accept valid arguments", () => {
    expect(() => checkGetShareArgs({ accountId: ACCOUNT, shareId: SHARE, includeResources: true })).not.toThrow();
    expect(() =>
      checkListSharesArgs({
        accountId: ACCOUNT,
        kind: "sent",
        status: "active",
        targetType: "organization",
        resourceTypes: ["custom-ruleset", "trust-grant"], // a type Cloudflare may have added: sent as is
        tags: ["team=waf", "prod"],
        includeRecipientCounts: true,
        includeResources: false,
        order: "name",
        direction: "desc",
      }),
    ).not.toThrow();
    expect(() => checkListShareResourcesArgs({ accountId: ACCOUNT, shareId: SHARE, status: "deleted", resourceType: "gateway-policy" })).not.toThrow();
    expect(() => checkListShareRecipientsArgs({ accountId: ACCOUNT, shareId: SHARE, includeResources: true })).not.toThrow();
    expect(() => checkListOrganizationSharesArgs({ organizationId: ACCOUNT, kind: "sent" })).not.toThrow();
  });

  it("name every missing or malformed id", () => {
    expect(problemsOf(() => checkGetShareArgs({ accountId: "", shareId: "xyz" } as never))).toEqual([
      { argument: "accountId", rule: "accountId is required: a Cloudflare id of up to 32 hexadecimal characters" },
      { argument: "shareId", rule: 'shareId must be hexadecimal (a Cloudflare id such as 023e105f4ecef8ad9ca31a8372d0c353), got "xyz"' },
    ]);
    expect(problemsOf(() => checkListOrganizationSharesArgs({} as never))).toEqual([
      { argument: "organizationId", rule: "organizationId is required: a Cloudflare id of up to 32 hexadecimal characters" },
    ]);
  });

  it("name every filter outside its values, and say which values are allowed", () => {
    const problems = problemsOf(() =>
      checkListSharesArgs({
        accountId: ACCOUNT,
        kind: "outgoing",
        status: "gone",
        targetType: "team",
        order: "size",
        direction: "up",
        includeResources: "yes",
        resourceTypes: ["custom-ruleset", ""],
        tags: ["=value"],
      } as never),
    );
    expect(problems.map((p) => p.argument)).toEqual(["kind", "status", "targetType", "resourceTypes[1]", "tags[0]", "includeResources", "order", "direction"]);
    expect(problems[0].rule).toBe('kind must be one of "sent", "received", got "outgoing"');
    expect(problems[4].rule).toBe('tags[0] must be "key" or "key=value", got "=value"');
    expect(problems[5].rule).toBe('includeResources must be true or false, got "yes"');
  });

  it("refuse more than 20 tags (Cloudflare's limit) and unknown arguments (a typo is not ignored)", () => {
    const tags = Array.from({ length: 21 }, (_, i) => `t${i}`);
    expect(problemsOf(() => checkListSharesArgs({ accountId: ACCOUNT, tags }))).toEqual([
      { argument: "tags", rule: "tags may hold at most 20 values (Cloudflare's limit), got 21" },
    ]);
    expect(problemsOf(() => checkListShareResourcesArgs({ accountId: ACCOUNT, shareId: SHARE, resource_type: "custom-ruleset" } as never))).toEqual([
      { argument: "resource_type", rule: 'listShareResources has no argument "resource_type": its arguments are accountId, shareId, status, resourceType' },
    ]);
    expect(problemsOf(() => checkGetShareArgs(undefined as never))[0].rule).toMatch(/^getShare takes an object of arguments/);
  });

  it("the error message names the function and every rule; its code is stable", () => {
    try {
      checkListShareResourcesArgs({ accountId: ACCOUNT, shareId: SHARE, status: "gone" as never });
      throw new Error("not refused");
    } catch (error) {
      expect((error as Error).message).toBe('listShareResources: invalid arguments: status must be one of "active", "deleting", "deleted", got "gone"');
      expect((error as InvalidArgumentsError).code).toBe("CF_SHARING_ERR_INVALID_ARGUMENTS");
    }
  });

  it("the filters become the API's query names (§3.2)", () => {
    expect(shareListQuery({ targetType: "account", resourceTypes: ["a"], tags: ["k=v"], includeRecipientCounts: true, includeResources: true, kind: "sent", status: "active", order: "created", direction: "asc" })).toEqual({
      target_type: "account",
      resource_types: ["a"],
      tag: ["k=v"],
      include_recipient_counts: true,
      include_resources: true,
      kind: "sent",
      status: "active",
      order: "created",
      direction: "asc",
    });
  });
});

describe("lookups refuse bad arguments before any request", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startProviderEnvironment();
  });
  afterAll(async () => stopProviderEnvironment(emulator));

  it("both the plain and the Promise forms, and even without credentials", async () => {
    emulator.control.clearLog();
    await expect(getShareWith(lookupContextFrom(), { accountId: ACCOUNT, shareId: "nope" })).rejects.toBeInstanceOf(InvalidArgumentsError);
    await expect(listShares({ accountId: ACCOUNT, kind: "all" as never })).rejects.toThrow('listShares: invalid arguments: kind must be one of "sent", "received", got "all"');
    const token = process.env.CLOUDFLARE_API_TOKEN;
    delete process.env.CLOUDFLARE_API_TOKEN;
    try {
      await expect(listShareResources({ accountId: ACCOUNT, shareId: SHARE, status: "x" as never })).rejects.toBeInstanceOf(InvalidArgumentsError);
      await expect(getShare({ accountId: ACCOUNT, shareId: SHARE })).rejects.toThrow(/No Cloudflare credentials/);
    } finally {
      process.env.CLOUDFLARE_API_TOKEN = token;
    }
    expect(emulator.control.requestLog()).toEqual([]);
  });
});
