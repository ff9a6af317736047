// The entry point of the `pulumi-resource-cloudflare-sharing` plugin: the engine starts it with its
// own address as the last argument and reads the port to call from the first line of stdout.

import * as grpc from "@grpc/grpc-js";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import { connectEngineLog } from "./engine-log";
import { packageVersion, schemaText } from "./package-files";
import { providerHandlers } from "./server";

/**
 * Serves the plugin until the engine ends the process.
 *
 * @example
 * ```ts
 * main(process.argv.slice(2)); // e.g. ["--logtostderr", "-v=9", "127.0.0.1:41229"]
 * ```
 */
export async function main(args: string[]): Promise<void> {
  const engineAddress = args.filter((arg) => !arg.startsWith("-")).pop();
  if (engineAddress === undefined) {
    process.stderr.write("usage: pulumi-resource-cloudflare-sharing <engine address>\n");
    process.exit(1);
  }
  const version = packageVersion();
  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  server.addService(
    provrpc.ResourceProviderService,
    providerHandlers({ version, schema: schemaText(), engineLog: connectEngineLog(engineAddress) }),
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  process.stdout.write(`${port}\n`);
}
