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

/** A value as stored, with the etag a conditional write must match to replace it. */
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

/** Builds the store. Nothing is loaded or fetched until a method is called. */
export function createBlobsStore(options: StoreOptions = {}): Store {
  const timeoutMs = options.timeoutMs ?? STORE_TIMEOUT_MS;
  const baseFetch = options.fetch ?? fetch;

  /**
   * The client for one call. Each request is aborted at the call's deadline or the store's timeout
   * (a socket never outlives it), and a call makes one attempt: @netlify/blobs retries a failed
   * request (an error, a 429 or a 5xx) five times, 5 s apart (1 ms under NODE_ENV=test), so an
   * 800 ms call, or one inside a request's deadline, could take half a minute. The first failure
   * is kept as the call's outcome and the SDK is handed an answer it does not retry.
   */
  async function client(budget: CallBudget | undefined): Promise<{ store: BlobStore; attempt: Attempt }> {
    const { getStore } = await import("@netlify/blobs");
    // Taken once the client is loaded: loading it on a cold start spends the deadline too.
    const ms = Math.ceil(Math.min(timeoutMs, budget?.deadline?.remainingMs() ?? timeoutMs));
    if (ms <= 0) throw new StoreError("timeout", "no time left for the store");
    // Within a deadline, one moment for every request the call makes (a second gets what the first
    // left); otherwise each request gets the store's timeout.
    const until = budget?.deadline ? performance.now() + ms : undefined;
    const attempt: Attempt = {};
    const bounded: typeof fetch = async (input, init = {}) => {
      if (attempt.failed) return NOT_RETRIED();
      // AbortSignal.timeout takes whole milliseconds only.
      const timeout = AbortSignal.timeout(until === undefined ? ms : Math.max(0, Math.ceil(until - performance.now())));
      try {
        const response = await baseFetch(input, { ...init, signal: init.signal ? AbortSignal.any([init.signal, timeout]) : timeout });
        if (response.status !== 429 && response.status < 500) return response;
        await response.body?.cancel().catch(() => undefined);
        attempt.failed = { error: new StoreError("unavailable", `store: answered ${response.status}`) };
      } catch (error) {
        attempt.failed = { error };
      }
      return NOT_RETRIED();
    };
    try {
      const store = getStore({
        name: STORE_NAME,
        consistency: "strong",
        fetch: bounded,
        ...(options.connection ? { ...options.connection, uncachedEdgeURL: options.connection.edgeURL } : {}),
      });
      return { store, attempt };
    } catch (error) {
      // MissingBlobsEnvironmentError: neither the environment nor the options say where the store is.
      throw new StoreError("not_configured", "Netlify Blobs is not configured here", { cause: error });
    }
  }

  async function run<T>(what: string, budget: CallBudget | undefined, work: (store: BlobStore) => Promise<T>): Promise<T> {
    let attempt: Attempt | undefined;
    try {
      const built = await client(budget);
      attempt = built.attempt;
      const value = await work(built.store);
      // What the SDK made of the stand-in answer is not an outcome: the failure is.
      if (attempt.failed) throw attempt.failed.error;
      return value;
    } catch (error) {
      throw toStoreError(what, attempt?.failed ? attempt.failed.error : error);
    }
  }

  return {
    read: <T>(key: string, budget?: CallBudget) =>
      run(`reading ${key}`, budget, async (store) => {
        const found = await store.getWithMetadata(key, { type: "json" });
        if (!found) return undefined;
        return { value: found.data as T, etag: found.etag ?? "" };
      }),
    write: (key, value, condition = {}, budget) =>
      run(`writing ${key}`, budget, async (store) => {
        const conditions = condition.onlyIfMatch ? { onlyIfMatch: condition.onlyIfMatch } : condition.onlyIfNew ? { onlyIfNew: true } : {};
        const result = await store.setJSON(key, value, conditions);
        return result.modified ? (result.etag ?? "") : undefined;
      }),
    delete: (key, budget) => run(`deleting ${key}`, budget, (store) => store.delete(key)),
    list: (prefix, listOptions = {}) =>
      run(`listing ${prefix}`, undefined, async (store) => {
        const result = await store.list({ prefix, ...(listOptions.directories ? { directories: true } : {}) });
        return { keys: result.blobs.map((blob) => blob.key), directories: result.directories };
      }),
  };
}

/** A call's first failure (an error, or a 429 or 5xx answer), which ends it. */
interface Attempt {
  failed?: { error: unknown };
}

/**
 * What the SDK gets instead of a failed request: an answer it neither retries (not 429 or 5xx) nor
 * reads as "absent" (404) or "condition failed" (412). It only ends the SDK's call; run() reports
 * the failure itself.
 */
const NOT_RETRIED = () => new Response(null, { status: 400, statusText: "failed attempt, not retried" });

function toStoreError(what: string, error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  const name = error instanceof Error ? error.name : "";
  if (name === "TimeoutError" || name === "AbortError") return new StoreError("timeout", `store: ${what} timed out`, { cause: error });
  // @netlify/blobs throws BlobsInternalError with the HTTP status of a refused request.
  const status = error instanceof Error && "status" in error && typeof error.status === "number" ? error.status : undefined;
  if (status !== undefined && status < 500) return new StoreError("refused", `store: ${what} refused (${status})`, { cause: error });
  return new StoreError("unavailable", `store: ${what} failed`, { cause: error });
}
