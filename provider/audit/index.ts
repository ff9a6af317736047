// `audit`: every live share, recipient and shared object of an account that no given stack export holds.

export { declaredInExport, kindOf, noIds, NotAStackExportError, PLUGIN_TYPES } from "./state-export";
export type { DeclaredIds, StateExportContents } from "./state-export";
export { undeclaredItems } from "./compare";
export type { LiveSharing, Undeclared, UndeclaredRecipient, UndeclaredResource, UndeclaredShare } from "./compare";
export { reportLines } from "./report";
export type { AuditReport } from "./report";
export { AUDIT_EXIT, AUDIT_USAGE, parseAuditArgs, readStateFiles, runAudit } from "./command";
export type { AuditCommand, AuditIo } from "./command";
