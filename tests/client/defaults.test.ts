import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CLIENT_DEFAULTS, VERSION, resolveDefaults } from "../../provider/client";

it("VERSION follows package.json", () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, "../../package.json"), "utf8")) as { version: string };
  expect(VERSION).toBe(pkg.version);
  expect(CLIENT_DEFAULTS.userAgent).toBe(`pulumi-cloudflare-sharing/${pkg.version}`);
});

it("merges nested overrides without losing sibling defaults, and ignores undefined", () => {
  const settings = resolveDefaults({ maxRetries: undefined, backoff: { maxMs: 5000 }, rateBudget: { safetyMargin: 0 } });
  expect(settings.maxRetries).toBe(CLIENT_DEFAULTS.maxRetries);
  expect(settings.backoff).toEqual({ ...CLIENT_DEFAULTS.backoff, maxMs: 5000 });
  expect(settings.rateBudget).toEqual({ ...CLIENT_DEFAULTS.rateBudget, safetyMargin: 0 });
  expect(CLIENT_DEFAULTS.backoff.maxMs).toBe(30_000); // the literal itself is untouched
});
