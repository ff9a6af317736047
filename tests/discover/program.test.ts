// The program discover writes: valid TypeScript whatever the share names hold, one Share per share
// with exactly what was discovered, and a README line per object.
import * as ts from "typescript";
import type { Discovery } from "../../provider/discover";
import { renderProgram } from "../../provider/discover";

const OWNER = "023e105f4ecef8ad9ca31a8372d0c353";
const AWKWARD = ['say "hi"\\', "line\u2028break */ evil()", "${process.exit(1)}", "`tick`", "Règles"];

function discovery(): Discovery {
  return {
    accountId: OWNER,
    accountName: 'Acme "prod"',
    shares: AWKWARD.map((name, i) => ({
      id: `${i}`.padStart(32, "a"),
      name,
      resourceName: `share-${i}`,
      created: "2026-12-01T10:00:00.000000Z",
      targetType: i === 0 ? "organization" : "account",
      recipients: [i === 0 ? { id: "r".padEnd(32, "0"), organizationId: "4f1c2d3e5a6b7c8d9e0fa1b2c3d4e5f6", associationStatus: "associated" } : { id: "r".padEnd(32, "1"), recipientAccountId: "9a7806061c88ada191ed06f989cc3dac", associationStatus: "associating" }],
      resources: [{ id: "s".padEnd(32, "2"), resourceType: "custom-ruleset", resourceId: "2f2feab2026849078ba485f918791bdc", resourceAccountId: OWNER, meta: '{"note":"a \\u2028 b","n":[1,2]}', status: "active" }],
    })),
    leftOut: [{ kind: "recipient", id: "x".padEnd(32, "3"), description: "recipient xxx of share yyy", reason: "it is disassociated" }],
    sharesRead: AWKWARD.length + 1,
    requests: 7,
  };
}

/** Every `new Share(name, { … })` of the program, its arguments evaluated as literals. */
function declaredShares(source: string): { resourceName: string; args: Record<string, unknown> }[] {
  const file = ts.createSourceFile("index.ts", source, ts.ScriptTarget.ES2022, true);
  const found: { resourceName: string; args: Record<string, unknown> }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isNewExpression(node) && node.expression.getText(file) === "Share") {
      const [nameArg, argsArg] = node.arguments!;
      // Literal JSON-like text; `accountId` shorthand is resolved by hand.
      const text = argsArg.getText(file).replace(/^\{\s*accountId,/, `{ accountId: ${JSON.stringify(OWNER)},`);
      found.push({ resourceName: JSON.parse(nameArg.getText(file)), args: new Function(`return (${text});`)() });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe("the generated program", () => {
  const files = renderProgram(discovery(), { generatedAt: new Date("2026-12-02T00:00:00Z") });

  it("is valid TypeScript, even with share names full of quotes, backslashes, line separators and template syntax", () => {
    const result = ts.transpileModule(files["index.ts"], { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.CommonJS } });
    expect((result.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"))).toEqual([]);
    expect(files["index.ts"]).not.toMatch(/[\u2028\u2029]/);
  });

  it("declares each share exactly as discovered, to be adopted only if it still matches", () => {
    const shares = declaredShares(files["index.ts"]);
    expect(shares.map((s) => s.resourceName)).toEqual(AWKWARD.map((_, i) => `share-${i}`));
    shares.forEach((share, i) => {
      expect(share.args).toEqual({
        accountId: OWNER,
        name: AWKWARD[i],
        recipients: [i === 0 ? { organizationId: "4f1c2d3e5a6b7c8d9e0fa1b2c3d4e5f6" } : { recipientAccountId: "9a7806061c88ada191ed06f989cc3dac" }],
        resources: [{ resourceType: "custom-ruleset", resourceId: "2f2feab2026849078ba485f918791bdc", resourceAccountId: OWNER, meta: { note: "a \u2028 b", n: [1, 2] } }],
        adopt: `${i}`.padStart(32, "a"),
        adoptOnlyIfMatching: true,
      });
    });
  });

  it("comes with a project, a package manifest, a tsconfig and a README with a line per object", () => {
    expect(Object.keys(files).sort()).toEqual(["Pulumi.yaml", "README.md", "index.ts", "package.json", "tsconfig.json"]);
    expect(files["Pulumi.yaml"]).toMatch(/^name: cloudflare-sharing-023e105f\nruntime: nodejs\n/);
    expect(JSON.parse(files["package.json"]).dependencies).toHaveProperty("pulumi-cloudflare-sharing");
    expect(JSON.parse(files["tsconfig.json"]).files).toEqual(["index.ts"]);
    const readme = files["README.md"];
    for (let i = 0; i < AWKWARD.length; i++) expect(readme).toContain(`- \`share-${i}\`: share ${`${i}`.padStart(32, "a")}`);
    expect(readme.match(/^  - recipient /gm)).toHaveLength(AWKWARD.length);
    expect(readme.match(/^  - resource /gm)).toHaveLength(AWKWARD.length);
    expect(readme).toContain("## Left out\n\n- recipient xxx of share yyy: it is disassociated");
  });
});
