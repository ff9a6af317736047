// The lifecycle table, for the wait layer and the providers: one table, kept beside the API's types
// (../client/lifecycle) so that the client's natural keys read it too.

export * from "../client/lifecycle";
