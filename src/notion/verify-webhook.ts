/**
 * Notion's integration webhooks, checked as Notion signs them (developers.notion.com/reference/webhooks,
 * "Validating event payloads"): `X-Notion-Signature: sha256=<hex>`, the HMAC-SHA256 of the raw body
 * keyed with the subscription's verification_token (NOTION_WEBHOOK_SECRET here).
 *
 * Unlike Slack, Notion signs no timestamp header, so a captured request stays valid. What limits a
 * replay is in the signed body: each event's `timestamp` (when it happened) bounds how late it may
 * come (`checkEventTime`), and its `id` and `attempt_number` are claimed once (the handler): Notion's
 * own redelivery of an event carries the next attempt number, so the same id with the same attempt
 * a second time is a copy, not Notion.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export type NotionVerifyFailure = "missing_signature" | "malformed_signature" | "signature_mismatch";

export type NotionVerifyResult = { ok: true } | { ok: false; reason: NotionVerifyFailure };

export interface NotionVerifyInput {
  /** NOTION_WEBHOOK_SECRET: the verification_token of the subscription. */
  secret: string;
  /** The raw body exactly as received: Notion signs bytes, not parsed JSON or decoded text. */
  body: Uint8Array | string;
  /** The X-Notion-Signature header. */
  signature: string | null;
}

/** Checks a request against Notion's signature, in constant time. */
export function verifyNotionSignature(input: NotionVerifyInput): NotionVerifyResult {
  const { signature } = input;
  // 1. The header must be there.
  if (!signature) return { ok: false, reason: "missing_signature" };
  // 2. It is "sha256=" and 64 hex digits; anything else cannot match.
  if (!/^sha256=[0-9a-f]{64}$/.test(signature)) return { ok: false, reason: "malformed_signature" };
  // 3. HMAC-SHA256 of the raw body keyed with the secret, compared in constant time.
  const expected = signNotionBody(input.secret, input.body);
  return timingSafeEqual(Buffer.from(expected), Buffer.from(signature)) ? { ok: true } : { ok: false, reason: "signature_mismatch" };
}

/** The X-Notion-Signature value Notion would send for this body (bytes, or text sent as UTF-8). */
export function signNotionBody(secret: string, body: Uint8Array | string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/**
 * How late an event may arrive. Notion tries a delivery up to 8 times, backing off over about a day;
 * three days leaves room for that and for an outage on either side, and stays inside the window in
 * which the handler's claims remember an event id (EVENT_CLAIM_HORIZON_MS), so an older copy is
 * never mistaken for a new event.
 */
export const MAX_EVENT_AGE_MS = 3 * 24 * 3_600_000;
/** A timestamp this far ahead of our clock is not Notion's (clocks drift by seconds, not minutes). */
export const MAX_EVENT_AHEAD_MS = 5 * 60_000;

export type EventTimeResult = { ok: true } | { ok: false; reason: "stale_event" | "event_from_the_future" | "malformed_timestamp" };

/** Whether an authentic event's `timestamp` is recent enough to act on. */
export function checkEventTime(input: { timestamp: string; nowMs: number }): EventTimeResult {
  const at = Date.parse(input.timestamp);
  if (Number.isNaN(at)) return { ok: false, reason: "malformed_timestamp" };
  if (input.nowMs - at > MAX_EVENT_AGE_MS) return { ok: false, reason: "stale_event" };
  if (at - input.nowMs > MAX_EVENT_AHEAD_MS) return { ok: false, reason: "event_from_the_future" };
  return { ok: true };
}
