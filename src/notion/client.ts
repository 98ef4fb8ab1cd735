/**
 * The Notion client as the bot uses it: the 2025-09-03 data-source API, every request aborted at its
 * deadline, bounded retries the bot decides (with an injectable sleep), and one error type with a
 * narrow code so callers can say what went wrong in plain words.
 */
import type { Client, LogLevel } from "@notionhq/client";
import type { Logger } from "../log.js";
import type { Pacer } from "./pace-requests.js";

/** Per request; callers racing Slack's 3-second window wait less, and the request goes on after. */
export const NOTION_TIMEOUT_MS = 8_000;

/**
 * Retries of a request Notion refused without doing it (429, 529; 500 and 503 on a GET). A wait
 * longer than this is not cut short: a Retry-After of 5 s honoured as 1.5 s would only draw a
 * second 429, so the request fails as `rate_limited` at once and the caller says "try again".
 */
export const NOTION_RETRY = { maxRetries: 2, firstDelayMs: 300, maxDelayMs: 1_500 } as const;

export type NotionErrorCode =
  /** The token is wrong or revoked. */
  | "unauthorized"
  /** The database (or page) does not exist or is not shared with the integration. */
  | "not_found"
  | "rate_limited"
  /** Notion refused the request's shape: usually the board's schema disagrees with the bot. */
  | "invalid_request"
  /** Notion refused a text over its length limit (2,000 UTF-16 units a rich text item). */
  | "too_long"
  /** 409 conflict_error: a concurrent change; Notion wrote nothing and asks for a retry. */
  | "conflict"
  | "unavailable"
  | "timeout"
  | "network_error"
  /**
   * A write got no answer (a 5xx, a timeout, a reset) and the look for what it did failed too: it
   * may have landed. Never "not saved"; set by the task store, never by a single call.
   */
  | "unconfirmed";

/**
 * Which text Notion refused as too long, read from its validation message: `field` is "description"
 * (the page body) or the board property's name, undefined when the path says neither; `limit` in
 * UTF-16 units, as Notion counts.
 */
export interface LengthRefusal {
  field: string | undefined;
  limit: number;
}

/** A failed Notion call, with a narrow code and Notion's HTTP status when there was one; `cause` keeps the SDK's error. */
export class NotionStoreError extends Error {
  override readonly name = "NotionStoreError";
  constructor(
    readonly code: NotionErrorCode,
    message: string,
    options: { cause?: unknown; status?: number; tooLong?: LengthRefusal; retryAfterSeconds?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.status = options.status;
    this.tooLong = options.tooLong;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
  readonly status: number | undefined;
  /** For `too_long`: which text, and Notion's limit. */
  readonly tooLong: LengthRefusal | undefined;
  /** For `rate_limited`: how long Notion asked the bot to wait (its Retry-After), in whole seconds. */
  readonly retryAfterSeconds: number | undefined;
}

export interface NotionClientOptions {
  token: string;
  baseUrl?: string | undefined;
  fetch?: typeof fetch;
  /** Each HTTP request is aborted after this many ms (its socket closed), retries counted apart. */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  log?: Logger;
  /** Paces requests under Notion's rate (pace-requests.ts); each request's timeout starts when its turn comes. */
  pacer?: Pacer;
}

/**
 * @notionhq/client's two modules the bot uses, not its index: the index (CommonJS, which a bundler
 * cannot shake) also brings the SDK's pagination and type-guard helpers, its webhook signing and
 * its meeting-notes filters, none of which the bot calls. The package has no `exports` map, so Node
 * resolves these paths as the index itself requires them; typecheck fails if a release moves them.
 */
async function loadNotionSdk(): Promise<{ Client: typeof Client; LogLevel: typeof LogLevel }> {
  const [clientModule, { LogLevel }] = await Promise.all([import("@notionhq/client/build/src/Client.js"), import("@notionhq/client/build/src/logging.js")]);
  // Client.js sets `exports.default`. Imported from an ES module, Node's default is the whole
  // `exports` (esbuild does the same for a "type": "module" package); a loader that honours
  // `__esModule` would give the class itself. Either way, the class.
  const exported = clientModule.default as typeof Client | { default: typeof Client };
  return { Client: "default" in exported ? exported.default : exported, LogLevel };
}

/** Loads @notionhq/client on first use and builds a client whose every request is bounded. */
export async function createNotionClient(options: NotionClientOptions): Promise<Client> {
  const { Client, LogLevel } = await loadNotionSdk();
  const timeoutMs = options.timeoutMs ?? NOTION_TIMEOUT_MS;
  return new Client({
    auth: options.token,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    fetch: boundedFetch(options.fetch ?? fetch, { timeoutMs, sleep: options.sleep ?? defaultSleep, pacer: options.pacer }),
    notionVersion: "2025-09-03",
    // The SDK's own timer only stops waiting and leaves the socket open; boundedFetch aborts the
    // request itself, first. The SDK's retries are off: boundedFetch retries with the bot's rules.
    timeoutMs: timeoutMs + 1_000,
    retry: false,
    logLevel: LogLevel.ERROR,
    logger: (level, message, extraInfo) => {
      const fields = { notion_message: message, ...flattenExtra(extraInfo) };
      if (level === LogLevel.ERROR) options.log?.warn("notion.client", fields);
    },
  });
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * `fetch` with a deadline per attempt (AbortSignal: the socket is closed, not left to the peer) and
 * Notion's retry rules: a 429 or 529 is retried for any method, since Notion did nothing; a 500 or
 * 503 only for a read (a GET, or a POST that only reads: a query or a search), since a write may
 * have been carried out. A Retry-After over the cap is not retried.
 */
export function boundedFetch(fetchImpl: typeof fetch, options: { timeoutMs: number; sleep: (ms: number) => Promise<void>; pacer?: Pacer | undefined }): typeof fetch {
  return async (input, init = {}) => {
    const reads = isReadRequest(input, init);
    for (let attempt = 0; ; attempt++) {
      // The deadline starts when the request is sent: its wait for a turn in the pacing line is not the request's.
      const sending = options.pacer ? await options.pacer.take(input, init) : undefined;
      const signal = init.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(options.timeoutMs)]) : AbortSignal.timeout(options.timeoutMs);
      let answered: Response | undefined;
      let response: Response;
      try {
        response = answered = await fetchImpl(input, { ...init, signal });
      } finally {
        sending?.(answered);
      }
      const retryable = response.status === 429 || response.status === 529 || (reads && (response.status === 500 || response.status === 503));
      if (!retryable || attempt >= NOTION_RETRY.maxRetries) return response;
      const waitMs = retryAfterMs(response.headers.get("retry-after")) ?? NOTION_RETRY.firstDelayMs * 2 ** attempt;
      if (waitMs > NOTION_RETRY.maxDelayMs) return response;
      // The refused answer's body is not read: release its connection before waiting.
      await response.body?.cancel().catch(() => undefined);
      await options.sleep(waitMs);
    }
  };
}

/** Notion's POST endpoints that only read: a data source's or database's query, and search. */
const READING_POST = /\/v1\/(?:data_sources\/[^/]+\/query|databases\/[^/]+\/query|search)$/;

/** Whether a request to Notion only reads: a GET, or a POST that queries or searches (a write is anything else). */
export function isReadRequest(input: string | URL | Request, init: RequestInit = {}): boolean {
  const method = (init.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
  return method === "GET" || (method === "POST" && READING_POST.test(new URL(input instanceof Request ? input.url : String(input)).pathname));
}

/** Retry-After in ms, from seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function flattenExtra(extra: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(extra)) {
    if (["code", "status", "method", "path", "request_id"].includes(key)) out[`notion_${key}`] = String(value).slice(0, 200);
  }
  return out;
}

/** Runs one Notion call on the client `client()` gives; rejects with NotionStoreError (toNotionStoreError) whatever fails. */
export async function notionCall<T>(client: () => Promise<Client>, action: string, work: (client: Client) => Promise<T>): Promise<T> {
  try {
    return await work(await client());
  } catch (error) {
    throw toNotionStoreError(error, action);
  }
}

/** Maps @notionhq/client's errors (and fetch's) onto one narrow code, keeping the original as `cause`. */
export function toNotionStoreError(error: unknown, action: string): NotionStoreError {
  if (error instanceof NotionStoreError) return error;
  const code = error instanceof Error && "code" in error ? String(error.code) : undefined;
  const status = error instanceof Error && "status" in error && typeof error.status === "number" ? error.status : undefined;
  const mapped = mapNotionCode(code, status, error);
  const tooLong = mapped === "too_long" && error instanceof Error ? readLengthRefusal(error.message) : undefined;
  const retryAfter = mapped === "rate_limited" ? retryAfterMs(headerOf(error, "retry-after")) : undefined;
  return new NotionStoreError(mapped, `Notion ${action} failed: ${code ?? mapped}`, {
    cause: error,
    ...(status ? { status } : {}),
    ...(tooLong ? { tooLong } : {}),
    ...(retryAfter !== undefined ? { retryAfterSeconds: Math.ceil(retryAfter / 1000) } : {}),
  });
}

/** A response header the SDK's error kept (APIResponseError.headers), or null. */
function headerOf(error: unknown, name: string): string | null {
  const headers: unknown = error instanceof Error && "headers" in error ? error.headers : undefined;
  const get = typeof headers === "object" && headers !== null && "get" in headers ? headers.get : undefined;
  const value: unknown = typeof get === "function" ? get.call(headers, name) : null;
  return typeof value === "string" ? value : null;
}

/** Notion's validation message for a text over its limit: "….length should be ≤ `2000`, instead was `4000`." */
const LENGTH_REFUSAL = /length should be ≤/;

/**
 * Which text a length refusal names: "body.children[3].paragraph.rich_text[0].text.content.length
 * should be ≤ `2000`" is the page body (the description); "body.properties.Name.title[0]…" is the
 * property Name. A name with anything but letters, digits, spaces and - _ . is left out: it is shown
 * to people, in mrkdwn too.
 */
export function readLengthRefusal(message: string): LengthRefusal | undefined {
  const refusal = /(body\.\S.*?)\.length should be ≤ `(\d+)`/.exec(message);
  if (!refusal) return undefined;
  const [, path = "", limit = ""] = refusal;
  const property = /^body\.properties\.(.+?)\.(?:title|rich_text|url|email|phone_number)\b/.exec(path)?.[1];
  const field = path.startsWith("body.children") ? "description" : property !== undefined && /^[\p{L}\p{N} _.-]{1,50}$/u.test(property) ? property : undefined;
  return { field, limit: Number(limit) };
}

function mapNotionCode(code: string | undefined, status: number | undefined, error: unknown): NotionErrorCode {
  switch (code) {
    case "unauthorized":
      return "unauthorized";
    case "object_not_found":
    case "restricted_resource":
      return "not_found";
    case "rate_limited":
      return "rate_limited";
    case "conflict_error":
      return "conflict";
    case "validation_error":
      return error instanceof Error && LENGTH_REFUSAL.test(error.message) ? "too_long" : "invalid_request";
    case "invalid_request":
    case "invalid_json":
    case "invalid_request_url":
      return "invalid_request";
    case "notionhq_client_request_timeout":
      return "timeout";
  }
  if (status !== undefined) return status === 429 ? "rate_limited" : status >= 500 ? "unavailable" : "invalid_request";
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return "timeout";
  return "network_error";
}
