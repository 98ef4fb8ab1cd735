/**
 * The store: state every instance shares, in Netlify Blobs (the platform's own store), read and
 * written with strong consistency and conditional writes. On Netlify the function's environment
 * configures it; under `netlify dev` the CLI's local Blobs server does; tests pass a loopback
 * BlobsServer. @netlify/blobs is loaded on first use, so a path that never touches the store never
 * pays for it.
 */
import type { Store as BlobStore } from "@netlify/blobs";

/** The store's name, as `netlify blobs:list chatops` names it. */
export const STORE_NAME = "chatops";

/** Per store request; a caller on the acknowledgement path passes what is left of its deadline instead. */
export const STORE_TIMEOUT_MS = 800;

export type StoreErrorCode = "timeout" | "unavailable" | "refused" | "not_configured";

/** A store request that failed: `code` says how; `cause` keeps the client's error. */
export class StoreError extends Error {
  override readonly name = "StoreError";
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
  }
}

/** A value as stored, with the etag a conditional write must match to replace it ("" when the store gave none). */
export interface Entry<T> {
  value: T;
  etag: string;
}

export interface WriteCondition {
  /** Write only if the key does not exist yet. */
  onlyIfNew?: boolean;
  /** Write only if the entry still has this etag (nobody wrote it since it was read). */
  onlyIfMatch?: string;
}

export interface CallBudget {
  /** A deadline to stop at, as well as the store's own timeout. */
  deadline?: { remainingMs(): number } | undefined;
}

/** The operations the bot needs, each rejecting with StoreError. */
export interface Store {
  read<T>(key: string, budget?: CallBudget): Promise<Entry<T> | undefined>;
  /** Resolves with the new etag when written, or undefined when a condition did not hold. */
  write<T>(key: string, value: T, condition?: WriteCondition, budget?: CallBudget): Promise<string | undefined>;
  delete(key: string, budget?: CallBudget): Promise<void>;
  /** Keys under a prefix, and the "directories" one level down when `directories` is set. */
  list(prefix: string, options?: { directories?: boolean }): Promise<{ keys: string[]; directories: string[] }>;
  /**
   * Runs `work` when no other work on `key` is running in this instance, then the next. The store's
   * conditional writes keep instances apart; this keeps one instance's own concurrent requests from
   * even racing (and the local Blobs server of netlify dev checks a condition and writes in two steps).
   */
  exclusive<T>(key: string, work: () => Promise<T>): Promise<T>;
}

/** Where the store lives when the environment does not say (tests, and tools outside a function). */
export interface BlobsConnection {
  siteID: string;
  token: string;
  /** The Blobs edge URL, such as a loopback BlobsServer's `http://127.0.0.1:<port>`. */
  edgeURL: string;
}

export interface StoreOptions {
  /** Omit on Netlify and under netlify dev, where the environment configures Blobs. */
  connection?: BlobsConnection | undefined;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/**
 * Builds the store. Nothing is loaded or fetched until a method is called.
 *
 * Each operation has one deadline (the store's timeout, or what is left of the request's): its
 * requests are aborted there, and it fails at once on a 429 or 5xx. @netlify/blobs would otherwise
 * retry five times, 5 s apart, which no acknowledgement can wait for; the caller has a fallback.
 */
export function createBlobsStore(options: StoreOptions = {}): Store {
  const timeoutMs = options.timeoutMs ?? STORE_TIMEOUT_MS;
  const baseFetch = options.fetch ?? fetch;
  const running = new Map<string, Promise<unknown>>();

  async function run<T>(what: string, budget: CallBudget | undefined, work: (store: BlobStore) => Promise<T>): Promise<T> {
    const ms = Math.min(timeoutMs, budget?.deadline?.remainingMs() ?? timeoutMs);
    if (ms <= 0) throw new StoreError("timeout", `store: no time left for ${what}`);
    const operation = new AbortController();
    let fail: (error: StoreError) => void = () => {};
    const failed = new Promise<never>((_resolve, reject) => (fail = reject));
    failed.catch(() => undefined);
    const bounded: typeof fetch = async (input, init = {}) => {
      const signal = init.signal ? AbortSignal.any([init.signal, operation.signal]) : operation.signal;
      const response = await baseFetch(input, { ...init, signal });
      if (response.status === 429 || response.status >= 500) fail(new StoreError("unavailable", `store: ${what} answered ${response.status}`));
      return response;
    };
    const timer = setTimeout(() => {
      operation.abort(new DOMException("store deadline", "TimeoutError"));
      fail(new StoreError("timeout", `store: ${what} timed out after ${Math.round(ms)} ms`));
    }, ms);
    try {
      const { getStore } = await import("@netlify/blobs");
      let store: BlobStore;
      try {
        store = getStore({
          name: STORE_NAME,
          consistency: "strong",
          fetch: bounded,
          ...(options.connection ? { ...options.connection, uncachedEdgeURL: options.connection.edgeURL } : {}),
        });
      } catch (error) {
        // MissingBlobsEnvironmentError: neither the environment nor the options say where the store is.
        throw new StoreError("not_configured", "Netlify Blobs is not configured here", { cause: error });
      }
      const working = work(store);
      // Once this operation has failed, the client's own retries end on its aborted signal, unheard.
      working.catch(() => undefined);
      return await Promise.race([working, failed]);
    } catch (error) {
      throw toStoreError(what, error);
    } finally {
      clearTimeout(timer);
      operation.abort();
    }
  }

  return {
    read: <T>(key: string, budget?: CallBudget) =>
      run(`reading ${key}`, budget, async (store) => {
        const found = await store.getWithMetadata(key, { type: "json" });
        if (!found) return undefined;
        // The local Blobs server (netlify dev) sends no etag with an entry, but lists it with one.
        const etag = found.etag ?? (await store.list({ prefix: key })).blobs.find((blob) => blob.key === key)?.etag;
        return { value: found.data as T, etag: etag ?? "" };
      }),
    write: (key, value, condition = {}, budget) =>
      run(`writing ${key}`, budget, async (store) => {
        // Without the etag it was read with, a conditional write cannot be one: never write unconditionally instead.
        if (condition.onlyIfMatch === "") throw new StoreError("unavailable", `store: no etag to write ${key} over`);
        const conditions = condition.onlyIfMatch ? { onlyIfMatch: condition.onlyIfMatch } : condition.onlyIfNew ? { onlyIfNew: true } : {};
        const result = await store.setJSON(key, value, conditions);
        return result.modified ? (result.etag ?? "") : undefined;
      }),
    delete: (key, budget) => run(`deleting ${key}`, budget, (store) => store.delete(key)),
    async exclusive<T>(key: string, work: () => Promise<T>): Promise<T> {
      const before = running.get(key);
      const mine = (async () => {
        await before?.catch(() => undefined);
        return work();
      })();
      running.set(key, mine);
      try {
        return await mine;
      } finally {
        if (running.get(key) === mine) running.delete(key);
      }
    },
    list: (prefix, listOptions = {}) =>
      run(`listing ${prefix}`, undefined, async (store) => {
        const result = await store.list({ prefix, ...(listOptions.directories ? { directories: true } : {}) });
        return { keys: result.blobs.map((blob) => blob.key), directories: result.directories };
      }),
  };
}

function toStoreError(what: string, error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  const name = error instanceof Error ? error.name : "";
  if (name === "TimeoutError" || name === "AbortError") return new StoreError("timeout", `store: ${what} timed out`, { cause: error });
  // @netlify/blobs throws BlobsInternalError with the HTTP status of a refused request.
  const status = error instanceof Error && "status" in error && typeof error.status === "number" ? error.status : undefined;
  if (status !== undefined && status < 500) return new StoreError("refused", `store: ${what} refused (${status})`, { cause: error });
  return new StoreError("unavailable", `store: ${what} failed`, { cause: error });
}
