/**
 * The Bot Framework's JWT on every activity Teams sends (learn.microsoft.com, "Authenticate requests
 * from the Bot Connector service to your bot"): `Authorization: Bearer <JWT>`, RS256 by a key from
 * the OpenID configuration's `jwks_uri`, `iss` https://api.botframework.com, `aud` the bot's app id,
 * within its validity (five minutes' skew, as the docs allow), and a `serviceurl` claim equal to the
 * activity's serviceUrl (so a token cannot carry a body that sends the bot's replies elsewhere).
 * Every failure is a bare 401 in the handler. node:crypto verifies RS256: no JWT dependency.
 */
import { createPublicKey, verify, type JsonWebKey, type KeyObject } from "node:crypto";

/** The Bot Connector's issuer: the only one a Teams activity's token may have. */
export const BOT_FRAMEWORK_ISSUER = "https://api.botframework.com";
/** Where the Bot Connector's signing keys are described (TEAMS_OPENID_URL overrides it: an emulator). */
export const BOT_FRAMEWORK_OPENID_URL = "https://login.botframework.com/v1/.well-known/openidconfiguration";
/** The docs' clock skew: `nbf` and `exp` are read five minutes wide. */
export const CLOCK_SKEW_SECONDS = 5 * 60;
/**
 * An unknown `kid` refetches the keys (they rotate), but not more often than this: a stream of
 * forged tokens with made-up kids must not become a stream of fetches to Microsoft.
 */
export const KEY_REFETCH_INTERVAL_MS = 60_000;
/**
 * Keys this old are read again on the next activity: the Bot Connector's docs ask every instance to
 * refresh its copy at least once every 24 hours, so a key Microsoft withdraws stops verifying. A failed
 * refresh keeps the keys it had (an outage of Microsoft's endpoint must not lock every activity out)
 * and is tried again at most once a KEY_REFETCH_INTERVAL_MS.
 */
export const KEYS_MAX_AGE_MS = 24 * 3_600_000;
/** With no keys yet, a failed fetch is tried again at most this often. */
export const KEY_RETRY_MS = 5_000;
/** For the OpenID configuration and the keys together (and never past the activity's deadline): a cold instance answers in time. */
export const KEY_FETCH_TIMEOUT_MS = 2_000;

export type TeamsVerifyFailure =
  | "missing_token"
  | "malformed_token"
  | "unsupported_algorithm"
  | "unknown_key"
  | "keys_unavailable"
  | "unendorsed_key"
  | "signature_mismatch"
  | "wrong_issuer"
  | "wrong_audience"
  | "expired"
  | "not_yet_valid"
  | "service_url_mismatch";

export type TeamsVerifyResult = { ok: true; claims: JwtClaims } | { ok: false; reason: TeamsVerifyFailure };

/** The claims the bot reads; any other is ignored. */
export interface JwtClaims {
  iss?: unknown;
  aud?: unknown;
  exp?: unknown;
  nbf?: unknown;
  serviceurl?: unknown;
  [claim: string]: unknown;
}

/** A JWT's three parts, decoded; undefined for anything that is not one (never throws). */
export interface DecodedJwt {
  header: { alg?: unknown; kid?: unknown; typ?: unknown };
  claims: JwtClaims;
  signingInput: Buffer;
  signature: Buffer;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The token of `Authorization: Bearer <token>` (the scheme in any case, as RFC 6750 reads it), else undefined. */
export function bearerToken(authorization: string | null): string | undefined {
  const match = authorization?.match(/^Bearer +(\S+)$/i);
  return match?.[1];
}

/** Splits and decodes a compact JWS; undefined when it is not three base64url parts with JSON objects in the first two. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts.every((part) => BASE64URL.test(part))) return undefined;
  const [head, body, signature] = parts as [string, string, string];
  const header = jsonObject(head);
  const claims = jsonObject(body);
  if (header === undefined || claims === undefined) return undefined;
  return { header, claims, signingInput: Buffer.from(`${head}.${body}`, "ascii"), signature: Buffer.from(signature, "base64url") };
}

function jsonObject(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export interface ClaimRules {
  /** TEAMS_APP_ID: the token's `aud`. */
  appId: string;
  /** The activity's serviceUrl, as its body says. */
  serviceUrl: string | undefined;
  /** Milliseconds since the epoch; injectable so tests stand at any moment. */
  nowMs: number;
}

/** Checks the claims, one rule a step; the first failure, or undefined when all hold. */
export function checkClaims(claims: JwtClaims, rules: ClaimRules): TeamsVerifyFailure | undefined {
  const now = rules.nowMs / 1000;
  // 1. Issued by the Bot Connector.
  if (claims.iss !== BOT_FRAMEWORK_ISSUER) return "wrong_issuer";
  // 2. For this bot: a token for another bot must not work here (`aud` may be one string or a list).
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(rules.appId)) return "wrong_audience";
  // 3. Not expired, five minutes' skew: `exp` is required, whole or fractional seconds.
  if (typeof claims.exp !== "number" || !Number.isFinite(claims.exp) || now > claims.exp + CLOCK_SKEW_SECONDS) return "expired";
  // 4. Not before its time, when it says one.
  if (claims.nbf !== undefined && (typeof claims.nbf !== "number" || now < claims.nbf - CLOCK_SKEW_SECONDS)) return "not_yet_valid";
  // 5. Signed for the serviceUrl the body names: where the bot's answers go.
  if (typeof claims.serviceurl !== "string" || rules.serviceUrl === undefined || !sameServiceUrl(claims.serviceurl, rules.serviceUrl)) return "service_url_mismatch";
  return undefined;
}

/**
 * Equal service URLs, as Microsoft's Teams SDK compares them (teams.ts's JwtValidator: trailing slash
 * dropped, case ignored); the origin is read as a URL, so a host differing only in case is the same host.
 */
function sameServiceUrl(a: string, b: string): boolean {
  const normal = (url: string) => (URL.canParse(url) ? new URL(url).href : url).replace(/\/+$/, "").toLowerCase();
  return normal(a) === normal(b);
}

/** One signing key as the JWKS gives it: the key, and the channels it is endorsed for (`endorsements`), when it says. */
export interface SigningKey {
  key: KeyObject;
  endorsements: readonly string[] | undefined;
}

/**
 * The Bot Connector's signing keys by `kid`; `find` refetches once on an unknown kid, within `deadline`
 * when given (the activity's); rejects only when none could ever be read.
 */
export interface SigningKeys {
  find(kid: string, options?: { deadline?: { remainingMs(): number } | undefined }): Promise<SigningKey | undefined>;
}

export interface SigningKeysOptions {
  openIdUrl: string;
  fetch?: typeof fetch;
  /** Milliseconds since the epoch. */
  now: () => number;
  timeoutMs?: number;
  /** Outbound rule: the keys' URL must be one the bot may fetch (the OpenID configuration names it). */
  isAllowed?: (url: string) => boolean;
}

/**
 * The keys behind a small cache, per instance (runtime.ts builds one per handler): fetched on the
 * first activity, then again for a `kid` not in the cache or once they are KEYS_MAX_AGE_MS old, at
 * most once a KEY_REFETCH_INTERVAL_MS.
 */
export function createSigningKeys(options: SigningKeysOptions): SigningKeys {
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? KEY_FETCH_TIMEOUT_MS;
  let keys: Map<string, SigningKey> | undefined;
  // The last try, and the last read that worked.
  let fetchedAt = -Infinity;
  let readAt = -Infinity;
  let loading: Promise<void> | undefined;

  async function getJson(url: string, signal: AbortSignal): Promise<Record<string, unknown>> {
    const response = await fetchImpl(url, { headers: { accept: "application/json" }, redirect: "error", signal });
    if (!response.ok) throw new Error(`GET ${new URL(url).origin} answered ${response.status}`);
    const json: unknown = await response.json();
    if (typeof json !== "object" || json === null) throw new Error("not a JSON object");
    return json as Record<string, unknown>;
  }

  async function load(deadline: { remainingMs(): number } | undefined): Promise<void> {
    fetchedAt = options.now();
    // One bound for both fetches: two slow answers must not add up past the activity's deadline.
    const signal = AbortSignal.timeout(Math.max(0, Math.min(timeoutMs, deadline?.remainingMs() ?? timeoutMs)));
    const config = await getJson(options.openIdUrl, signal);
    const jwksUri = config.jwks_uri;
    if (typeof jwksUri !== "string" || !URL.canParse(jwksUri)) throw new Error("the OpenID configuration names no jwks_uri");
    if (options.isAllowed && !options.isAllowed(jwksUri)) throw new Error("jwks_uri is not on an allowed origin");
    const jwks = await getJson(jwksUri, signal);
    keys = readJwks(jwks.keys);
    readAt = fetchedAt;
  }

  async function refresh(deadline: { remainingMs(): number } | undefined): Promise<void> {
    // Activities at once share one fetch, bounded by the first one's deadline.
    loading ??= load(deadline).finally(() => (loading = undefined));
    await loading;
  }

  return {
    async find(kid, findOptions = {}) {
      // Keys never read (Microsoft's endpoint down): one try per KEY_RETRY_MS, not one per activity.
      if (keys === undefined && options.now() - fetchedAt < KEY_RETRY_MS && loading === undefined) throw new Error("the keys could not be fetched a moment ago");
      const now = options.now();
      if (keys === undefined) await refresh(findOptions.deadline);
      else if ((!keys.has(kid) || now - readAt >= KEYS_MAX_AGE_MS) && now - fetchedAt >= KEY_REFETCH_INTERVAL_MS) await refresh(findOptions.deadline).catch(() => undefined);
      return keys?.get(kid);
    },
  };
}

/** The RSA signing keys of a JWKS by kid; entries that are not RSA keys for signatures are skipped. */
export function readJwks(entries: unknown): Map<string, SigningKey> {
  const keys = new Map<string, SigningKey>();
  if (!Array.isArray(entries)) return keys;
  for (const entry of entries) {
    if (typeof entry !== "object" || entry === null) continue;
    const { kty, kid, n, e, use, endorsements } = entry as Record<string, unknown>;
    if (kty !== "RSA" || typeof kid !== "string" || typeof n !== "string" || typeof e !== "string" || (use !== undefined && use !== "sig")) continue;
    try {
      const key = createPublicKey({ key: { kty, n, e } satisfies JsonWebKey, format: "jwk" });
      const endorsed = Array.isArray(endorsements) ? endorsements.filter((item): item is string => typeof item === "string") : undefined;
      keys.set(kid, { key, endorsements: endorsed });
    } catch {
      // A key Node cannot read cannot have signed anything we accept.
    }
  }
  return keys;
}

/** The Bot Connector's keys for a Teams function, from `openIdUrl` (TEAMS_OPENID_URL) or Microsoft's; the keys' URL only on that origin or Microsoft's login host. */
export function botFrameworkKeys(openIdUrl: string | undefined, io: { now: () => number; fetch?: typeof fetch | undefined }): SigningKeys {
  const url = openIdUrl ?? BOT_FRAMEWORK_OPENID_URL;
  const allowed = new Set([new URL(url).origin, "https://login.botframework.com"]);
  return createSigningKeys({ openIdUrl: url, now: io.now, ...(io.fetch ? { fetch: io.fetch } : {}), isAllowed: (keysUrl) => allowed.has(new URL(keysUrl).origin) });
}

export interface TeamsVerifyInput extends ClaimRules {
  authorization: string | null;
  /** The activity's deadline: fetching the keys (a cold instance) ends by it. */
  deadline?: { remainingMs(): number } | undefined;
  /** The activity's channelId ("msteams"): a key with endorsements must be endorsed for it. */
  channelId: string | undefined;
  keys: SigningKeys;
}

/**
 * Verifies an activity's token: shape, algorithm, key, signature, then the claims (checkClaims).
 * Resolves with the first failure; never rejects (keys that cannot be fetched are `keys_unavailable`).
 */
export async function verifyTeamsActivity(input: TeamsVerifyInput): Promise<TeamsVerifyResult> {
  // 1. A bearer token, and a JWT at that.
  const token = bearerToken(input.authorization);
  if (token === undefined) return { ok: false, reason: "missing_token" };
  const jwt = decodeJwt(token);
  if (jwt === undefined) return { ok: false, reason: "malformed_token" };
  // 2. RS256 only: `none` or an HMAC keyed by a public key are the classic forgeries.
  if (jwt.header.alg !== "RS256") return { ok: false, reason: "unsupported_algorithm" };
  if (typeof jwt.header.kid !== "string") return { ok: false, reason: "unknown_key" };
  // 3. A key the Bot Connector publishes.
  let key: SigningKey | undefined;
  try {
    key = await input.keys.find(jwt.header.kid, { deadline: input.deadline });
  } catch {
    return { ok: false, reason: "keys_unavailable" };
  }
  if (key === undefined) return { ok: false, reason: "unknown_key" };
  // 4. Endorsed for the channel the activity says it came from, when the key lists channels.
  if (key.endorsements !== undefined && (input.channelId === undefined || !key.endorsements.includes(input.channelId))) return { ok: false, reason: "unendorsed_key" };
  // 5. The signature, RSASSA-PKCS1-v1_5 with SHA-256 over `header.payload`.
  if (!verify("RSA-SHA256", jwt.signingInput, key.key, jwt.signature)) return { ok: false, reason: "signature_mismatch" };
  // 6. The claims.
  const failure = checkClaims(jwt.claims, input);
  return failure === undefined ? { ok: true, claims: jwt.claims } : { ok: false, reason: failure };
}
