// The engine's Cancel (Ctrl-C) to the plugin's protocol server in process: a create waiting for its
// recipient ends at once, as at its deadline: the error carries the object's id and state.
import * as grpc from "@grpc/grpc-js";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import { FAST_TIMINGS, startEmulator } from "../../emulator";
import type { RunningEmulator } from "../../emulator";
import { TUNING_ENV } from "../../provider/runtime";
import { providerHandlers } from "../../provider/plugin/server";
import { fromStruct, toStruct } from "../../provider/plugin/properties";
import { CloudflareSharingClient } from "../../provider/client";
import { JOURNAL_DIR_ENV } from "../../provider/resources/journal";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const TOKEN = "plugin-test-token-0cc175b9c0f1b6a831c399e269772661";
const OWNER = "023e105f4ecef8ad9ca31a8372d0c353";
const PARTNER = "9a7806061c88ada191ed06f989cc3dac";
const OTHER = "b1946ac92492d2347c6235b4d2611184";
const RULESET = "2f2feab2026849078ba485f918791bdc";
const RECIPIENT_URN = "urn:pulumi:dev::proj::cloudflare-sharing:index:ShareRecipient::partner";

type Call = (request: unknown, callback: (error: grpc.ServiceError | null, response: any) => void) => void;

describe("Cancel to the plugin's protocol server", () => {
  let emulator: RunningEmulator;
  let server: grpc.Server;
  let client: provrpc.ResourceProviderClient;
  const saved = { env: { ...process.env } };
  const journalDir = fs.mkdtempSync(path.join(os.tmpdir(), "plugin-journal-"));

  const call = <T>(method: string, request: unknown): Promise<T> =>
    new Promise((resolve, reject) =>
      ((client as unknown as Record<string, Call>)[method]).call(client, request, (error, response) => (error ? reject(error) : resolve(response as T))),
    );

  beforeAll(async () => {
    emulator = await startEmulator({ seed: 3, settings: { timings: { ...FAST_TIMINGS }, auth: { tokens: [TOKEN] } } });
    process.env.CLOUDFLARE_API_TOKEN = TOKEN;
    process.env.CLOUDFLARE_BASE_URL = emulator.url;
    process.env[JOURNAL_DIR_ENV] = journalDir;
    process.env[TUNING_ENV] = JSON.stringify({ poll: { firstDelayMs: 25, factor: 1.5, maxDelayMs: 100, gridMs: 25 }, createNotFoundChecks: 5 });
    server = new grpc.Server();
    server.addService(provrpc.ResourceProviderService, providerHandlers({ version: "0.0.0-test", schema: "{}", engineLog: { info: () => undefined, warn: () => undefined } }));
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  });
  afterAll(async () => {
    client?.close();
    server?.forceShutdown();
    await emulator?.stop();
    process.env = saved.env;
    fs.rmSync(journalDir, { recursive: true, force: true });
  });

  it("ends a create's wait at once and keeps the recipient, with its id, as a timeout does", async () => {
    const api = new CloudflareSharingClient({ credentials: { apiToken: TOKEN }, baseUrl: emulator.url });
    const share = await api.shares.create(OWNER, {
      name: "s",
      recipients: [{ recipient_account_id: OTHER }],
      resources: [{ resource_type: "custom-ruleset", resource_id: RULESET, resource_account_id: OWNER, meta: {} }],
    });
    emulator.control.configure({ timings: { recipientAssociateMs: 120_000 } });
    const creating = call(
      "create",
      new provproto.CreateRequest().setUrn(RECIPIENT_URN).setProperties(toStruct({ accountId: OWNER, shareId: share.id, recipientAccountId: PARTNER })).setTimeout(300),
    ).catch((failure: grpc.ServiceError) => failure);
    // Into the wait: the recipient exists and is associating.
    const deadline = Date.now() + 10_000;
    while (!emulator.control.listRecipients(share.id).some((r) => r.account_id === PARTNER)) {
      if (Date.now() > deadline) throw new Error("the recipient was never added");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    const cancelled = Date.now();
    await call("cancel", new emptyproto.Empty());
    const error = (await creating) as grpc.ServiceError;
    expect(Date.now() - cancelled).toBeLessThan(2_000);

    expect(error.details).toMatch(/cancelled \(Ctrl-C\)/);
    const status = statusproto.Status.deserializeBinary(error.metadata.get("grpc-status-details-bin")[0] as Buffer);
    const detail = provproto.ErrorResourceInitFailed.deserializeBinary(status.getDetailsList()[0].getValue_asU8());
    const recipient = emulator.control.listRecipients(share.id).find((r) => r.account_id === PARTNER)!;
    expect(detail.getId()).toBe(recipient.id);
    expect(fromStruct(detail.getProperties())).toMatchObject({ associationStatus: "associating", shareId: share.id });
  });
});
