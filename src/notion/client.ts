/**
 * The Notion client as the bot uses it: bounded timeouts and retries, the 2025-09-03 data-source
 * API, and one error type with a narrow code so callers can say what went wrong in plain words.
 */
import type { Client } from "@notionhq/client";
import type { Logger } from "../log.js";

/** Per request; callers racing Slack's 3-second window add their own deadline on top. */
export const NOTION_TIMEOUT_MS = 8_000;

export type NotionErrorCode =
  /** The token is wrong or revoked. */
  | "unauthorized"
  /** The database (or page) does not exist or is not shared with the integration. */
  | "not_found"
  | "rate_limited"
  /** Notion refused the request's shape: usually the board's schema disagrees with the bot. */
  | "invalid_request"
  | "unavailable"
  | "timeout"
  | "network_error";

export class NotionStoreError extends Error {
  override readonly name = "NotionStoreError";
  constructor(
    readonly code: NotionErrorCode,
    message: string,
    options: { cause?: unknown; status?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.status = options.status;
  }
  readonly status: number | undefined;
}

export interface NotionClientOptions {
  token: string;
  baseUrl?: string | undefined;
  fetch?: typeof fetch;
  timeoutMs?: number;
  log?: Logger;
}

/** Loads @notionhq/client on first use and builds a client with bounds fit for a function. */
export async function createNotionClient(options: NotionClientOptions): Promise<Client> {
  const { Client, LogLevel } = await import("@notionhq/client");
  return new Client({
    auth: options.token,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    notionVersion: "2025-09-03",
    timeoutMs: options.timeoutMs ?? NOTION_TIMEOUT_MS,
    // The client's default honours Retry-After up to 60 s; two short retries fit inside a function.
    retry: { maxRetries: 2, initialRetryDelayMs: 300, maxRetryDelayMs: 1_500 },
    logLevel: LogLevel.ERROR,
    logger: (level, message, extraInfo) => {
      const fields = { notion_message: message, ...flattenExtra(extraInfo) };
      if (level === LogLevel.ERROR) options.log?.warn("notion.client", fields);
    },
  });
}

function flattenExtra(extra: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(extra)) {
    if (["code", "status", "method", "path", "request_id"].includes(key)) out[`notion_${key}`] = String(value);
  }
  return out;
}

/** Maps @notionhq/client's errors onto one narrow code, keeping the original as `cause`. */
export function toNotionStoreError(error: unknown, action: string): NotionStoreError {
  if (error instanceof NotionStoreError) return error;
  const code = error instanceof Error && "code" in error ? String(error.code) : undefined;
  const status = error instanceof Error && "status" in error && typeof error.status === "number" ? error.status : undefined;
  const mapped = mapNotionCode(code, status, error);
  return new NotionStoreError(mapped, `Notion ${action} failed: ${code ?? mapped}`, { cause: error, ...(status ? { status } : {}) });
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
    case "validation_error":
    case "invalid_request":
    case "invalid_json":
    case "invalid_request_url":
    case "conflict_error":
      return "invalid_request";
    case "notionhq_client_request_timeout":
      return "timeout";
  }
  if (status !== undefined) return status === 429 ? "rate_limited" : status >= 500 ? "unavailable" : "invalid_request";
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return "timeout";
  return "network_error";
}
