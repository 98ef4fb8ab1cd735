/**
 * A handler built in process, served on a loopback port: what lets an emulator that calls the bot
 * over HTTP (the Notion emulator's webhooks) reach the real handler in a test, as Netlify would, and
 * what serves every function in process for the sandbox (functions-in-process.ts).
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { Handler, InvocationContext } from "../src/handlers.js";

export interface ServedHandler {
  /** `http://127.0.0.1:<port>`: append the function's path. */
  origin: string;
  close(): Promise<void>;
}

/** Serves `handler` (with `context` as Netlify's, for its waitUntil) on `port` (0, the default: any free one) until closed. */
export async function serveHandler(handler: Handler, context: InvocationContext, options: { port?: number | undefined } = {}): Promise<ServedHandler> {
  const server = createServer((incoming, outgoing) => {
    void (async () => {
      const body = await readBody(incoming);
      const headers = new Headers();
      for (const [name, value] of Object.entries(incoming.headers)) {
        if (typeof value === "string") headers.set(name, value);
        else if (Array.isArray(value)) for (const one of value) headers.append(name, one);
      }
      const method = incoming.method ?? "GET";
      // The Host the client named, as netlify dev and Netlify keep it: the bot's own URLs (a Mattermost dialog's, a button's) are the request's origin.
      const request = new Request(`http://${incoming.headers.host ?? "127.0.0.1"}${incoming.url ?? "/"}`, { method, headers, ...(method === "GET" || method === "HEAD" ? {} : { body }) });
      const response = await handler(request, context);
      outgoing.writeHead(response.status, Object.fromEntries(response.headers)).end(await response.text());
    })().catch((error: unknown) => {
      if (!outgoing.headersSent) outgoing.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The whole request body as text. */
export function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}
