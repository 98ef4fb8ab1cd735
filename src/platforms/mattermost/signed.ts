/**
 * What the bot signs itself: a dialog's `state` and a button's `context`. Mattermost signs neither
 * its dialog submissions nor its button actions (only the slash command carries a token), so the
 * bot trusts nothing in them but what it wrote and signed: an HMAC-SHA256 over the payload and its
 * expiry, keyed from both of its Mattermost secrets, compared in constant time. Pure; clock passed in.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

/** `v1.<expiry ms, base 36>.<payload, base64url JSON>.<HMAC, base64url>`. */
const VERSION = "v1";
/** A signed value longer than this is not ours (it is read before it is verified). */
const MAX_SIGNED_LENGTH = 16_000;

/** The key: an HMAC of a fixed label under the bot token and the command token, so a change of either retires every signed value. */
export function signingKeyOf(botToken: string, commandToken: string): Buffer {
  return createHmac("sha256", `${botToken}\n${commandToken}`).update("chatops/mattermost/signed/v1").digest();
}

/** Signs `payload` (flat strings) to be valid until `expiresAt` (ms since the epoch). */
export function signPayload(key: Buffer, payload: Readonly<Record<string, string>>, expiresAt: number): string {
  const body = `${VERSION}.${Math.floor(expiresAt).toString(36)}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}`;
  return `${body}.${mac(key, body)}`;
}

export type Verified = { ok: true; payload: Record<string, string> } | { ok: false; reason: "forged" | "expired" };

/**
 * The payload of a value signPayload wrote, if its signature holds and it is not past `nowMs`:
 * 1. the shape (four parts, the version), 2. the HMAC in constant time (anything else is "forged"),
 * 3. the expiry ("expired", only once the signature holds), 4. the payload's JSON (flat strings).
 */
export function verifyPayload(key: Buffer, signed: unknown, nowMs: number): Verified {
  if (typeof signed !== "string" || signed.length > MAX_SIGNED_LENGTH) return { ok: false, reason: "forged" };
  const parts = signed.split(".");
  if (parts.length !== 4 || parts[0] !== VERSION) return { ok: false, reason: "forged" };
  const [, expiry, encoded, signature] = parts as [string, string, string, string];
  const expected = Buffer.from(mac(key, `${VERSION}.${expiry}.${encoded}`));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "forged" };
  const expiresAt = Number.parseInt(expiry, 36);
  if (!Number.isFinite(expiresAt) || nowMs >= expiresAt) return { ok: false, reason: "expired" };
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(encoded, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "forged" };
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload) || !Object.values(payload).every((value) => typeof value === "string")) return { ok: false, reason: "forged" };
  return { ok: true, payload: payload as Record<string, string> };
}

function mac(key: Buffer, body: string): string {
  return createHmac("sha256", key).update(body).digest("base64url");
}
