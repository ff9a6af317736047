// `discover`: turns the shares an account sends into a Pulumi program that adopts them.

export { readAccountSharing, readSentShares } from "./read";
export type { DiscoverOptions, SentShares } from "./read";
export type { Discovery, DiscoveredShare, DiscoveredRecipient, DiscoveredResource, LeftOut } from "./model";
export { classifyShare, recipientTarget } from "./model";
export { resourceNames, slugOf, variableName } from "./names";
export { renderProgram, summary, inventory, projectName, LANGUAGES } from "./program";
export type { ProgramFiles, Language } from "./program";
export { writeProgram, outputDirectoryProblem, OutputDirectoryNotEmptyError } from "./write";
export { runDiscover, parseDiscoverArgs, explainFailure, UsageError, USAGE } from "./command";
export type { DiscoverCommand, DiscoverIo } from "./command";
