// A Go program under tests/e2e/programs, compiled once by `go build` (the Go build cache makes every
// later build of the same code a link step) and run by the Go language host as a prebuilt binary, so
// that no engine operation compiles it again.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pluginPulumiYaml } from "./program-stack";

/** A cold build (empty build cache) of a program on the Pulumi Go SDK takes minutes on 2 cores. */
const GO_BUILD_TIMEOUT_MS = 10 * 60_000;

/** A compiled program and the folder holding it. */
export interface GoProgram {
  /** The executable. */
  binary: string;
  /** Removes the executable and its folder. */
  remove(): void;
}

/**
 * Compiles the program folder `name` of tests/e2e/programs into a temporary folder. Its go.mod takes
 * the SDK generated into sdk/go through a `replace` line.
 *
 * @example
 * const program = buildGoProgram("plugin-go");
 * fs.writeFileSync(path.join(dir, "Pulumi.yaml"), goPulumiYaml("plugin-go", program.binary));
 */
export function buildGoProgram(name: string): GoProgram {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-bin-`));
  const binary = path.join(dir, name);
  execFileSync("go", ["build", "-o", binary, "."], {
    cwd: path.join(__dirname, "..", "programs", name),
    stdio: ["ignore", "inherit", "inherit"],
    timeout: GO_BUILD_TIMEOUT_MS,
    // GOTOOLCHAIN=local: never download another Go toolchain; -mod=mod: a missing go.sum line is
    // filled from the module proxy instead of failing, as scripts/engine.js builds.
    env: { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "-mod=mod -buildvcs=false" },
  });
  return { binary, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The Pulumi.yaml of a Go project that runs `binary` (no `go build` at each run) on the plugin
 * that `npm run build` installs.
 *
 * @example
 * fs.writeFileSync(path.join(dir, "Pulumi.yaml"), goPulumiYaml("plugin-go", program.binary));
 */
export function goPulumiYaml(name: string, binary: string): string {
  return pluginPulumiYaml(name, "go", { binary });
}
