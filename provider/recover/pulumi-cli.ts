// Running the `pulumi` CLI for `recover`: `pulumi stack export` to read the pending creates,
// `pulumi stack import` and `pulumi refresh` to store what they made. The `pulumi` on PATH, in the program's folder, with this
// process's environment (PULUMI_BACKEND_URL, PULUMI_HOME, PULUMI_CONFIG_PASSPHRASE… as the user set them).

import { spawn } from "node:child_process";

/** How one `pulumi` run ended. */
export interface PulumiRun {
  code: number;
  /** What it printed on stdout, when captured. */
  stdout: string;
  /** What it printed on stderr, when captured. */
  stderr: string;
}

/** Runs `pulumi <args>`: captured (the export) or shown to the user as it runs (import, refresh). */
export type PulumiRunner = (args: readonly string[], mode: "capture" | "show") => Promise<PulumiRun>;

/**
 * The `pulumi` on PATH, run in the current folder.
 *
 * @example
 * const { code, stdout } = await runPulumi(["stack", "export"], "capture");
 */
export const runPulumi: PulumiRunner = (args, mode) =>
  new Promise((resolve, reject) => {
    const child = spawn("pulumi", [...args], { stdio: mode === "capture" ? ["ignore", "pipe", "pipe"] : ["ignore", "inherit", "inherit"] });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk) => (stdout += chunk));
    child.stderr?.on("data", (chunk) => (stderr += chunk));
    child.on("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "ENOENT" ? new Error("the `pulumi` command is not on PATH: install the Pulumi CLI, or pass --export <file> with the output of `pulumi stack export`") : error),
    );
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });

/** The flags of a refresh run for the user, unattended. */
export const UNATTENDED = ["--yes", "--skip-preview", "--non-interactive"] as const;

/**
 * A command line to show a person, each argument quoted for a POSIX shell when it needs it.
 *
 * @example
 * shellLine(["pulumi", "refresh", "urn:pulumi:dev::p::t::n"]); // "pulumi refresh 'urn:pulumi:dev::p::t::n'"
 */
export function shellLine(args: readonly string[]): string {
  return args.map((arg) => (/^[A-Za-z0-9_./=-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(" ");
}
