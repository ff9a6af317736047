// Holds a probe's observations against every named emulator profile: which one the API behaves like,
// every difference from it, and the settings a profile of this API would need.

import type { DeepPartial, EmulatorSettings, Range } from "../../emulator";
import { durationClass, formatRange, OPEN_POINTS, referenceSettings, settingAt } from "./points";

/** What the probe saw, point by point (`null`: not measured); durations in ms of the API's own clock. */
export type Observations = Record<string, string | number | boolean | null>;

/** One point where the API differs from a profile. */
export interface Difference {
  point: string;
  setting: string;
  observed: string | number | boolean;
  /** The profile's value (a duration as its range). */
  profile: unknown;
}

/** The profile matching best and how far each profile is from the observations. */
export interface Comparison {
  /** The profile with no difference, or null when none matches. */
  profile: string | null;
  /** The profile with the fewest differences (the first of equals, in profile order). */
  closest: string;
  /** Every difference from `closest`. */
  differences: Difference[];
  /** Per profile, how many points differ. */
  distances: Record<string, number>;
}

/**
 * Whether `observed` (at `timeScale` times the profiles' scale) agrees with a profile's value of `point`.
 *
 * @example
 * agrees("createStatusCode", 201, 201, 20, ["default"]); // true
 */
export function agrees(point: string, observed: string | number | boolean, expected: unknown, timeScale: number, candidates: readonly Range[]): boolean {
  const spec = OPEN_POINTS.find((p) => p.name === point)!;
  if (spec.kind === "choice") return observed === expected;
  return JSON.stringify(durationClass(Number(observed) / timeScale, candidates)) === JSON.stringify(expected);
}

/**
 * Compares `observations` with every named profile. `timeScale`: how many times slower the probed API's
 * steps are than the profiles' (20 for Cloudflare, 1 for an emulator running `FAST_TIMINGS`).
 *
 * @example
 * const { profile, closest, differences } = compareWithProfiles(observations, 20);
 */
export function compareWithProfiles(observations: Observations, timeScale: number): Comparison {
  const references = referenceSettings();
  const names = Object.keys(references);
  const differencesOf = (name: string): Difference[] =>
    OPEN_POINTS.flatMap((point) => {
      const observed = observations[point.name];
      if (observed === null || observed === undefined) return [];
      const expected = settingAt(references[name], point.setting);
      const candidates = uniqueRanges(names.map((other) => settingAt(references[other], point.setting) as Range));
      return agrees(point.name, observed, expected, timeScale, candidates) ? [] : [{ point: point.name, setting: point.setting, observed, profile: expected }];
    });
  const distances = Object.fromEntries(names.map((name) => [name, differencesOf(name).length]));
  const closest = names.reduce((best, name) => (distances[name] < distances[best] ? name : best), names[0]);
  return { profile: distances[closest] === 0 ? closest : null, closest, differences: differencesOf(closest), distances };
}

/**
 * The emulator settings of the probed API: every behaviour as observed, every duration scaled to the
 * profiles' scale. Written as `settings` in `--json`, it is a profile file (`EMULATOR_PROFILE_FILE`).
 *
 * @example
 * fs.writeFileSync("probe.json", JSON.stringify({ settings: settingsFrom(observations, 20) }));
 */
export function settingsFrom(observations: Observations, timeScale: number, extra: DeepPartial<EmulatorSettings> = {}): DeepPartial<EmulatorSettings> {
  const settings: Record<string, Record<string, unknown>> = structuredClone(extra) as Record<string, Record<string, unknown>>;
  for (const point of OPEN_POINTS) {
    const observed = observations[point.name];
    if (observed === null || observed === undefined) continue;
    const [group, key] = point.setting.split(".");
    // The re-add answer decides duplicateRecipient only when the plain duplicate was not seen.
    if (point.name === "reAddWhileLeaving" && observations.duplicateRecipient !== null && observations.duplicateRecipient !== undefined) continue;
    (settings[group] ??= {})[key] = point.kind === "duration" ? Math.round(Number(observed) / timeScale) : observed;
  }
  return settings as DeepPartial<EmulatorSettings>;
}

/** A profile value as a line shows it. */
export function describeValue(value: unknown): string {
  if (typeof value === "number" || Array.isArray(value)) return formatRange(value as Range);
  return JSON.stringify(value);
}

function uniqueRanges(ranges: Range[]): Range[] {
  const seen = new Map<string, Range>();
  for (const range of ranges) seen.set(JSON.stringify(range), range);
  return [...seen.values()];
}
