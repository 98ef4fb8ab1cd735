/**
 * Tokens signed as the Bot Connector signs them (RS256 JWTs with a `kid` from its JWKS, `iss`
 * https://api.botframework.com, `aud` the bot's app id, a `serviceurl` claim), with a real RSA key
 * pair, and activity bodies in the shapes the Bot Framework's docs show, trimmed.
 */
import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";

export interface TeamsKeyPair {
  kid: string;
  privateKey: KeyObject;
  /** The public key as a JWKS entry, as login.botframework.com serves it (with Teams' endorsement). */
  jwk: Record<string, unknown>;
}

/** A fresh 2048-bit RSA key pair and its JWKS entry. */
export function teamsKeyPair(kid = `test-${Math.random().toString(36).slice(2, 10)}`): TeamsKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const { n, e } = publicKey.export({ format: "jwk" });
  return { kid, privateKey, jwk: { kty: "RSA", use: "sig", kid, n, e, endorsements: ["msteams", "emulator"] } };
}

const part = (value: unknown) => Buffer.from(JSON.stringify(value), "utf8").toString("base64url");

/** A compact JWS over `claims`, signed with `pair` (the header's `alg` and `kid` may be overridden, to break them). */
export function signJwt(claims: Record<string, unknown>, pair: Pick<TeamsKeyPair, "kid" | "privateKey">, header: Record<string, unknown> = {}): string {
  const input = `${part({ alg: "RS256", typ: "JWT", kid: pair.kid, ...header })}.${part(claims)}`;
  return `${input}.${sign("RSA-SHA256", Buffer.from(input, "ascii"), pair.privateKey).toString("base64url")}`;
}

/** The Bot Connector's claims for an activity to `appId` from `serviceUrl`, valid from `nowMs` for an hour. */
export function connectorClaims(appId: string, serviceUrl: string, nowMs: number): Record<string, unknown> {
  const now = Math.floor(nowMs / 1000);
  return { iss: "https://api.botframework.com", aud: appId, serviceurl: serviceUrl, nbf: now - 5, exp: now + 3600, iat: now - 5 };
}
