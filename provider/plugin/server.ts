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
import { previewCreate, previewUpdate, stableOutputs } from "./preview";
import { OperationCancelledError } from "../wait/cancellation";
import { lookupTarget } from "./import-ids";
import { ServedResource, servedResource } from "./resource-table";
import { annotateSecrets, markDerived, markSecrets, SecretScope, secretResult } from "./secrets";

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
  // Every line goes out with the call's secrets redacted (secrets.ts).
  const progressTo = (urn: string, scope: SecretScope) => (line: string) => engineLog.info(urn, scope.redact(line));
  const warningsTo = (urn: string, scope: SecretScope) => (message: string) => engineLog.warn(urn, scope.redact(message));
  /** The call context of a call on `urn` whose inputs hold `scope`'s secrets. */
  const contextOf = (urn: string, scope: SecretScope, timeoutSeconds?: number) => ({
    log: progressTo(urn, scope),
    warn: warningsTo(urn, scope),
    isSecret: (property: string) => scope.isSecret(property),
    timeoutMs: timeoutSeconds === undefined ? undefined : deadline(timeoutSeconds),
    signal: cancelled.signal,
  });
  /** The deadline the engine sends (`customTimeouts`, in seconds); 0 means none. */
  const deadline = (seconds: number) => (seconds > 0 ? seconds * 1000 : undefined);
  /** Aborted by the engine's Cancel (Ctrl-C): every call in progress ends as at its deadline. */
  const cancelled = new AbortController();
  /**
   * A handler whose answer goes only once its lines reached the engine: a `refresh --preview-only`
   * ends as soon as the last answer is in, and a warning still on its way would be lost.
   */
  const unary = <Req, Res>(handle: (request: Req) => Promise<Res>): Unary<Req, Res> =>
    unaryCall(async (request: Req) => {
      try {
        return await handle(request);
      } finally {
        await engineLog.delivered?.();
      }
    });

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
      // Secrets arrive marked, so that no message prints one; the plugin marks its answers itself
      // (secrets.ts). No resources or outputs in inputs. Preview calls of Create and Update are answered
      // from the inputs and the old state alone (preview.ts): `preview` sends no request, and shows what
      // an update keeps as known.
      return new provproto.ConfigureResponse().setAcceptsecrets(true).setAcceptresources(false).setSupportspreview(true);
    }),

    check: unary(async (request: provproto.CheckRequest) => {
      const { provider } = servedResource(request.getType() || typeOf(request.getUrn()));
      // The stack that owns what this resource creates, as the TypeScript classes pass it (owner-stack.ts).
      const news = withOwnerStack(fromStruct(request.getNews()), request.getUrn());
      const marked = request.getNews()?.toJavaScript();
      const scope = SecretScope.of(marked);
      // Its warnings (an unknown resource type…) go on the resource's row, not the Stack's.
      const context = contextOf(request.getUrn(), scope);
      const result = await guarded(scope, (outs) => annotateSecrets(outs, marked), () => withCallContext(context, () => provider.check!(fromStruct(request.getOlds()), news)));
      // The engine prints the input a failure's property names ("property meta value … has a problem"),
      // secret or not: a failure on a secret field names it in its reason only.
      const failures = (result.failures ?? []).map((failure) => ({
        property: scope.isSecret(failure.property) ? "" : failure.property,
        reason: scope.redact(failure.reason),
      }));
      return checkResponse(markSecrets(result.inputs ?? {}, scope), failures);
    }),

    diff: unary(async (request: provproto.DiffRequest) => {
      const { provider, kind } = servedResource(request.getType() || typeOf(request.getUrn()));
      const olds = fromStruct(request.getOlds());
      const news = fromStruct(request.getNews());
      // Its warnings (an exclusive share's undeclared items…) go on the resource's row, secrets redacted.
      const context = contextOf(request.getUrn(), SecretScope.of(request.getNews()?.toJavaScript(), request.getOlds()?.toJavaScript()));
      const result = await withCallContext(context, () => provider.diff!(request.getId(), olds, news));
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
        // What an update leaves as it is (a replacement keeps nothing).
        .setStablesList(result.replaces?.length ? [] : stableOutputs(kind, olds, news))
        .setDeletebeforereplace(result.deleteBeforeReplace ?? false)
        .setDiffsList(result.changes === false ? [] : changedInputs);
    }),

    create: unary(async (request: provproto.CreateRequest) => {
      const served = servedResource(typeOf(request.getUrn()));
      const marked = request.getProperties()?.toJavaScript();
      // A preview: the outputs to expect, and no request.
      if (request.getPreview()) {
        return new provproto.CreateResponse().setProperties(toStruct(outputsMarked(served, previewCreate(served.kind, fromStruct(request.getProperties())), marked)));
      }
      const scope = SecretScope.of(marked);
      const context = contextOf(request.getUrn(), scope, request.getTimeout());
      const result = await guarded(scope, (outs) => outputsMarked(served, outs, marked), () => withCallContext(context, () => served.provider.create(fromStruct(request.getProperties()))));
      return new provproto.CreateResponse().setId(result.id).setProperties(toStruct(outputsMarked(served, result.outs ?? {}, marked)));
    }),

    read: unary(async (request: provproto.ReadRequest) => {
      const served = servedResource(request.getType() || typeOf(request.getUrn()));
      let id = request.getId();
      let state = fromStruct(request.getProperties());
      // No earlier state (an import sends only an id; a `get` its id and properties): find what the
      // provider's read needs from the id, or from the bare id and the account (and share) beside it.
      const importing = !served.isRecordedState(state);
      const [markedState, markedInputs] = [request.getProperties()?.toJavaScript(), request.getInputs()?.toJavaScript()];
      const scope = SecretScope.of(markedState, markedInputs);
      const context = contextOf(request.getUrn(), scope, request.getTimeout());
      return guarded(scope, (outs) => outputsMarked(served, outs, markedState), () => withCallContext(context, async () => {
        if (importing) ({ id, state } = await served.importSeed(lookupTarget(served.kind, id, state)));
        const result = await served.provider.read!(id, state);
        const response = new provproto.ReadResponse();
        // An empty id: the object is gone, and the engine drops it from state.
        if (!result.id) return response;
        const props = (result.props ?? {}) as Plain;
        const inputs = (result.inputs ?? {}) as Plain;
        if (importing) served.completeImport?.({ props, inputs });
        return response.setId(result.id).setProperties(toStruct(outputsMarked(served, props, markedState))).setInputs(toStruct(annotateSecrets(inputs, markedInputs)));
      }));
    }),

    update: unary(async (request: provproto.UpdateRequest) => {
      const served = servedResource(request.getType() || typeOf(request.getUrn()));
      const marked = request.getNews()?.toJavaScript();
      // A preview: the old state with what this update predictably changes, and no request.
      if (request.getPreview()) {
        const predicted = previewUpdate(served.kind, fromStruct(request.getOlds()), fromStruct(request.getNews()));
        return new provproto.UpdateResponse().setProperties(toStruct(outputsMarked(served, predicted, marked)));
      }
      const scope = SecretScope.of(marked, request.getOlds()?.toJavaScript());
      const context = contextOf(request.getUrn(), scope, request.getTimeout());
      const result = await guarded(scope, (outs) => outputsMarked(served, outs, marked), () =>
        withCallContext(context, () => served.provider.update!(request.getId(), fromStruct(request.getOlds()), fromStruct(request.getNews()))),
      );
      return new provproto.UpdateResponse().setProperties(toStruct(outputsMarked(served, result.outs ?? {}, marked)));
    }),

    delete: unary(async (request: provproto.DeleteRequest) => {
      const { provider } = servedResource(request.getType() || typeOf(request.getUrn()));
      const marked = request.getProperties()?.toJavaScript();
      const scope = SecretScope.of(marked);
      const context = contextOf(request.getUrn(), scope, request.getTimeout());
      await guarded(scope, (outs) => annotateSecrets(outs, marked), () => withCallContext(context, () => provider.delete!(request.getId(), fromStruct(request.getProperties()))));
      return new emptyproto.Empty();
    }),

    // A lookup (getShare, listShares, …). Broken argument rules come back as check failures, each
    // naming its argument, so the engine reports them the way it reports a resource's. The result
    // is secret when an argument was.
    invoke: unary(async (request: provproto.InvokeRequest) => {
      const marked = request.getArgs()?.toJavaScript();
      const scope = SecretScope.of(marked);
      try {
        const result = await withCallContext({ isSecret: (property) => scope.isSecret(property) }, () => invokeFunction(request.getTok(), fromStruct(request.getArgs())));
        return new provproto.InvokeResponse().setReturn(toStruct(secretResult(result, marked)));
      } catch (error) {
        if (!(error instanceof InvalidArgumentsError)) throw scope.redactError(error, (outs) => outs);
        const failures = error.problems.map((problem) => new provproto.CheckFailure().setProperty(problem.argument).setReason(scope.redact(problem.rule)));
        return new provproto.InvokeResponse().setFailuresList(failures);
      }
    }),

    // Ctrl-C: every wait and request in progress stops now, each object kept in state with what is
    // known of it (as at a timeout); the engine then ends the run, and the next `up` resumes.
    cancel: unary(async () => {
      cancelled.abort(new OperationCancelledError());
      return new emptyproto.Empty();
    }),
  };
}

/** `pulumi:…::cloudflare-sharing:index:Share::name` → `cloudflare-sharing:index:Share`. */
export function typeOf(urn: string): string {
  const parts = urn.split("::");
  const qualifiedType = parts[parts.length - 2] ?? "";
  return qualifiedType.split("$").pop()!;
}

/** A resource's outputs marked secret where the `marked` inputs they come from were (secrets.ts). */
function outputsMarked(served: ServedResource, outs: Plain, marked: unknown): Plain {
  return markDerived(annotateSecrets(outs, marked), marked, served.derivedOutputs ?? {});
}

/**
 * Runs `work`; an error it throws leaves with `scope`'s secrets redacted and, for an init error, its
 * outputs marked by `markOutputs` (SecretScope.redactError).
 */
async function guarded<T>(scope: SecretScope, markOutputs: (outs: Plain) => Plain, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw scope.redactError(error, markOutputs);
  }
}

function checkResponse(inputs: Plain, failures: { property: string; reason: string }[]): provproto.CheckResponse {
  return new provproto.CheckResponse().setInputs(toStruct(inputs)).setFailuresList(
    failures.map((failure) => new provproto.CheckFailure().setProperty(failure.property).setReason(failure.reason)),
  );
}

/** A handler from an async function; a thrown error becomes the protocol's error (see grpcError). */
function unaryCall<Req, Res>(handle: (request: Req) => Promise<Res>): Unary<Req, Res> {
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
