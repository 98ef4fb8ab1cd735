/**
 * Every Netlify function of netlify/functions, built with its own `build(options)` and served on a
 * loopback port the way netlify dev routes them: a function with a `config.path` at that path, a
 * scheduled one at `/.netlify/functions/<name>`. What netlify dev adds (a fresh worker per request,
 * bundling, its Blobs server) is left out, so a test driving many requests through the sandbox runs
 * in a fraction of the time; test/e2e keeps netlify dev itself under test.
 */
import { readdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { AppOptions, Handler, InvocationContext } from "../src/handlers.js";
import { startBlobsEmulator, type BlobsEmulator } from "./blobs-server.js";
import { serveHandler } from "./serve-handler.js";

const FUNCTIONS_DIR = fileURLToPath(new URL("../netlify/functions/", import.meta.url));

/** What the sandbox needs of whatever serves the functions (netlify dev, or this). */
export interface FunctionsServer {
  url: string;
  /** Each line the functions log (their JSON lines), as netlify dev would print them. */
  onLine(listener: (line: string) => void): void;
  output(): string;
  /** No .env file is read here, so none is ignored. */
  ignoredEnvFileVariables(): string[];
  /** Never resolves before stop(): nothing here exits by itself. */
  exited: Promise<void>;
  /**
   * Requests being handled and deferred work not yet done: 0 when the bot is done, which the
   * sandbox's waiting CLI reads instead of guessing from a quiet time. netlify dev cannot say.
   */
  busy?(): number;
  stop(): Promise<void>;
}

interface FunctionModule {
  build: (options?: AppOptions) => Handler;
  config?: { path?: string; schedule?: string };
}

/**
 * Serves every function with `env` on `port` (0: any free one), with a Blobs server of its own in
 * `blobsDirectory` (a temporary one by default), and `storeTimeoutMs` per store call when given (the
 * store's own 800 ms otherwise).
 */
export async function serveFunctionsInProcess(env: Record<string, string>, options: { port?: number; blobsDirectory?: string; storeTimeoutMs?: number } = {}): Promise<FunctionsServer> {
  const blobs: BlobsEmulator = await startBlobsEmulator(options.blobsDirectory ? { directory: options.blobsDirectory } : {});
  const lines: string[] = [];
  const listeners: ((line: string) => void)[] = [];
  const logSink = (line: string) => {
    lines.push(line);
    for (const listener of listeners) listener(line);
  };
  const pending = new Set<Promise<unknown>>();
  const context: InvocationContext = {
    waitUntil: (promise) => {
      pending.add(promise);
      void promise.finally(() => pending.delete(promise));
    },
  };
  let handling = 0;
  const routes = new Map<string, Handler>();

  // netlify dev's routing: a function's own path, else a 404.
  const dispatch: Handler = async (request, context) => {
    const handler = routes.get(new URL(request.url).pathname);
    // Bytes, not a string: a string body would add a text/plain content type to the bare 404.
    if (!handler) return new Response(new TextEncoder().encode("Not found"), { status: 404 });
    handling += 1;
    try {
      return await handler(request, context);
    } finally {
      handling -= 1;
    }
  };
  const served = await serveHandler(dispatch, context, { port: options.port });
  // The functions are built once the server listens: like netlify dev, it sets the site's URL (its
  // own origin) unless one is given, which a post made without a request (a Mattermost
  // announcement's buttons) posts back to.
  const siteEnv = { ...env, URL: env["URL"] ? env["URL"] : served.origin };
  for (const file of readdirSync(FUNCTIONS_DIR).filter((name) => name.endsWith(".ts"))) {
    const module = (await import(pathToFileURL(`${FUNCTIONS_DIR}${file}`).href)) as FunctionModule;
    const handler = module.build({ env: siteEnv, blobs: blobs.connection, logSink, ...(options.storeTimeoutMs !== undefined ? { storeTimeoutMs: options.storeTimeoutMs } : {}) });
    const path = module.config?.path ?? `/.netlify/functions/${file.slice(0, -3)}`;
    routes.set(path, handler);
  }
  let stopped: () => void = () => {};
  const exited = new Promise<void>((resolve) => (stopped = resolve));
  return {
    url: served.origin,
    onLine: (listener) => void listeners.push(listener),
    output: () => lines.join("\n"),
    ignoredEnvFileVariables: () => [],
    exited,
    busy: () => handling + pending.size,
    async stop() {
      await Promise.allSettled([...pending]);
      await served.close();
      await blobs.close();
      stopped();
    },
  };
}
