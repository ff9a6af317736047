// Named profiles: each a set of settings that stands for one plausible real API, choosing a value for
// every behaviour the reference leaves open (docs/cloudflare-resource-sharing-api.md, §n). Running the
// same suites under each profile finds where a caller depends on one reading of the reference.

import { readFileSync } from "node:fs";
import { type DeepPartial, type EmulatorSettings, type Range, mergeSettings, DEFAULT_SETTINGS } from "./settings";

/** The profiles' names, in the order suites run them. */
export const PROFILE_NAMES = ["default", "strict", "lenient", "laggy", "slow-deletes"] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/** One plausible real API: what it stands for, the reference points it settles, and its settings. */
export interface EmulatorProfile {
  /** A named profile, or `file:<path>` for one read from a file ({@link profileFromFile}). */
  name: ProfileName | `file:${string}`;
  /** The API this profile stands for, in one sentence. */
  standsFor: string;
  /** The reference points (§n) whose open questions it answers differently from `default`. */
  covers: readonly string[];
  /**
   * Settings on top of the caller's own. Times are on the scale of `FAST_TIMINGS` (tens of ms per step);
   * `profileSettings` scales them for slower timings.
   */
  settings: DeepPartial<EmulatorSettings>;
}

/**
 * Every profile.
 *
 * @example
 * for (const name of PROFILE_NAMES) console.log(name, PROFILES[name].standsFor);
 */
export const PROFILES: Readonly<Record<ProfileName, EmulatorProfile>> = {
  default: {
    name: "default",
    standsFor: "The reference as the emulator reads it by default: consistent reads, 409 on duplicates, the last resource kept, 201 creates.",
    covers: [],
    settings: {},
  },
  strict: {
    name: "strict",
    standsFor:
      "Every open rule at its strictest, after the 2027-05-26 sunset of the body alias account_id: answers name a recipient's account only as recipient_account_id, organization recipients carry the owner account, a share cannot be shared with its owner.",
    covers: ["§3.1 account_id alias sunset", "§4.2 recipient account field", "§12.12 organization recipient account_id", "§3.15 last resource", "§12.3 non-empty create lists"],
    settings: {
      behaviour: {
        duplicateRecipient: "reject",
        duplicateResource: "reject",
        lastResourceDeletion: "reject",
        requireNonEmptyCreateLists: true,
        bothRecipientTargets: "reject",
        selfRecipient: "reject",
        organizationRecipientAccountId: "owner",
        deprecatedAccountIdInput: "reject",
        recipientAccountIdField: "recipient_account_id",
        createStatusCode: 201,
      },
    },
  },
  lenient: {
    name: "lenient",
    standsFor:
      "Every open rule at its most permissive: duplicates accepted as new records, the last resource may be deleted, empty create lists allowed, creates answer 200, answers carry both account fields.",
    covers: ["§12.8 create status 200", "§3.15 last resource", "§12.3 empty create lists", "§4.2 both account fields", "duplicates (unconfirmed)"],
    settings: {
      behaviour: {
        duplicateRecipient: "allow",
        duplicateResource: "allow",
        lastResourceDeletion: "allow",
        requireNonEmptyCreateLists: false,
        bothRecipientTargets: "prefer-account",
        recipientAccountIdField: "both",
        createStatusCode: 200,
      },
    },
  },
  laggy: {
    name: "laggy",
    standsFor:
      "An eventually consistent API: lists trail writes (a new object missing, a deleted one still listed), GET by id answers 404 just after create, PUT results and recipients' resource versions show late.",
    covers: ["§7 not immediate: lists", "§7 read-after-create", "§3.4/§3.14 updates not immediate", "§4.2 recipient resource_version"],
    settings: {
      timings: { createPropagationMs: [100, 300], shareUpdateMs: [200, 600], resourceUpdateMs: [200, 600] },
      // Lists trail writes by several times the read-after-create window, so a read can see an object by id
      // that no list shows yet.
      consistency: { listLagMs: [1000, 2000], recipientResourceVersionLagMs: [100, 400] },
    },
  },
  "slow-deletes": {
    name: "slow-deletes",
    standsFor:
      "Deletions that take long: a share stays `deleting`, a recipient `disassociating` and a resource `deleting` for seconds (tens of times the other steps), as a background workflow under load would.",
    covers: ["§7 deleting → deleted", "§3.10 disassociating → disassociated", "§12.11 how long deleting takes"],
    settings: {
      timings: { shareDeleteMs: [2000, 4000], recipientDisassociateMs: [1500, 3000], resourceDeleteMs: [1500, 3000] },
    },
  },
};

/**
 * The profile called `name`; a clear error naming the known profiles otherwise.
 *
 * @example
 * const profile = getProfile(process.env.EMULATOR_PROFILE ?? "default"); // throws on a typo
 */
export function getProfile(name: string): EmulatorProfile {
  if (name.startsWith(PROFILE_FILE_PREFIX)) return profileFromFile(name.slice(PROFILE_FILE_PREFIX.length));
  if (!(PROFILE_NAMES as readonly string[]).includes(name)) {
    throw new Error(`unknown emulator profile "${name}": use one of ${PROFILE_NAMES.join(", ")}`);
  }
  return PROFILES[name as ProfileName];
}

/** `EMULATOR_PROFILE=file:<path>` (or `--profile file:<path>`) names a profile written to a file. */
export const PROFILE_FILE_PREFIX = "file:";

/**
 * A profile read from a JSON file: an object whose `settings` holds emulator settings on the scale of the
 * named profiles (`FAST_TIMINGS`), as `pulumi-cloudflare-sharing probe --json` writes it. A clear error
 * names the file and what is wrong with it.
 *
 * @example
 * // pulumi-cloudflare-sharing probe … --json > probe.json
 * const settings = profileSettings("file:probe.json", { timings: FAST_TIMINGS });
 */
export function profileFromFile(file: string): EmulatorProfile {
  const fail = (why: string): never => {
    throw new Error(`emulator profile file ${file}: ${why}`);
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    fail(`cannot be read as JSON (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const settings = (parsed as { settings?: unknown } | null)?.settings;
  if (typeof settings !== "object" || settings === null || Array.isArray(settings)) fail("needs a `settings` object (the `settings` of a probe's --json output)");
  try {
    mergeSettings(DEFAULT_SETTINGS, settings as DeepPartial<EmulatorSettings>);
  } catch (error) {
    fail(`its settings are not valid: ${(error as Error).message}`);
  }
  const observed = (parsed as { profile?: unknown; closest?: unknown }).profile ?? (parsed as { closest?: unknown }).closest;
  return {
    name: `${PROFILE_FILE_PREFIX}${file}`,
    standsFor: `The API as a probe observed it${typeof observed === "string" ? ` (closest named profile: ${observed})` : ""}, read from ${file}.`,
    covers: [],
    settings: settings as DeepPartial<EmulatorSettings>,
  };
}

/**
 * `base` with the profile's settings on top: the effective settings of an emulator run under that
 * profile. `timeScale` multiplies the profile's times (1 for `FAST_TIMINGS`, about 20 for the defaults).
 *
 * @example
 * const emulator = await startEmulator({ settings: profileSettings("laggy", { timings: FAST_TIMINGS }) });
 */
export function profileSettings(name: string, base: DeepPartial<EmulatorSettings> = {}, timeScale = 1): EmulatorSettings {
  const profile = getProfile(name);
  const patch = structuredClone(profile.settings) as DeepPartial<EmulatorSettings>;
  for (const group of [patch.timings, patch.consistency] as (Record<string, Range> | undefined)[]) {
    for (const [key, range] of Object.entries(group ?? {})) group![key] = scale(range, timeScale);
  }
  return mergeSettings(mergeSettings(DEFAULT_SETTINGS, base), patch);
}

function scale(range: Range, factor: number): Range {
  return typeof range === "number" ? range * factor : [range[0] * factor, range[1] * factor];
}
