// Pulumi's provider protocol (pulumirpc.ResourceProvider) over the three provider objects: each
// request becomes plain values, runs the provider's check/diff/create/read/update/delete with the
// engine's deadline and a per-URN log sink in force (call-context.ts), and its result goes back as
// the protocol's response. Methods not listed are answered UNIMPLEMENTED by grpc-js, which the
// engine understands (no components, no mappings).

import * as grpc from "@grpc/grpc-js";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as anyproto from "google-protobuf/google/protobuf/any_pb";
import * as pluginproto from "@pulumi/pulumi/proto/plugin_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import { withCallContext } from "../call-context";
import { ResourceInitError } from "../resources/common";
import type { EngineLog } from "./engine-log";
import { withOwnerStack } from "./owner-stack";
import { applyPluginConfig, changedConfigKeys, checkPluginConfig } from "./plugin-config";
import { fromStruct, Plain, toStruct } from "./properties";
import { InvalidArgumentsError } from "../functions/errors";
import { invokeFunction } from "./function-table";
import { lookupTarget } from "./import-ids";
import { servedResource } from "./resource-table";

type Unary<Req, Res> = (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>) => void;

export interface ProviderServerOptions {
  /** The plugin's version, as GetPluginInfo reports it. */
  version: string;
  /** The schema GetSchema returns, as JSON text. */
  schema: string;
  /** Where per-resource progress lines go. */
  engineLog: EngineLog;
}

/**
 * The handlers of pulumirpc.ResourceProvider, ready for `server.addService`.
 *
 * @example
 * ```ts
 * server.addService(provrpc.ResourceProviderService, providerHandlers({ version, schema, engineLog }));
 * ```
 */
export function providerHandlers(options: ProviderServerOptions): Record<string, Unary<any, any>> {
  const { engineLog } = options;
  const progressTo = (urn: string) => (line: string) => engineLog.info(urn, line);
  const warningsTo = (urn: string) => (message: string) => engineLog.warn(urn, message);
  /** The deadline the engine sends (`customTimeouts`, in seconds); 0 means none. */
  const deadline = (seconds: number) => (seconds > 0 ? seconds * 1000 : undefined);

  return {
    getPluginInfo: unary(async () => new pluginproto.PluginInfo().setVersion(options.version)),

    getSchema: unary(async (request: provproto.GetSchemaRequest) => {
      if (request.getSubpackageName()) throw new Error(`this package has no sub-package ${request.getSubpackageName()}`);
      return new provproto.GetSchemaResponse().setSchema(options.schema);
    }),

    checkConfig: unary(async (request: provproto.CheckRequest) => {
      const { inputs, failures } = checkPluginConfig(fromStruct(request.getNews()));
      return checkResponse(inputs, failures);
    }),

    diffConfig: unary(async (request: provproto.DiffRequest) => {
      const olds = fromStruct(request.getOldInputs() ?? request.getOlds());
      const changed = changedConfigKeys(olds, fromStruct(request.getNews()));
      return new provproto.DiffResponse()
        .setChanges(changed.length > 0 ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE)
        .setDiffsList(changed);
    }),

    configure: unary(async (request: provproto.ConfigureRequest) => {
      const variables = Object.fromEntries(request.getVariablesMap().toArray());
      applyPluginConfig(fromStruct(request.getArgs()), variables);
      // No secrets, resources or outputs in inputs: the engine unwraps them and re-marks outputs
      // whose inputs were secret. No preview calls: `preview` sends no request at all.
      return new provproto.ConfigureResponse().setAcceptsecrets(false).setAcceptresources(false).setSupportspreview(false);
    }),

    check: unary(async (request: provproto.CheckRequest) => {
      const { provider } = servedResource(request.getType() || typeOf(request.getUrn()));
      // The stack that owns what this resource creates, as the TypeScript classes pass it (owner-stack.ts).
      const news = withOwnerStack(fromStruct(request.getNews()), request.getUrn());
      // Its warnings (an unknown resource type…) go on the resource's row, not the Stack's.
      const context = { log: progressTo(request.getUrn()), warn: warningsTo(request.getUrn()) };
      const result = await withCallContext(context, () => provider.check!(fromStruct(request.getOlds()), news));
      return checkResponse(result.inputs ?? {}, result.failures ?? []);
    }),

    diff: unary(async (request: provproto.DiffRequest) => {
      const { provider } = servedResource(request.getType() || typeOf(request.getUrn()));
      const olds = fromStruct(request.getOlds());
      const news = fromStruct(request.getNews());
      const result = await provider.diff!(request.getId(), olds, news);
      const oldInputs = fromStruct(request.getOldInputs());
      // Which inputs changed, for the engine's display (the provider says whether that matters).
      const changedInputs = [...new Set([...Object.keys(oldInputs), ...Object.keys(news)])].filter(
        (key) => JSON.stringify(oldInputs[key]) !== JSON.stringify(news[key]),
      );
      const { DIFF_NONE, DIFF_SOME, DIFF_UNKNOWN } = provproto.DiffResponse.DiffChanges;
      const changes = result.changes === true ? DIFF_SOME : result.changes === false ? DIFF_NONE : DIFF_UNKNOWN;
      return new provproto.DiffResponse()
        .setChanges(changes)
        .setReplacesList(result.replaces ?? [])
        .setStablesList(result.stables ?? [])
        .setDeletebeforereplace(result.deleteBeforeReplace ?? false)
        .setDiffsList(result.changes === false ? [] : changedInputs);
    }),

    create: unary(async (request: provproto.CreateRequest) => {
      const { provider } = servedResource(typeOf(request.getUrn()));
      const context = { log: progressTo(request.getUrn()), timeoutMs: deadline(request.getTimeout()) };
      const result = await withCallContext(context, () => provider.create(fromStruct(request.getProperties())));
      return new provproto.CreateResponse().setId(result.id).setProperties(toStruct(result.outs ?? {}));
    }),

    read: unary(async (request: provproto.ReadRequest) => {
      const served = servedResource(request.getType() || typeOf(request.getUrn()));
      let id = request.getId();
      let state = fromStruct(request.getProperties());
      // No earlier state (an import sends only an id; a `get` its id and properties): find what the
      // provider's read needs from the id, or from the bare id and the account (and share) beside it.
      const importing = !served.isRecordedState(state);
      const context = { log: progressTo(request.getUrn()), timeoutMs: deadline(request.getTimeout()) };
      return withCallContext(context, async () => {
        if (importing) ({ id, state } = await served.importSeed(lookupTarget(served.kind, id, state)));
        const result = await served.provider.read!(id, state);
        const response = new provproto.ReadResponse();
        // An empty id: the object is gone, and the engine drops it from state.
        if (!result.id) return response;
        const props = (result.props ?? {}) as Plain;
        const inputs = (result.inputs ?? {}) as Plain;
        if (importing) served.completeImport?.({ props, inputs });
        return response.setId(result.id).setProperties(toStruct(props)).setInputs(toStruct(inputs));
      });
    }),

    update: unary(async (request: provproto.UpdateRequest) => {
      const { provider } = servedResource(request.getType() || typeOf(request.getUrn()));
      const context = { log: progressTo(request.getUrn()), timeoutMs: deadline(request.getTimeout()) };
      const result = await withCallContext(context, () =>
        provider.update!(request.getId(), fromStruct(request.getOlds()), fromStruct(request.getNews())),
      );
      return new provproto.UpdateResponse().setProperties(toStruct(result.outs ?? {}));
    }),

    delete: unary(async (request: provproto.DeleteRequest) => {
      const { provider } = servedResource(request.getType() || typeOf(request.getUrn()));
      const context = { log: progressTo(request.getUrn()), timeoutMs: deadline(request.getTimeout()) };
      await withCallContext(context, () => provider.delete!(request.getId(), fromStruct(request.getProperties())));
      return new emptyproto.Empty();
    }),

    // A lookup (getShare, listShares, …). Broken argument rules come back as check failures, each
    // naming its argument, so the engine reports them the way it reports a resource's.
    invoke: unary(async (request: provproto.InvokeRequest) => {
      try {
        const result = await invokeFunction(request.getTok(), fromStruct(request.getArgs()));
        return new provproto.InvokeResponse().setReturn(toStruct(result));
      } catch (error) {
        if (!(error instanceof InvalidArgumentsError)) throw error;
        const failures = error.problems.map((problem) => new provproto.CheckFailure().setProperty(problem.argument).setReason(problem.rule));
        return new provproto.InvokeResponse().setFailuresList(failures);
      }
    }),

    // Nothing to stop: each call ends at its own deadline.
    cancel: unary(async () => new emptyproto.Empty()),
  };
}

/** `pulumi:…::cloudflare-sharing:index:Share::name` → `cloudflare-sharing:index:Share`. */
export function typeOf(urn: string): string {
  const parts = urn.split("::");
  const qualifiedType = parts[parts.length - 2] ?? "";
  return qualifiedType.split("$").pop()!;
}

function checkResponse(inputs: Plain, failures: { property: string; reason: string }[]): provproto.CheckResponse {
  return new provproto.CheckResponse().setInputs(toStruct(inputs)).setFailuresList(
    failures.map((failure) => new provproto.CheckFailure().setProperty(failure.property).setReason(failure.reason)),
  );
}

/** A handler from an async function; a thrown error becomes the protocol's error (see grpcError). */
function unary<Req, Res>(handle: (request: Req) => Promise<Res>): Unary<Req, Res> {
  return (call, callback) => {
    handle(call.request).then(
      (response) => callback(null, response),
      (error: unknown) => callback(grpcError(error)),
    );
  };
}

/**
 * An error as gRPC status. A ResourceInitError (the object exists but did not settle in time)
 * carries ErrorResourceInitFailed in the status details, so the engine keeps the object in state
 * with those properties and the next `up` resumes the wait.
 */
export function grpcError(error: unknown): Partial<grpc.StatusObject> {
  const message = error instanceof Error ? error.message : String(error);
  const metadata = new grpc.Metadata();
  if (error instanceof ResourceInitError) {
    const detail = new provproto.ErrorResourceInitFailed()
      .setId(error.id)
      .setProperties(toStruct(error.properties))
      .setReasonsList(error.reasons);
    const packed = new anyproto.Any();
    packed.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
    const status = new statusproto.Status().setCode(grpc.status.UNKNOWN).setMessage(message);
    status.addDetails(packed);
    metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
  }
  return { code: grpc.status.UNKNOWN, details: message, metadata };
}
