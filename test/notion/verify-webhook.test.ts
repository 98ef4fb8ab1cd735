import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkEventTime, MAX_EVENT_AGE_MS, signNotionBody, verifyNotionSignature } from "../../src/notion/verify-webhook.js";
import { binaryString } from "../../dev/hostile-payloads.js";

/** Signed with `openssl dgst -sha256 -hmac <secret>`, outside the code under test. */
const known = {
  secret: "secret_tMrlL1qK5vuQAh1b6cZGhFChZTSYJlce98V0pYn7yBl",
  body: '{"id":"0f6e0c4e-7e61-4b6e-9d2f-5c1d7a0b8e11","timestamp":"2025-10-01T09:00:00.000Z","type":"page.properties_updated"}',
  signature: "sha256=ea511034127f43e12a561dac88119fe683942ea2380128b760b307a2e23d0931",
};

const verify = (overrides: Partial<Parameters<typeof verifyNotionSignature>[0]> = {}) => verifyNotionSignature({ ...known, ...overrides });

describe("verifyNotionSignature", () => {
  it("accepts a body signed with the verification token, as openssl signs it", () => {
    expect(verify()).toEqual({ ok: true });
    expect(signNotionBody(known.secret, known.body)).toBe(known.signature);
  });

  it("rejects a request without X-Notion-Signature", () => {
    expect(verify({ signature: null })).toEqual({ ok: false, reason: "missing_signature" });
    expect(verify({ signature: "" })).toEqual({ ok: false, reason: "missing_signature" });
  });

  it("rejects a signature that is not sha256= and 64 lower-case hex digits", () => {
    expect(verify({ signature: known.signature.slice("sha256=".length) })).toEqual({ ok: false, reason: "malformed_signature" });
    expect(verify({ signature: known.signature.toUpperCase() })).toEqual({ ok: false, reason: "malformed_signature" });
    expect(verify({ signature: `${known.signature}0` })).toEqual({ ok: false, reason: "malformed_signature" });
  });

  it("rejects a body changed by one character, and another secret", () => {
    expect(verify({ body: known.body.replace("09:00", "09:01") })).toEqual({ ok: false, reason: "signature_mismatch" });
    expect(verify({ secret: `${known.secret}x` })).toEqual({ ok: false, reason: "signature_mismatch" });
  });

  it("never accepts a signature made with another secret, whatever the body", () => {
    fc.assert(
      fc.property(binaryString(200), fc.string({ minLength: 16, maxLength: 40 }), (body, other) => {
        fc.pre(other !== known.secret);
        expect(verify({ body, signature: signNotionBody(other, body) }).ok).toBe(false);
        expect(verify({ body, signature: signNotionBody(known.secret, body) }).ok).toBe(true);
      }),
    );
  });
});

describe("checkEventTime", () => {
  const now = Date.parse("2025-10-04T09:00:00Z");

  it("accepts an event from a moment ago and one Notion is still retrying a day later", () => {
    expect(checkEventTime({ timestamp: "2025-10-04T08:59:00.000Z", nowMs: now })).toEqual({ ok: true });
    expect(checkEventTime({ timestamp: "2025-10-03T08:00:00.000Z", nowMs: now })).toEqual({ ok: true });
  });

  it("refuses an event older than three days as stale: a replayed capture", () => {
    expect(checkEventTime({ timestamp: new Date(now - MAX_EVENT_AGE_MS - 1).toISOString(), nowMs: now })).toEqual({ ok: false, reason: "stale_event" });
  });

  it("refuses a timestamp more than five minutes ahead, and one that is not a date", () => {
    expect(checkEventTime({ timestamp: "2025-10-04T09:06:00.000Z", nowMs: now })).toEqual({ ok: false, reason: "event_from_the_future" });
    expect(checkEventTime({ timestamp: "2025-10-04T09:04:00.000Z", nowMs: now })).toEqual({ ok: true });
    expect(checkEventTime({ timestamp: "yesterday", nowMs: now })).toEqual({ ok: false, reason: "malformed_timestamp" });
  });
});
