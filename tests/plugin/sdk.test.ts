// The committed SDKs (sdk/python, sdk/go) are what the code generators make from schema.json today,
// so users of every language get the same face as TypeScript users.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

// A cold build of the generator compiles Pulumi's code generators (minutes on 2 cores); then it is cached.
jest.setTimeout(900_000);

it("sdk/ is current with schema.json (else run `npm run sdk`)", () => {
  const result = spawnSync(process.execPath, [path.join(__dirname, "..", "..", "scripts", "sdk.js"), "--check"], { encoding: "utf8" });
  expect(result.stderr).not.toContain("out of date");
  expect(result.status).toBe(0);
});

// `pulumi up --replace` asks no provider how to replace (engine 3.259): the classes of the resources
// the API holds once per key on a share ask to delete first themselves, unless the program says
// otherwise. (Go is checked here, in the code: the engine built for the tests has no Go host.)
const sdkFile = (...parts: string[]) => fs.readFileSync(path.join(__dirname, "..", "..", "sdk", ...parts), "utf8");
describe.each([
  ["ShareRecipient", "share_recipient.py", "shareRecipient.go"],
  ["ShareResource", "share_resource.py", "shareResource.go"],
])("the generated %s classes delete before replacing unless the program says otherwise", (_kind, pythonFile, goFile) => {
  it("Python: delete_before_replace=True when the options leave it unset", () => {
    const code = sdkFile("python", "pulumi_cloudflare_sharing", pythonFile);
    expect(code).toMatch(
      /opts = pulumi\.ResourceOptions\.merge\(_utilities\.get_resource_opts_defaults\(\), opts\)\n {8}if opts\.delete_before_replace is None:\n(?: {12}#.*\n)* {12}opts = pulumi\.ResourceOptions\.merge\(opts, pulumi\.ResourceOptions\(delete_before_replace=True\)\)\n/,
    );
  });

  it("Go: DeleteBeforeReplace(true) before the program's options (the last one given wins), then registered", () => {
    const code = sdkFile("go", "cloudflaresharing", goFile);
    expect(code).toMatch(
      /\topts = append\(\[\]pulumi\.ResourceOption\{pulumi\.DeleteBeforeReplace\(true\)\}, opts\.\.\.\)\n\tvar resource \w+\n\terr := ctx\.RegisterResource\(/,
    );
  });
});
