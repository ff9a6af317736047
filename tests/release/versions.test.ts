// One release, one version: the npm package, the schema, the plugin, the Python package and the SDKs'
// plugin manifests (which the engine reads to find the plugin a Python or Go program needs).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { packageVersion } from "../../provider/plugin/package-files";

const repoRoot = path.resolve(__dirname, "..", "..");
const { declaredVersions, releaseVersion } = require("../../scripts/release-versions") as {
  declaredVersions(root?: string): Record<string, string | undefined>;
  releaseVersion(root?: string): string;
};
const { PLUGIN_NAME, pluginTarballName } = require("../../scripts/plugin-binary") as {
  PLUGIN_NAME: string;
  pluginTarballName(version: string, platform?: string, arch?: string): string;
};
const MANIFESTS = ["sdk/python/pulumi_cloudflare_sharing/pulumi-plugin.json", "sdk/go/cloudflaresharing/pulumi-plugin.json"];
const version = (JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string }).version;

describe("the release version", () => {
  it("is package.json's in every file that declares one, and the plugin reports it", () => {
    const versions = declaredVersions();
    expect(Object.keys(versions).sort()).toEqual(["package.json", "policy/package.json", "schema.json", "sdk/python/setup.py", ...MANIFESTS].sort());
    for (const [file, declared] of Object.entries(versions)) expect([file, declared]).toEqual([file, version]);
    expect(releaseVersion()).toBe(version);
    expect(packageVersion()).toBe(version);
  });

  it("names the plugin the SDKs' manifests ask for, and its tarball as the engine names plugin downloads", () => {
    for (const manifest of MANIFESTS) {
      expect(JSON.parse(fs.readFileSync(path.join(repoRoot, manifest), "utf8"))).toEqual({ resource: true, name: PLUGIN_NAME, version });
    }
    expect(JSON.parse(fs.readFileSync(path.join(repoRoot, "schema.json"), "utf8")).name).toBe(PLUGIN_NAME);
    expect(pluginTarballName(version, "linux", "x64")).toBe(`pulumi-resource-cloudflare-sharing-v${version}-linux-amd64.tar.gz`);
    expect(pluginTarballName(version, "darwin", "arm64")).toBe(`pulumi-resource-cloudflare-sharing-v${version}-darwin-arm64.tar.gz`);
  });

  it("refuses a release whose files disagree, naming each file and its version", () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), "release-versions-"));
    try {
      for (const file of Object.keys(declaredVersions())) {
        fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
        fs.copyFileSync(path.join(repoRoot, file), path.join(copy, file));
      }
      const manifest = path.join(copy, MANIFESTS[1]);
      fs.writeFileSync(manifest, JSON.stringify({ resource: true, name: PLUGIN_NAME, version: "9.9.9" }));
      expect(() => releaseVersion(copy)).toThrow(`sdk/go/cloudflaresharing/pulumi-plugin.json: 9.9.9`);
      expect(() => releaseVersion(copy)).toThrow(`package.json: ${version}`);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });
});
