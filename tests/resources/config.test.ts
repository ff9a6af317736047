// Where credentials come from, in which order, and that no value ever shows in the message.
import { currentBaseUrl, currentCredentials, MissingCredentialsError, rememberStackConfig } from "../../provider/config";

const ENV = ["CLOUDFLARE_API_TOKEN", "CLOUDFLARE_API_KEY", "CLOUDFLARE_EMAIL", "CLOUDFLARE_BASE_URL"] as const;
const saved: Record<string, string | undefined> = {};
const stackConfig = (values: Record<string, string>) => rememberStackConfig({ get: (key) => values[key] });

beforeEach(() => {
  for (const key of ENV) {
    saved[key] = process.env[key];
    delete process.env[key];
  }
  stackConfig({});
});
afterEach(() => {
  for (const key of ENV) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
  stackConfig({});
});

describe("credentials", () => {
  it("prefer stack config over the environment", () => {
    process.env.CLOUDFLARE_API_TOKEN = "env-token";
    stackConfig({ "cloudflare:apiToken": "config-token" });
    expect(currentCredentials()).toEqual({ apiToken: "config-token" });
  });

  it("fall back to the environment, token before key", () => {
    process.env.CLOUDFLARE_API_KEY = "env-key";
    process.env.CLOUDFLARE_EMAIL = "ops@example.com";
    expect(currentCredentials()).toEqual({ apiKey: "env-key", email: "ops@example.com" });
    process.env.CLOUDFLARE_API_TOKEN = "env-token";
    expect(currentCredentials()).toEqual({ apiToken: "env-token" });
  });

  it("take the legacy key only with its email", () => {
    stackConfig({ "cloudflare:apiKey": "config-key" });
    expect(() => currentCredentials()).toThrow(MissingCredentialsError);
    stackConfig({ "cloudflare:apiKey": "config-key", "cloudflare:email": "ops@example.com" });
    expect(currentCredentials()).toEqual({ apiKey: "config-key", email: "ops@example.com" });
  });

  it("say where to put them when missing, and never show a value", () => {
    process.env.CLOUDFLARE_API_KEY = "a-key-without-email";
    const error = (() => {
      try {
        currentCredentials();
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error?.message).toMatch(/pulumi config set --secret cloudflare:apiToken/);
    expect(error?.message).toMatch(/CLOUDFLARE_API_TOKEN/);
    expect(error?.message).not.toContain("a-key-without-email");
  });

  it("read the base URL from stack config, then the environment", () => {
    expect(currentBaseUrl()).toBeUndefined();
    process.env.CLOUDFLARE_BASE_URL = "http://127.0.0.1:1/client/v4";
    expect(currentBaseUrl()).toBe("http://127.0.0.1:1/client/v4");
    stackConfig({ "cloudflare:baseUrl": "http://127.0.0.1:2/client/v4" });
    expect(currentBaseUrl()).toBe("http://127.0.0.1:2/client/v4");
  });
});
