/**
 * Discord's request signature: Ed25519 by the application's public key over X-Signature-Timestamp
 * followed by the raw body (docs.discord.com/developers/interactions/overview, "Setting Up an
 * Endpoint"). Discord sends probes with bad signatures and removes an endpoint that accepts one, so
 * every failure here is a 401 with no other effect. node:crypto verifies Ed25519 with no dependency.
 */
import { createPublicKey, verify, type KeyObject } from "node:crypto";

/**
 * How far a signed timestamp may be from now. Discord documents none and sends at once; the window
 * bounds a captured request's replay, as Slack's five minutes do (every interaction is also claimed
 * once by its id, so a replay inside the window does nothing twice).
 */
export const MAX_TIMESTAMP_SKEW_SECONDS = 5 * 60;

export type DiscordVerifyFailure = "missing_headers" | "malformed_signature" | "malformed_timestamp" | "stale_timestamp" | "signature_mismatch";

export type DiscordVerifyResult = { ok: true } | { ok: false; reason: DiscordVerifyFailure };

/** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): the 32 raw key bytes follow it. */
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

/**
 * The application's public key (DISCORD_PUBLIC_KEY: 64 hex characters, as the Developer Portal
 * shows it) as a KeyObject; build it once per runtime. Throws a TypeError for anything else.
 */
export function discordPublicKey(hex: string): KeyObject {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new TypeError("DISCORD_PUBLIC_KEY is not 64 hex characters");
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, "hex")]), format: "der", type: "spki" });
}

export interface DiscordVerifyInput {
  publicKey: KeyObject;
  /** The raw body's bytes as received (a string is taken as its UTF-8): Discord signs bytes. */
  body: Uint8Array | string;
  signature: string | null;
  timestamp: string | null;
  /** Milliseconds since the epoch; injectable so tests can stand at any moment. */
  nowMs: number;
}

/**
 * Checks a request against Discord's Ed25519 signature. Nothing secret is compared (the key is
 * public and the check is the signature equation), so no constant-time compare is needed; the
 * header shapes are checked first so malformed input never reaches the verifier.
 */
export function verifyDiscordSignature(input: DiscordVerifyInput): DiscordVerifyResult {
  const { signature, timestamp } = input;
  // 1. Both headers must be there.
  if (!signature || !timestamp) return { ok: false, reason: "missing_headers" };
  // 2. An Ed25519 signature is 64 bytes: 128 hex digits, nothing else.
  if (!/^[0-9a-fA-F]{128}$/.test(signature)) return { ok: false, reason: "malformed_signature" };
  // 3. The timestamp is whole seconds since the epoch.
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: "malformed_timestamp" };
  // 4. Near now, so a captured request cannot be replayed later.
  if (Math.abs(input.nowMs / 1000 - Number(timestamp)) > MAX_TIMESTAMP_SKEW_SECONDS) return { ok: false, reason: "stale_timestamp" };
  // 5. Ed25519 over the timestamp's bytes followed by the body's.
  const body = typeof input.body === "string" ? Buffer.from(input.body, "utf8") : input.body;
  const message = Buffer.concat([Buffer.from(timestamp, "utf8"), body]);
  const matches = verify(null, message, input.publicKey, Buffer.from(signature, "hex"));
  return matches ? { ok: true } : { ok: false, reason: "signature_mismatch" };
}
