// The plugin's functions (Invoke) in process, called as the engine calls them, against the emulator:
// the same lookups as the TypeScript getShare/listShares/…, with the credentials Configure gave.
import * as grpc from "@grpc/grpc-js";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import { FAST_TIMINGS, startEmulator } from "../../emulator";
import type { RunningEmulator } from "../../emulator";
import { CloudflareSharingClient } from "../../provider/client";
import { providerHandlers } from "../../provider/plugin/server";
import { asSecret, isSecret, fromStruct, toStruct } from "../../provider/plugin/properties";

const TOKEN = "plugin-invoke-token-92eb5ffee6ae2fec3ad71c777531578f";
const OWNER = "023e105f4ecef8ad9ca31a8372d0c353";
const PARTNER = "9a7806061c88ada191ed06f989cc3dac";
const RULESET = "2f2feab2026849078ba485f918791bdc";
const fn = (name: string) => `cloudflare-sharing:index:${name}`;

type Call = (request: unknown, callback: (error: grpc.ServiceError | null, response: any) => void) => void;

describe("the plugin's functions (Invoke)", () => {
  let emulator: RunningEmulator;
  let server: grpc.Server;
  let client: provrpc.ResourceProviderClient;
  let shareId: string;
  const saved = { env: { ...process.env } };

  const call = <T>(method: string, request: unknown): Promise<T> =>
    new Promise((resolve, reject) =>
      ((client as unknown as Record<string, Call>)[method]).call(client, request, (error, response) => (error ? reject(error) : resolve(response as T))),
    );
  const invoke = (name: string, args: Record<string, unknown>) =>
    call<provproto.InvokeResponse>("invoke", new provproto.InvokeRequest().setTok(fn(name)).setArgs(toStruct(args)));
  const invokeError = (name: string, args: Record<string, unknown>) =>
    invoke(name, args).then(
      () => {
        throw new Error(`${name} did not fail`);
      },
      (failure: grpc.ServiceError) => failure,
    );
  const configure = (args: Record<string, unknown>) => call("configure", new provproto.ConfigureRequest().setArgs(toStruct(args)));

  beforeAll(async () => {
    emulator = await startEmulator({ seed: 5, settings: { timings: { ...FAST_TIMINGS }, auth: { tokens: [TOKEN] } } });
    delete process.env.CLOUDFLARE_API_TOKEN;
    delete process.env.CLOUDFLARE_API_KEY;
    delete process.env.CLOUDFLARE_BASE_URL;
    server = new grpc.Server();
    server.addService(provrpc.ResourceProviderService, providerHandlers({ version: "0.0.0-test", schema: "{}", engineLog: { info: () => undefined, warn: () => undefined } }));
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const api = new CloudflareSharingClient({ credentials: { apiToken: TOKEN }, baseUrl: emulator.url });
    const share = await api.shares.create(OWNER, {
      name: "looked up",
      recipients: [{ recipient_account_id: PARTNER }],
      resources: [{ resource_type: "custom-ruleset", resource_id: RULESET, resource_account_id: OWNER, meta: { tier: "gold" } }],
    });
    shareId = share.id;
  });
  afterAll(async () => {
    client?.close();
    server?.forceShutdown();
    await emulator?.stop();
    process.env = saved.env;
  });

  // The emulator accepts only TOKEN and the environment holds none: the lookups work only with what Configure gave.
  it("getShare answers the share with the outputs named as the TypeScript function names them", async () => {
    await configure({ apiToken: TOKEN, baseUrl: emulator.url });
    const response = await invoke("getShare", { accountId: OWNER, shareId, includeResources: true, includeRecipientCounts: true });
    expect(response.getFailuresList()).toEqual([]);
    const share = fromStruct(response.getReturn());
    expect(share).toMatchObject({ id: shareId, accountId: OWNER, name: "looked up", status: "active", targetType: "account" });
    expect(share.shareResources).toEqual([expect.objectContaining({ shareId, resourceType: "custom-ruleset", resourceId: RULESET, resourceAccountId: OWNER, meta: '{"tier":"gold"}' })]);
    expect(typeof share.associatedRecipientCount).toBe("number");
    expect(JSON.stringify(share)).not.toContain(TOKEN);
  });

  it("the list functions answer every item, named as the TypeScript functions name them", async () => {
    const shares = fromStruct((await invoke("listShares", { accountId: OWNER, kind: "sent" })).getReturn());
    expect(shares.accountId).toBe(OWNER);
    expect((shares.shares as { id: string }[]).map((share) => share.id)).toContain(shareId);

    const recipients = fromStruct((await invoke("listShareRecipients", { accountId: OWNER, shareId })).getReturn());
    expect(recipients).toMatchObject({ accountId: OWNER, shareId, recipients: [expect.objectContaining({ shareId, recipientAccount: PARTNER })] });
    expect((recipients.recipients as { associationStatus: string }[])[0].associationStatus).toMatch(/^associat/);

    const resources = fromStruct((await invoke("listShareResources", { accountId: OWNER, shareId, resourceType: "custom-ruleset" })).getReturn());
    expect(resources).toMatchObject({ shareId, shareResources: [expect.objectContaining({ resourceId: RULESET })] });

    const { organizationId } = fromStruct((await invoke("getShare", { accountId: OWNER, shareId })).getReturn()) as { organizationId: string };
    const organization = fromStruct((await invoke("listOrganizationShares", { organizationId })).getReturn());
    expect(organization.organizationId).toBe(organizationId);
    expect((organization.shares as { id: string }[]).map((share) => share.id)).toContain(shareId);
  });

  it("a lookup whose argument is secret answers secret values, and a failure never shows the secret argument", async () => {
    await configure({ apiToken: TOKEN, baseUrl: emulator.url });
    const response = await invoke("getShare", { accountId: OWNER, shareId: asSecret(shareId) });
    const answered = response.getReturn()!.toJavaScript();
    expect(Object.keys(answered).length).toBeGreaterThan(0);
    for (const value of Object.values(answered)) expect(isSecret(value)).toBe(true);
    expect(fromStruct(response.getReturn())).toMatchObject({ id: shareId, name: "looked up" });

    const secretBadId = "not-a-hex-secret-share-id";
    const failed = await invoke("getShare", { accountId: OWNER, shareId: asSecret(secretBadId) });
    const reasons = failed.getFailuresList().map((failure) => `${failure.getProperty()}: ${failure.getReason()}`);
    expect(reasons).toEqual([expect.stringMatching(/^shareId: shareId must be hexadecimal .*got a secret value$/)]);
    expect(reasons.join("")).not.toContain("not-a-hex");
  });

  it("bad arguments come back as failures naming each argument, before any request", async () => {
    emulator.control.clearLog();
    const missing = await invoke("getShare", { shareId });
    expect(missing.getReturn()).toBeUndefined();
    expect(missing.getFailuresList().map((failure) => [failure.getProperty(), failure.getReason()])).toEqual([["accountId", expect.stringContaining("accountId")]]);

    const several = await invoke("listShares", { accountId: "not-an-id", kind: "lent", tags: Array.from({ length: 21 }, (_, i) => `t${i}`), colour: "red" });
    expect(several.getFailuresList().map((failure) => failure.getProperty()).sort()).toEqual(["accountId", "colour", "kind", "tags"]);
    expect(several.getFailuresList().find((failure) => failure.getProperty() === "kind")!.getReason()).toContain('"sent", "received"');
    expect(emulator.control.requestLog()).toEqual([]);
  });

  it("an absent share is an error that names it and never shows the token", async () => {
    const error = await invokeError("getShare", { accountId: OWNER, shareId: "f".repeat(32) });
    expect(error.details).toContain("f".repeat(32));
    expect(error.details).not.toContain(TOKEN);
  });

  it("without credentials, says where to put them; bad arguments are still named first", async () => {
    await configure({ baseUrl: emulator.url });
    try {
      const error = await invokeError("listShareRecipients", { accountId: OWNER, shareId });
      expect(error.details).toContain("pulumi config set --secret cloudflare-sharing:apiToken");
      const bad = await invoke("listShareRecipients", { accountId: OWNER });
      expect(bad.getFailuresList().map((failure) => failure.getProperty())).toEqual(["shareId"]);
    } finally {
      await configure({ apiToken: TOKEN, baseUrl: emulator.url });
    }
  });

  it("answers an unknown function with the functions it serves", async () => {
    const error = await invokeError("getNothing", {});
    expect(error.details).toContain("cloudflare-sharing:index:getShare, cloudflare-sharing:index:listShares");
  });
});
