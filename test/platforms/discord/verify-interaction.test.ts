import { describe, expect, it } from "vitest";
import { discordPublicKey, verifyDiscordSignature } from "../../../src/platforms/discord/verify-interaction.js";
import { discordKeyPair, discordSignedHeaders } from "../../../dev/discord-signed.js";

const pair = discordKeyPair();
const publicKey = discordPublicKey(pair.publicKeyHex);
const body = JSON.stringify({ type: 1, id: "1", application_id: "2" });
const nowMs = 1_780_000_000_000;
const timestamp = Math.floor(nowMs / 1000);

function input(overrides: { body?: string | Uint8Array; signature?: string | null; timestamp?: string | null; nowMs?: number } = {}) {
  const headers = discordSignedHeaders(body, pair.privateKey, { timestamp });
  return {
    publicKey,
    body: overrides.body ?? body,
    signature: overrides.signature === undefined ? (headers["x-signature-ed25519"] ?? null) : overrides.signature,
    timestamp: overrides.timestamp === undefined ? (headers["x-signature-timestamp"] ?? null) : overrides.timestamp,
    nowMs: overrides.nowMs ?? nowMs,
  };
}

describe("verifyDiscordSignature", () => {
  it("accepts a body signed with the application's key over the timestamp and the body", () => {
    expect(verifyDiscordSignature(input())).toEqual({ ok: true });
  });

  it("accepts the body's bytes as well as its text", () => {
    expect(verifyDiscordSignature(input({ body: new TextEncoder().encode(body) }))).toEqual({ ok: true });
  });

  it("rejects a body changed by one character", () => {
    expect(verifyDiscordSignature(input({ body: body.replace('"1"', '"7"') }))).toEqual({ ok: false, reason: "signature_mismatch" });
  });

  it("rejects a signature made over another timestamp", () => {
    expect(verifyDiscordSignature(input({ timestamp: String(timestamp + 1) }))).toEqual({ ok: false, reason: "signature_mismatch" });
  });

  it("rejects a signature made with another key", () => {
    const other = discordKeyPair();
    const signature = discordSignedHeaders(body, other.privateKey, { timestamp })["x-signature-ed25519"] ?? null;
    expect(verifyDiscordSignature(input({ signature }))).toEqual({ ok: false, reason: "signature_mismatch" });
  });

  it("rejects a timestamp more than five minutes from now", () => {
    expect(verifyDiscordSignature(input({ nowMs: nowMs + 301_000 }))).toEqual({ ok: false, reason: "stale_timestamp" });
    expect(verifyDiscordSignature(input({ nowMs: nowMs - 301_000 }))).toEqual({ ok: false, reason: "stale_timestamp" });
  });

  it("rejects missing headers, a signature that is not 128 hex digits, and a timestamp that is not whole seconds", () => {
    expect(verifyDiscordSignature(input({ signature: null }))).toEqual({ ok: false, reason: "missing_headers" });
    expect(verifyDiscordSignature(input({ timestamp: "" }))).toEqual({ ok: false, reason: "missing_headers" });
    const good = input().signature ?? "";
    expect(verifyDiscordSignature(input({ signature: `${good.slice(0, 127)}z` }))).toEqual({ ok: false, reason: "malformed_signature" });
    expect(verifyDiscordSignature(input({ signature: good.slice(0, 126) }))).toEqual({ ok: false, reason: "malformed_signature" });
    expect(verifyDiscordSignature(input({ signature: `${good}00` }))).toEqual({ ok: false, reason: "malformed_signature" });
    expect(verifyDiscordSignature(input({ timestamp: `${timestamp}.5` }))).toEqual({ ok: false, reason: "malformed_timestamp" });
  });
});

describe("discordPublicKey", () => {
  it("takes the Developer Portal's 64 hex characters, either case", () => {
    expect(discordPublicKey(pair.publicKeyHex.toUpperCase()).asymmetricKeyType).toBe("ed25519");
  });

  it("refuses a key of the wrong length or with characters that are not hex", () => {
    expect(() => discordPublicKey(pair.publicKeyHex.slice(2))).toThrow(TypeError);
    expect(() => discordPublicKey(`${pair.publicKeyHex}00`)).toThrow(TypeError);
    expect(() => discordPublicKey(`${pair.publicKeyHex.slice(1)}g`)).toThrow(TypeError);
  });
});
