// `recover` in process: what it reads from a stack export, and its exit codes against the emulator
// (0 resolved, 1 needs a person, 2 bad usage or credentials), with `pulumi` replaced by a recorder.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { ExportError, kindOf, parseRecoverArgs, readStackExport, RecoverUsageError, runRecover, withPendingCreatesResolved } from "../../provider/recover";
import type { PulumiRunner } from "../../provider/recover";
import { startProviderEnvironment, stopProviderEnvironment, TEST_TOKEN } from "../support/provider-env";

const OWNER = "023e105f4ecef8ad9ca31a8372d0c353";
const PARTNER = "9a7806061c88ada191ed06f989cc3dac";
const RULESET = "2f2feab2026849078ba485f918791bdc";
const SHARE_URN = "urn:pulumi:dev::p::pulumi-nodejs:dynamic/cloudflare:Share::rules";
const BUCKET_URN = "urn:pulumi:dev::p::aws:s3/bucket:Bucket::logs";
const SIG = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };

const shareInputs = (name: string) => ({
  accountId: OWNER,
  name,
  recipients: [{ recipientAccountId: PARTNER }],
  resources: [{ resourceType: "custom-ruleset", resourceId: RULESET, resourceAccountId: OWNER, meta: "{}" }],
  __provider: 'exports.handler = () => require("pulumi-cloudflare-sharing/dist/provider/resources/share-provider.js");',
});

function exportOf(pending: { urn: string; type: string; inputs: object }[], resources: object[] = []): string {
  return JSON.stringify({ version: 3, deployment: { resources, pending_operations: pending.map((resource) => ({ resource: { ...resource, custom: true }, type: "creating" })) } });
}

describe("reading a stack export", () => {
  it("tells this package's resources of both faces from others", () => {
    expect(kindOf("pulumi-nodejs:dynamic/cloudflare:Share", {})).toBe("Share");
    expect(kindOf("cloudflare-sharing:index:ShareRecipient", {})).toBe("ShareRecipient");
    expect(kindOf("cloudflare-sharing:index:ShareResource", {})).toBe("ShareResource");
    const byReference = (file: string) => ({ __provider: `exports.handler = () => require("pulumi-cloudflare-sharing/dist/provider/resources/${file}.js");` });
    expect(kindOf("pulumi-nodejs:dynamic:Resource", byReference("share-recipient-provider"))).toBe("ShareRecipient");
    expect(kindOf("pulumi-nodejs:dynamic:Resource", byReference("share-provider"))).toBe("Share");
    // Serialized by value: the inputs tell.
    expect(kindOf("pulumi-nodejs:dynamic:Resource", { accountId: OWNER, shareId: "a1", resourceType: "custom-ruleset", resourceId: RULESET, resourceAccountId: OWNER })).toBe("ShareResource");
    expect(kindOf("pulumi-nodejs:dynamic:Resource", { accountId: OWNER, shareId: "a1", recipientAccountId: PARTNER })).toBe("ShareRecipient");
    expect(kindOf("pulumi-nodejs:dynamic:Resource", { bucket: "logs" })).toBeUndefined();
    expect(kindOf("aws:s3/bucket:Bucket", shareInputs("x"))).toBeUndefined();
  });

  it("lists pending creates, unwraps plain-text secrets and collects every held id, inline items included", () => {
    const inputs = { ...shareInputs("rules"), name: { ...SIG, plaintext: JSON.stringify("rules") } };
    const held = { urn: "urn:pulumi:dev::p::pulumi-nodejs:dynamic/cloudflare:Share::old", type: "pulumi-nodejs:dynamic/cloudflare:Share", id: "aaa1", outputs: { recipientIds: ["bbb2"], resourceIds: ["ccc3"] } };
    const { pendingCreates, heldIds } = readStackExport(exportOf([{ urn: SHARE_URN, type: "pulumi-nodejs:dynamic/cloudflare:Share", inputs }, { urn: BUCKET_URN, type: "aws:s3/bucket:Bucket", inputs: {} }], [held]));
    expect(pendingCreates.map(({ urn, kind }) => ({ urn, kind }))).toEqual([{ urn: SHARE_URN, kind: "Share" }, { urn: BUCKET_URN, kind: undefined }]);
    expect(pendingCreates[0].inputs.name).toBe("rules");
    expect([...heldIds].sort()).toEqual(["aaa1", "bbb2", "ccc3"]);
  });

  it("refuses what is not an export, and encrypted secrets, saying what to do", () => {
    expect(() => readStackExport("not json")).toThrow(ExportError);
    expect(() => readStackExport("{}")).toThrow(/has no `deployment`/);
    const encrypted = { ...shareInputs("rules"), name: { ...SIG, ciphertext: "v1:abc" } };
    expect(() => readStackExport(exportOf([{ urn: SHARE_URN, type: "pulumi-nodejs:dynamic/cloudflare:Share", inputs: encrypted }]))).toThrow(/--show-secrets.*--export stack\.json/);
  });

  it("puts a found create in state with its id and drops only the ones shown never made", () => {
    const other = "urn:pulumi:dev::p::pulumi-nodejs:dynamic/cloudflare:Share::never";
    const exported = exportOf([
      { urn: SHARE_URN, type: "pulumi-nodejs:dynamic/cloudflare:Share", inputs: shareInputs("rules") },
      { urn: other, type: "pulumi-nodejs:dynamic/cloudflare:Share", inputs: shareInputs("never") },
      { urn: BUCKET_URN, type: "aws:s3/bucket:Bucket", inputs: {} },
    ]);
    const edited = JSON.parse(withPendingCreatesResolved(exported, [{ urn: SHARE_URN, id: "f00d" }], [other])).deployment;
    expect(edited.resources).toEqual([expect.objectContaining({ urn: SHARE_URN, id: "f00d", outputs: shareInputs("rules") })]);
    expect(edited.pending_operations.map((op: any) => op.resource.urn)).toEqual([BUCKET_URN]);
  });
});

describe("recover's options", () => {
  it("name each wrong option", () => {
    expect(parseRecoverArgs(["--stack", "prod", "--apply"])).toEqual({ stack: "prod", exportFile: undefined, apply: true });
    expect(() => parseRecoverArgs(["--stak", "prod"])).toThrow(RecoverUsageError);
    expect(() => parseRecoverArgs(["--stak", "prod"])).toThrow("Unknown option '--stak'");
    expect(() => parseRecoverArgs(["--export", " "])).toThrow("--export must not be empty");
  });
});

describe("recover's exit codes against the emulator", () => {
  let emulator: RunningEmulator;
  let scratch: string;
  beforeEach(async () => {
    emulator = await startProviderEnvironment();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "recover-unit-"));
  });
  afterEach(async () => {
    fs.rmSync(scratch, { recursive: true, force: true });
    await stopProviderEnvironment(emulator);
  });

  const exportFile = (text: string) => {
    const file = path.join(scratch, "stack.json");
    fs.writeFileSync(file, text);
    return file;
  };
  /** Records each `pulumi` run; a stack import is checked to hold what recover found. */
  const recorder = (runs: string[][]): PulumiRunner => async (args) => {
    runs.push([...args]);
    return { code: 0, stdout: "", stderr: "" };
  };
  async function run(argv: string[], runs: string[][] = []): Promise<{ code: number; text: string }> {
    const lines: string[] = [];
    const code = await runRecover(argv, { out: (line) => lines.push(line), progress: (line) => lines.push(line), pulumi: recorder(runs) });
    return { code, text: lines.join("\n") };
  }
  async function makeShare(name: string): Promise<string> {
    const response = await fetch(`${emulator.url}/accounts/${OWNER}/shares`, {
      method: "POST",
      headers: { authorization: `Bearer ${TEST_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ name, recipients: [{ recipient_account_id: PARTNER }], resources: [{ resource_type: "custom-ruleset", resource_id: RULESET, resource_account_id: OWNER, meta: {} }] }),
    });
    return ((await response.json()) as { result: { id: string } }).result.id;
  }
  const pendingShare = (name: string, held: object[] = []) => exportFile(exportOf([{ urn: SHARE_URN, type: "pulumi-nodejs:dynamic/cloudflare:Share", inputs: shareInputs(name) }, { urn: BUCKET_URN, type: "aws:s3/bucket:Bucket", inputs: {} }], held));

  it("0: the one share made is put in state (with --apply), another provider's create left alone", async () => {
    const id = await makeShare("rules");
    const runs: string[][] = [];
    const { code, text } = await run(["--export", pendingShare("rules"), "--stack", "dev", "--apply"], runs);
    expect({ code, text }).toEqual({ code: 0, text: expect.stringContaining(`made: ${SHARE_URN} is Share ${id}`) });
    expect(text).toContain(`not ours: ${BUCKET_URN}`);
    expect(runs.map((args) => args.slice(0, 2))).toEqual([["stack", "import"], ["refresh", "--stack"]]);
    expect(text).not.toContain(TEST_TOKEN);
  });

  it("0: nothing made and a share the stack holds is somebody's: the create is dropped", async () => {
    const id = await makeShare("rules");
    const { code, text } = await run(["--export", pendingShare("rules", [{ urn: "urn:pulumi:dev::p::x::y", type: "pulumi-nodejs:dynamic/cloudflare:Share", id }])]);
    expect(code).toBe(0);
    expect(text).toContain(`never made: ${SHARE_URN}`);
    expect(text).toContain("recover --apply");
  });

  it("1: two identical candidates are listed, nothing is run", async () => {
    const first = await makeShare("rules");
    const second = await makeShare("rules");
    const runs: string[][] = [];
    const { code, text } = await run(["--export", pendingShare("rules"), "--apply"], runs);
    expect(code).toBe(1);
    expect(text).toContain(`ambiguous: ${SHARE_URN}`);
    expect(text).toContain(first);
    expect(text).toContain(second);
    expect(runs).toEqual([]);
  });

  it("reads the export through pulumi, and says when a step of --apply failed (1) or the export could not be had (2)", async () => {
    const id = await makeShare("rules");
    const exported = fs.readFileSync(pendingShare("rules"), "utf8");
    const runs: string[][] = [];
    const pulumi: PulumiRunner = async (args) => {
      runs.push([...args]);
      if (args[0] === "stack" && args[1] === "export") return { code: 0, stdout: exported, stderr: "" };
      return { code: args[0] === "refresh" ? 255 : 0, stdout: "", stderr: "" };
    };
    const lines: string[] = [];
    const code = await runRecover(["--stack", "prod", "--apply"], { out: (line) => lines.push(line), progress: (line) => lines.push(line), pulumi });
    expect(code).toBe(1);
    expect(runs[0]).toEqual(["stack", "export", "--stack", "prod"]);
    expect(lines.join("\n")).toContain(`is Share ${id}`);
    expect(lines.join("\n")).toContain("`pulumi refresh` failed (exit 255): what was found is in state already");

    const noStack: PulumiRunner = async () => ({ code: 255, stdout: "", stderr: "error: no stack named 'prod' found" });
    const failed: string[] = [];
    expect(await runRecover(["--stack", "prod"], { out: (line) => failed.push(line), progress: (line) => failed.push(line), pulumi: noStack })).toBe(2);
    expect(failed.join("\n")).toMatch(/`pulumi stack export --stack prod` failed \(exit 255\): error: no stack named 'prod' found[\s\S]*check --stack/);
  });

  it("2: a bad option, an unreadable export, a refused token, no credentials", async () => {
    expect((await run(["--bogus"])).code).toBe(2);
    const missing = await run(["--export", path.join(scratch, "absent.json")]);
    expect(missing).toEqual({ code: 2, text: expect.stringContaining("--export") });
    expect((await run(["--export", exportFile("[]")])).code).toBe(2);

    process.env.CLOUDFLARE_API_TOKEN = "refused-token-0000000000000000000000";
    emulator.control.configure({ auth: { tokens: [TEST_TOKEN] } });
    const refused = await run(["--export", pendingShare("rules")]);
    expect(refused.code).toBe(2);
    expect(refused.text).toMatch(/Cloudflare refused the credentials/);
    expect(refused.text).not.toContain("refused-token");

    delete process.env.CLOUDFLARE_API_TOKEN;
    const none = await run(["--export", pendingShare("rules")]);
    expect(none).toEqual({ code: 2, text: expect.stringContaining("No Cloudflare credentials") });
  });
});
