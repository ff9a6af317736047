// The error hierarchy: one factory maps statuses and Cloudflare codes to classes; instanceof works
// across duplicate copies of the module (Pulumi loads provider code more than once per process).
import * as errors from "../../provider/client/core/errors";
import { ApiError, AuthenticationError, CloudflareSharingError, ConflictError, NotFoundError, RateLimitError, ServerError, ValidationError } from "../../provider/client/core/errors";

const base = { method: "GET", path: "/accounts/a/shares/s" };

describe("ApiError.fromResponse", () => {
  it.each([
    [404, [], NotFoundError, "CF_SHARING_ERR_NOT_FOUND"],
    [400, [{ code: 1004, message: "Share not found" }], NotFoundError, "CF_SHARING_ERR_NOT_FOUND"],
    [401, [], AuthenticationError, "CF_SHARING_ERR_AUTHENTICATION"],
    [403, [{ code: 10000, message: "Authentication error" }], AuthenticationError, "CF_SHARING_ERR_AUTHENTICATION"],
    [400, [{ code: 10000, message: "Authentication error" }], AuthenticationError, "CF_SHARING_ERR_AUTHENTICATION"],
    [429, [], RateLimitError, "CF_SHARING_ERR_RATE_LIMIT"],
    [400, [], ValidationError, "CF_SHARING_ERR_VALIDATION"],
    [422, [], ValidationError, "CF_SHARING_ERR_VALIDATION"],
    [409, [], ConflictError, "CF_SHARING_ERR_CONFLICT"],
    [500, [], ServerError, "CF_SHARING_ERR_SERVER"],
    [503, [{ code: 1004, message: "odd" }], ServerError, "CF_SHARING_ERR_SERVER"],
    [418, [], ApiError, "CF_SHARING_ERR_API"],
  ] as const)("maps %i with %j to the right class", (status, cfErrors, errorClass, code) => {
    const error = ApiError.fromResponse({ ...base, status, errors: [...cfErrors] });
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toBeInstanceOf(CloudflareSharingError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe(code);
    expect(error.name).toBe(errorClass.name);
  });

  it("keeps unrelated classes apart", () => {
    const error = ApiError.fromResponse({ ...base, status: 404 });
    expect(error).not.toBeInstanceOf(RateLimitError);
    expect(error).not.toBeInstanceOf(ServerError);
    expect(new Error("x")).not.toBeInstanceOf(CloudflareSharingError);
    expect(null).not.toBeInstanceOf(CloudflareSharingError);
  });

  it("formats method, path, status, reason phrase and every Cloudflare error", () => {
    const error = ApiError.fromResponse({ ...base, status: 400, errors: [{ code: 1001, message: "bad name" }, { code: 1002, message: "bad list" }] });
    expect(error.message).toBe("GET /accounts/a/shares/s failed: 400 Bad Request: [1001] bad name; [1002] bad list");
  });

  it("carries retryAfterMs on rate-limit errors", () => {
    const error = ApiError.fromResponse({ ...base, status: 429, retryAfterMs: 120_000 }) as RateLimitError;
    expect(error.retryAfterMs).toBe(120_000);
    expect(error.message).toBe("GET /accounts/a/shares/s failed: 429 Too Many Requests (retry after 120 s)");
  });
});

describe("instanceof across duplicate copies of the module", () => {
  function loadCopy(): typeof errors {
    let copy!: typeof errors;
    jest.isolateModules(() => {
      copy = require("../../provider/client/core/errors");
    });
    return copy;
  }

  it("recognises an error made by another copy, and only as what it is", () => {
    const other = loadCopy();
    expect(other.NotFoundError).not.toBe(NotFoundError); // really a second copy
    const foreign = other.ApiError.fromResponse({ ...base, status: 404 });
    expect(foreign).toBeInstanceOf(NotFoundError);
    expect(foreign).toBeInstanceOf(ApiError);
    expect(foreign).toBeInstanceOf(CloudflareSharingError);
    expect(foreign).not.toBeInstanceOf(RateLimitError);
    const local = new errors.RequestTimeoutError("GET", "/x", 5);
    expect(local).toBeInstanceOf(other.RequestTimeoutError);
    expect(local).not.toBeInstanceOf(other.ConnectionError);
  });
});
