// Public API of the Cloudflare Resource Sharing emulator: a real HTTP server on loopback that follows
// docs/cloudflare-resource-sharing-api.md, with asynchronous statuses, pagination, errors,
// rate limits and fault injection. See README.md.

export { startEmulator, API_PREFIX, CONTROL_PREFIX } from "./server";
export type { EmulatorOptions, RunningEmulator } from "./server";
export type { EmulatorControl, RequestLogEntry, SeedShareInput, DriftOperation, ShareState, RecipientObject } from "./control";
export type { StatusChange, RecipientErrorRule } from "./store";
export { DEFAULT_SETTINGS, FAST_TIMINGS, mergeSettings, validateSettings } from "./settings";
export type {
  Range,
  DeepPartial,
  EmulatorSettings,
  EmulatorTimings,
  EmulatorBehaviour,
  RateLimitSettings,
  FaultSettings,
  AuthSettings,
  AccountSettings,
  AccountInfo,
  ConsistencySettings,
} from "./settings";
export { RESOURCE_TYPES, SHARE_STATUSES, RESOURCE_STATUSES, RECIPIENT_STATUSES } from "./wire";
export type { WireShare, WireRecipient, WireResource, WireRecipientResource, WireRecipientInput, WireResourceInput } from "./wire";
export { ERROR_CODES } from "./errors";
export { PROFILES, PROFILE_NAMES, PROFILE_FILE_PREFIX, getProfile, profileFromFile, profileSettings } from "./profiles";
export type { EmulatorProfile, ProfileName } from "./profiles";
