/**
 * The real Netlify Blobs server (`@netlify/blobs/server`, the one `netlify dev` runs), file-backed in
 * a folder, on loopback, behind a small proxy where tests inject the store's faults: refused (an
 * HTTP status), slow, silent until the client gives up, or unreachable. Point the bot at it with
 * `connection` (RuntimeOptions.blobs).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, request as forward, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlobsServer } from "@netlify/blobs/server";
import type { BlobsConnection } from "../src/store/store.js";

export type BlobsFault =
  | { kind: "status"; status: number }
  /**
   * Reaches the store `ms` later, whatever its sender did meanwhile: a slow store, where a write the
   * client gave up on still lands. Without `ms`, held until `releaseHeld()`: the test, not a timer,
   * says when it lands (after the sender settled, say).
   */
  | { kind: "delay"; ms?: number }
  /**
   * Carried out at once, answered `ms` later: a write that lands although its answer comes too late.
   * Without `ms`, never answered: the sender's timeout fires however long it is, so a test can give
   * the store's healthy calls seconds and still reach "no answer".
   */
  | { kind: "late"; ms?: number }
  | { kind: "hang" }
  | { kind: "drop" };

export interface BlobsEmulator {
  /** What RuntimeOptions.blobs takes: the proxy's URL, a site id and the token. */
  connection: BlobsConnection;
  /** Every request through the proxy: method and path (`/<site>/<store>/<key>`). */
  requests: { method: string; path: string }[];
  /**
   * Queues a fault for the next `times` requests (default 1; Infinity for all), of one HTTP method only
   * when `method` is given, to one entry only when `key` is (the key as the bot names it, `board/refresh`).
   * A test whose fault is meant for one call names its key: a request an earlier step gave up on can
   * still reach the proxy late, and would otherwise take the fault.
   */
  fail(fault: BlobsFault, options?: { times?: number; method?: string; key?: string }): void;
  clearFaults(): void;
  /** Requests held by a "hang" fault whose connection is still open: a client that gave up must have closed its own. */
  hangingConnections(): number;
  /**
   * Sends on the requests a `delay` fault without `ms` holds; resolves with how many, once the store
   * has answered each (so what they wrote, or were refused, is in the store).
   */
  releaseHeld(): Promise<number>;
  close(): Promise<void>;
}

export interface BlobsEmulatorOptions {
  /** Where the entries are kept; a fresh temporary folder (removed on close) by default. */
  directory?: string;
  siteID?: string;
}

/** Starts a BlobsServer and its proxy on loopback ports. */
export async function startBlobsEmulator(options: BlobsEmulatorOptions = {}): Promise<BlobsEmulator> {
  const ownDirectory = options.directory === undefined;
  const directory = options.directory ?? mkdtempSync(join(tmpdir(), "chatops-blobs-"));
  const token = "dev-blobs-token";
  const server = new BlobsServer({ directory, token, logger: () => {} });
  const { port: serverPort } = await server.start();
  const faults: { fault: BlobsFault; left: number; method: string | undefined; key: string | undefined }[] = [];
  const requests: { method: string; path: string }[] = [];
  const sockets = new Set<Socket>();
  const hanging = new Set<Socket>();
  const held: (() => Promise<void>)[] = [];
  /** The conditional write under way per key path, which the next one to that key waits for. */
  const conditionalWrites = new Map<string, Promise<void>>();

  const proxy = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    requests.push({ method: incoming.method ?? "GET", path: (incoming.url ?? "").split("?")[0] ?? "" });
    const method = (incoming.method ?? "GET").toUpperCase();
    const key = keyOf(incoming.url ?? "");
    const index = faults.findIndex((queued) => (queued.method === undefined || queued.method === method) && (queued.key === undefined || queued.key === key));
    const next = index === -1 ? undefined : faults[index];
    const fault = next?.fault;
    if (next && --next.left <= 0) faults.splice(index, 1);
    /**
     * Forwards the request at once; its answer reaches the sender `answerAfterMs` later, or never
     * ("never"). Conditional writes to one key go to the server one at a time: Netlify's Blobs API
     * applies a condition and its write as one step, the local server checks, then writes.
     */
    const pass = (answerAfterMs: number | "never") => {
      const path = (incoming.url ?? "").split("?")[0] ?? "";
      const conditional = method === "PUT" && (incoming.headers["if-match"] !== undefined || incoming.headers["if-none-match"] !== undefined);
      const before = conditional ? conditionalWrites.get(path) : undefined;
      let finished: () => void = () => {};
      const mine = new Promise<void>((resolve) => (finished = resolve));
      if (conditional) conditionalWrites.set(path, mine);
      const send = () => {
        const upstream = forward({ host: "127.0.0.1", port: serverPort, method: incoming.method, path: incoming.url, headers: incoming.headers }, (answer) => {
          finished();
          if (conditionalWrites.get(path) === mine) conditionalWrites.delete(path);
          if (answerAfterMs === "never") return void answer.resume();
          setTimeout(() => {
            outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(outgoing);
          }, answerAfterMs);
        });
        upstream.on("error", () => {
          finished();
          outgoing.destroy();
        });
        incoming.pipe(upstream);
      };
      if (before) void before.then(send);
      else send();
    };
    switch (fault?.kind) {
      case "status":
        incoming.resume();
        outgoing.writeHead(fault.status, { "content-type": "text/plain" }).end("fault injected");
        return;
      case "delay": {
        // Held whole, then sent on: a sender that gave up does not take back what the store already had.
        const chunks: Buffer[] = [];
        incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
        incoming.once("end", () => {
          const send = () => sendLater(incoming, outgoing, Buffer.concat(chunks));
          if (fault.ms === undefined) held.push(send);
          else setTimeout(() => void send(), fault.ms);
        });
        return;
      }
      case "late":
        pass(fault.ms ?? "never");
        return;
      case "hang":
        incoming.resume();
        hanging.add(incoming.socket);
        incoming.socket.once("close", () => hanging.delete(incoming.socket));
        return;
      case "drop":
        incoming.socket.destroy();
        return;
      default:
        pass(0);
    }
  });
  /** Sends a held request to the store; its answer reaches the sender if the sender is still there. Resolves once the store answered. */
  function sendLater(incoming: IncomingMessage, outgoing: ServerResponse, body: Buffer): Promise<void> {
    return new Promise((resolve) => {
      const upstream = forward({ host: "127.0.0.1", port: serverPort, method: incoming.method, path: incoming.url, headers: incoming.headers }, (answer) => {
        resolve();
        if (outgoing.destroyed) return void answer.resume();
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      });
      upstream.on("error", () => {
        resolve();
        outgoing.destroy();
      });
      upstream.end(body);
    });
  }
  proxy.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const proxyPort = (proxy.address() as AddressInfo).port;

  return {
    connection: { siteID: options.siteID ?? "chatops-dev", token, edgeURL: `http://127.0.0.1:${proxyPort}` },
    requests,
    fail(fault, { times = 1, method, key } = {}) {
      faults.push({ fault, left: times, method: method?.toUpperCase(), key });
    },
    clearFaults() {
      faults.length = 0;
    },
    hangingConnections: () => [...hanging].filter((socket) => !socket.destroyed).length,
    async releaseHeld() {
      const sends = held.splice(0);
      await Promise.all(sends.map((send) => send()));
      return sends.length;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      await server.stop();
      if (ownDirectory) rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** The entry a request is for: its path is `/<site>/<store>/<key>`, each part URL-encoded; undefined for a listing. */
function keyOf(url: string): string | undefined {
  const parts = (url.split("?")[0] ?? "").split("/").slice(3);
  if (parts.length === 0) return undefined;
  try {
    return parts.map((part) => decodeURIComponent(part)).join("/");
  } catch {
    return undefined;
  }
}
