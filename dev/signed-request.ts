/** Requests signed exactly as Slack signs them (v0, HMAC-SHA256), for the handlers in process and for a served bot. */
import { signSlackRequest } from "../src/platforms/slack/verify-request.js";
import { isRecord } from "./is-record.js";

export const TEST_SIGNING_SECRET = "test-signing-secret-0123456789abcdef";

/** The content type of a command or interaction body: Slack posts them as a form. */
export const FORM_CONTENT = { "content-type": "application/x-www-form-urlencoded" } as const;

export interface SignOptions {
  secret?: string;
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
}

/** The headers Slack sends with a form body (text, or bytes as sent): content type, X-Slack-Request-Timestamp and X-Slack-Signature. */
export function signedHeaders(body: string | Uint8Array, options: SignOptions = {}): Record<string, string> {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  return {
    ...FORM_CONTENT,
    "x-slack-request-timestamp": timestamp,
    "x-slack-signature": signSlackRequest(options.secret ?? TEST_SIGNING_SECRET, timestamp, body),
  };
}

/** A signed POST of a form body, for calling a handler in process; `headers` are added last (to break them). */
export function signedRequest(body: string | Uint8Array, options: SignOptions & { url?: string; headers?: Record<string, string> } = {}): Request {
  return new Request(options.url ?? "http://localhost/slack", {
    method: "POST",
    headers: { ...signedHeaders(body, options), ...options.headers },
    body,
  });
}

/** What the bot answered Slack: the status, the body, and the body as a JSON object when it is one. */
export interface SlackAnswer {
  status: number;
  text: string;
  json: Record<string, unknown> | undefined;
}

/** Reads a response into a SlackAnswer; a body that is not a JSON object leaves `json` undefined. */
export async function readAnswer(response: Response): Promise<SlackAnswer> {
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, text, json: isRecord(parsed) ? parsed : undefined };
}

/** The content type of an Events API body: Slack posts events as JSON, commands and interactivity as a form. */
export const JSON_CONTENT = { "content-type": "application/json" } as const;

/**
 * POSTs a signed body (a form unless `headers` say otherwise) to a served bot (netlify dev) and reads
 * its answer; times out after `timeoutMs` (15 s). `headers` are added last (a JSON content type,
 * Slack's X-Slack-Retry-Num).
 */
export async function sendSigned(url: string, body: string, options: SignOptions & { timeoutMs?: number; headers?: Record<string, string> } = {}): Promise<SlackAnswer> {
  const response = await fetch(url, {
    method: "POST",
    headers: { ...signedHeaders(body, options), ...options.headers },
    body,
    // Slack gives up after 3 s; waiting longer shows a slow answer rather than losing it.
    signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
  });
  return readAnswer(response);
}
