// The program discover writes: valid TypeScript whatever the share names hold, one Share per share
// with exactly what was discovered, and a README line per object.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import type { Discovery } from "../../provider/discover";
import { renderProgram, resourceNames } from "../../provider/discover";

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

// Share names that make identifiers JavaScript or the generated program already uses, and a meta key
// (`__proto__`) that an object literal would turn into a prototype.
const SPECIAL_NAMES = ["exports", "require", "module", "eval", "arguments", "__filename", "__dirname", "share ids", "shareIds", "account id", "Share", "class", "undefined"];
const SPECIAL_META = '{"__proto__":{"polluted":true},"nested":{"__proto__":"x"},"tier":"gold"}';

function specialDiscovery(): Discovery {
  const shares = SPECIAL_NAMES.map((name, i) => ({ id: `${i}`.padStart(32, "b"), name }));
  const names = resourceNames(shares);
  return {
    ...discovery(),
    shares: shares.map(({ id, name }) => ({
      ...discovery().shares[1],
      id,
      name,
      resourceName: names.get(id)!,
      resources: [{ ...discovery().shares[1].resources[0], meta: SPECIAL_META }],
    })),
  };
}

/** The semantic errors of `source` type-checked as the generated project is (strict, CommonJS, with Node's types). */
function typeErrors(source: string): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "discover-program-"));
  try {
    fs.writeFileSync(path.join(dir, "index.ts"), source);
    // The package's one export the program uses, as its declarations describe it.
    fs.writeFileSync(path.join(dir, "package.d.ts"), 'declare module "pulumi-cloudflare-sharing" { export class Share { constructor(name: string, args: Record<string, unknown>); readonly id: unknown; } }\n');
    const program = ts.createProgram([path.join(dir, "index.ts"), path.join(dir, "package.d.ts")], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      skipLibCheck: true,
      types: ["node"],
      typeRoots: [path.resolve(__dirname, "..", "..", "node_modules", "@types")],
    });
    return ts.getPreEmitDiagnostics(program).map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the compiled program as Node's CommonJS wrapper would, with `Share` recording its arguments. */
function runProgram(source: string): { exports: Record<string, unknown>; declared: Record<string, any>[] } {
  const declared: Record<string, any>[] = [];
  class Share {
    readonly id: string;
    constructor(name: string, args: Record<string, any>) {
      this.id = `id of ${name}`;
      declared.push(args);
    }
  }
  const compiled = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const module = { exports: {} as Record<string, unknown> };
  const require = (name: string) => (name === "pulumi-cloudflare-sharing" ? { Share } : (() => { throw new Error(`unexpected require(${name})`); })());
  // The parameters of Node's module wrapper: a top-level declaration of any of them is a SyntaxError.
  new Function("exports", "require", "module", "__filename", "__dirname", compiled)(module.exports, require, module, "/program/index.js", "/program");
  return { exports: module.exports, declared };
}

describe("the generated program, for share names JavaScript or the program itself uses", () => {
  const files = renderProgram(specialDiscovery(), { generatedAt: new Date("2026-12-02T00:00:00Z") });

  it("type-checks under the generated tsconfig's rules", () => {
    expect(typeErrors(files["index.ts"])).toEqual([]);
  });

  it("runs as a CommonJS module and exports every share's id under its resource name", () => {
    const { exports, declared } = runProgram(files["index.ts"]);
    expect(declared).toHaveLength(SPECIAL_NAMES.length);
    const names = [...resourceNames(SPECIAL_NAMES.map((name, i) => ({ id: `${i}`.padStart(32, "b"), name }))).values()];
    expect(Object.keys(exports.shareIds as object).sort()).toEqual([...names].sort());
  });

  it("writes a meta with a __proto__ key (at any depth) so that the provider reads it as an own key", () => {
    const { declared } = runProgram(files["index.ts"]);
    for (const args of declared) {
      // A JSON string: Pulumi's serialization of an object would turn such a key into a prototype.
      const meta = typeof args.resources[0].meta === "string" ? JSON.parse(args.resources[0].meta) : args.resources[0].meta;
      expect(Object.getPrototypeOf(meta)).toBe(Object.prototype);
      expect(Object.prototype.hasOwnProperty.call(meta, "__proto__")).toBe(true);
      expect(Object.prototype.hasOwnProperty.call(meta.nested, "__proto__")).toBe(true);
      expect(JSON.stringify(meta)).toBe(SPECIAL_META);
    }
  });

  it("writes a meta without such a key as an object, as before", () => {
    expect(files["index.ts"]).not.toContain('meta: {"__proto__"');
    const plain = renderProgram(discovery(), { generatedAt: new Date("2026-12-02T00:00:00Z") })["index.ts"];
    expect(plain).toContain('meta: {"note":"a \\u2028 b","n":[1,2]} }');
  });
});
