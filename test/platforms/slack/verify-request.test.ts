import { createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { signSlackRequest, verifySlackSignature } from "../../../src/platforms/slack/verify-request.js";

/** The example from Slack's "Verifying requests from Slack". */
const documented = {
  signingSecret: "8f742231b10e8888abcd99yyyzzz85a5",
  timestamp: "1531420618",
  body:
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar" +
    "&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com" +
    "%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c",
  signature: "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
};
const thatMoment = 1531420618 * 1000;

function verify(overrides: Partial<Parameters<typeof verifySlackSignature>[0]> = {}) {
  return verifySlackSignature({ ...documented, nowMs: thatMoment, ...overrides });
}

describe("verifySlackSignature", () => {
  it("accepts Slack's documented example at the moment it was signed", () => {
    expect(verify()).toEqual({ ok: true });
  });

  it("rejects Slack's documented example with today's clock", () => {
    expect(verify({ nowMs: Date.now() })).toEqual({ ok: false, reason: "stale_timestamp" });
  });

  it("rejects a request without a signature header", () => {
    expect(verify({ signature: null })).toEqual({ ok: false, reason: "missing_headers" });
  });

  it("rejects a request without a timestamp header", () => {
    expect(verify({ timestamp: null })).toEqual({ ok: false, reason: "missing_headers" });
  });

  it("rejects a signature that is not v0= and 64 hex digits", () => {
    expect(verify({ signature: "v1=abc" })).toEqual({ ok: false, reason: "malformed_signature" });
    expect(verify({ signature: documented.signature.toUpperCase() })).toEqual({ ok: false, reason: "malformed_signature" });
  });

  it("rejects a non-numeric timestamp", () => {
    expect(verify({ timestamp: "1531420618.5" })).toEqual({ ok: false, reason: "malformed_timestamp" });
    expect(verify({ timestamp: "soon" })).toEqual({ ok: false, reason: "malformed_timestamp" });
  });

  it("rejects a timestamp older than five minutes", () => {
    expect(verify({ nowMs: thatMoment + 301_000 })).toEqual({ ok: false, reason: "stale_timestamp" });
  });

  it("rejects a timestamp more than five minutes in the future", () => {
    expect(verify({ nowMs: thatMoment - 301_000 })).toEqual({ ok: false, reason: "stale_timestamp" });
  });

  it("accepts a timestamp just inside the five-minute window", () => {
    expect(verify({ nowMs: thatMoment + 299_000 })).toEqual({ ok: true });
  });

  it("rejects a tampered body", () => {
    expect(verify({ body: documented.body.replace("roadrunner", "coyote") })).toEqual({ ok: false, reason: "signature_mismatch" });
  });

  it("rejects the right signature made with another secret", () => {
    expect(verify({ signingSecret: "another-secret-of-some-length" })).toEqual({ ok: false, reason: "signature_mismatch" });
  });

  it("accepts any body signed with the secret, and no other signature for it", () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 16 }), fc.stringMatching(/^[0-9a-f]{64}$/), (body, secret, forged) => {
        const timestamp = "1531420618";
        const signature = signSlackRequest(secret, timestamp, body);
        expect(verifySlackSignature({ signingSecret: secret, body, signature, timestamp, nowMs: thatMoment }).ok).toBe(true);
        const wrong = `v0=${forged}`;
        if (wrong !== signature) {
          expect(verifySlackSignature({ signingSecret: secret, body, signature: wrong, timestamp, nowMs: thatMoment }).ok).toBe(false);
        }
      }),
    );
  });

  it("verifies the bytes as sent: a correctly signed body that is not UTF-8 passes", () => {
    const bytes = Buffer.concat([Buffer.from("command=%2Ftask&text=caf"), Buffer.from([0xe9, 0xff, 0xfe]), Buffer.from("&user_id=U1")]);
    const timestamp = documented.timestamp;
    // Signed as Slack signs: HMAC over "v0:{timestamp}:" followed by the raw bytes.
    const signature = `v0=${createHmac("sha256", documented.signingSecret).update(Buffer.concat([Buffer.from(`v0:${timestamp}:`), bytes])).digest("hex")}`;
    expect(verify({ body: bytes, signature })).toEqual({ ok: true });
    // The same body decoded first (0xff becomes U+FFFD) no longer matches: decoding before verifying is the bug.
    expect(verify({ body: bytes.toString("utf8"), signature })).toEqual({ ok: false, reason: "signature_mismatch" });
  });

  it("signs a string as its UTF-8 bytes, so text and bytes agree", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (text) => {
        expect(signSlackRequest("secret-0123456789", "1531420618", text)).toBe(signSlackRequest("secret-0123456789", "1531420618", Buffer.from(text, "utf8")));
      }),
    );
  });
});
