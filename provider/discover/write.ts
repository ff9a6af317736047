// Writes a program's files all at once or not at all: into a fresh directory beside the target,
// renamed into place when complete. An existing, non-empty target is never touched.

import * as fs from "node:fs";
import * as path from "node:path";
import type { ProgramFiles } from "./program";

/**
 * The target exists and holds files: nothing is overwritten.
 *
 * @example
 * if (outputDirectoryProblem(dir) instanceof OutputDirectoryNotEmptyError) console.error("choose another --out");
 */
export class OutputDirectoryNotEmptyError extends Error {
  constructor(readonly directory: string) {
    super(`--out ${directory} already exists and is not empty: choose another directory (nothing was written)`);
    this.name = "OutputDirectoryNotEmptyError";
  }
}

/**
 * Why `directory` cannot receive a program, or undefined when it can (absent, or an empty directory).
 *
 * @example
 * const problem = outputDirectoryProblem("./shares"); // undefined, or an Error naming --out
 */
export function outputDirectoryProblem(directory: string): Error | undefined {
  if (!fs.existsSync(directory)) return undefined;
  if (!fs.statSync(directory).isDirectory()) return new Error(`--out ${directory} is a file, not a directory (nothing was written)`);
  return fs.readdirSync(directory).length > 0 ? new OutputDirectoryNotEmptyError(directory) : undefined;
}

/**
 * Writes `files` into `directory` (created; it must be absent or empty).
 *
 * @example
 * writeProgram("./shares", { "index.ts": "…", "Pulumi.yaml": "…" });
 */
export function writeProgram(directory: string, files: ProgramFiles): void {
  const problem = outputDirectoryProblem(directory);
  if (problem) throw problem;
  const parent = path.dirname(path.resolve(directory));
  fs.mkdirSync(parent, { recursive: true });
  const staging = fs.mkdtempSync(path.join(parent, `.${path.basename(directory)}-`));
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(staging, name), text);
    if (fs.existsSync(directory)) fs.rmdirSync(directory); // empty, checked above
    fs.renameSync(staging, directory);
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}
