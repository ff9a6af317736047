// The package version, sent in User-Agent. A test keeps it equal to package.json's "version"
// (reading package.json at run time would break once compiled into dist/, one folder deeper).
export const VERSION = "0.1.0";
