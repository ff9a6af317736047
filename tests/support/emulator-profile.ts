// The emulator profile the suites run under: `EMULATOR_PROFILE` names one of emulator/profiles.ts
// (`default` when unset). Every place a provider or end-to-end suite starts an emulator goes through
// `profiled`, so one run of those suites exercises one plausible real API.
import { type DeepPartial, type EmulatorSettings, getProfile, mergeSettings, profileSettings } from "../../emulator";

export const PROFILE_ENV = "EMULATOR_PROFILE";
/** A profile file (a probe's `--json` output): the same as `EMULATOR_PROFILE=file:<path>`. */
export const PROFILE_FILE_ENV = "EMULATOR_PROFILE_FILE";

/** The name of the profile of this run; throws on an unknown name (a typo must not run `default` silently). */
export function activeProfileName(): string {
  const file = process.env[PROFILE_FILE_ENV];
  const name = file ? `file:${file}` : process.env[PROFILE_ENV] || "default";
  getProfile(name);
  return name;
}

/**
 * A suite's base emulator settings with the active profile's on top, and on top of both what a test
 * pins: a test that asks for one answer of an open behaviour (say, duplicates refused) examines that
 * answer, whatever the profile would choose.
 */
export function profiled(base: DeepPartial<EmulatorSettings>, pinned: DeepPartial<EmulatorSettings> = {}): EmulatorSettings {
  return mergeSettings(profileSettings(activeProfileName(), base), pinned);
}
