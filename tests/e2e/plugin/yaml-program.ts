// Pulumi YAML programs that use the plugin, written per test step: the engine finds the plugin in the
// package as installed into node_modules (`plugins.providers[].path`), as a user's Pulumi.yaml can.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const repoRoot = path.resolve(__dirname, "..", "..", "..");
/** Where `npm run build` installs the package, with its `bin/pulumi-resource-cloudflare-sharing`. */
export const PLUGIN_DIR = path.join(repoRoot, "node_modules", "pulumi-cloudflare-sharing", "bin");

export interface YamlResource {
  type: "Share" | "ShareRecipient" | "ShareResource";
  properties?: Record<string, unknown>;
  options?: Record<string, unknown>;
  /** Read an existing object instead of managing one (the `get` resource option): its id and properties. */
  get?: { id: string; state?: Record<string, unknown> };
}

/**
 * The text of a Pulumi.yaml declaring `resources` (values are JSON, which YAML reads as is), with the
 * plugin taken from `pluginDir` (the checkout's installed copy unless told otherwise). With
 * `installedPlugin`, the program names no plugin path: the engine takes the plugin installed into its
 * PULUMI_HOME (`pulumi plugin install`).
 */
export function yamlProgram(
  resources: Record<string, YamlResource>,
  outputs: Record<string, string> = {},
  options: { installedPlugin?: boolean; pluginDir?: string } = {},
): string {
  const lines = ["name: plugin-yaml", "runtime: yaml"];
  if (!options.installedPlugin) lines.push("plugins:", "  providers:", "    - name: cloudflare-sharing", `      path: ${JSON.stringify(options.pluginDir ?? PLUGIN_DIR)}`);
  // YAML reads a bare `resources:` as null, which Pulumi YAML refuses.
  lines.push(Object.keys(resources).length > 0 ? "resources:" : "resources: {}");
  for (const [name, resource] of Object.entries(resources)) {
    lines.push(`  ${name}:`, `    type: cloudflare-sharing:index:${resource.type}`);
    if (resource.properties) lines.push(`    properties: ${JSON.stringify(resource.properties)}`);
    if (resource.get) lines.push(`    get: ${JSON.stringify(resource.get)}`);
    if (resource.options) lines.push(`    options: ${JSON.stringify(resource.options)}`);
  }
  if (Object.keys(outputs).length > 0) {
    lines.push("outputs:", ...Object.entries(outputs).map(([name, value]) => `  ${name}: ${JSON.stringify(value)}`));
  }
  return `${lines.join("\n")}\n`;
}

/** A fresh program folder holding `text` as its Pulumi.yaml. */
export function writeProgramDir(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plugin-yaml-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), text);
  return dir;
}
