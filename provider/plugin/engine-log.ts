// Lines logged to the engine against a resource's URN, so that `pulumi up` shows them on that
// resource's row (a provider's stdout lands on no resource).

import * as grpc from "@grpc/grpc-js";
import * as engproto from "@pulumi/pulumi/proto/engine_pb";
import * as engrpc from "@pulumi/pulumi/proto/engine_grpc_pb";

export interface EngineLog {
  /** Logs `message` at info level on the row of `urn`. Never throws; a lost line is not an error. */
  info(urn: string, message: string): void;
  /** Logs `message` as a warning on the row of `urn` (e.g. a warning of `check`). Never throws. */
  warn(urn: string, message: string): void;
  /**
   * Resolves once every line sent so far reached the engine (or failed to). A call's answer waits for
   * it: the engine may end the operation, and stop listening, as soon as the last answer is in.
   */
  delivered?(): Promise<void>;
}

/**
 * An EngineLog that calls the engine's Log RPC at `address` (the address the engine starts the
 * plugin with).
 *
 * @example
 * ```ts
 * const engineLog = connectEngineLog("127.0.0.1:43567");
 * engineLog.info(urn, "waiting for recipient … to be associated (12s)");
 * ```
 */
export function connectEngineLog(address: string): EngineLog {
  const client = new engrpc.EngineClient(address, grpc.credentials.createInsecure());
  const pending = new Set<Promise<void>>();
  const send = (severity: engproto.LogSeverity, urn: string, message: string) => {
    const request = new engproto.LogRequest();
    request.setSeverity(severity);
    request.setMessage(message);
    request.setUrn(urn);
    request.setEphemeral(false);
    const sent = new Promise<void>((resolve) =>
      client.log(request, (error) => {
        if (error) process.stderr.write(`could not log to the engine: ${error.message}\n`);
        resolve();
      }),
    );
    pending.add(sent);
    void sent.then(() => pending.delete(sent));
  };
  return {
    info: (urn, message) => send(engproto.LogSeverity.INFO, urn, message),
    warn: (urn, message) => send(engproto.LogSeverity.WARNING, urn, message),
    delivered: async () => {
      await Promise.all([...pending]);
    },
  };
}
