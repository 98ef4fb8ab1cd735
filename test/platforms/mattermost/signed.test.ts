import { describe, expect, it } from "vitest";
import { signingKeyOf, signPayload, verifyPayload } from "../../../src/platforms/mattermost/signed.js";
import { commandTokenOf, isCommandToken } from "../../../src/platforms/mattermost/verify-command.js";

const key = signingKeyOf("b".repeat(26), "c".repeat(26));
const now = 1_800_000_000_000;

describe("signPayload and verifyPayload", () => {
  it("gives back what was signed until its expiry, then says it expired", () => {
    const signed = signPayload(key, { a: "task_status_start", v: "page-1" }, now + 1_000);
    expect(verifyPayload(key, signed, now + 999)).toEqual({ ok: true, payload: { a: "task_status_start", v: "page-1" } });
    expect(verifyPayload(key, signed, now + 1_000)).toEqual({ ok: false, reason: "expired" });
  });

  it("calls forged a value changed anywhere (payload, expiry, signature), one signed with another key, or not one at all", () => {
    const signed = signPayload(key, { a: "x" }, now + 1_000);
    const [version, expiry, payload, mac] = signed.split(".") as [string, string, string, string];
    const other = signingKeyOf("b".repeat(26), "d".repeat(26));
    for (const value of [
      `${version}.${expiry}.${Buffer.from('{"a":"y"}').toString("base64url")}.${mac}`,
      `${version}.${(Number.parseInt(expiry, 36) + 1_000_000).toString(36)}.${payload}.${mac}`,
      `${version}.${expiry}.${payload}.${mac.slice(0, -1)}${mac.at(-1) === "A" ? "B" : "A"}`,
      `v2.${expiry}.${payload}.${mac}`,
      signPayload(other, { a: "x" }, now + 1_000),
      "",
      undefined,
      { signed },
      "a".repeat(20_000),
    ]) {
      expect(verifyPayload(key, value, now)).toEqual({ ok: false, reason: "forged" });
    }
  });

  it("retires every signed value when either token changes", () => {
    expect(signingKeyOf("b".repeat(26), "c".repeat(26)).equals(signingKeyOf("e".repeat(26), "c".repeat(26)))).toBe(false);
  });
});

describe("the slash command's token", () => {
  it("reads the Authorization header's Token first, else the form's token", () => {
    expect(commandTokenOf(new Headers({ authorization: "Token abc" }), new URLSearchParams("token=def"))).toBe("abc");
    expect(commandTokenOf(new Headers(), new URLSearchParams("token=def"))).toBe("def");
    expect(commandTokenOf(new Headers({ authorization: "Bearer abc" }), new URLSearchParams())).toBeUndefined();
  });

  it("takes only the exact token", () => {
    const token = "c".repeat(26);
    expect(isCommandToken(token, token)).toBe(true);
    for (const given of [undefined, "", token.slice(1), `${token}c`, token.toUpperCase()]) expect(isCommandToken(given, token)).toBe(false);
  });
});
