// A tiny real HTTP server on loopback that answers from a script (octokit's fake-transport idea, but
// over real TCP so undici, timeouts and connection resets behave as in production).
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { Socket } from "node:net";

export interface RecordedRequest {
  method: string;
  path: string;
  /** Raw query string without "?", to check serialization exactly. */
  rawQuery: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A scripted answer: a response, a destroyed socket, or no answer at all. */
export type Reply = { status: number; headers?: Record<string, string>; body?: unknown } | { reset: true } | { hang: true };

export interface ScriptedServer {
  /** Base URL to give the client (no trailing slash). */
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export type Handler = (request: RecordedRequest, index: number) => Reply | Promise<Reply>;

export async function startScriptedServer(handler: Handler): Promise<ScriptedServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const url = new URL(req.url ?? "/", "http://scripted");
      const recorded: RecordedRequest = {
        method: req.method ?? "GET",
        path: url.pathname,
        rawQuery: url.search.replace(/^\?/, ""),
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(recorded);
      const reply = await handler(recorded, requests.length - 1);
      if ("reset" in reply) return void req.socket.destroy();
      if ("hang" in reply) return;
      const body = reply.body === undefined ? undefined : typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
      res.writeHead(reply.status, { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...reply.headers });
      res.end(body);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}/client/v4`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Replies in order, then `fallback` for every later request. */
export function replay(replies: Reply[], fallback: Reply): Handler {
  return (_request, index) => replies[index] ?? fallback;
}

/** A Cloudflare success envelope. */
export function ok(result: unknown, extra: Record<string, unknown> = {}, status = 200): Reply {
  return { status, body: { success: true, errors: [], messages: [], result, ...extra } };
}

/** A Cloudflare failure envelope. */
export function fail(status: number, code: number, message: string, headers: Record<string, string> = {}): Reply {
  return { status, headers, body: { success: false, errors: [{ code, message }], messages: [], result: null } };
}

/** Path of a request below the /client/v4 prefix. */
export function apiPath(request: RecordedRequest): string {
  return request.path.replace(/^\/client\/v4/, "");
}
