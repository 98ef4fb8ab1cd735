import { createHmac, timingSafeEqual } from "node:crypto";

/** Slack's replay window: a request signed more than five minutes away from now is refused. */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

export type VerifyFailure =
  | "missing_headers"
  | "malformed_signature"
  | "malformed_timestamp"
  | "stale_timestamp"
  | "signature_mismatch";

export type VerifyResult = { ok: true } | { ok: false; reason: VerifyFailure };

export interface VerifyInput {
  signingSecret: string;
  /**
   * The raw body exactly as received: Slack signs bytes, not text. A string is taken as its UTF-8
   * bytes (what a test or a tool signs); a request's body is passed as the bytes themselves, since
   * decoding first would turn bytes that are not UTF-8 into U+FFFD and break a correct signature.
   */
  body: Uint8Array | string;
  signature: string | null;
  timestamp: string | null;
  /** Milliseconds since the epoch; injectable so tests can stand at any moment. */
  nowMs: number;
}

/** Checks a request against Slack's v0 signing scheme (docs: "Verifying requests from Slack"). */
export function verifySlackSignature(input: VerifyInput): VerifyResult {
  const { signature, timestamp } = input;
  // 1. Both headers must be there.
  if (!signature || !timestamp) return { ok: false, reason: "missing_headers" };
  // 2. The signature is "v0=" and 64 hex digits; anything else cannot match.
  if (!/^v0=[0-9a-f]{64}$/.test(signature)) return { ok: false, reason: "malformed_signature" };
  // 3. The timestamp is whole seconds since the epoch.
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: "malformed_timestamp" };
  // 4. Within five minutes either side of now, so a captured request cannot be replayed later.
  const skewSeconds = Math.abs(input.nowMs / 1000 - Number(timestamp));
  if (skewSeconds > MAX_CLOCK_SKEW_SECONDS) return { ok: false, reason: "stale_timestamp" };
  // 5. HMAC-SHA256 over "v0:{timestamp}:" and the body's bytes, compared in constant time.
  const expected = signSlackRequest(input.signingSecret, timestamp, input.body);
  const matches = timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
  return matches ? { ok: true } : { ok: false, reason: "signature_mismatch" };
}

/** The X-Slack-Signature value Slack would send for this body (its bytes, or a string's UTF-8) and timestamp. */
export function signSlackRequest(signingSecret: string, timestamp: string, body: Uint8Array | string): string {
  return `v0=${createHmac("sha256", signingSecret).update(`v0:${timestamp}:`).update(body).digest("hex")}`;
}
