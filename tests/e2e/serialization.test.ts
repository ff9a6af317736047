// Serializes each resource's provider exactly as dynamic.Resource does (runtime.serializeFunction of
// `() => provider`, allowSecrets), from the package as installed under node_modules, in a plain Node
// process (a Jest VM would change what the serializer sees). Credentials are present both in the
// environment and in the remembered stack config: none may end up in the text.
import { execFileSync } from "node:child_process";
import * as path from "node:path";

const repoRoot = path.resolve(__dirname, "..", "..");
const TOKEN = "serialization-token-0cc175b9c0f1b6a831c399e269772661";

const script = `
const pulumi = require("@pulumi/pulumi");
// An internal module (not exported): loaded by file name, which is the same module instance the providers use.
const { rememberStackConfig } = require(require("node:path").join(process.env.PACKAGE_DIR, "dist/provider/config.js"));
rememberStackConfig({ get: (key) => (key === "cloudflare:apiToken" ? process.env.SECRET_FOR_CONFIG : undefined) });
(async () => {
  const out = {};
  for (const name of ["share", "share-recipient", "share-resource"]) {
    const provider = require("pulumi-cloudflare-sharing/dist/provider/resources/" + name + "-provider.js");
    const result = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    out[name] = { text: result.text, containsSecrets: result.containsSecrets };
  }
  process.stdout.write(JSON.stringify(out));
})().catch((error) => { console.error(error); process.exit(1); });
`;

it("each provider serializes to a one-line require of the installed package, with no credential", () => {
  // Run from a program folder (it has its own package.json), as a user's program is: from the
  // repository root, Node would resolve the package's own name to ./dist by self-reference.
  const output = execFileSync(process.execPath, ["-e", script], {
    cwd: path.join(repoRoot, "tests", "e2e", "programs", "smoke"),
    encoding: "utf8",
    env: { ...process.env, CLOUDFLARE_API_TOKEN: TOKEN, SECRET_FOR_CONFIG: TOKEN, PACKAGE_DIR: path.join(repoRoot, "node_modules", "pulumi-cloudflare-sharing") },
  });
  const serialized = JSON.parse(output) as Record<string, { text: string; containsSecrets: boolean }>;
  expect(Object.keys(serialized)).toEqual(["share", "share-recipient", "share-resource"]);
  for (const [name, { text, containsSecrets }] of Object.entries(serialized)) {
    expect(text).toContain(`require("pulumi-cloudflare-sharing/dist/provider/resources/${name}-provider.js")`);
    expect(text).not.toContain(TOKEN);
    expect(containsSecrets).toBe(false);
    expect(text.length).toBeLessThan(500);
  }
}, 60_000);

const referenceScript = `
// An internal module, so reached by its file (the package exports only its public paths).
const { providerReference } = require(require("node:path").join(process.env.PACKAGE_DIR, "dist/provider/resources/resource-base.js"));
const requireFromString = require(require.resolve("require-from-string", { paths: [require.resolve("@pulumi/pulumi")] }));
const pulumi = require("@pulumi/pulumi");
(async () => {
  const out = {};
  for (const name of ["share", "share-recipient", "share-resource"]) {
    const file = require.resolve("pulumi-cloudflare-sharing/dist/provider/resources/" + name + "-provider.js");
    const provider = require(file);
    const text = providerReference(file, provider);
    // As Pulumi's dynamic provider host loads it: a module from the string, then its handler().
    const loadsTheProvider = requireFromString(text).handler() === provider;
    // State written before holds dynamic.Resource's serialized closure: it must load the same provider.
    const before = (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })).text;
    out[name] = { text, loadsTheProvider, earlierStateLoadsIt: requireFromString(before).handler() === provider };
  }
  process.stdout.write(JSON.stringify(out));
})().catch((error) => { console.error(error); process.exit(1); });
`;

it("stores a one-line require of the installed provider as each resource's provider reference, which loads that provider, as the reference in earlier state does", () => {
  const output = execFileSync(process.execPath, ["-e", referenceScript], {
    cwd: path.join(repoRoot, "tests", "e2e", "programs", "smoke"),
    env: { ...process.env, PACKAGE_DIR: path.join(repoRoot, "node_modules", "pulumi-cloudflare-sharing") },
    encoding: "utf8",
  });
  const references = JSON.parse(output) as Record<string, { text: string; loadsTheProvider: boolean; earlierStateLoadsIt: boolean }>;
  for (const [name, { text, loadsTheProvider, earlierStateLoadsIt }] of Object.entries(references)) {
    expect(text).toBe(`exports.handler = () => require("pulumi-cloudflare-sharing/dist/provider/resources/${name}-provider.js");`);
    expect(loadsTheProvider).toBe(true);
    expect(earlierStateLoadsIt).toBe(true);
  }
}, 60_000);
