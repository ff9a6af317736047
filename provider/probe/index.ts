// The `probe` command: which emulator profile the real API behaves like.
export { parseProbeArgs, probeName, PROBE_EXIT, PROBE_USAGE, runProbe } from "./command";
export type { ProbeCommand, ProbeIo } from "./command";
export { compareWithProfiles, settingsFrom } from "./compare";
export type { Comparison, Difference, Observations } from "./compare";
export { requestBound } from "./measure";
export { OPEN_POINTS, durationClass } from "./points";
