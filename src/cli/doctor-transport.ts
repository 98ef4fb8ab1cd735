/**
 * What every doctor check that calls Slack or Notion shares: how long a call may take, and what to
 * say when a call did not get through (as opposed to an answer that says what is wrong).
 */
import type { NotionStoreError } from "../notion/client.js";
import type { SlackApiError } from "../platforms/slack/client.js";

/** How a check calls Slack or Notion: `fetch` for tests; `timeoutMs` per call (DEFAULT_TIMEOUT_MS when unset). */
export interface CallOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** Per Slack or Notion call, unless DoctorOptions.timeoutMs says otherwise. */
export const DEFAULT_TIMEOUT_MS = 10_000;

export const AGAIN = "then run npm run doctor again";

/** Whether the call failed on the way (timeout, network, 5xx, rate limit) rather than being answered. */
export function isTransportFailure(error: SlackApiError | NotionStoreError): boolean {
  return ["timeout", "network_error", "http_error", "unavailable", "rate_limited"].includes(error.code);
}

/** What to do about a failure on the way: wait (rate limit), or check the network and `urlVariable`. */
export function transportFix(error: SlackApiError | NotionStoreError, urlVariable: string): string {
  if (error.code === "rate_limited") return `wait a minute, ${AGAIN}`;
  return `check the network connection (and ${urlVariable}, if it is set), ${AGAIN}`;
}
