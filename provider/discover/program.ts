// The Pulumi program `discover` writes: index.ts declaring one Share per discovered share (items
// inline, `adopt` + `adoptOnlyIfMatching`, and `exclusive` with --exclusive), package.json, Pulumi.yaml, tsconfig.json and a README
// with one line per object and a summary of what was found and left out.

import { VERSION } from "../client/version";
import type { DiscoveredShare, Discovery } from "./model";
import { variableName } from "./names";

/** The files of a program, by name. */
export type ProgramFiles = Record<string, string>;

/** The languages `discover` writes. */
export const LANGUAGES = ["typescript"] as const;
export type Language = (typeof LANGUAGES)[number];

// JSON is a TypeScript literal, except that U+2028/U+2029 end a line in a `//` comment: escape them.
const js = (value: unknown) => JSON.stringify(value).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");

/**
 * `meta` (compact JSON) as the TypeScript expression the program declares: the object itself, or,
 * when a key anywhere in it is `__proto__`, its JSON text as a string (`meta` takes either). An
 * object literal, and Pulumi's serialization of an object's properties, would make such a key the
 * object's prototype and lose it; the provider parses the string with JSON.parse, which keeps it an
 * own key.
 *
 * @example
 * metaExpression('{"tier":"gold"}') // '{"tier":"gold"}'
 * metaExpression('{"__proto__":{"a":1}}') // '"{\\"__proto__\\":{\\"a\\":1}}"'
 */
export function metaExpression(meta: string): string {
  const hasProtoKey = (value: unknown): boolean =>
    value !== null && typeof value === "object" && Object.entries(value).some(([key, item]) => key === "__proto__" || hasProtoKey(item));
  return hasProtoKey(JSON.parse(meta)) ? js(meta) : meta.replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The Pulumi project name: the account's, so two accounts' programs never clash.
 *
 * @example
 * projectName(discovery) // "cloudflare-sharing-023e105f"
 */
export function projectName(discovery: Discovery): string {
  return `cloudflare-sharing-${discovery.accountId.slice(0, 8)}`;
}

function shareDeclaration(share: DiscoveredShare, variable: string, exclusive: boolean): string {
  const recipients = share.recipients.map((recipient) => {
    const target = recipient.recipientAccountId !== undefined ? `{ recipientAccountId: ${js(recipient.recipientAccountId)} }` : `{ organizationId: ${js(recipient.organizationId)} }`;
    return `    ${target}, // recipient ${recipient.id} (${recipient.associationStatus})`;
  });
  const resources = share.resources.map(
    (resource) =>
      `    { resourceType: ${js(resource.resourceType)}, resourceId: ${js(resource.resourceId)}, resourceAccountId: ${js(resource.resourceAccountId)}, meta: ${metaExpression(resource.meta)} }, // share resource ${resource.id}`,
  );
  return [
    `// ${js(share.name)}: share ${share.id}, created ${share.created}, targets ${share.targetType === "organization" ? "an organization" : "accounts"}`,
    `const ${variable} = new Share(${js(share.resourceName)}, {`,
    `  accountId,`,
    `  name: ${js(share.name)},`,
    `  recipients: [`,
    ...recipients,
    `  ],`,
    `  resources: [`,
    ...resources,
    `  ],`,
    `  adopt: ${js(share.id)},`,
    `  adoptOnlyIfMatching: true,`,
    ...(exclusive ? [`  exclusive: true, // the items above are the share's complete set: any other is reported, then removed`] : []),
    `});`,
  ].join("\n");
}

/**
 * One line per declared share, recipient and resource (the README's "Declared" list).
 *
 * @example
 * inventory(discovery) // ["- `waf-rules`: share 3fd8… \"WAF rules\" (…)", "  - recipient 6a92…: account 9a78… (associated)", …]
 */
export function inventory(discovery: Discovery): string[] {
  const lines: string[] = [];
  for (const share of discovery.shares) {
    lines.push(
      `- \`${share.resourceName}\`: share ${share.id} ${js(share.name)} (created ${share.created}; ${count(share.recipients.length, "recipient")}, ${count(share.resources.length, "resource")})`,
    );
    for (const recipient of share.recipients) {
      const target = recipient.recipientAccountId !== undefined ? `account ${recipient.recipientAccountId}` : `organization ${recipient.organizationId}`;
      lines.push(`  - recipient ${recipient.id}: ${target} (${recipient.associationStatus})`);
    }
    for (const resource of share.resources) {
      lines.push(`  - resource ${resource.id}: ${resource.resourceType} ${resource.resourceId} of account ${resource.resourceAccountId}, meta ${resource.meta}`);
    }
  }
  return lines;
}

/**
 * The summary `discover` prints and the README repeats.
 *
 * @example
 * summary(discovery) // ["Account 023e…: 12 shares sent; 12 declared …", …]
 */
export function summary(discovery: Discovery): string[] {
  const recipients = discovery.shares.flatMap((share) => share.recipients);
  const resources = discovery.shares.flatMap((share) => share.resources);
  const organizations = recipients.filter((recipient) => recipient.organizationId !== undefined).length;
  const byType = new Map<string, number>();
  for (const resource of resources) byType.set(resource.resourceType, (byType.get(resource.resourceType) ?? 0) + 1);
  const types = [...byType.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([type, n]) => `${n} ${type}`);
  const lines = [
    `Account ${discovery.accountId}${discovery.accountName ? ` (${discovery.accountName})` : ""}: ${count(discovery.sharesRead, "share")} sent by it, ${discovery.shares.length} to declare.`,
    `Declared: ${count(discovery.shares.length, "share")}, ${count(recipients.length, "recipient")} (${recipients.length - organizations} accounts, ${count(organizations, "organization")}), ` +
      `${count(resources.length, "resource")}${types.length > 0 ? ` (${types.join(", ")})` : ""}.`,
  ];
  if (discovery.leftOut.length > 0) {
    const reasons = new Map<string, number>();
    for (const item of discovery.leftOut) {
      const key = `${item.kind} ${item.reason.replace(/^it /, "")}`;
      reasons.set(key, (reasons.get(key) ?? 0) + 1);
    }
    lines.push(`Left out: ${[...reasons.entries()].map(([reason, n]) => `${n} × ${reason}`).join("; ")} (listed in the README).`);
  }
  if (discovery.otherAccountsShares !== undefined) {
    lines.push(`Organization ${discovery.organizationId}: ${count(discovery.otherAccountsShares, "share")} of other accounts (not declared: run discover for those accounts).`);
  }
  lines.push(`Shares received from other accounts are not declared. ${count(discovery.requests, "API request")} sent.`);
  return lines;
}

/**
 * The program's files.
 *
 * @example
 * const files = renderProgram(discovery, { generatedAt: new Date() });
 * files["index.ts"]; // "import { Share } from \"pulumi-cloudflare-sharing\"; …"
 */
export function renderProgram(discovery: Discovery, options: { generatedAt: Date; language?: Language; exclusive?: boolean }): ProgramFiles {
  const exclusive = options.exclusive === true;
  const taken = new Set<string>();
  const variables = discovery.shares.map((share) => variableName(share.resourceName, taken));
  const generated = `${options.generatedAt.toISOString()} by pulumi-cloudflare-sharing ${VERSION} discover`;
  const index = [
    `// Resource shares of Cloudflare account ${discovery.accountId}${discovery.accountName ? ` (${js(discovery.accountName)})` : ""}, written ${generated}.`,
    `//`,
    `// Every share is taken over (\`adopt\`), not created. With \`adoptOnlyIfMatching\` the first \`pulumi up\``,
    `// sends no write: it takes each share over only if it is still exactly as discovered, and otherwise`,
    `// fails naming what changed, changing nothing. Once adopted, this program is the shares' source of`,
    `// truth: edit it like any other (\`adopt\` and \`adoptOnlyIfMatching\` are then ignored).`,
    ...(exclusive
      ? [
          `// Every share is \`exclusive\`: its recipients and resources below are its complete set. A recipient or`,
          `// object added out of band fails \`pulumi refresh --preview-only --expect-no-changes\`, which names it,`,
          `// and \`pulumi up --refresh\` removes it.`,
        ]
      : []),
    `import { Share } from "pulumi-cloudflare-sharing";`,
    ``,
    `const accountId = ${js(discovery.accountId)};`,
    ``,
    ...discovery.shares.map((share, i) => `${shareDeclaration(share, variables[i], exclusive)}\n`),
    `export const shareIds = {`,
    ...discovery.shares.map((share, i) => `  ${js(share.resourceName)}: ${variables[i]}.id,`),
    `};`,
    ``,
  ].join("\n");

  const name = projectName(discovery);
  const packageJson = {
    name,
    private: true,
    main: "index.ts",
    dependencies: { "@pulumi/pulumi": "^3.216.0", "pulumi-cloudflare-sharing": `^${VERSION}` },
    devDependencies: { "@types/node": "^20.19.0", typescript: "~5.9.3" },
  };
  const tsconfig = {
    compilerOptions: {
      strict: true,
      outDir: "bin",
      target: "ES2022",
      module: "commonjs",
      moduleResolution: "node",
      sourceMap: true,
      skipLibCheck: true,
      forceConsistentCasingInFileNames: true,
    },
    files: ["index.ts"],
  };
  const pulumiYaml = [
    `name: ${name}`,
    `runtime: nodejs`,
    `description: ${js(`Resource shares of Cloudflare account ${discovery.accountId}, brought under code by pulumi-cloudflare-sharing discover`)}`,
    ``,
  ].join("\n");
  const readme = [
    `# ${name}`,
    ``,
    `Resource shares of Cloudflare account ${discovery.accountId}, written ${generated}.`,
    ``,
    "```sh",
    `npm install`,
    `pulumi stack init`,
    `pulumi config set --secret cloudflare:apiToken <token>`,
    `pulumi up                           # takes every share over; sends no write`,
    `pulumi preview --expect-no-changes  # passes`,
    ...(exclusive ? [`pulumi refresh --preview-only --expect-no-changes  # the scheduled drift job: fails on a grant made out of band`] : []),
    "```",
    ``,
    `If a share changed after it was discovered, \`pulumi up\` fails for that share, says what differs,`,
    `and changes nothing: update its declaration in index.ts (or run discover again).`,
    ``,
    `## Summary`,
    ``,
    ...summary(discovery).map((line) => `- ${line}`),
    ``,
    `## Declared`,
    ``,
    ...inventory(discovery),
    ``,
    ...(discovery.leftOut.length > 0 ? [`## Left out`, ``, ...discovery.leftOut.map((item) => `- ${item.description}: ${item.reason}`), ``] : []),
  ].join("\n");
  return {
    "index.ts": index,
    "package.json": `${JSON.stringify(packageJson, null, 2)}\n`,
    "Pulumi.yaml": pulumiYaml,
    "tsconfig.json": `${JSON.stringify(tsconfig, null, 2)}\n`,
    "README.md": readme,
  };
}
