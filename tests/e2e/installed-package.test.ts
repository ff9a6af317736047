// The package as a user receives it, and nothing else: `npm pack` of the checkout, `npm install` of that
// tarball into an empty project (production dependencies, plus the @pulumi/pulumi peer a user installs
// too), then only what that project holds: its two commands through `npx` and node_modules/.bin, its
// `require()`, and a YAML program whose plugin is the project's own. Every other suite loads the package
// from the checkout (dist/…, or the copy `npm run build` puts in node_modules), so a broken package.json
// (a `bin` lost to a duplicate key, a file left out of `files`, a dependency declared as dev only) would
// pass them all.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import type { RunningEmulator } from "../../emulator";
import { createTestStack, TestStack } from "./harness";
import { OWNER, PARTNER_A, PARTNER_B, RULESET_1, startE2eEmulator, TOKEN } from "./fixtures";
import { findings, policyConfigFile } from "./policy-pack";
import { writeProgramDir, yamlProgram } from "./plugin/yaml-program";

jest.setTimeout(300_000);

const repoRoot = path.resolve(__dirname, "..", "..");
const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { name: string; version: string; devDependencies: Record<string, string> };
// What users read: the README and every docs/ page but the API's own reference (Cloudflare's names).
const USER_DOC_FILES = [
  "README.md",
  ...fs
    .readdirSync(path.join(repoRoot, "docs"))
    .filter((name) => name.endsWith(".md") && name !== "cloudflare-resource-sharing-api.md")
    .map((name) => path.join("docs", name)),
];
const userDocs = USER_DOC_FILES.map((file) => fs.readFileSync(path.join(repoRoot, file), "utf8")).join("\n");
const INSTALL_TIMEOUT_MS = 240_000;
const COMMAND_TIMEOUT_MS = 30_000;

interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The environment for npm and the commands: this process's, less what `npm test` adds for its own
 * package (npm_package_*, the local prefix, …), which would point a nested npm at the checkout, and
 * less the node_modules/.bin folders `npm test` puts on PATH, whose commands would stand in for the
 * project's.
 */
function userEnv(extra: Record<string, string> = {}): Record<string, string> {
  const kept = new Set(["npm_config_cache", "npm_config_registry", "npm_config_userconfig"]);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || key === "INIT_CWD" || (key.toLowerCase().startsWith("npm_") && !kept.has(key.toLowerCase()))) continue;
    env[key] = value;
  }
  const pathEntries = (process.env.PATH ?? "").split(path.delimiter);
  env.PATH = pathEntries.filter((entry) => !/node_modules[\\/]\.bin[\\/]?$|node-gyp-bin/.test(entry)).join(path.delimiter);
  return { ...env, ...extra };
}

/**
 * Runs `command` in `cwd` and resolves with its exit code and output (never rejects). It runs in a
 * process group of its own, ended whole at `timeout`: what `npx` starts must not outlive the test.
 */
function run(command: string, args: string[], cwd: string, env: Record<string, string> = userEnv(), timeout = COMMAND_TIMEOUT_MS): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk) => (stdout += chunk));
    child.stderr!.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      stderr += `\n(ended after ${timeout / 1000} s)`;
      process.kill(-child.pid!, "SIGKILL");
    }, timeout);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ code: 127, stdout, stderr: `${stderr}${error.message}` });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

/** Fails with everything the command said when it did not exit 0. */
function expectSuccess(result: CommandResult, what: string): void {
  if (result.code !== 0) throw new Error(`${what} exited ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
}

/**
 * The names a user's program takes from the package in the docs' code blocks: each imported name,
 * and each member path it reads of one (`plugin.Share`, `plugin.MOVED_FROM_DYNAMIC.Share`).
 */
function namesImportedInDocs(text: string): string[] {
  const names = new Set<string>();
  for (const [, block] of text.matchAll(/```(?:ts|typescript|js|javascript)\n([\s\S]*?)```/g)) {
    for (const [, list] of block.matchAll(new RegExp(`import\\s*\\{([^}]*)\\}\\s*from\\s*"${manifest.name}"`, "g"))) {
      const imported = list.split(",").map((entry) => entry.trim().replace(/^type\s+/, "").split(/\s+as\s+/)).filter(([name]) => name);
      for (const [name, local = name] of imported) {
        names.add(name);
        for (const [, member, nested] of block.matchAll(new RegExp(`\\b${local}\\.([A-Za-z_$][\\w$]*)(?:\\.([A-Za-z_$][\\w$]*))?`, "g"))) {
          names.add(`${name}.${member}`);
          if (nested) names.add(`${name}.${member}.${nested}`);
        }
      }
    }
  }
  return [...names];
}

/** Names the README and docs/ pages show in their prose (in backquotes) as the package's own: each must be exported. */
const SHOWN_IN_PROSE = [
  "Share",
  "ShareRecipient",
  "ShareResource",
  "getShare",
  "getShareOutput",
  "listShares",
  "listSharesOutput",
  "listOrganizationShares",
  "listOrganizationSharesOutput",
  "listShareRecipients",
  "listShareRecipientsOutput",
  "listShareResources",
  "listShareResourcesOutput",
  "NotFoundError",
  "InvalidArgumentsError",
];

describe("the package as installed from its tarball", () => {
  let project: string;
  let emulator: RunningEmulator;
  let testStack: TestStack | undefined;
  let plugin: ChildProcess | undefined;
  // `npx pulumi-cloudflare-sharing …` as docs/discover-audit-probe.md says, told never to fetch a package instead (a bare
  // `--no` would swallow the package name as its value and leave `--version` to npx itself).
  const npx = (args: string[], env?: Record<string, string>) => run("npx", ["--yes=false", manifest.name, ...args], project, env);

  beforeAll(async () => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), "installed-package-"));
    fs.writeFileSync(path.join(project, "package.json"), `${JSON.stringify({ name: "user-project", version: "1.0.0", private: true }, null, 2)}\n`);
    const pack = await run("npm", ["pack", "--json", "--pack-destination", project], repoRoot, userEnv(), INSTALL_TIMEOUT_MS);
    expectSuccess(pack, "npm pack");
    const [{ filename }] = JSON.parse(pack.stdout) as { filename: string }[];
    // The peer at the version the checkout tests with: already in the npm cache after `npm ci`.
    const peer = `@pulumi/pulumi@${manifest.devDependencies["@pulumi/pulumi"]}`;
    const install = await run(
      "npm",
      ["install", "--omit=dev", "--prefer-offline", "--no-audit", "--no-fund", `./${filename}`, peer],
      project,
      userEnv(),
      INSTALL_TIMEOUT_MS,
    );
    expectSuccess(install, "npm install");
    emulator = await startE2eEmulator();
  }, INSTALL_TIMEOUT_MS * 2);
  afterAll(async () => {
    plugin?.kill();
    await testStack?.destroyAndRemove().catch(() => undefined);
    await emulator?.stop();
    if (project) fs.rmSync(project, { recursive: true, force: true });
  });

  it("installs both commands", () => {
    const bin = fs.readdirSync(path.join(project, "node_modules", ".bin"));
    expect(bin).toEqual(expect.arrayContaining([manifest.name, "pulumi-resource-cloudflare-sharing"]));
  });

  it("`npx pulumi-cloudflare-sharing discover --help` prints the usage and exits 0; `--version` prints the version", async () => {
    const help = await npx(["discover", "--help"]);
    expectSuccess(help, "discover --help");
    expect(help.stdout).toContain("Usage: pulumi-cloudflare-sharing discover --account <id>");
    const version = await npx(["--version"]);
    expectSuccess(version, "--version");
    expect(version.stdout.trim()).toBe(manifest.version);
  });

  it("`npx pulumi-cloudflare-sharing discover --account …` writes the program of an emulated account, credentials from the environment", async () => {
    const { share } = emulator.control.seedShare({
      accountId: OWNER,
      name: "WAF rules",
      recipients: [{ recipient_account_id: PARTNER_A }],
      resources: [{ resource_type: "custom-ruleset", resource_id: RULESET_1, resource_account_id: OWNER, meta: {} }],
      settled: true,
    });
    const out = path.join(project, "discovered");
    const result = await npx(["discover", "--account", OWNER, "--out", out], userEnv({ CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_BASE_URL: emulator.url }));
    expectSuccess(result, "discover");
    expect(result.stdout).toContain("1 to declare");
    expect(`${result.stdout}${result.stderr}`).not.toContain(TOKEN);
    const index = fs.readFileSync(path.join(out, "index.ts"), "utf8");
    expect(index).toContain(`adopt: "${share.id}"`);
  });

  it("the installed plugin prints its port and answers GetPluginInfo and GetSchema", async () => {
    const executable = path.join(project, "node_modules", ".bin", "pulumi-resource-cloudflare-sharing");
    // The engine starts it with its own address; nothing is logged to it here.
    const started = spawn(executable, ["127.0.0.1:1"], { cwd: project, env: userEnv(), stdio: ["ignore", "pipe", "pipe"] });
    plugin = started;
    let stderr = "";
    started.stderr!.on("data", (chunk) => (stderr += chunk));
    const port = await new Promise<number>((resolve, reject) => {
      let stdout = "";
      const timer = setTimeout(() => reject(new Error(`no port within 30 s; stderr: ${stderr}`)), 30_000);
      started.stdout!.on("data", (chunk) => {
        stdout += chunk;
        if (stdout.includes("\n")) {
          clearTimeout(timer);
          resolve(Number(stdout.split("\n")[0]));
        }
      });
      started.on("exit", (code) => reject(new Error(`the plugin exited (${code}) before printing its port; stderr: ${stderr}`)));
    });
    expect(port).toBeGreaterThan(0);
    const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const deadline = () => new Date(Date.now() + 10_000);
    try {
      const info = await new Promise<{ getVersion(): string }>((resolve, reject) =>
        client.getPluginInfo(new Empty(), new grpc.Metadata(), { deadline: deadline() }, (error, response) => (error ? reject(error) : resolve(response))),
      );
      expect(info.getVersion()).toBe(manifest.version);
      const schema = await new Promise<provproto.GetSchemaResponse>((resolve, reject) =>
        client.getSchema(new provproto.GetSchemaRequest(), new grpc.Metadata(), { deadline: deadline() }, (error, response) => (error ? reject(error) : resolve(response))),
      );
      const parsed = JSON.parse(schema.getSchema()) as { name: string; version?: string; resources: Record<string, unknown> };
      expect(parsed.name).toBe("cloudflare-sharing");
      expect(Object.keys(parsed.resources).sort()).toEqual(["cloudflare-sharing:index:Share", "cloudflare-sharing:index:ShareRecipient", "cloudflare-sharing:index:ShareResource"]);
    } finally {
      client.close();
      started.kill();
      plugin = undefined;
    }
  });

  it("`require()` from the project exports every name the README and docs/ pages show", async () => {
    const imported = namesImportedInDocs(userDocs);
    // The parse found the docs' imports (a change of their form must not empty this test).
    expect(imported).toEqual(expect.arrayContaining(["Share", "getShareOutput", "plugin", "plugin.Share", "plugin.MOVED_FROM_DYNAMIC.Share"]));
    for (const name of SHOWN_IN_PROSE) expect(userDocs).toContain(`\`${name}\``);
    const names = [...new Set([...imported, ...SHOWN_IN_PROSE])];
    const script = `
      const root = require(${JSON.stringify(manifest.name)});
      const missing = ${JSON.stringify(names)}.filter((name) => name.split(".").reduce((value, key) => (value == null ? undefined : value[key]), root) === undefined);
      process.stdout.write(JSON.stringify(missing));`;
    const result = await run(process.execPath, ["-e", script], project);
    expectSuccess(result, "require");
    expect(JSON.parse(result.stdout)).toEqual([]);
  });

  it("a YAML program with the project's own plugin: up creates and settles, destroy removes", async () => {
    // The only cloudflare-sharing plugin the engine can find: the Pulumi.yaml names the project's, the
    // stack's PULUMI_HOME is empty and plugin acquisition is off (harness.ts).
    const pluginDir = path.join(project, "node_modules", ".bin");
    const resources = {
      share: {
        type: "Share" as const,
        properties: {
          accountId: OWNER,
          name: "installed plugin",
          recipients: [{ recipientAccountId: PARTNER_A }],
          resources: [{ resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: OWNER, meta: {} }],
        },
      },
    };
    const source = writeProgramDir(yamlProgram(resources, { shareId: "${share.id}", shareStatus: "${share.status}" }, { pluginDir }));
    testStack = await createTestStack({
      program: source,
      config: { "cloudflare-sharing:apiToken": { value: TOKEN, secret: true }, "cloudflare-sharing:baseUrl": { value: emulator.url } },
    });
    fs.rmSync(source, { recursive: true, force: true });
    const record = (line: string) => testStack!.printed.push(line);

    const up = await testStack.stack.up({ onOutput: record });
    expect(up.summary.result).toBe("succeeded");
    const shareId = up.outputs.shareId.value as string;
    expect(up.outputs.shareStatus.value).toBe("active");
    expect(emulator.control.getShare(shareId)?.status).toBe("active");

    const destroy = await testStack.stack.destroy({ onOutput: record });
    expect(destroy.summary.result).toBe("succeeded");
    expect(emulator.control.getShare(shareId)?.status ?? "deleted").toBe("deleted");
    expect(testStack.printed.filter((line) => line.includes(TOKEN))).toEqual([]);
  });

  it("the policy pack runs from the installed package with its own dependencies, and refuses a stack at preview", async () => {
    const pack = path.join(project, "node_modules", manifest.name, "policy");
    const resources = {
      share: {
        type: "Share" as const,
        properties: {
          accountId: OWNER,
          name: "outside the rules",
          recipients: [{ recipientAccountId: PARTNER_B }],
          resources: [{ resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: OWNER, meta: {} }],
        },
      },
    };
    const source = writeProgramDir(yamlProgram(resources, {}, { pluginDir: path.join(project, "node_modules", ".bin") }));
    const policyStack = await createTestStack({
      program: source,
      config: { "cloudflare-sharing:apiToken": { value: TOKEN, secret: true }, "cloudflare-sharing:baseUrl": { value: emulator.url } },
    });
    fs.rmSync(source, { recursive: true, force: true });
    try {
      const output: string[] = [];
      const config = policyConfigFile({ "allowed-recipients": { accounts: [PARTNER_A] }, "require-exclusive": "disabled" });
      await expect(policyStack.stack.preview({ policyPacks: [pack], policyPackConfigs: [config], onOutput: (line) => output.push(line) })).rejects.toThrow(/preview failed/);
      expect(findings(output.join(""))).toEqual([
        {
          level: "mandatory",
          policy: "allowed-recipients",
          resource: "cloudflare-sharing:index:Share: share",
          message: `Share "share": recipients[0].recipientAccountId is "${PARTNER_B}", which is not one of the allowed accounts (${PARTNER_A}).`,
        },
      ]);
    } finally {
      await policyStack.destroyAndRemove().catch(() => undefined);
    }
  });
});
