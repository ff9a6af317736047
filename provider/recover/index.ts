// `recover`: after a killed `pulumi up`, puts what its pending creates made in state, from the stack
// export and Cloudflare alone.

export { runRecover, parseRecoverArgs, explainRecoverFailure, RecoverUsageError, RECOVER_USAGE } from "./command";
export type { RecoverCommand, RecoverIo } from "./command";
export { readStackExport, kindOf, ExportError } from "./pending-creates";
export type { PendingCreate, RecoverableKind, StackPendingCreates } from "./pending-creates";
export { resolvePendingCreate, UnreadableCreateError } from "./candidates";
export type { Candidate, Resolution } from "./candidates";
export { runPulumi, shellLine } from "./pulumi-cli";
export { withPendingCreatesResolved } from "./state-edit";
export type { PulumiRun, PulumiRunner } from "./pulumi-cli";
