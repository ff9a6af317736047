// Secrets through the plugin, without the engine: where a call's secrets are, how answers are marked,
// and what messages show of them.
import { ResourceInitError } from "../../provider/resources/common";
import { asSecret, isSecret } from "../../provider/plugin/properties";
import { annotateSecrets, markDerived, markSecrets, SecretScope, secretResult } from "../../provider/plugin/secrets";

const SECRET = "s3cr3t-meta-value";

describe("a call's secrets", () => {
  const scope = SecretScope.of({
    accountId: "023e105f4ecef8ad9ca31a8372d0c353",
    name: asSecret("top secret name"),
    resources: [{ resourceId: "a", meta: { plain: "x", key: asSecret(SECRET) } }, { resourceId: "b", meta: "{}" }],
  });

  it("are found where they are, and a field inside, at or holding one is secret", () => {
    expect(scope.paths).toEqual(["name", "resources[0].meta.key"]);
    for (const property of ["name", "resources[0].meta.key", "resources[0].meta", "resources[0]", "resources"]) expect(scope.isSecret(property)).toBe(true);
    for (const property of ["accountId", "resources[1].meta", "resources[0].resourceId", "resources[0].meta.plain", "names"]) expect(scope.isSecret(property)).toBe(false);
  });

  it("are never in a message: raw, JSON-escaped, or inside the JSON text of a meta", () => {
    expect(scope.redact(`creating share "top secret name": meta {"key":"${SECRET}"} refused`)).toBe('creating share "[secret]": meta {"key":"[secret]"} refused');
    const jsonScope = SecretScope.of({ meta: asSecret(`{"b":"${SECRET}","a":"quote \\" inside"}`) });
    // Canonical form (sorted keys), as the provider normalises a meta.
    expect(jsonScope.redact(`meta is {"a":"quote \\" inside","b":"${SECRET}"}`)).toBe("meta is [secret]");
    expect(jsonScope.redact(`the value ${SECRET} alone`)).toBe("the value [secret] alone");
  });

  it("leave an error's message and an init error's reasons, and mark its properties", () => {
    const plain = scope.redactError(new Error(`share "top secret name" failed`), (outs) => outs);
    expect(plain.message).toBe('share "[secret]" failed');
    const init = scope.redactError(new ResourceInitError("id1", { name: "top secret name", status: "active" }, {}, [`"top secret name" timed out`]), (outs) =>
      annotateSecrets(outs, { name: asSecret("top secret name") }),
    );
    expect(init).toBeInstanceOf(ResourceInitError);
    expect((init as ResourceInitError).reasons).toEqual(['"[secret]" timed out']);
    expect((init as ResourceInitError).properties).toMatchObject({ name: asSecret("top secret name"), status: "active" });
  });
});

describe("marking answers", () => {
  it("check's inputs: exactly where the secrets were; a value made from one (a meta as JSON text) whole", () => {
    const scope = SecretScope.of({ name: "n", resources: [{ meta: { key: asSecret(SECRET) } }, { meta: { key: "plain" } }], gone: asSecret("x") });
    const marked = markSecrets({ name: "n", resources: [{ meta: `{"key":"${SECRET}"}` }, { meta: '{"key":"plain"}' }] }, scope);
    expect(marked).toEqual({ name: "n", resources: [{ meta: asSecret(`{"key":"${SECRET}"}`) }, { meta: '{"key":"plain"}' }] });
  });

  it("outputs: by name as the engine does, an array whole when its input held a secret", () => {
    const outs = annotateSecrets(
      { name: "n", status: "active", timeouts: { create: "1m", delete: "2m" }, resources: [{ id: "r1", meta: "{}" }] },
      { name: asSecret("n"), timeouts: { create: asSecret("1m") }, resources: [{ meta: asSecret("{}") }] },
    );
    expect(outs).toEqual({ name: asSecret("n"), status: "active", timeouts: { create: asSecret("1m"), delete: "2m" }, resources: asSecret([{ id: "r1", meta: "{}" }]) });
  });

  it("outputs made from inputs of other names: secret when one of those inputs was", () => {
    const derived = { recipientAccount: ["recipientAccountId", "organizationId"] };
    expect(markDerived({ recipientAccount: "9a78", status: "x" }, { recipientAccountId: asSecret("9a78") }, derived)).toEqual({ recipientAccount: asSecret("9a78"), status: "x" });
    expect(markDerived({ recipientAccount: "9a78" }, { recipientAccountId: "9a78" }, derived)).toEqual({ recipientAccount: "9a78" });
  });

  it("a lookup's result: all secret when an argument was, untouched otherwise", () => {
    expect(secretResult({ shares: [1], count: 1 }, { accountId: asSecret("a") })).toEqual({ shares: asSecret([1]), count: asSecret(1) });
    expect(secretResult({ shares: [1] }, { accountId: "a" })).toEqual({ shares: [1] });
    expect(isSecret(secretResult({ x: 1 }, { nested: { id: asSecret("a") } }).x)).toBe(true);
  });
});
