// The committed SDKs (sdk/python, sdk/go) are what the code generators make from schema.json today,
// so users of every language get the same face as TypeScript users.
import { spawnSync } from "node:child_process";
import * as path from "node:path";

// A cold build of the generator compiles Pulumi's code generators (minutes on 2 cores); then it is cached.
jest.setTimeout(900_000);

it("sdk/ is current with schema.json (else run `npm run sdk`)", () => {
  const result = spawnSync(process.execPath, [path.join(__dirname, "..", "..", "scripts", "sdk.js"), "--check"], { encoding: "utf8" });
  expect(result.stderr).not.toContain("out of date");
  expect(result.status).toBe(0);
});
