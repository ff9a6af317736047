// Lookup functions: plain async lookups (`getShareWith(ctx, args)`…) any host can call, and their
// Pulumi forms (`getShare` → Promise, `getShareOutput` → Output).

export * from "./args";
export * from "./context";
export * from "./errors";
export * from "./pulumi";
export * from "./recipients";
export * from "./resources";
export * from "./results";
export * from "./shares";
