// A stack of a plugin program in a language other than YAML (tests/e2e/programs/plugin-python,
// plugin-go): its Pulumi.yaml names the plugin as installed into node_modules, the plugin's own
// config points it at the emulator (token as a secret), the program reads what to declare from
// `e2e:spec`, and the provider polls fast. The set-up the Python and Go engine tests share.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RunningEmulator } from "../../../emulator";
import { FAST_TUNING, OWNER, PARTNER_A, PARTNER_B, POLICY_1, RULESET_1, TOKEN } from "../fixtures";
import { createTestStack, TestStack } from "../harness";
import { pythonHostEnv, pythonVenvBin } from "./python-env";
import { PLUGIN_DIR } from "./yaml-program";

/**
 * The text of a Pulumi.yaml for a project `name` on `runtime` (with its runtime `options`, if any)
 * that takes the plugin from the checkout's installed copy.
 *
 * @example
 * pluginPulumiYaml("plugin-python", "python");
 * pluginPulumiYaml("plugin-go", "go", { binary: program.binary });
 */
export function pluginPulumiYaml(name: string, runtime: string, options: Record<string, string> = {}): string {
  const entries = Object.entries(options);
  const runtimeLines = entries.length === 0 ? [`runtime: ${runtime}`] : ["runtime:", `  name: ${runtime}`, "  options:", ...entries.map(([key, value]) => `    ${key}: ${JSON.stringify(value)}`)];
  return [`name: ${name}`, ...runtimeLines, "plugins:", "  providers:", "    - name: cloudflare-sharing", `      path: ${JSON.stringify(PLUGIN_DIR)}`, ""].join("\n");
}

export interface ProgramStackOptions {
  /** The project's Pulumi.yaml (see pluginPulumiYaml). */
  pulumiYaml: string;
  /** A folder of tests/e2e/programs copied beside it (a Python program's source); none for a prebuilt Go binary. */
  copyFrom?: string;
  /** What the program reads from config `e2e:spec`. */
  spec: Record<string, unknown>;
  /** More environment for the engine, the language host and the plugin. */
  env?: Record<string, string>;
}

/**
 * Creates the stack of a plugin program against `emulator`.
 *
 * @example
 * testStack = await programTestStack(emulator, {
 *   pulumiYaml: pluginPulumiYaml("plugin-python", "python"),
 *   copyFrom: "plugin-python",
 *   spec: separateObjectsSpec("from python"),
 *   env: pythonHostEnv(pythonVenvBin()),
 * });
 */
export async function programTestStack(emulator: RunningEmulator, options: ProgramStackOptions): Promise<TestStack> {
  const source = fs.mkdtempSync(path.join(os.tmpdir(), "plugin-program-"));
  try {
    if (options.copyFrom) fs.cpSync(path.join(__dirname, "..", "programs", options.copyFrom), source, { recursive: true });
    fs.writeFileSync(path.join(source, "Pulumi.yaml"), options.pulumiYaml);
    return await createTestStack({
      program: source,
      config: {
        "e2e:spec": { value: JSON.stringify(options.spec) },
        "cloudflare-sharing:apiToken": { value: TOKEN, secret: true },
        "cloudflare-sharing:baseUrl": { value: emulator.url },
      },
      env: { CLOUDFLARE_SHARING_TUNING: FAST_TUNING, ...options.env },
    });
  } finally {
    fs.rmSync(source, { recursive: true, force: true });
  }
}

/**
 * What plugin-python and plugin-go read from `e2e:spec`: a share `name` of OWNER with PARTNER_A and
 * RULESET_1 declared inline, and a separate recipient (PARTNER_B) and resource (POLICY_1) on it.
 *
 * @example
 * programTestStack(emulator, { pulumiYaml: goPulumiYaml("plugin-go", program.binary), spec: separateObjectsSpec("from go") });
 */
export function separateObjectsSpec(name: string): Record<string, unknown> {
  return { accountId: OWNER, name, inlineRecipient: PARTNER_A, recipient: PARTNER_B, ruleset: RULESET_1, policy: POLICY_1 };
}

/**
 * The stack of tests/e2e/programs/plugin-python declaring separateObjectsSpec(`name`), run by the
 * interpreter of the test's virtual environment (made on first use), with `env` added.
 *
 * @example
 * testStack = await pluginPythonStack(emulator, "from python");
 */
export async function pluginPythonStack(emulator: RunningEmulator, name: string, env: Record<string, string> = {}): Promise<TestStack> {
  return programTestStack(emulator, {
    pulumiYaml: pluginPulumiYaml("plugin-python", "python"),
    copyFrom: "plugin-python",
    spec: separateObjectsSpec(name),
    env: { ...pythonHostEnv(pythonVenvBin()), ...env },
  });
}
