#!/usr/bin/env node
// Generates schema.json, the plugin's Pulumi package schema, from the TypeScript the dynamic
// providers are declared with: each resource's inputs are its `…Args` interface, its outputs those
// inputs plus its `…Properties` interface (what both classes read back), and every description is
// the TSDoc of the property. The functions likewise: inputs the lookup's `…Args` interface (provider/functions/args.ts),
// outputs its result type (results.ts), the description the TSDoc of the TypeScript function
// (pulumi.ts), all as provider/functions/index.ts exports them. One source for both faces, so they cannot drift; tests/plugin/schema.test.ts fails when
// the committed schema.json is not what this script makes.
//
// Usage: node scripts/schema.js [--check]   (--check: exit 1 if schema.json is out of date)
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const ts = require("typescript");

const root = path.resolve(__dirname, "..");
const schemaPath = path.join(root, "schema.json");
const PACKAGE = "cloudflare-sharing";

const RESOURCES = [
  { name: "Share", file: "provider/resources/share.ts", args: "ShareArgs" },
  { name: "ShareRecipient", file: "provider/resources/share-recipient.ts", args: "ShareRecipientArgs" },
  { name: "ShareResource", file: "provider/resources/share-resource.ts", args: "ShareResourceArgs" },
];

const FUNCTIONS_FILE = "provider/functions/index.ts";
/** The lookups, named as the TypeScript functions are; each `<Name>Args` in, `<Name>Result` out. */
const FUNCTIONS = ["getShare", "listShares", "listOrganizationShares", "listShareRecipients", "listShareResources"];

/** Names of object types that TypeScript leaves anonymous (a `Pick<…>`, an inline literal). */
const ANONYMOUS_TYPE_NAMES = {
  "ShareRecipient.timeouts": "ShareRecipientTimeouts",
};

function generate() {
  const program = ts.createProgram(
    [...RESOURCES.map((resource) => path.join(root, resource.file)), path.join(root, FUNCTIONS_FILE)],
    { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, skipLibCheck: true, types: ["node"] },
  );
  const checker = program.getTypeChecker();
  const types = {};

  const docOf = (symbol) => ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();

  /** A Pulumi schema type for a TypeScript type node; `context` names anonymous object types. */
  function typeSpec(node, context, direction) {
    if (ts.isParenthesizedTypeNode(node)) return typeSpec(node.type, context, direction);
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword:
        return { type: "string" };
      case ts.SyntaxKind.NumberKeyword:
        return { type: "number" };
      case ts.SyntaxKind.BooleanKeyword:
        return { type: "boolean" };
    }
    if (ts.isArrayTypeNode(node)) return { type: "array", items: typeSpec(node.elementType, context, direction) };
    if (ts.isUnionTypeNode(node)) {
      const members = node.types.filter((member) => member.kind !== ts.SyntaxKind.UndefinedKeyword);
      if (members.length === 1) return typeSpec(members[0], context, direction);
      // `"sent" | "received"`: a string; the function's argument check names the allowed values.
      if (members.every((member) => ts.isLiteralTypeNode(member) && ts.isStringLiteral(member.literal))) return { type: "string" };
      // `string | Record<string, unknown>` (meta): any JSON value; `check` says what is allowed.
      return { $ref: "pulumi.json#/Any" };
    }
    if (ts.isTypeLiteralNode(node)) return objectRef(context, checker.getTypeFromTypeNode(node), direction);
    if (ts.isTypeReferenceNode(node)) {
      const name = node.typeName.getText();
      if (name === "pulumi.Input" || name === "pulumi.Output") return typeSpec(node.typeArguments[0], context, direction);
      if (name === "Record") return { $ref: "pulumi.json#/Any" };
      if (name === "Pick") return objectRef(context, checker.getTypeFromTypeNode(node), direction);
      let symbol = checker.getSymbolAtLocation(node.typeName);
      if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
      const declaration = symbol.declarations[0];
      if (ts.isTypeAliasDeclaration(declaration)) return typeSpec(declaration.type, context, direction);
      if (ts.isInterfaceDeclaration(declaration)) {
        return objectRef(symbol.name.replace(/(Args|Output)$/, ""), checker.getDeclaredTypeOfSymbol(symbol), direction, docOf(symbol));
      }
    }
    throw new Error(`${context}: no schema type for \`${node.getText()}\``);
  }

  /** Declares the object type `name` (once) and refers to it. */
  function objectRef(name, type, direction, description) {
    if (name.includes(".")) {
      const known = ANONYMOUS_TYPE_NAMES[name];
      if (!known) throw new Error(`${name}: an anonymous object type needs a name in ANONYMOUS_TYPE_NAMES`);
      name = known;
    }
    const token = `${PACKAGE}:index:${name}`;
    if (!types[token]) {
      types[token] = { type: "object" }; // placeholder against recursion
      const { properties, required } = propertiesOf(type.getProperties(), name, direction);
      types[token] = withoutEmpty({ description, type: "object", properties, required });
    }
    return { $ref: `#/types/${token}` };
  }

  function propertiesOf(symbols, owner, direction) {
    const properties = {};
    const required = [];
    for (const symbol of symbols) {
      const declaration = symbol.declarations[0];
      if (!declaration.type) throw new Error(`${owner}.${symbol.name} has no declared type`);
      properties[symbol.name] = withoutEmpty({ ...typeSpec(declaration.type, `${owner}.${symbol.name}`, direction), description: docOf(symbol) });
      if (!(symbol.flags & ts.SymbolFlags.Optional) && !allowsUndefined(declaration.type)) required.push(symbol.name);
    }
    return { properties, required };
  }

  function allowsUndefined(node) {
    if (ts.isTypeReferenceNode(node) && node.typeArguments?.length) return allowsUndefined(node.typeArguments[0]);
    return ts.isUnionTypeNode(node) && node.types.some((member) => member.kind === ts.SyntaxKind.UndefinedKeyword);
  }

  const resources = {};
  for (const resource of RESOURCES) {
    const source = program.getSourceFile(path.join(root, resource.file));
    const args = source.statements.find((statement) => ts.isInterfaceDeclaration(statement) && statement.name.text === resource.args);
    const cls = source.statements.find((statement) => ts.isClassDeclaration(statement) && statement.name.text === resource.name);
    const argSymbols = checker.getDeclaredTypeOfSymbol(checker.getSymbolAtLocation(args.name)).getProperties();
    const inputs = propertiesOf(argSymbols, resource.name, "input");
    // Outputs: the inputs as stored, overridden by what the resource declares it reads back.
    let read = checker.getExportsOfModule(checker.getSymbolAtLocation(source)).find((symbol) => symbol.name === `${resource.name}Properties`);
    if (!read) throw new Error(`${resource.file} exports no ${resource.name}Properties`);
    if (read.flags & ts.SymbolFlags.Alias) read = checker.getAliasedSymbol(read);
    const declared = checker.getDeclaredTypeOfSymbol(read).getProperties();
    const outputs = propertiesOf(declared, resource.name, "output");
    const properties = {};
    for (const [name, spec] of Object.entries({ ...inputs.properties, ...outputs.properties })) {
      // A declared output without TSDoc describes the input of the same name.
      properties[name] = spec.description || !inputs.properties[name] ? spec : { ...spec, description: inputs.properties[name].description };
      if (!properties[name].description) throw new Error(`${resource.name}.${name} has no TSDoc: every schema property needs a description`);
    }
    for (const [name, spec] of Object.entries(inputs.properties)) {
      if (!spec.description) throw new Error(`${resource.name}Args.${name} has no TSDoc: every schema property needs a description`);
    }
    resources[`${PACKAGE}:index:${resource.name}`] = {
      description: docOf(checker.getSymbolAtLocation(cls.name)).replace(/\n*@example[\s\S]*$/, ""),
      properties,
      required: outputs.required.filter((name) => name in properties),
      inputProperties: inputs.properties,
      requiredInputs: inputs.required,
    };
  }
  const functions = {};
  const functionsSource = program.getSourceFile(path.join(root, FUNCTIONS_FILE));
  const functionsModule = checker.getSymbolAtLocation(functionsSource);
  const exported = (name) => {
    const symbol = checker.getExportsOfModule(functionsModule).find((candidate) => candidate.name === name);
    if (!symbol) throw new Error(`${FUNCTIONS_FILE} exports no ${name}`);
    return symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  };
  for (const name of FUNCTIONS) {
    const title = name[0].toUpperCase() + name.slice(1);
    const description = docOf(exported(name)).replace(/\n*@example[\s\S]*$/, "");
    if (!description) throw new Error(`${name} has no TSDoc: every schema function needs a description`);
    const inputs = propertiesOf(checker.getDeclaredTypeOfSymbol(exported(`${title}Args`)).getProperties(), `${name}Args`, "input");
    const resultSymbol = exported(`${title}Result`);
    const resultType = checker.getDeclaredTypeOfSymbol(resultSymbol);
    const outputs = propertiesOf(resultType.getProperties(), `${name}Result`, "output");
    for (const [kind, properties] of [["Args", inputs.properties], ["Result", outputs.properties]]) {
      for (const [property, spec] of Object.entries(properties)) {
        if (!spec.description) throw new Error(`${name}${kind}.${property} has no TSDoc: every schema property needs a description`);
      }
    }
    functions[`${PACKAGE}:index:${name}`] = {
      description,
      inputs: withoutEmpty({ properties: inputs.properties, required: inputs.required }),
      outputs: withoutEmpty({ properties: outputs.properties, required: outputs.required }),
    };
  }

  for (const [token, type] of Object.entries(types)) {
    for (const [name, spec] of Object.entries(type.properties ?? {})) {
      if (!spec.description) throw new Error(`${token}.${name} has no TSDoc: every schema property needs a description`);
    }
  }

  const config = {
    apiToken: { type: "string", secret: true, description: "A Cloudflare API token with Resource Sharing permissions. Falls back to the environment variable CLOUDFLARE_API_TOKEN." },
    apiKey: { type: "string", secret: true, description: "A Cloudflare global API key, used with `email` when no token is given. Falls back to CLOUDFLARE_API_KEY." },
    email: { type: "string", description: "The email of the account the API key belongs to. Falls back to CLOUDFLARE_EMAIL." },
    baseUrl: { type: "string", description: "The API base URL (e.g. an emulator or a proxy). Falls back to CLOUDFLARE_BASE_URL; default https://api.cloudflare.com/client/v4." },
  };
  const pkg = require(path.join(root, "package.json"));
  return {
    name: PACKAGE,
    displayName: "Cloudflare Resource Sharing",
    version: pkg.version,
    description: "Cloudflare Resource Sharing (shares, recipients, shared resources) that waits until the API has settled.",
    keywords: ["pulumi", "cloudflare", "category/cloud", "kind/native"],
    license: pkg.license,
    config: { variables: config },
    provider: { description: "The cloudflare-sharing provider: credentials and API endpoint.", inputProperties: config },
    types: Object.fromEntries(Object.entries(types).sort(([a], [b]) => a.localeCompare(b))),
    resources,
    functions,
    language: {
      python: { packageName: "pulumi_cloudflare_sharing", respectSchemaVersion: true },
      go: { importBasePath: "pulumi-cloudflare-sharing/sdk/go/cloudflaresharing", generateResourceContainerTypes: true, respectSchemaVersion: true },
      nodejs: { packageName: "pulumi-cloudflare-sharing-plugin-sdk", respectSchemaVersion: true },
      csharp: { rootNamespace: "CloudflareSharing", respectSchemaVersion: true },
    },
  };
}

function withoutEmpty(object) {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined && value !== "" && !(Array.isArray(value) && value.length === 0)));
}

function main() {
  const text = `${JSON.stringify(generate(), null, 2)}\n`;
  if (process.argv.includes("--check")) {
    const current = fs.existsSync(schemaPath) ? fs.readFileSync(schemaPath, "utf8") : "";
    if (current !== text) {
      process.stderr.write("schema.json is out of date: run `node scripts/schema.js`\n");
      process.exit(1);
    }
    return;
  }
  fs.writeFileSync(schemaPath, text);
  process.stderr.write(`wrote ${path.relative(process.cwd(), schemaPath)}\n`);
}

if (require.main === module) main();
module.exports = { generate };
