// The HTTP server: a loopback Cloudflare v4 API for Resource Sharing, with the §8 envelope, §9.2 rate
// limit, credentials (§1), fault injection, a request log, and the /__emulator/ control endpoints.

import { createHash } from "node:crypto";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { type DriftOperation, type EmulatorControl, type RequestLogEntry, applyDrift, createControl, snapshotState } from "./control";
import { ApiError, ERROR_CODES } from "./errors";
import { type RateLimitDecision, RateLimiter, rateLimitHeaders } from "./rate-limit";
import { RandomStreams, randomSeed } from "./rng";
import { isWriteMethod, resolveRoute } from "./routes";
import { DEFAULT_SETTINGS, type DeepPartial, type EmulatorSettings, mergeSettings } from "./settings";
import { Store } from "./store";
import { Query } from "./validation";

/** Where the Cloudflare API lives under the base URL (§1). */
export const API_PREFIX = "/client/v4";
/** Control endpoints: no auth, no rate limit, no log, no faults. */
export const CONTROL_PREFIX = "/__emulator";
const MAX_BODY_BYTES = 1 << 20;

export interface EmulatorOptions {
  /** Default 0 (ephemeral). */
  port?: number;
  /** Default "127.0.0.1". */
  host?: string;
  settings?: DeepPartial<EmulatorSettings>;
  /** ms clock; default Date.now. All status transitions are computed from it lazily. */
  now?: () => number;
  /** RNG seed for ranges, ids and fault draws (default: random). */
  seed?: number;
}

export interface RunningEmulator {
  /** Base URL, e.g. "http://127.0.0.1:PORT/client/v4". */
  url: string;
  port: number;
  control: EmulatorControl;
  /** Closes the server and every open socket. */
  stop(): Promise<void>;
}

/** The credential a request presented, identified without keeping the secret around. */
interface Credential {
  kind: "token" | "key" | "none";
  /** Rate-limit bucket: a hash, so secrets never sit in memory maps or logs. */
  bucket: string;
  token?: string;
  email?: string;
  key?: string;
}

type Fault = NonNullable<RequestLogEntry["fault"]>;

/**
 * Starts the emulator on loopback.
 *
 * @example
 * ```ts
 * const emulator = await startEmulator({ settings: { timings: FAST_TIMINGS }, seed: 1 });
 * const res = await fetch(`${emulator.url}/accounts/${accountId}/shares`, { headers: { Authorization: "Bearer t" } });
 * await emulator.stop();
 * ```
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  let settings = mergeSettings(DEFAULT_SETTINGS, options.settings);
  const now = options.now ?? Date.now;
  const random = new RandomStreams(options.seed ?? randomSeed());
  const store = new Store(() => settings, now, random);
  const limiter = new RateLimiter(() => settings.rateLimit);
  const log: RequestLogEntry[] = [];
  const control = createControl({
    store,
    limiter,
    log,
    getSettings: () => settings,
    setSettings: (next) => {
      settings = next;
    },
  });

  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://emulator").pathname;
    const handled = path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`)
      ? handleControl(req, res, path.slice(CONTROL_PREFIX.length), control)
      : handleApi(req, res);
    handled.catch((error: unknown) => {
      // Last resort: an emulator bug must still produce a Cloudflare-shaped answer.
      if (!res.headersSent && !res.destroyed) sendEnvelopeError(res, new ApiError(500, ERROR_CODES.serverError, String(error)), {});
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  async function handleApi(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://emulator");
    const method = (req.method ?? "GET").toUpperCase();
    const query = new Query(url.searchParams);
    const startedAt = performance.now();
    const entry: RequestLogEntry = { at: now(), method, path: url.pathname, query: query.toRecord(), status: 0, durationMs: 0 };
    const finish = (status: number, fault?: Fault) => {
      entry.status = status;
      if (fault) entry.fault = fault;
      entry.durationMs = performance.now() - startedAt;
      log.push(entry);
    };
    if (url.pathname !== API_PREFIX && !url.pathname.startsWith(`${API_PREFIX}/`)) {
      sendEnvelopeError(res, new ApiError(404, ERROR_CODES.noRoute, "No route for that URI"), {});
      return;
    }

    const rawBody = await readBody(req);
    const faults = settings.faults;
    const faultsApply = !faults.methods || faults.methods.map((m) => m.toUpperCase()).includes(method);
    // Draw every fault on every request so a run's sequence of draws does not depend on which faults are on.
    const latency = random.faults.draw(faults.latencyMs);
    const reset = random.faults.chance(faults.connectionResetRate);
    const serverError = random.faults.chance(faults.serverErrorRate);
    const serverErrorStatus = [500, 502, 503][Math.floor(random.faults.next() * 3)];
    const spurious429 = random.faults.chance(faults.rateLimitRate);
    const lostResponse = random.faults.chance(faults.lostPostResponseRate);
    let latencyFault: Fault | undefined;
    if (faultsApply && latency > 0) {
      await sleep(latency);
      latencyFault = "latency";
      if (res.destroyed) return finish(0, latencyFault);
    }

    if (!limiter.takeFromAddress(req.socket.remoteAddress ?? "", now())) {
      sendEnvelopeError(res, new ApiError(429, ERROR_CODES.rateLimited, `Too many requests from this address: at most ${settings.rateLimit.perSecond} a second`), { "Retry-After": "1" });
      return finish(429, latencyFault);
    }
    const credential = identify(req);
    const decision = limiter.take(credential.bucket, now());
    const headers = rateLimitHeaders(decision, settings.rateLimit.legacyHeaders, settings.rateLimit.countHeaders ?? true);
    if (!decision.allowed) {
      sendEnvelopeError(res, new ApiError(429, ERROR_CODES.rateLimited, "Rate limited. Please wait and consider throttling your request speed"), headers);
      return finish(429, latencyFault);
    }
    if (faultsApply && reset) {
      req.socket.destroy();
      return finish(0, "connection-reset");
    }
    if (faultsApply && serverError) {
      sendEnvelopeError(res, new ApiError(serverErrorStatus, ERROR_CODES.serverError, "Internal server error (injected)"), headers);
      return finish(serverErrorStatus, "server-error");
    }
    if (faultsApply && spurious429) {
      sendEnvelopeError(res, new ApiError(429, ERROR_CODES.rateLimited, "Rate limited (injected)"), spurious429Headers(decision, faults.rateLimitRetryAfterS, now(), settings.rateLimit.legacyHeaders, settings.rateLimit.countHeaders ?? true));
      return finish(429, "rate-limit");
    }

    let status: number;
    let body: string | undefined;
    try {
      authorize(credential, method, settings);
      const { handler, params } = resolveRoute(method, url.pathname.slice(API_PREFIX.length));
      const result = handler({ params, query, body: parseJson(rawBody), store, settings });
      status = result.status;
      body = status === 204 ? undefined : JSON.stringify(successEnvelope(result.result, result.resultInfo));
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError(500, ERROR_CODES.serverError, `Internal error: ${String(error)}`);
      status = apiError.status;
      body = JSON.stringify(failureEnvelope(apiError));
    }
    if (faultsApply && (faults.lostResponseMethods ?? ["POST"]).map((m) => m.toUpperCase()).includes(method) && lostResponse) {
      // Applied in full above; only the answer is lost.
      req.socket.destroy();
      return finish(0, "lost-response");
    }
    send(res, status, body, headers);
    finish(status, latencyFault);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("emulator: unexpected server address");
  const host = options.host ?? "127.0.0.1";
  const urlHost = host.includes(":") ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${address.port}${API_PREFIX}`,
    port: address.port,
    control,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

// ------------------------------------------------------------------------------------ control endpoints

async function handleControl(req: IncomingMessage, res: ServerResponse, path: string, control: EmulatorControl): Promise<void> {
  const method = (req.method ?? "GET").toUpperCase();
  const json = (status: number, value: unknown) => send(res, status, value === undefined ? undefined : JSON.stringify(value), {});
  try {
    const body = parseJson(await readBody(req));
    const route = `${method} ${path}`;
    switch (route) {
      case "GET /log":
        return json(200, control.requestLog());
      case "DELETE /log":
        control.clearLog();
        return json(204, undefined);
      case "POST /reset":
        control.reset();
        return json(204, undefined);
      case "GET /settings":
        return json(200, control.settings);
      case "POST /configure":
        control.configure(requireObject(body) as DeepPartial<EmulatorSettings>);
        return json(200, control.settings);
      case "GET /state":
        return json(200, { shares: snapshotState(control) });
      case "POST /seed":
        return json(201, control.seedShare(requireObject(body) as unknown as Parameters<EmulatorControl["seedShare"]>[0]));
      case "POST /drift":
        applyDrift(control, requireObject(body) as unknown as DriftOperation);
        return json(204, undefined);
      case "POST /recipient-errors": {
        const input = requireObject(body);
        if (input.clear === true) control.clearRecipientErrors();
        else control.injectRecipientError(input as unknown as Parameters<EmulatorControl["injectRecipientError"]>[0]);
        return json(204, undefined);
      }
      case "DELETE /recipient-errors":
        control.clearRecipientErrors();
        return json(204, undefined);
      default: {
        const history = /^GET \/history\/([^/]+)$/.exec(route);
        if (history) return json(200, control.history(decodeURIComponent(history[1])));
        return json(404, { error: `No control endpoint ${route}` });
      }
    }
  } catch (error) {
    return json(400, { error: error instanceof Error ? error.message : String(error) });
  }
}

function requireObject(value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("body must be a JSON object");
  return value as Record<string, unknown>;
}

// ------------------------------------------------------------------------------------ helpers

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Undefined for an empty body; 400 / 1001 for anything that is not JSON. */
function parseJson(raw: string): unknown {
  if (raw.trim() === "") return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new ApiError(400, ERROR_CODES.malformedBody, "Malformed JSON in request body");
  }
}

/** §1: a non-empty bearer token, else an X-Auth-Email + X-Auth-Key pair. */
function identify(req: IncomingMessage): Credential {
  const authorization = req.headers.authorization;
  const bearer = typeof authorization === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
  if (bearer) return { kind: "token", token: bearer[1], bucket: `token:${digest(bearer[1])}` };
  const email = req.headers["x-auth-email"];
  const key = req.headers["x-auth-key"];
  if (typeof email === "string" && email !== "" && typeof key === "string" && key !== "") {
    return { kind: "key", email, key, bucket: `key:${digest(`${email}\u0000${key}`)}` };
  }
  return { kind: "none", bucket: "anonymous" };
}

function digest(secret: string): string {
  return createHash("sha256").update(secret).digest("hex").slice(0, 24);
}

/**
 * Missing or unknown credentials → 401 / 10000; a read-only token on a write → 403 / 10000 (§1, §9.1:
 * the observed answer for a token without the edit permission). Messages never echo the credential.
 */
function authorize(credential: Credential, method: string, settings: EmulatorSettings): void {
  const { tokens, keys, readOnlyTokens } = settings.auth;
  const unauthenticated = () => new ApiError(401, ERROR_CODES.authentication, "Authentication error");
  if (credential.kind === "none") throw unauthenticated();
  if (credential.kind === "token") {
    const token = credential.token!;
    const readOnly = readOnlyTokens?.includes(token) ?? false;
    if (tokens && !tokens.includes(token) && !readOnly) throw unauthenticated();
    if (readOnly && isWriteMethod(method)) throw new ApiError(403, ERROR_CODES.authentication, "Authentication error");
    return;
  }
  if (keys && !keys.some((pair) => pair.email === credential.email && pair.key === credential.key)) throw unauthenticated();
}

function spurious429Headers(decision: RateLimitDecision, retryAfterS: number, now: number, legacyHeaders: boolean, countHeaders: boolean): Record<string, string> {
  return {
    ...rateLimitHeaders(decision, legacyHeaders, countHeaders),
    "Retry-After": String(retryAfterS),
    ...(legacyHeaders ? { "X-RateLimit-Reset": new Date(now + retryAfterS * 1000).toUTCString() } : {}),
  };
}

/** §8 success envelope; `result_info` only on collections. */
function successEnvelope(result: unknown, resultInfo?: object): object {
  const envelope: Record<string, unknown> = { success: true, errors: [], messages: [], result: result ?? null };
  if (resultInfo) envelope.result_info = resultInfo;
  return envelope;
}

/** §8 failure envelope: `success: false`, at least one error, `result: null`. */
function failureEnvelope(error: ApiError): object {
  const item: Record<string, unknown> = { code: error.code, message: error.message };
  if (error.pointer) item.source = { pointer: error.pointer };
  return { success: false, errors: [item], messages: [], result: null };
}

function sendEnvelopeError(res: ServerResponse, error: ApiError, headers: Record<string, string>): void {
  send(res, error.status, JSON.stringify(failureEnvelope(error)), headers);
}

function send(res: ServerResponse, status: number, body: string | undefined, headers: Record<string, string>): void {
  if (res.destroyed || res.headersSent) return;
  const allHeaders: Record<string, string | number> = { ...headers };
  if (body !== undefined) {
    allHeaders["Content-Type"] = "application/json; charset=utf-8";
    allHeaders["Content-Length"] = Buffer.byteLength(body);
  }
  res.writeHead(status, allHeaders);
  res.end(body);
}
