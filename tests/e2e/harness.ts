// Runs real Pulumi programs with the real engine (CLI + language host + dynamic-provider host) on a
// temporary file backend, fully offline. Each stack gets its own copy of a program directory under
// .e2e-work/ (inside the repository, so the program resolves `pulumi-cloudflare-sharing` and
// `@pulumi/pulumi` from the repository's node_modules, as a user's program resolves its own).

import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigMap, LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";

const repoRoot = path.resolve(__dirname, "..", "..");
const workRoot = path.join(repoRoot, ".e2e-work");

let engineRoot: string | undefined;

/** The directory holding `bin/pulumi`, made ready by scripts/engine.js (fast when already built). */
export function engineDir(): string {
  if (engineRoot === undefined) {
    const output = execFileSync(process.execPath, [path.join(repoRoot, "scripts", "engine.js")], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const binDir = output.trim().split("\n").pop()!;
    engineRoot = path.dirname(binDir);
  }
  return engineRoot;
}

/** Output of one engine operation, for asserting on what a user would see. */
export interface OperationLog {
  stdout: string;
  stderr: string;
}

export interface TestStack {
  stack: Stack;
  programDir: string;
  backendDir: string;
  /** Everything the engine printed, across operations, for secret-leak checks. */
  printed: string[];
  env: Record<string, string>;
  destroyAndRemove(): Promise<void>;
  /** The deployment as `pulumi stack export --show-secrets` gives it (secrets decrypted!). */
  exportState(): Promise<Record<string, unknown>>;
  /** Every file the file backend persisted for this stack (checkpoints, backups, history), as text. */
  persistedState(): string[];
}

export interface StackOptions {
  /** A folder under tests/e2e/programs, or an absolute path to a program folder. */
  program: string;
  /** Stack config; values marked secret are encrypted by the engine. */
  config?: ConfigMap;
  /** Environment of the engine and of the provider process. */
  env?: Record<string, string>;
  /** The stack's name (default: one unique to this test process). */
  stackName?: string;
  /** A file backend directory another stack already uses (default: a new one, removed with the stack). */
  backendDir?: string;
}

let counter = 0;

export async function createTestStack(options: StackOptions): Promise<TestStack> {
  fs.mkdirSync(workRoot, { recursive: true });
  const source = path.isAbsolute(options.program) ? options.program : path.join(__dirname, "programs", options.program);
  const programDir = fs.mkdtempSync(path.join(workRoot, `${path.basename(source)}-`));
  fs.cpSync(source, programDir, { recursive: true });
  const backendDir = options.backendDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-backend-"));
  const pulumiHome = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-home-"));
  const env: Record<string, string> = {
    PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_BACKEND_URL: `file://${backendDir}`,
    PULUMI_HOME: pulumiHome,
    ...options.env,
  };
  const pulumiCommand = await PulumiCommand.get({ root: engineDir() });
  const workspace = await LocalWorkspace.create({ workDir: programDir, pulumiHome, envVars: env, pulumiCommand });
  const stackName = options.stackName ?? `e2e${process.pid}n${counter++}`;
  const stack = await Stack.create(stackName, workspace);
  if (options.config) await stack.setAllConfig(options.config);
  const printed: string[] = [];
  return {
    stack,
    programDir,
    backendDir,
    printed,
    env,
    persistedState() {
      const files = fs.readdirSync(backendDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
      return files.map((entry) => fs.readFileSync(path.join(entry.parentPath, entry.name), "utf8"));
    },
    async exportState() {
      const deployment = await stack.exportStack();
      return deployment.deployment as Record<string, unknown>;
    },
    async destroyAndRemove() {
      try {
        await stack.destroy({ onOutput: (line) => printed.push(line) });
        await workspace.removeStack(stackName);
      } finally {
        fs.rmSync(programDir, { recursive: true, force: true });
        if (options.backendDir === undefined) fs.rmSync(backendDir, { recursive: true, force: true });
        fs.rmSync(pulumiHome, { recursive: true, force: true });
      }
    },
  };
}

/** Collects an operation's output lines into `printed` as well as returning them. */
export function recorder(testStack: TestStack): (line: string) => void {
  return (line: string) => testStack.printed.push(line);
}
