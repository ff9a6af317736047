// The named profiles: each a valid set of settings that answers the reference's open points its own way,
// selectable in tests (EMULATOR_PROFILE) and on the command line (--profile).
import { spawnSync } from "node:child_process";
import path from "node:path";
import { DEFAULT_SETTINGS, FAST_TIMINGS, PROFILES, PROFILE_NAMES, getProfile, profileSettings } from "../../emulator";
import { PROFILE_ENV, activeProfileName, profiled } from "../support/emulator-profile";

describe("profiles", () => {
  test("every profile is valid on the fast and the default scale, and says what it stands for and covers", () => {
    expect(PROFILE_NAMES).toEqual(["default", "strict", "lenient", "laggy", "slow-deletes"]);
    for (const name of PROFILE_NAMES) {
      expect(PROFILES[name].name).toBe(name);
      expect(PROFILES[name].standsFor.length).toBeGreaterThan(20);
      if (name !== "default") expect(PROFILES[name].covers.length).toBeGreaterThan(0);
      expect(() => profileSettings(name, { timings: FAST_TIMINGS })).not.toThrow();
      expect(() => profileSettings(name, {}, 20)).not.toThrow();
    }
  });

  test("default changes nothing; each other profile differs from default on at least one open point", () => {
    expect(profileSettings("default")).toEqual(DEFAULT_SETTINGS);
    for (const name of PROFILE_NAMES.filter((n) => n !== "default")) expect(profileSettings(name)).not.toEqual(DEFAULT_SETTINGS);
  });

  test("the profile goes on top of the caller's settings; its times scale", () => {
    const laggy = profileSettings("laggy", { timings: FAST_TIMINGS, rateLimit: { limit: 7 } });
    expect(laggy.timings.recipientAssociateMs).toEqual(FAST_TIMINGS.recipientAssociateMs); // the caller's
    expect(laggy.rateLimit.limit).toBe(7);
    expect(laggy.consistency.listLagMs).toEqual([1000, 2000]);
    expect(profileSettings("laggy", {}, 20).consistency.listLagMs).toEqual([20_000, 40_000]);
    expect(profileSettings("slow-deletes", { timings: FAST_TIMINGS }).timings.shareDeleteMs).toEqual([2000, 4000]);
  });

  test("an unknown profile is an error naming the known ones, in code and in tests", () => {
    expect(() => getProfile("laggyy")).toThrow(/unknown emulator profile "laggyy": use one of default, strict, lenient, laggy, slow-deletes/);
    const saved = process.env[PROFILE_ENV];
    try {
      process.env[PROFILE_ENV] = "nope";
      expect(() => activeProfileName()).toThrow(/unknown emulator profile "nope"/);
      process.env[PROFILE_ENV] = "strict";
      expect(profiled({ timings: FAST_TIMINGS }).behaviour.recipientAccountIdField).toBe("recipient_account_id");
      delete process.env[PROFILE_ENV];
      expect(activeProfileName()).toBe("default");
    } finally {
      if (saved === undefined) delete process.env[PROFILE_ENV];
      else process.env[PROFILE_ENV] = saved;
    }
  });

  test("the CLI refuses an unknown --profile with the list of profiles", () => {
    const root = path.resolve(__dirname, "../..");
    const result = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "emulator/cli.ts", "--port", "0", "--profile", "bogus"], {
      cwd: root,
      env: { ...process.env, TS_NODE_PROJECT: path.join(root, "tsconfig.json") },
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/unknown emulator profile "bogus": use one of default, strict/);
  }, 30_000);
});
