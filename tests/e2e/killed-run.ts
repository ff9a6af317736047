// Killing a `pulumi up` run by the CLI itself, and what an operator does next: the CLI in the
// program's folder with the stack's environment, bounded waits, and a torn checkpoint restored from
// the backup the file backend keeps beside it.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { engineDir, TestStack } from "./harness";

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/** The package's command as `npx pulumi-cloudflare-sharing` runs it: the copy `npm run build` installed. */
export const RECOVER_CLI = path.resolve(__dirname, "..", "..", "node_modules", "pulumi-cloudflare-sharing", "dist", "provider", "discover", "cli.js");

/**
 * Runs the pulumi CLI in the program directory with the stack's environment (plus `env`); bounded by
 * `timeoutMs`. It runs in its own process group, so a test can kill all of it (CLI, language host,
 * provider host).
 *
 * @example
 * const up = await cli(testStack, ["up", "--yes", "--skip-preview"], 120_000, (kill) => (killUp = kill));
 */
export function cli(testStack: TestStack, args: string[], timeoutMs: number, onStart?: (kill: () => void) => void, env: Record<string, string> = {}): Promise<CliResult> {
  const binary = path.join(engineDir(), "bin", "pulumi");
  return runInProgram(testStack, binary, [...args, "--stack", testStack.stack.name, "--non-interactive", "--color", "never"], timeoutMs, onStart, env);
}

/**
 * Runs any command in the program directory with the stack's environment (plus `env`), the engine's
 * `pulumi` first on PATH, as a user's shell would have it; bounded by `timeoutMs`.
 */
export function runInProgram(
  testStack: TestStack,
  binary: string,
  args: string[],
  timeoutMs: number,
  onStart?: (kill: () => void) => void,
  env: Record<string, string> = {},
): Promise<CliResult> {
  const child = spawn(binary, args, {
    cwd: testStack.programDir,
    env: { ...process.env, ...testStack.env, PATH: `${path.join(engineDir(), "bin")}${path.delimiter}${process.env.PATH ?? ""}`, ...env },
    detached: true, // its own process group: the kill takes the language host and provider with it
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const killGroup = () => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  };
  onStart?.(killGroup);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      killGroup();
      reject(new Error(`${path.basename(binary)} ${args.join(" ")} did not finish in ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output });
    });
  });
}

/**
 * Polls until `condition` holds, bounded.
 *
 * @example
 * await until(() => deletes().length > 0, 60_000, "the first DELETE");
 */
export async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Replaces an unreadable stack checkpoint of the file backend by its `.bak` (or newest backup).
 *
 * @example
 * restoreCheckpointIfTorn(testStack.backendDir);
 */
export function restoreCheckpointIfTorn(backendDir: string): void {
  const stacks = path.join(backendDir, ".pulumi", "stacks");
  const files = fs.readdirSync(stacks, { recursive: true, withFileTypes: true }).filter((f) => f.isFile() && f.name.endsWith(".json"));
  for (const file of files) {
    const checkpoint = path.join(file.parentPath, file.name);
    if (parses(checkpoint)) continue;
    const stackName = file.name.replace(/\.json$/, "");
    const project = path.basename(file.parentPath);
    const backups = path.join(backendDir, ".pulumi", "backups", project, stackName);
    const candidates = [
      `${checkpoint}.bak`,
      ...(fs.existsSync(backups) ? fs.readdirSync(backups).map((name) => path.join(backups, name)).sort().reverse() : []),
    ].filter((candidate) => fs.existsSync(candidate) && parses(candidate));
    if (candidates.length === 0) throw new Error(`the checkpoint ${checkpoint} is unreadable and no backup is`);
    fs.copyFileSync(candidates[0], checkpoint);
  }
}

function parses(file: string): boolean {
  try {
    JSON.parse(fs.readFileSync(file, "utf8"));
    return true;
  } catch {
    return false;
  }
}

/**
 * Releases the lock a killed run left on the file backend (what `pulumi cancel` does for a service backend).
 *
 * @example
 * releaseLocks(testStack.backendDir);
 */
export function releaseLocks(backendDir: string): void {
  const locks = path.join(backendDir, ".pulumi", "locks");
  if (fs.existsSync(locks)) fs.rmSync(locks, { recursive: true, force: true });
}
