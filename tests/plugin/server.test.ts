// The plugin's protocol server in process, called as the engine calls it, against the emulator.
import * as grpc from "@grpc/grpc-js";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import { FAST_TIMINGS, startEmulator } from "../../emulator";
import type { RunningEmulator } from "../../emulator";
import { TUNING_ENV } from "../../provider/runtime";
import { providerHandlers } from "../../provider/plugin/server";
import { asSecret, fromStruct, isSecret, toStruct } from "../../provider/plugin/properties";
import { CloudflareSharingClient } from "../../provider/client";
import { recipientNaturalKey } from "../../provider/client/natural-keys";
import { JOURNAL_DIR_ENV, readEntry, writeEntry } from "../../provider/resources/journal";
import { endOfOperation } from "../../provider/resources/hand-over";
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

describe("the plugin's protocol server", () => {
  let emulator: RunningEmulator;
  let server: grpc.Server;
  let client: provrpc.ResourceProviderClient;
  const logged: { urn: string; message: string }[] = [];
  const warned: { urn: string; message: string }[] = [];
  const saved = { env: { ...process.env } };
  const journalDir = fs.mkdtempSync(path.join(os.tmpdir(), "plugin-journal-"));

  const call = <T>(method: string, request: unknown): Promise<T> =>
    new Promise((resolve, reject) =>
      ((client as unknown as Record<string, Call>)[method]).call(client, request, (error, response) => (error ? reject(error) : resolve(response as T))),
    );

  beforeAll(async () => {
    emulator = await startEmulator({ seed: 3, settings: { timings: { ...FAST_TIMINGS }, auth: { tokens: [TOKEN] } } });
    delete process.env.CLOUDFLARE_API_TOKEN;
    delete process.env.CLOUDFLARE_BASE_URL;
    process.env[JOURNAL_DIR_ENV] = journalDir;
    process.env[TUNING_ENV] = JSON.stringify({ poll: { firstDelayMs: 25, factor: 1.5, maxDelayMs: 100, gridMs: 25 }, progressEveryMs: 100, createNotFoundChecks: 5 });
    server = new grpc.Server();
    server.addService(provrpc.ResourceProviderService, providerHandlers({ version: "0.0.0-test", schema: '{"name":"cloudflare-sharing"}', engineLog: { info: (urn, message) => logged.push({ urn, message }), warn: (urn, message) => warned.push({ urn, message }) } }));
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

  it("CheckConfig keeps the credentials secret and names the broken rule", async () => {
    const ok = await call<provproto.CheckResponse>("checkConfig", new provproto.CheckRequest().setNews(toStruct({ apiToken: TOKEN, baseUrl: emulator.url })));
    const inputs = ok.getInputs()!.toJavaScript();
    expect(isSecret(inputs.apiToken)).toBe(true);
    expect(ok.getFailuresList()).toEqual([]);

    // A value the engine sent as a secret is checked as the string it wraps, and stays secret.
    const wrapped = await call<provproto.CheckResponse>("checkConfig", new provproto.CheckRequest().setNews(toStruct({ apiToken: asSecret(TOKEN) })));
    expect(wrapped.getFailuresList()).toEqual([]);
    expect(wrapped.getInputs()!.toJavaScript().apiToken).toEqual(asSecret(TOKEN));

    const bad = await call<provproto.CheckResponse>("checkConfig", new provproto.CheckRequest().setNews(toStruct({ apiKey: "k", baseUrl: "api.example" })));
    expect(bad.getFailuresList().map((failure) => failure.getProperty()).sort()).toEqual(["baseUrl", "email"]);
  });

  it("DiffConfig reports changed keys and never a replacement", async () => {
    const diff = await call<provproto.DiffResponse>(
      "diffConfig",
      new provproto.DiffRequest().setOldInputs(toStruct({ apiToken: "a", baseUrl: "x" })).setNews(toStruct({ apiToken: "b", baseUrl: "x" })),
    );
    expect(diff.getChanges()).toBe(provproto.DiffResponse.DiffChanges.DIFF_SOME);
    expect(diff.getDiffsList()).toEqual(["apiToken"]);
    expect(diff.getReplacesList()).toEqual([]);
  });

  // The emulator accepts only TOKEN and nothing is in the environment: every later call that reaches
  // the API works only with what Configure gave.
  it("Configure puts its config in force; Check names each broken rule before any request", async () => {
    await call("configure", new provproto.ConfigureRequest().setArgs(toStruct({ apiToken: TOKEN, baseUrl: emulator.url })));
    emulator.control.clearLog();
    const check = await call<provproto.CheckResponse>(
      "check",
      new provproto.CheckRequest().setUrn(RECIPIENT_URN).setType("cloudflare-sharing:index:ShareRecipient").setNews(toStruct({ accountId: OWNER, shareId: "zz" })),
    );
    expect(check.getFailuresList().map((failure) => failure.getProperty()).sort()).toEqual(["recipientAccountId", "shareId"]);
    expect(emulator.control.requestLog()).toEqual([]);
  });

  it("Configure accepts secrets: the engine then sends secret inputs marked", async () => {
    const configured = await call<provproto.ConfigureResponse>("configure", new provproto.ConfigureRequest().setArgs(toStruct({ apiToken: TOKEN, baseUrl: emulator.url })));
    expect(configured.getAcceptsecrets()).toBe(true);
  });

  it("Check of bad secret inputs names each field and rule without the value, and keeps the marks on good ones", async () => {
    const urn = "urn:pulumi:dev::proj::cloudflare-sharing:index:ShareResource::secret";
    const badMeta = "not json: hunter2-secret-meta";
    const badId = "zz-hunter2-secret-id";
    const check = await call<provproto.CheckResponse>(
      "check",
      new provproto.CheckRequest()
        .setUrn(urn)
        .setType("cloudflare-sharing:index:ShareResource")
        .setNews(toStruct({ accountId: OWNER, shareId: "a".repeat(32), resourceType: asSecret("custom-thing-hunter2"), resourceId: asSecret(badId), resourceAccountId: OWNER, meta: asSecret(badMeta) })),
    );
    const failures = check.getFailuresList().map((failure) => [failure.getProperty(), failure.getReason()]);
    // No property: the engine would print the input it names, secret value and all. The reason names the field.
    expect(failures.map(([property]) => property)).toEqual(["", ""]);
    expect(failures.map(([, reason]) => reason).sort()).toEqual([
      "meta must be a JSON object; the string is not valid JSON (its value is secret)",
      expect.stringMatching(/^resourceId must be hexadecimal .*got a secret value$/),
    ]);
    // Not a single piece of any secret, in a failure or in the warning about the unknown resource type.
    const shown = [...failures.flat(), ...warned.filter((line) => line.urn === urn).map((line) => line.message)].join("\n");
    expect(shown).not.toMatch(/hunter2|not json|zz-/);
    expect(warned.some((line) => line.urn === urn && line.message.includes("resourceType a secret value is not one of the known resource types"))).toBe(true);

    const good = await call<provproto.CheckResponse>(
      "check",
      new provproto.CheckRequest()
        .setUrn(urn)
        .setType("cloudflare-sharing:index:ShareResource")
        .setNews(toStruct({ accountId: OWNER, shareId: "a".repeat(32), resourceType: "custom-ruleset", resourceId: RULESET, resourceAccountId: OWNER, meta: { note: asSecret("hunter2") } })),
    );
    expect(good.getFailuresList()).toEqual([]);
    const inputs = good.getInputs()!.toJavaScript() as Record<string, unknown>;
    // The meta check made JSON text of holds the secret: the whole text is secret now.
    expect(inputs.meta).toEqual(asSecret('{"note":"hunter2"}'));
    expect(inputs.resourceId).toBe(RULESET);
  });

  it("an answer goes only once its warnings reached the engine (a refresh --preview-only ends with the last answer)", async () => {
    const events: string[] = [];
    let delivering: Promise<void> = Promise.resolve();
    const slowServer = new grpc.Server();
    slowServer.addService(
      provrpc.ResourceProviderService,
      providerHandlers({
        version: "0.0.0-test",
        schema: "{}",
        engineLog: {
          info: () => undefined,
          warn: () => {
            delivering = new Promise((resolve) => setTimeout(() => (events.push("warning delivered"), resolve()), 200));
          },
          delivered: () => delivering,
        },
      }),
    );
    const port = await new Promise<number>((resolve, reject) =>
      slowServer.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    const slowClient = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    try {
      const urn = "urn:pulumi:dev::proj::cloudflare-sharing:index:ShareResource::custom";
      const request = new provproto.CheckRequest()
        .setUrn(urn)
        .setType("cloudflare-sharing:index:ShareResource")
        .setNews(toStruct({ accountId: OWNER, shareId: "a".repeat(32), resourceType: "custom-thing", resourceId: RULESET, resourceAccountId: OWNER }));
      await new Promise((resolve, reject) => slowClient.check(request, (error, response) => (error ? reject(error) : resolve(response))));
      events.push("answered");
      expect(events).toEqual(["warning delivered", "answered"]);
    } finally {
      slowClient.close();
      slowServer.forceShutdown();
    }
  });

  it("a warning of Check goes to the engine as a warning on the resource's URN, not to stdout", async () => {
    const urn = "urn:pulumi:dev::proj::cloudflare-sharing:index:ShareResource::custom";
    const printed = jest.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      const check = await call<provproto.CheckResponse>(
        "check",
        new provproto.CheckRequest()
          .setUrn(urn)
          .setType("cloudflare-sharing:index:ShareResource")
          .setNews(toStruct({ accountId: OWNER, shareId: "a".repeat(32), resourceType: "custom-thing", resourceId: RULESET, resourceAccountId: OWNER })),
      );
      expect(check.getFailuresList()).toEqual([]);
      expect(printed).not.toHaveBeenCalled();
    } finally {
      printed.mockRestore();
    }
    expect(warned.filter((line) => line.urn === urn)).toEqual([{ urn, message: expect.stringContaining('resourceType "custom-thing" is not one of the known resource types') }]);
    expect(logged.filter((line) => line.urn === urn)).toEqual([]);
  });

  it("Create honours the engine's deadline, logs progress on the URN, and keeps an unsettled object", async () => {
    const api = new CloudflareSharingClient({ credentials: { apiToken: TOKEN }, baseUrl: emulator.url });
    const share = await api.shares.create(OWNER, {
      name: "s",
      recipients: [{ recipient_account_id: OTHER }],
      resources: [{ resource_type: "custom-ruleset", resource_id: RULESET, resource_account_id: OWNER, meta: {} }],
    });
    emulator.control.configure({ timings: { recipientAssociateMs: 10_000 } });
    const started = Date.now();
    const error = await call(
      "create",
      new provproto.CreateRequest()
        .setUrn(RECIPIENT_URN)
        .setProperties(toStruct({ accountId: OWNER, shareId: share.id, recipientAccountId: PARTNER, timeouts: { create: "5m" } }))
        .setTimeout(1),
    ).catch((failure: grpc.ServiceError) => failure);
    const elapsed = Date.now() - started;
    emulator.control.configure({ timings: { recipientAssociateMs: FAST_TIMINGS.recipientAssociateMs } });

    expect(elapsed).toBeGreaterThanOrEqual(1_000);
    expect(elapsed).toBeLessThan(2_000);
    const serviceError = error as grpc.ServiceError;
    expect(serviceError.details).toMatch(/timeout: 1s/);
    const status = statusproto.Status.deserializeBinary(serviceError.metadata.get("grpc-status-details-bin")[0] as Buffer);
    const detail = provproto.ErrorResourceInitFailed.deserializeBinary(status.getDetailsList()[0].getValue_asU8());
    const recipient = emulator.control.listRecipients(share.id).find((r) => r.account_id === PARTNER)!;
    expect(detail.getId()).toBe(recipient.id);
    expect(fromStruct(detail.getProperties())).toMatchObject({ associationStatus: "associating", shareId: share.id });

    const progress = logged.filter((line) => line.message.includes("waiting for recipient"));
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((line) => line.urn === RECIPIENT_URN)).toBe(true);
  });

  it("Create marks secret the outputs that come from secret inputs, and its errors never show a secret", async () => {
    const api = new CloudflareSharingClient({ credentials: { apiToken: TOKEN }, baseUrl: emulator.url });
    const share = await api.shares.create(OWNER, {
      name: "secret outputs",
      recipients: [{ recipient_account_id: OTHER }],
      resources: [{ resource_type: "custom-ruleset", resource_id: RULESET, resource_account_id: OWNER, meta: {} }],
    });
    const urn = "urn:pulumi:dev::proj::cloudflare-sharing:index:ShareResource::secretmeta";
    const meta = '{"token":"hunter2-in-meta"}';
    const created = await call<provproto.CreateResponse>(
      "create",
      new provproto.CreateRequest()
        .setUrn(urn)
        .setProperties(toStruct({ accountId: OWNER, shareId: share.id, resourceType: "gateway-policy", resourceId: "45c48cce2e2d7fbdea1afc51c7c6ad26", resourceAccountId: OWNER, meta: asSecret(meta) })),
    );
    const outputs = created.getProperties()!.toJavaScript() as Record<string, unknown>;
    expect(outputs.meta).toEqual(asSecret(meta));
    expect(outputs.resourceAccountId).toBe(OWNER);

    // The same object again: the API refuses it, and the error says so without the secret meta.
    const again = await call(
      "create",
      new provproto.CreateRequest()
        .setUrn("urn:pulumi:dev::proj::cloudflare-sharing:index:ShareResource::again")
        .setProperties(toStruct({ accountId: OWNER, shareId: asSecret(share.id), resourceType: "gateway-policy", resourceId: "45c48cce2e2d7fbdea1afc51c7c6ad26", resourceAccountId: OWNER, meta: asSecret(meta) })),
    ).catch((failure: grpc.ServiceError) => failure);
    expect((again as grpc.ServiceError).details).toBeTruthy();
    expect((again as grpc.ServiceError).details).not.toContain(share.id);
    expect((again as grpc.ServiceError).details).not.toContain("hunter2");
    expect(logged.map((line) => line.message).join("\n")).not.toContain("hunter2");
  });

  it("the engine's deadline is the one deadline of a create with several waits, whatever `timeouts` says", async () => {
    const api = new CloudflareSharingClient({ credentials: { apiToken: TOKEN }, baseUrl: emulator.url });
    const share = await api.shares.create(OWNER, {
      name: "one deadline",
      recipients: [{ recipient_account_id: OTHER }, { recipient_account_id: PARTNER }],
      resources: [{ resource_type: "custom-ruleset", resource_id: RULESET, resource_account_id: OWNER, meta: {} }],
    });
    await new Promise((resolve) => setTimeout(resolve, 500)); // both associated (FAST_TIMINGS)
    // The old record of PARTNER takes 1.2 s to leave, then the new one 10 s to associate: the
    // association wait gets what waiting out the old record left of the engine's 2 s, not 2 s of its own.
    emulator.control.configure({ timings: { recipientDisassociateMs: 1_200, recipientAssociateMs: 10_000 } });
    const old = emulator.control.listRecipients(share.id).find((r) => r.account_id === PARTNER)!;
    await api.recipients.delete(OWNER, share.id, old.id);
    const started = Date.now();
    const error = await call(
      "create",
      new provproto.CreateRequest()
        .setUrn("urn:pulumi:dev::proj::cloudflare-sharing:index:ShareRecipient::again")
        .setProperties(toStruct({ accountId: OWNER, shareId: share.id, recipientAccountId: PARTNER, timeouts: { create: "5m" } }))
        .setTimeout(2),
    ).catch((failure: grpc.ServiceError) => failure);
    const elapsed = Date.now() - started;
    emulator.control.configure({ timings: { recipientDisassociateMs: FAST_TIMINGS.recipientDisassociateMs, recipientAssociateMs: FAST_TIMINGS.recipientAssociateMs } });

    expect((error as grpc.ServiceError).details).toMatch(/timeout: 2s/);
    expect(emulator.control.listRecipients(share.id).find((r) => r.account_id === PARTNER && r.id !== old.id)?.association_status).toBe("associating");
    expect(elapsed).toBeGreaterThanOrEqual(2_000);
    expect(elapsed).toBeLessThan(2_900);
  });

  it("Check gives each resource its stack as ownerStack, from the URN, unless the program set one, and its URN as ownerUrn", async () => {
    const check = (urn: string, news: Record<string, unknown>) =>
      call<provproto.CheckResponse>("check", new provproto.CheckRequest().setUrn(urn).setType("cloudflare-sharing:index:ShareRecipient").setNews(toStruct(news)));
    const declared = { accountId: OWNER, shareId: "a".repeat(32), recipientAccountId: PARTNER };
    const derived = await check(RECIPIENT_URN, declared);
    expect(derived.getFailuresList()).toEqual([]);
    expect(fromStruct(derived.getInputs())).toEqual({ ...declared, ownerStack: "proj/dev", ownerUrn: RECIPIENT_URN });
    // A parent in the type path and `::` in the name change nothing: stack and project come first.
    const nested = await check("urn:pulumi:prod::shop::my:index:Parent$cloudflare-sharing:index:ShareRecipient::a::b", declared);
    expect(fromStruct(nested.getInputs()).ownerStack).toBe("shop/prod");
    const kept = await check(RECIPIENT_URN, { ...declared, ownerStack: "proj/other" });
    expect(fromStruct(kept.getInputs()).ownerStack).toBe("proj/other");
  });

  it("a create through Check and Create takes over what an interrupted run of this resource made, never another stack's or resource's", async () => {
    const api = new CloudflareSharingClient({ credentials: { apiToken: TOKEN }, baseUrl: emulator.url });
    const share = await api.shares.create(OWNER, {
      name: "journal",
      recipients: [{ recipient_account_id: OTHER }],
      resources: [{ resource_type: "custom-ruleset", resource_id: RULESET, resource_account_id: OWNER, meta: {} }],
    });
    const landed = await api.recipients.create(OWNER, share.id, { recipient_account_id: PARTNER });
    const key = JSON.stringify([OWNER, share.id, recipientNaturalKey({ recipient_account_id: PARTNER })]);
    const createThroughEngine = async (urn: string) => {
      const check = await call<provproto.CheckResponse>(
        "check",
        new provproto.CheckRequest().setUrn(urn).setType("cloudflare-sharing:index:ShareRecipient").setNews(toStruct({ accountId: OWNER, shareId: share.id, recipientAccountId: PARTNER })),
      );
      return call<provproto.CreateResponse>("create", new provproto.CreateRequest().setUrn(urn).setProperties(check.getInputs()!).setTimeout(30));
    };

    // Another stack's entry: not this stack's object, so the create is refused (409) and nothing is taken over.
    writeEntry({ stack: "proj/ci", urn: RECIPIENT_URN.replace("dev::", "ci::") }, { kind: "recipient", key, startedAt: Date.now() - 1_000, id: landed.id });
    const refused = await createThroughEngine(RECIPIENT_URN).catch((failure: grpc.ServiceError) => failure);
    expect((refused as grpc.ServiceError).details).toContain(`adopt: "${landed.id}"`);

    // Another resource's entry in this stack (the old name of a resource renamed without an alias): refused too.
    writeEntry({ stack: "proj/dev", urn: `${RECIPIENT_URN}-old` }, { kind: "recipient", key, startedAt: Date.now() - 1_000, id: landed.id });
    const renamed = await createThroughEngine(RECIPIENT_URN).catch((failure: grpc.ServiceError) => failure);
    expect((renamed as grpc.ServiceError).details).toContain(`adopt: "${landed.id}"`);

    // This stack's entry (the response of its create was lost): the create takes the object over, sending no write.
    writeEntry({ stack: "proj/dev", urn: RECIPIENT_URN }, { kind: "recipient", key, startedAt: Date.now() - 1_000, id: landed.id });
    emulator.control.clearLog();
    const created = await createThroughEngine(RECIPIENT_URN);
    expect(created.getId()).toBe(landed.id);
    expect(fromStruct(created.getProperties())).toMatchObject({ ownerStack: "proj/dev", ownerUrn: RECIPIENT_URN, recipientAccountId: PARTNER });
    expect(emulator.control.requestLog().filter((entry) => entry.method !== "GET")).toEqual([]);
    expect(emulator.control.listRecipients(share.id).filter((r) => r.account_id === PARTNER)).toHaveLength(1);
    // The id went back to the engine with the create's answer: the entry is marked so, and removed when
    // the engine ends the operation in order.
    expect(readEntry({ stack: "proj/dev", urn: RECIPIENT_URN }, "recipient", key)?.handedOverAt).toBeDefined();
    endOfOperation();
    expect(readEntry({ stack: "proj/dev", urn: RECIPIENT_URN }, "recipient", key)).toBeUndefined();
  });

  it("Read with only an import id brings an existing recipient with the inputs that describe it", async () => {
    const api = new CloudflareSharingClient({ credentials: { apiToken: TOKEN }, baseUrl: emulator.url });
    const share = (await api.shares.listAll(OWNER))[0];
    const recipient = emulator.control.listRecipients(share.id).find((r) => r.account_id === OTHER)!;
    const read = await call<provproto.ReadResponse>(
      "read",
      new provproto.ReadRequest().setUrn(RECIPIENT_URN).setId(`${OWNER}/${share.id}/${recipient.id}`),
    );
    expect(read.getId()).toBe(recipient.id);
    expect(fromStruct(read.getInputs())).toEqual({ accountId: OWNER, shareId: share.id, recipientAccountId: OTHER });
    expect(fromStruct(read.getProperties())).toMatchObject({ recipientAccountId: OTHER, associationStatus: "associated" });

    const malformed = await call("read", new provproto.ReadRequest().setUrn(RECIPIENT_URN).setId(recipient.id)).catch((failure: grpc.ServiceError) => failure);
    expect((malformed as grpc.ServiceError).details).toContain("<accountId>/<shareId>/<recipientId>");
  });

  it("Read of a bare id with the accountId (and shareId) beside it, as a get sends it, reads the object", async () => {
    const api = new CloudflareSharingClient({ credentials: { apiToken: TOKEN }, baseUrl: emulator.url });
    const share = (await api.shares.listAll(OWNER))[0];
    const recipient = emulator.control.listRecipients(share.id).find((r) => r.account_id === OTHER)!;
    // A get sends its properties as both the inputs and the state.
    const given = toStruct({ accountId: OWNER, shareId: share.id });
    const read = await call<provproto.ReadResponse>("read", new provproto.ReadRequest().setUrn(RECIPIENT_URN).setId(recipient.id).setProperties(given).setInputs(given));
    expect(read.getId()).toBe(recipient.id);
    expect(fromStruct(read.getProperties())).toMatchObject({ accountId: OWNER, shareId: share.id, recipientAccountId: OTHER, associationStatus: "associated" });

    const shareGiven = toStruct({ accountId: OWNER });
    const shareRead = await call<provproto.ReadResponse>(
      "read",
      new provproto.ReadRequest().setUrn("urn:pulumi:dev::proj::cloudflare-sharing:index:Share::s").setId(share.id).setProperties(shareGiven).setInputs(shareGiven),
    );
    expect(shareRead.getId()).toBe(share.id);
    expect(fromStruct(shareRead.getProperties())).toMatchObject({ accountId: OWNER, name: share.name, status: "active" });
    expect(fromStruct(shareRead.getProperties()).recipientIds).toContain(recipient.id);

    const withoutShare = await call("read", new provproto.ReadRequest().setUrn(RECIPIENT_URN).setId(recipient.id).setProperties(toStruct({ accountId: OWNER }))).catch(
      (failure: grpc.ServiceError) => failure,
    );
    expect((withoutShare as grpc.ServiceError).details).toContain(`cannot read ShareRecipient "${recipient.id}": give its accountId and shareId`);
  });

  it("Read of an import id that names no object answers 'gone' (the engine then says it does not exist)", async () => {
    const missing = "00000000000000000000000000000abc";
    for (const [type, id] of [
      ["Share", `${OWNER}/${missing}`],
      ["ShareRecipient", `${OWNER}/${missing}/${missing}`],
      ["ShareResource", `${OWNER}/${missing}/${missing}`],
    ]) {
      const read = await call<provproto.ReadResponse>("read", new provproto.ReadRequest().setUrn(`urn:pulumi:dev::proj::cloudflare-sharing:index:${type}::x`).setId(id));
      expect(read.getId()).toBe("");
      expect(read.getProperties()).toBeUndefined();
    }
  });

  it("without credentials, says where to put them for the plugin", async () => {
    await call("configure", new provproto.ConfigureRequest().setArgs(toStruct({ baseUrl: emulator.url })));
    const error = await call("read", new provproto.ReadRequest().setUrn(RECIPIENT_URN).setId(`${OWNER}/${"a".repeat(32)}/${"b".repeat(32)}`)).catch(
      (failure: grpc.ServiceError) => failure,
    );
    expect((error as grpc.ServiceError).details).toContain("pulumi config set --secret cloudflare-sharing:apiToken");
    await call("configure", new provproto.ConfigureRequest().setArgs(toStruct({ apiToken: TOKEN, baseUrl: emulator.url })));
  });

  it("answers an unknown type with the types it serves", async () => {
    const error = await call("check", new provproto.CheckRequest().setUrn("urn:pulumi:dev::proj::cloudflare-sharing:index:Nope::x").setNews(toStruct({}))).catch(
      (failure: grpc.ServiceError) => failure,
    );
    expect((error as grpc.ServiceError).details).toContain("cloudflare-sharing:index:Share, cloudflare-sharing:index:ShareRecipient");
  });
});
