// The points the API reference leaves open, each tied to the emulator setting that decides it
// (emulator/settings.ts), and how an observation of the real API is held against a profile's value.

import { type EmulatorSettings, FAST_TIMINGS, PROFILE_NAMES, profileSettings, type Range } from "../../emulator";

/** How a point is compared: a value that must be equal, or a duration compared by tolerance class. */
export type PointKind = "choice" | "duration";

/** One open point of the reference and the emulator setting that answers it. */
export interface OpenPoint {
  /** The key of the observation (`observations[name]` of `--json`). */
  name: string;
  /** What the probe does to see it, in a few words. */
  what: string;
  /** The emulator setting it corresponds to, as a dotted path into `EmulatorSettings`. */
  setting: string;
  kind: PointKind;
}

/** Every compared point, in the order the probe prints them. */
export const OPEN_POINTS: readonly OpenPoint[] = [
  { name: "createStatusCode", what: "status of a create (POST share)", setting: "behaviour.createStatusCode", kind: "choice" },
  { name: "requireNonEmptyCreateLists", what: "a share created with no recipient refused", setting: "behaviour.requireNonEmptyCreateLists", kind: "choice" },
  { name: "duplicateRecipient", what: "second POST of the same recipient account", setting: "behaviour.duplicateRecipient", kind: "choice" },
  { name: "reAddWhileLeaving", what: "POST of a recipient whose record is still disassociating", setting: "behaviour.duplicateRecipient", kind: "choice" },
  { name: "duplicateResource", what: "second POST of the same shared object", setting: "behaviour.duplicateResource", kind: "choice" },
  { name: "bothRecipientTargets", what: "a recipient naming an account and an organization", setting: "behaviour.bothRecipientTargets", kind: "choice" },
  { name: "deprecatedAccountIdInput", what: "a recipient sent with the body alias account_id", setting: "behaviour.deprecatedAccountIdInput", kind: "choice" },
  { name: "selfRecipient", what: "a recipient that is the owner account itself", setting: "behaviour.selfRecipient", kind: "choice" },
  { name: "recipientAccountIdField", what: "the field a recipient names its account in", setting: "behaviour.recipientAccountIdField", kind: "choice" },
  { name: "organizationRecipientAccountId", what: "the account an organization recipient reports", setting: "behaviour.organizationRecipientAccountId", kind: "choice" },
  { name: "lastResourceDeletion", what: "DELETE of a share's last resource", setting: "behaviour.lastResourceDeletion", kind: "choice" },
  { name: "unpaginatedWhenNoPageParams", what: "a list without page or per_page answers everything", setting: "behaviour.unpaginatedWhenNoPageParams", kind: "choice" },
  { name: "createPropagationMs", what: "a new share answers GET by id after", setting: "timings.createPropagationMs", kind: "duration" },
  { name: "listLagMs", what: "a new share shows in the share list after", setting: "consistency.listLagMs", kind: "duration" },
  { name: "recipientAssociateMs", what: "a recipient becomes associated after", setting: "timings.recipientAssociateMs", kind: "duration" },
  { name: "recipientDisassociateMs", what: "a deleted recipient becomes disassociated after", setting: "timings.recipientDisassociateMs", kind: "duration" },
  { name: "resourceUpdateMs", what: "new meta (resource_version + 1) shows in GET after", setting: "timings.resourceUpdateMs", kind: "duration" },
  { name: "recipientResourceVersionLagMs", what: "a recipient's resources[] shows a resource version after", setting: "consistency.recipientResourceVersionLagMs", kind: "duration" },
  { name: "resourceDeleteMs", what: "a deleted share resource becomes deleted after", setting: "timings.resourceDeleteMs", kind: "duration" },
  { name: "shareDeleteMs", what: "a deleted share becomes deleted after", setting: "timings.shareDeleteMs", kind: "duration" },
];

/**
 * Added to both sides before durations are compared on a log scale, in ms of the profiles' scale: the
 * time one request takes blurs anything shorter, so "at once" and a few ms are the same class.
 */
export const NOISE_FLOOR_MS = 20;

/**
 * The value of a dotted setting path.
 *
 * @example
 * settingAt(DEFAULT_SETTINGS, "behaviour.createStatusCode"); // 201
 */
export function settingAt(settings: EmulatorSettings, setting: string): unknown {
  let value: unknown = settings;
  for (const key of setting.split(".")) value = (value as Record<string, unknown> | undefined)?.[key];
  // Optional behaviours are unset in the defaults: their documented meaning when unset.
  if (value === undefined && setting === "behaviour.recipientAccountIdField") return "account_id";
  if (value === undefined && setting === "behaviour.deprecatedAccountIdInput") return "accept";
  return value;
}

/**
 * The effective settings of each named profile on the scale of `FAST_TIMINGS` (the scale the profiles
 * are written in): what the probe's observations are held against.
 *
 * @example
 * referenceSettings().laggy.consistency.listLagMs; // [1000, 2000]
 */
export function referenceSettings(): Record<string, EmulatorSettings> {
  return Object.fromEntries(PROFILE_NAMES.map((name) => [name, profileSettings(name, { timings: FAST_TIMINGS })]));
}

/**
 * The tolerance class of a duration: the profile value (among `candidates`) nearest to it on a log
 * scale, after {@link NOISE_FLOOR_MS}; a value inside a candidate's range is that candidate.
 *
 * @example
 * durationClass(40, [0, [100, 300]]); // 0: a request's latency, not a propagation window
 */
export function durationClass(ms: number, candidates: readonly Range[]): Range {
  let best = candidates[0];
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const [low, high] = typeof candidate === "number" ? [candidate, candidate] : candidate;
    const distance = ms >= low && ms <= high ? 0 : Math.min(logDistance(ms, low), logDistance(ms, high));
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

function logDistance(a: number, b: number): number {
  return Math.abs(Math.log((a + NOISE_FLOOR_MS) / (b + NOISE_FLOOR_MS)));
}

/** A range (or number) as people read it: `0`, `50–150`. */
export function formatRange(range: Range): string {
  return typeof range === "number" ? String(range) : `${range[0]}–${range[1]}`;
}
