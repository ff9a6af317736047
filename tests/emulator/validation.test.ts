// Validation (400 with a code and a message naming the field and rule), 404 / 1004, routing errors.

import type { ShareObject } from "../../provider/client/types";
import { ERROR_CODES } from "../../emulator";
import { OWNER, type TestEmulator, expectFailure, ruleset, shareBody, sharesPath, startTestEmulator } from "./helpers";

describe("validation and errors", () => {
  let emu: TestEmulator;
  let share: ShareObject;
  beforeAll(async () => {
    emu = await startTestEmulator();
    share = (await emu.call<ShareObject>("POST", sharesPath(), { body: shareBody("s", { resources: [ruleset("r1"), ruleset("r2")] }) })).body.result!;
  });
  afterAll(() => emu.stop());

  const invalidCreate = async (body: unknown, field: RegExp, pointer?: string) => {
    const reply = await emu.call("POST", sharesPath(), { body });
    expectFailure(reply, 400, ERROR_CODES.invalidField, field);
    if (pointer) expect(reply.body.errors[0].source).toEqual({ pointer });
  };

  test.each([
    ["name", { recipients: [{}], resources: [ruleset("x")] }],
    ["recipients", { name: "n", resources: [ruleset("x")] }],
    ["resources", { name: "n", recipients: [{}] }],
  ])("create without %s → 400 naming it", async (field, body) => {
    await invalidCreate(body, new RegExp(`^${field}: is required`), `/${field}`);
  });

  test("create with an empty recipients or resources list → 400 (requireNonEmptyCreateLists)", async () => {
    await invalidCreate(shareBody("n", { recipients: [] }), /recipients: must contain at least one/);
    await invalidCreate(shareBody("n", { resources: [] }), /resources: must contain at least one/);
  });

  test.each(["resource_type", "resource_id", "resource_account_id", "meta"])("create resource without %s → 400", async (field) => {
    const resource: Record<string, unknown> = { ...ruleset("x") };
    delete resource[field];
    await invalidCreate(shareBody("n", { resources: [resource] }), new RegExp(`resources\\[0\\]\\.${field}: is required`), `/resources/0/${field}`);
  });

  test("POST resource needs all four fields (§3.12)", async () => {
    for (const field of ["resource_type", "resource_id", "resource_account_id", "meta"]) {
      const resource: Record<string, unknown> = { ...ruleset("x") };
      delete resource[field];
      expectFailure(await emu.call("POST", `${sharesPath()}/${share.id}/resources`, { body: resource }), 400, ERROR_CODES.invalidField, new RegExp(`^${field}: is required`));
    }
  });

  test("unknown resource_type → 400 listing the allowed values (§5)", async () => {
    await invalidCreate(shareBody("n", { resources: [{ ...ruleset("x"), resource_type: "widget" }] }), /resource_type: must be one of custom-ruleset/);
  });

  test("meta must be a JSON object", async () => {
    await invalidCreate(shareBody("n", { resources: [{ ...ruleset("x"), meta: [] }] }), /meta: must be a JSON object/);
    await invalidCreate(shareBody("n", { resources: [{ ...ruleset("x"), meta: "{}" }] }), /meta: must be a JSON object/);
  });

  test("ids longer than 32 characters in a body → 400 (maxLength 32)", async () => {
    const long = "a".repeat(33);
    await invalidCreate(shareBody("n", { recipients: [{ recipient_account_id: long }] }), /recipients\[0\]\.recipient_account_id: must be at most 32/);
    await invalidCreate(shareBody("n", { recipients: [{ organization_id: long }] }), /organization_id: must be at most 32/);
    await invalidCreate(shareBody("n", { recipients: [{ account_id: long }] }), /account_id: must be at most 32/);
    await invalidCreate(shareBody("n", { resources: [{ ...ruleset(long) }] }), /resource_id: must be at most 32/);
    await invalidCreate(shareBody("n", { resources: [{ ...ruleset("x"), resource_account_id: long }] }), /resource_account_id: must be at most 32/);
  });

  test("wrong JSON types → 400", async () => {
    await invalidCreate(shareBody("n", { name: 5 }), /name: must be a string/);
    await invalidCreate(shareBody("n", { recipients: {} }), /recipients: must be an array/);
    await invalidCreate(shareBody("n", { recipients: ["x"] }), /recipients\[0\]: must be a JSON object/);
  });

  test("PUT share requires name; PUT resource requires a meta object", async () => {
    expectFailure(await emu.call("PUT", `${sharesPath()}/${share.id}`, { body: {} }), 400, ERROR_CODES.invalidField, /^name: is required/);
    const [resource] = emu.control.listResources(share.id);
    const path = `${sharesPath()}/${share.id}/resources/${resource.id}`;
    expectFailure(await emu.call("PUT", path, { body: {} }), 400, ERROR_CODES.invalidField, /^meta: is required/);
    expectFailure(await emu.call("PUT", path, { body: { meta: 3 } }), 400, ERROR_CODES.invalidField, /^meta: must be a JSON object/);
  });

  test("malformed JSON → 400", async () => {
    expectFailure(await emu.call("POST", sharesPath(), { rawBody: "{nope", headers: { "Content-Type": "application/json" } }), 400, ERROR_CODES.malformedBody, /JSON/);
    expectFailure(await emu.call("POST", sharesPath(), { body: [1] }), 400, ERROR_CODES.malformedBody, /JSON object/);
  });

  test.each([
    ["direction=up", /direction/],
    ["order=size", /order/],
    ["kind=mine", /kind/],
    ["status=gone", /status/],
    ["target_type=user", /target_type/],
    ["resource_types=widget", /resource_types/],
    ["include_resources=yes", /include_resources/],
  ])("invalid list filter %s → 400", async (query, message) => {
    expectFailure(await emu.call("GET", `${sharesPath()}?${query}`), 400, ERROR_CODES.invalidQuery, message);
  });

  test("more than 20 tag parameters → 400; 20 are fine (§3.2)", async () => {
    const tags = (n: number) => Array.from({ length: n }, (_, i) => `tag=k${i}`).join("&");
    expectFailure(await emu.call("GET", `${sharesPath()}?${tags(21)}`), 400, ERROR_CODES.invalidQuery, /tag: at most 20/);
    expect((await emu.call("GET", `${sharesPath()}?${tags(20)}`)).status).toBe(200);
  });

  test("path ids longer than 32 characters → 400", async () => {
    const long = "a".repeat(33);
    expectFailure(await emu.call("GET", sharesPath(long)), 400, ERROR_CODES.invalidIdentifier, /account_id/);
    expectFailure(await emu.call("GET", `${sharesPath()}/${long}`), 400, ERROR_CODES.invalidIdentifier, /share_id/);
    expectFailure(await emu.call("GET", `${sharesPath()}/${share.id}/resources/${long}`), 400, ERROR_CODES.invalidIdentifier, /share_resource_id/);
  });

  test("unknown share, recipient or resource → 404 / 1004 on every route", async () => {
    const missing = "0".repeat(32);
    for (const [method, path] of [
      ["GET", `${sharesPath()}/${missing}`],
      ["PUT", `${sharesPath()}/${missing}`],
      ["DELETE", `${sharesPath()}/${missing}`],
      ["GET", `${sharesPath()}/${missing}/recipients`],
      ["GET", `${sharesPath()}/${missing}/resources`],
      ["GET", `${sharesPath()}/${share.id}/recipients/${missing}`],
      ["GET", `${sharesPath()}/${share.id}/resources/${missing}`],
      ["PUT", `${sharesPath()}/${share.id}/resources/${missing}`],
      ["DELETE", `${sharesPath()}/${share.id}/resources/${missing}`],
      ["GET", `${sharesPath("f".repeat(32))}/${share.id}`], // another account's share
    ]) {
      expectFailure(await emu.call(method, path, method === "PUT" ? { body: { name: "n", meta: {} } } : {}), 404, ERROR_CODES.notFound);
    }
  });

  test("unknown route → 404 / 7000; wrong method → 405 / 7001", async () => {
    expectFailure(await emu.call("GET", `/accounts/${OWNER}/widgets`), 404, ERROR_CODES.noRoute);
    expectFailure(await emu.call("PATCH", sharesPath()), 405, ERROR_CODES.methodNotAllowed);
  });
});
