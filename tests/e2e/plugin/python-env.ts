// A Python virtual environment with the `pulumi` package, made once under .e2e-work/ with the
// ordinary clients (python3 -m venv, pip), and the SDK generated into sdk/python installed into it
// afresh for every run (from a copy, so no build files land in the repository).
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const repoRoot = path.resolve(__dirname, "..", "..", "..");
/** The Python SDK release matching the CLI (package.json's `pulumi`). */
export const PULUMI_PYTHON_VERSION = (require(path.join(repoRoot, "package.json")) as { devDependencies: Record<string, string> }).devDependencies.pulumi;
export const PYTHON_SDK_DIR = path.join(repoRoot, "sdk", "python");

/** What the generated SDK needs (its setup.py `install_requires`), with `pulumi` pinned to the CLI's release. */
export const REQUIREMENTS = [`pulumi==${PULUMI_PYTHON_VERSION}`, "parver>=0.2.1", "semver>=2.8.1"];

/** The venv's bin directory, created on first use (about a minute), then reused. */
export function pythonVenvBin(): string {
  const venv = path.join(repoRoot, ".e2e-work", "python-venv");
  const bin = path.join(venv, "bin");
  const marker = path.join(venv, "requirements.txt");
  const wanted = `${REQUIREMENTS.join("\n")}\n`;
  if (!fs.existsSync(marker) || fs.readFileSync(marker, "utf8") !== wanted) {
    fs.rmSync(venv, { recursive: true, force: true });
    execFileSync("python3", ["-m", "venv", venv], { stdio: "inherit" });
    execFileSync(path.join(bin, "pip"), ["install", "--quiet", "--disable-pip-version-check", ...REQUIREMENTS], { stdio: "inherit" });
    fs.writeFileSync(marker, wanted);
  }
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "python-sdk-"));
  try {
    fs.cpSync(PYTHON_SDK_DIR, copy, { recursive: true });
    execFileSync(path.join(bin, "pip"), ["install", "--quiet", "--disable-pip-version-check", "--no-deps", "--force-reinstall", copy], { stdio: "inherit" });
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
  return bin;
}

/**
 * The environment under which the Python host built here runs the venv's interpreter: it takes
 * `python` from PATH (it predates runtime options).
 *
 * @example
 * env: pythonHostEnv(pythonVenvBin())
 */
export function pythonHostEnv(venvBin: string): Record<string, string> {
  return { PATH: `${venvBin}${path.delimiter}${process.env.PATH}` };
}
