// Resource and variable names of discovered shares: derived from share names, stable, unique.
import { resourceNames, slugOf, variableName } from "../../provider/discover";

const id = (prefix: string) => prefix.padEnd(32, "0");

describe("resource names", () => {
  it("come from the share name: lower case, ASCII, dashes, at most 48 characters", () => {
    expect(slugOf("WAF rules")).toBe("waf-rules");
    expect(slugOf("Règles — prod / EU")).toBe("regles-prod-eu");
    expect(slugOf("  --Policy #7!! ")).toBe("policy-7");
    expect(slugOf("共有")).toBe("share");
    expect(slugOf("")).toBe("share");
    const long = slugOf("a very long share name that goes on and on well past any sensible length");
    expect(long.length).toBeLessThanOrEqual(48);
    expect(long.endsWith("-")).toBe(false);
  });

  it("are unique: shares whose names collide each get their id's first 8 characters", () => {
    const names = resourceNames([
      { id: id("bbbbbbbb"), name: "WAF rules" },
      { id: id("aaaaaaaa"), name: "waf  rules" },
      { id: id("cccccccc"), name: "DNS" },
    ]);
    expect([...names.entries()].sort()).toEqual([
      [id("aaaaaaaa"), "waf-rules-aaaaaaaa"],
      [id("bbbbbbbb"), "waf-rules-bbbbbbbb"],
      [id("cccccccc"), "dns"],
    ]);
  });

  it("are stable: a share keeps its name whatever order the shares come in and whatever else is added", () => {
    const shares = [
      { id: id("11111111"), name: "waf" },
      { id: id("22222222"), name: "waf" },
      { id: id("33333333"), name: "dns" },
    ];
    const forward = resourceNames(shares);
    const backward = resourceNames([...shares].reverse());
    expect([...forward.entries()].sort()).toEqual([...backward.entries()].sort());
    const withMore = resourceNames([...shares, { id: id("44444444"), name: "mail" }]);
    for (const share of shares) expect(withMore.get(share.id)).toBe(forward.get(share.id));
  });

  it("never collide even when a share's name looks like another's suffixed name", () => {
    const names = resourceNames([
      { id: id("aaaaaaaa"), name: "waf" },
      { id: id("bbbbbbbb"), name: "waf" },
      { id: id("cccccccc"), name: "waf aaaaaaaa" },
      { id: "aaaaaaaa11111111111111111111111f", name: "x" },
      { id: "aaaaaaaa22222222222222222222222f", name: "x" },
    ]);
    expect(new Set(names.values()).size).toBe(5);
    expect(names.get(id("cccccccc"))).toBe("waf-aaaaaaaa");
    expect(names.get(id("aaaaaaaa"))).toBe(`waf-${id("aaaaaaaa")}`);
    expect(names.get("aaaaaaaa11111111111111111111111f")).toBe("x-aaaaaaaa");
    expect(names.get("aaaaaaaa22222222222222222222222f")).toBe("x-aaaaaaaa22222222222222222222222f");
  });
});

describe("variable names", () => {
  it("are camelCase identifiers, never reserved, never starting with a digit, unique", () => {
    const taken = new Set<string>();
    expect(variableName("waf-rules-eu", taken)).toBe("wafRulesEu");
    expect(variableName("7-rules", taken)).toBe("share7Rules");
    expect(variableName("class", taken)).toBe("classShare");
    expect(variableName("account-id", taken)).toBe("accountIdShare"); // the program's own constant
    expect(variableName("waf-rules-eu", taken)).toBe("wafRulesEu2");
  });

  it("are never a name the program cannot declare: strict-mode and CommonJS names, the program's own identifiers", () => {
    const taken = new Set<string>();
    const cases: [string, string][] = [
      ["exports", "exportsShare"],
      ["require", "requireShare"],
      ["module", "moduleShare"],
      ["eval", "evalShare"],
      ["arguments", "argumentsShare"],
      ["undefined", "undefinedShare"],
      ["share-ids", "shareIdsShare"], // the program's `export const shareIds`
      ["share", "share"], // lower case: not the imported `Share`
    ];
    for (const [resourceName, variable] of cases) expect(variableName(resourceName, taken)).toBe(variable);
    // A counter never lands on a reserved name either.
    const crowded = new Set(["exportsShare"]);
    expect(variableName("exports", crowded)).toBe("exportsShare2");
  });
});
