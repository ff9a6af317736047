// The release as users receive it (scripts/release.js, built once here): the plugin tarball installed
// with `pulumi plugin install --file` into the stack's PULUMI_HOME, the Python wheel installed into a
// fresh virtual environment, then a Python and a YAML program under the real engine with no Node.js
// on PATH, so the plugin can only be the standalone executable.
import * as grpc from "@grpc/grpc-js";
import * as pluginproto from "@pulumi/pulumi/proto/plugin_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import { execFile, spawn } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import type { RunningEmulator } from "../../../emulator";
import { createTestStack, engineDir, TestStack } from "../harness";
import { FAST_TUNING, OWNER, PARTNER_A, PARTNER_B, POLICY_1, RULESET_1, startE2eEmulator, TOKEN } from "../fixtures";
import { PULUMI_PYTHON_VERSION } from "./python-env";
import { writeProgramDir, yamlProgram } from "./yaml-program";

jest.setTimeout(300_000);

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, "..", "..", "..");
const version = (JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string }).version;
const PLUGIN_TARBALL = `pulumi-resource-cloudflare-sharing-v${version}-linux-amd64.tar.gz`;
const WHEEL = `pulumi_cloudflare_sharing-${version}-py3-none-any.whl`;
const RELEASE_FILES = ["SHA256SUMS", `pulumi-cloudflare-sharing-${version}.tgz`, PLUGIN_TARBALL, WHEEL, `pulumi_cloudflare_sharing-${version}.tar.gz`];
const PIP_QUIET = ["install", "--quiet", "--disable-pip-version-check"];

/** Whether `command` is in any folder of `searchPath`. */
const onPath = (command: string, searchPath: string) => searchPath.split(path.delimiter).some((dir) => fs.existsSync(path.join(dir, command)));

describe("the release artifacts, as a Python or YAML user installs them", () => {
  let releaseDir: string;
  let venv: string;
  let emptyDir: string;
  let emulator: RunningEmulator;
  const stacks: TestStack[] = [];

  /** A stack of `program` with the release's plugin installed into its PULUMI_HOME, and `searchPath` as the engine's PATH. */
  async function installedPluginStack(program: string, searchPath: string, config: Record<string, string>): Promise<TestStack> {
    const testStack = await createTestStack({
      program,
      config: {
        ...Object.fromEntries(Object.entries(config).map(([key, value]) => [key, { value }])),
        "cloudflare-sharing:apiToken": { value: TOKEN, secret: true },
        "cloudflare-sharing:baseUrl": { value: emulator.url },
      },
      env: { PATH: searchPath, CLOUDFLARE_SHARING_TUNING: FAST_TUNING },
    });
    stacks.push(testStack);
    const pulumi = path.join(engineDir(), "bin", "pulumi");
    const env = { ...process.env, ...testStack.env };
    await run(pulumi, ["plugin", "install", "resource", "cloudflare-sharing", version, "--file", path.join(releaseDir, PLUGIN_TARBALL)], { env });
    const installed = JSON.parse((await run(pulumi, ["plugin", "ls", "--json"], { env })).stdout) as { name: string; kind: string; version: string }[];
    expect(installed).toEqual([expect.objectContaining({ name: "cloudflare-sharing", kind: "resource", version })]);
    // The engine puts its own folder first on PATH: neither has node or npm.
    for (const command of ["node", "npm"]) expect(onPath(command, `${path.join(engineDir(), "bin")}${path.delimiter}${searchPath}`)).toBe(false);
    return testStack;
  }

  beforeAll(async () => {
    releaseDir = fs.mkdtempSync(path.join(os.tmpdir(), "release-"));
    venv = fs.mkdtempSync(path.join(os.tmpdir(), "release-venv-"));
    emptyDir = fs.mkdtempSync(path.join(os.tmpdir(), "empty-path-"));
    const pip = path.join(venv, "bin", "pip");
    // The fresh venv gets the CLI's Python SDK while the release builds; the wheel follows, with pip
    // checking its requirements.
    await Promise.all([
      run(process.execPath, [path.join(repoRoot, "scripts", "release.js"), "--out", releaseDir], { cwd: repoRoot }),
      run("python3", ["-m", "venv", venv]).then(() => run(pip, [...PIP_QUIET, `pulumi==${PULUMI_PYTHON_VERSION}`])),
    ]);
    await run(pip, [...PIP_QUIET, path.join(releaseDir, WHEEL)]);
    emulator = await startE2eEmulator();
  });
  afterAll(async () => {
    for (const testStack of stacks) await testStack.destroyAndRemove().catch(() => undefined);
    await emulator?.stop();
    for (const dir of [releaseDir, venv, emptyDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("holds the npm package, the plugin tarball, the wheel, the sdist, and SHA256SUMS, which checks each", () => {
    expect(fs.readdirSync(releaseDir).filter((name) => !name.startsWith(".")).sort()).toEqual([...RELEASE_FILES].sort());
    const sums = fs.readFileSync(path.join(releaseDir, "SHA256SUMS"), "utf8").trim().split("\n").map((line) => line.split("  "));
    expect(sums.map(([, name]) => name).sort()).toEqual(RELEASE_FILES.filter((name) => name !== "SHA256SUMS").sort());
    for (const [sum, name] of sums) {
      expect([name, crypto.createHash("sha256").update(fs.readFileSync(path.join(releaseDir, name))).digest("hex")]).toEqual([name, sum]);
    }
  });

  it("packs one executable at the tarball's root, which runs with no environment at all and serves the version and schema it embeds", async () => {
    const tarball = path.join(releaseDir, PLUGIN_TARBALL);
    const entries = (await run("tar", ["-tzvf", tarball])).stdout.trim().split("\n");
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatch(/^-rwxr-xr-x .* pulumi-resource-cloudflare-sharing$/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plugin-exe-"));
    await run("tar", ["-xzf", tarball, "-C", dir]);
    // No PATH, no NODE_PATH, nothing: the engine address is never called for these two requests.
    const plugin = spawn(path.join(dir, "pulumi-resource-cloudflare-sharing"), ["127.0.0.1:1"], { env: {}, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    plugin.stderr.on("data", (chunk) => (stderr += chunk));
    try {
      const port = await new Promise<string>((resolve, reject) => {
        let stdout = "";
        const timer = setTimeout(() => reject(new Error(`no port within 20 s; stderr: ${stderr}`)), 20_000);
        plugin.stdout.on("data", (chunk) => {
          stdout += chunk;
          if (!stdout.includes("\n")) return;
          clearTimeout(timer);
          resolve(stdout.split("\n")[0]);
        });
        plugin.on("exit", (code) => {
          clearTimeout(timer);
          reject(new Error(`exited ${code}: ${stderr}`));
        });
      });
      const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
      const deadline = { deadline: Date.now() + 10_000 };
      const info = await new Promise<pluginproto.PluginInfo>((resolve, reject) =>
        client.getPluginInfo(new emptyproto.Empty(), new grpc.Metadata(), deadline, (error, response) => (error ? reject(error) : resolve(response))),
      );
      const schema = await new Promise<provproto.GetSchemaResponse>((resolve, reject) =>
        client.getSchema(new provproto.GetSchemaRequest(), new grpc.Metadata(), deadline, (error, response) => (error ? reject(error) : resolve(response))),
      );
      client.close();
      expect(info.getVersion()).toBe(version);
      expect(JSON.parse(schema.getSchema())).toEqual(JSON.parse(fs.readFileSync(path.join(repoRoot, "schema.json"), "utf8")));
    } finally {
      plugin.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // Node's single-executable warning is turned off: the engine shows a plugin's stderr.
    expect(stderr).toBe("");
  });

  describe("a Python program on the wheel, with only python on PATH", () => {
    let testStack: TestStack;
    let shareId: string;
    const record = (line: string) => testStack.printed.push(line);

    beforeAll(async () => {
      const source = fs.mkdtempSync(path.join(os.tmpdir(), "release-python-"));
      fs.cpSync(path.join(__dirname, "..", "programs", "plugin-python"), source, { recursive: true });
      // No plugin path: the engine finds the plugin the wheel's pulumi-plugin.json names, installed.
      fs.writeFileSync(path.join(source, "Pulumi.yaml"), "name: release-python\nruntime: python\n");
      const spec = { accountId: OWNER, name: "from the wheel", inlineRecipient: PARTNER_A, recipient: PARTNER_B, ruleset: RULESET_1, policy: POLICY_1 };
      testStack = await installedPluginStack(source, path.join(venv, "bin"), { "e2e:spec": JSON.stringify(spec) });
      fs.rmSync(source, { recursive: true, force: true });
    });

    it("up creates everything and waits until it settled", async () => {
      const up = await testStack.stack.up({ onOutput: record });
      expect(up.summary.resourceChanges).toMatchObject({ create: 4 });
      shareId = up.outputs.shareId.value;
      expect([up.outputs.shareStatus.value, up.outputs.partnerStatus.value, up.outputs.policyStatus.value]).toEqual(["active", "associated", "active"]);
      expect(emulator.control.listRecipients(shareId).map((r) => r.association_status)).toEqual(["associated", "associated"]);
    });

    it("preview expects no changes", async () => {
      const preview = await testStack.stack.preview({ expectNoChanges: true, onOutput: record });
      expect(preview.changeSummary).toMatchObject({ same: 4 });
    });

    it("destroy removes the share, and the token was never written", async () => {
      const destroy = await testStack.stack.destroy({ onOutput: record });
      expect(destroy.summary.resourceChanges).toMatchObject({ delete: 4 });
      expect(emulator.control.getShare(shareId)?.status ?? "deleted").toBe("deleted");
      expect([...testStack.persistedState(), ...testStack.printed].filter((text) => text.includes(TOKEN))).toEqual([]);
    });
  });

  describe("a YAML program, with nothing on PATH", () => {
    let testStack: TestStack;
    let shareId: string;
    const record = (line: string) => testStack.printed.push(line);

    beforeAll(async () => {
      const program = yamlProgram(
        {
          share: { type: "Share", properties: {
              accountId: OWNER,
              name: "from yaml",
              recipients: [{ recipientAccountId: PARTNER_A }],
              resources: [{ resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: OWNER, meta: { tier: "gold" } }],
            },
          },
          partner: { type: "ShareRecipient", properties: { accountId: OWNER, shareId: "${share.id}", recipientAccountId: PARTNER_B } },
        },
        { shareId: "${share.id}", partnerStatus: "${partner.associationStatus}" },
        { installedPlugin: true },
      );
      const source = writeProgramDir(program);
      testStack = await installedPluginStack(source, emptyDir, {});
      fs.rmSync(source, { recursive: true, force: true });
    });

    it("up creates everything and waits until it settled", async () => {
      const up = await testStack.stack.up({ onOutput: record });
      expect(up.summary.resourceChanges).toMatchObject({ create: 3 });
      shareId = up.outputs.shareId.value;
      expect(up.outputs.partnerStatus.value).toBe("associated");
      expect(emulator.control.getShare(shareId)?.status).toBe("active");
    });

    it("preview expects no changes", async () => {
      const preview = await testStack.stack.preview({ expectNoChanges: true, onOutput: record });
      expect(preview.changeSummary).toMatchObject({ same: 3 });
    });

    it("destroy removes the share", async () => {
      const destroy = await testStack.stack.destroy({ onOutput: record });
      expect(destroy.summary.resourceChanges).toMatchObject({ delete: 3 });
      expect(emulator.control.getShare(shareId)?.status ?? "deleted").toBe("deleted");
    });
  });
});
