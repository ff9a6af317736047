// The status waiter and what each object waits for.
export * from "./errors";
export { waitForStatus, describeProgress } from "./waiter";
export type { Observation, PollSchedule, WaitClock, WaitOptions, WaitProgress } from "./waiter";
export * from "./finders";
export * from "./waits";
export { Batcher, sharedBatcher, clearSharedBatchers } from "./coalesce";
