import { describe, expect, it } from "vitest";
import { connectorClaims, signJwt, teamsKeyPair } from "../../../dev/teams-signed.js";
import { bearerToken, createSigningKeys, KEY_REFETCH_INTERVAL_MS, KEY_RETRY_MS, KEYS_MAX_AGE_MS, readJwks, verifyTeamsActivity, type SigningKeys } from "../../../src/platforms/teams/verify-activity.js";

const appId = "7c4a3e0b-1111-4222-8333-944455556666";
const serviceUrl = "https://smba.trafficmanager.net/emea/";
const nowMs = 1_780_000_000_000;
const pair = teamsKeyPair("key-1");
const keys: SigningKeys = { find: async (kid) => readJwks([pair.jwk]).get(kid) };

function input(token: string, overrides: { serviceUrl?: string; nowMs?: number; channelId?: string; keys?: SigningKeys } = {}) {
  return { authorization: `Bearer ${token}`, appId, serviceUrl: overrides.serviceUrl ?? serviceUrl, channelId: overrides.channelId ?? "msteams", nowMs: overrides.nowMs ?? nowMs, keys: overrides.keys ?? keys };
}
const good = () => signJwt(connectorClaims(appId, serviceUrl, nowMs), pair);

describe("verifyTeamsActivity", () => {
  it("accepts a token the Bot Connector signed for this bot and this serviceUrl", async () => {
    expect(await verifyTeamsActivity(input(good()))).toMatchObject({ ok: true });
  });

  it("refuses a request with no bearer token, or another scheme", async () => {
    expect(await verifyTeamsActivity({ ...input(good()), authorization: null })).toEqual({ ok: false, reason: "missing_token" });
    expect(await verifyTeamsActivity({ ...input(good()), authorization: `Basic ${good()}` })).toEqual({ ok: false, reason: "missing_token" });
    expect(bearerToken("bearer abc")).toBe("abc");
  });

  it("refuses what is not a JWT", async () => {
    expect(await verifyTeamsActivity(input("a.b"))).toEqual({ ok: false, reason: "malformed_token" });
    expect(await verifyTeamsActivity(input("e30.bm90IGpzb24.c2ln"))).toEqual({ ok: false, reason: "malformed_token" });
  });

  it("refuses any algorithm but RS256, alg none included", async () => {
    const [, body] = good().split(".");
    const none = `${Buffer.from(JSON.stringify({ alg: "none", kid: "key-1" })).toString("base64url")}.${body}.`;
    expect(await verifyTeamsActivity(input(none))).toEqual({ ok: false, reason: "malformed_token" });
    expect(await verifyTeamsActivity(input(signJwt(connectorClaims(appId, serviceUrl, nowMs), pair, { alg: "HS256" })))).toEqual({ ok: false, reason: "unsupported_algorithm" });
  });

  it("refuses a token signed by a key the JWKS does not hold, and one whose signature is another key's", async () => {
    const stranger = teamsKeyPair("key-2");
    expect(await verifyTeamsActivity(input(signJwt(connectorClaims(appId, serviceUrl, nowMs), stranger)))).toEqual({ ok: false, reason: "unknown_key" });
    // The stranger's signature under the published kid.
    expect(await verifyTeamsActivity(input(signJwt(connectorClaims(appId, serviceUrl, nowMs), { kid: "key-1", privateKey: stranger.privateKey })))).toEqual({ ok: false, reason: "signature_mismatch" });
  });

  it("refuses a payload changed after signing", async () => {
    const [head, , signature] = good().split(".");
    const forged = Buffer.from(JSON.stringify({ ...connectorClaims(appId, serviceUrl, nowMs), aud: appId, serviceurl: "https://evil.example/" })).toString("base64url");
    expect(await verifyTeamsActivity(input(`${head}.${forged}.${signature}`, { serviceUrl: "https://evil.example/" }))).toEqual({ ok: false, reason: "signature_mismatch" });
  });

  it("refuses another issuer", async () => {
    const token = signJwt({ ...connectorClaims(appId, serviceUrl, nowMs), iss: "https://sts.windows.net/x/" }, pair);
    expect(await verifyTeamsActivity(input(token))).toEqual({ ok: false, reason: "wrong_issuer" });
  });

  it("refuses a token for another bot", async () => {
    const token = signJwt(connectorClaims("another-app", serviceUrl, nowMs), pair);
    expect(await verifyTeamsActivity(input(token))).toEqual({ ok: false, reason: "wrong_audience" });
  });

  it("refuses a token expired more than five minutes ago, and takes one within the skew", async () => {
    const expired = signJwt({ ...connectorClaims(appId, serviceUrl, nowMs), exp: nowMs / 1000 - 301 }, pair);
    expect(await verifyTeamsActivity(input(expired))).toEqual({ ok: false, reason: "expired" });
    const justExpired = signJwt({ ...connectorClaims(appId, serviceUrl, nowMs), exp: nowMs / 1000 - 299 }, pair);
    expect(await verifyTeamsActivity(input(justExpired))).toMatchObject({ ok: true });
    const noExpiry = signJwt({ ...connectorClaims(appId, serviceUrl, nowMs), exp: undefined }, pair);
    expect(await verifyTeamsActivity(input(noExpiry))).toEqual({ ok: false, reason: "expired" });
  });

  it("refuses a token not valid for more than five minutes yet", async () => {
    const early = signJwt({ ...connectorClaims(appId, serviceUrl, nowMs), nbf: nowMs / 1000 + 301 }, pair);
    expect(await verifyTeamsActivity(input(early))).toEqual({ ok: false, reason: "not_yet_valid" });
  });

  it("refuses a serviceUrl in the body other than the token's serviceurl claim, or a token without one", async () => {
    expect(await verifyTeamsActivity(input(good(), { serviceUrl: "https://evil.example/" }))).toEqual({ ok: false, reason: "service_url_mismatch" });
    const without = signJwt({ ...connectorClaims(appId, serviceUrl, nowMs), serviceurl: undefined }, pair);
    expect(await verifyTeamsActivity(input(without))).toEqual({ ok: false, reason: "service_url_mismatch" });
  });

  it("takes a serviceurl claim that differs from the body's only by case or a trailing slash, as Microsoft's Teams SDK does", async () => {
    const token = signJwt(connectorClaims(appId, "https://SMBA.trafficmanager.net/emea/", nowMs), pair);
    expect(await verifyTeamsActivity(input(token, { serviceUrl: "https://smba.trafficmanager.net/emea" }))).toMatchObject({ ok: true });
    expect(await verifyTeamsActivity(input(token, { serviceUrl: "https://smba.trafficmanager.net/amer/" }))).toEqual({ ok: false, reason: "service_url_mismatch" });
  });

  it("refuses a key not endorsed for the activity's channel", async () => {
    expect(await verifyTeamsActivity(input(good(), { channelId: "webchat" }))).toEqual({ ok: false, reason: "unendorsed_key" });
  });

  it("refuses, without throwing, when the keys cannot be fetched", async () => {
    expect(await verifyTeamsActivity(input(good(), { keys: { find: () => Promise.reject(new Error("down")) } }))).toEqual({ ok: false, reason: "keys_unavailable" });
  });
});

describe("createSigningKeys", () => {
  function served(jwks: () => unknown[]) {
    const fetched: string[] = [];
    const fetchStub: typeof fetch = async (url) => {
      fetched.push(String(url));
      return String(url).endsWith("/openid") ? Response.json({ jwks_uri: "https://keys.test/jwks" }) : Response.json({ keys: jwks() });
    };
    return { fetched, fetchStub };
  }

  it("fetches once, keeps the keys per instance, and refetches on an unknown kid (at most once a minute)", async () => {
    let published = [pair.jwk];
    const { fetched, fetchStub } = served(() => published);
    let clock = nowMs;
    const signing = createSigningKeys({ openIdUrl: "https://keys.test/openid", fetch: fetchStub, now: () => clock });
    expect(await signing.find("key-1")).toBeDefined();
    expect(await signing.find("key-1")).toBeDefined();
    expect(fetched).toEqual(["https://keys.test/openid", "https://keys.test/jwks"]);
    // A rotated key: found by the refetch its unknown kid causes.
    const rotated = teamsKeyPair("key-3");
    published = [pair.jwk, rotated.jwk];
    clock += KEY_REFETCH_INTERVAL_MS;
    expect(await signing.find("key-3")).toBeDefined();
    expect(fetched).toHaveLength(4);
    // A made-up kid right after: no fetch.
    expect(await signing.find("made-up")).toBeUndefined();
    expect(fetched).toHaveLength(4);
  });

  it("reads the keys again once they are a day old (the Bot Connector's docs: refresh at least every 24 hours), so a key Microsoft withdrew stops working; a failed refresh keeps the keys it had", async () => {
    let published: unknown[] = [pair.jwk];
    let down = false;
    const { fetched, fetchStub } = served(() => published);
    const flaky: typeof fetch = async (url, init) => (down ? Promise.reject(new TypeError("fetch failed")) : fetchStub(url, init));
    let clock = nowMs;
    const signing = createSigningKeys({ openIdUrl: "https://keys.test/openid", fetch: flaky, now: () => clock });
    expect(await signing.find("key-1")).toBeDefined();
    // Withdrawn, then the endpoint down a day later: the keys it had still verify.
    published = [teamsKeyPair("key-4").jwk];
    down = true;
    clock += KEYS_MAX_AGE_MS;
    expect(await signing.find("key-1")).toBeDefined();
    // Back up, a minute on: the day-old keys are read again and the withdrawn one is gone.
    down = false;
    clock += KEY_REFETCH_INTERVAL_MS;
    expect(await signing.find("key-1")).toBeUndefined();
    expect(fetched).toHaveLength(4);
    // Fresh again: no fetch per activity.
    expect(await signing.find("key-4")).toBeDefined();
    expect(fetched).toHaveLength(4);
  });

  it("refuses a jwks_uri the outbound rule does not allow, fetching nothing there", async () => {
    const { fetched, fetchStub } = served(() => [pair.jwk]);
    const signing = createSigningKeys({ openIdUrl: "https://keys.test/openid", fetch: fetchStub, now: () => nowMs, isAllowed: () => false });
    await expect(signing.find("key-1")).rejects.toThrow(/jwks_uri/);
    expect(fetched).toEqual(["https://keys.test/openid"]);
  });

  it("ends fetching the configuration and the keys together by the activity's deadline, however long each would take", async () => {
    // Each answers only when aborted: a per-fetch timeout (10 s here) would let the two add up.
    const aborted: string[] = [];
    const fetchStub: typeof fetch = async (url, init) => {
      if (String(url).endsWith("/openid")) return Response.json({ jwks_uri: "https://keys.test/jwks" });
      return new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener("abort", () => (aborted.push(String(url)), reject(init.signal!.reason))));
    };
    const signing = createSigningKeys({ openIdUrl: "https://keys.test/openid", fetch: fetchStub, now: () => nowMs, timeoutMs: 10_000 });
    const verdict = await Promise.race([
      verifyTeamsActivity({ authorization: `Bearer ${signJwt(connectorClaims("app", "https://smba.trafficmanager.net/amer/", nowMs), pair)}`, appId: "app", serviceUrl: "https://smba.trafficmanager.net/amer/", channelId: "msteams", keys: signing, nowMs, deadline: { remainingMs: () => 50 } }),
      new Promise<string>((resolve) => setTimeout(() => resolve("still fetching after 5 s"), 5_000).unref()),
    ]);
    expect(verdict).toEqual({ ok: false, reason: "keys_unavailable" });
    expect(aborted).toEqual(["https://keys.test/jwks"]);
  });

  it("with the keys' endpoint down, tries again once every few seconds, not on every activity", async () => {
    let fetches = 0;
    let up = false;
    const fetchStub: typeof fetch = async (url) => {
      fetches += 1;
      if (!up) return new Response("down", { status: 503 });
      return String(url).endsWith("/openid") ? Response.json({ jwks_uri: "https://keys.test/jwks" }) : Response.json({ keys: [pair.jwk] });
    };
    let clock = nowMs;
    const signing = createSigningKeys({ openIdUrl: "https://keys.test/openid", fetch: fetchStub, now: () => clock });
    await expect(signing.find("key-1")).rejects.toThrow();
    await expect(signing.find("key-1")).rejects.toThrow();
    expect(fetches).toBe(1);
    up = true;
    clock += KEY_RETRY_MS;
    expect(await signing.find("key-1")).toBeDefined();
    expect(fetches).toBe(3);
  });
});
