/**
 * A loopback emulator of what a Teams bot talks to, for tests, the sandbox and the CLI: the Bot
 * Framework's OpenID configuration and its JWKS (with a key it signs test activities with, as the
 * Bot Connector does), the Microsoft identity platform's token endpoint (client credentials), and a
 * connector (send to a conversation, reply to an activity, update an activity, create a 1:1
 * conversation) that takes only the tokens it issued and records every call. Faults are scripted per
 * route ("*" for any). Shapes follow the Bot Framework REST API reference, trimmed.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createHeldCalls } from "./held-calls.js";
import { createFaultQueue } from "./fault-queue.js";
import { readBody } from "./serve-handler.js";
import { connectorClaims, signJwt, teamsKeyPair, type TeamsKeyPair } from "./teams-signed.js";

/** The ids a test or the sandbox uses: the bot's app (a GUID, as Azure makes them), its password, the tenant, people and conversations. */
export const TEAMS_SEED = Object.freeze({
  appId: "00000000-0000-4000-8000-00000000b07a",
  appPassword: "test-teams-app-password-0123456789",
  tenantId: "00000000-0000-4000-8000-0000000071e1",
  alice: { id: "29:1alice", name: "Alice Example", aadObjectId: "00000000-0000-4000-8000-00000000a11c" },
  bob: { id: "29:1bob", name: "Bob Example", aadObjectId: "00000000-0000-4000-8000-000000000b0b" },
  /** A channel's conversation id (a team channel) and a personal chat's. */
  channel: "19:general@thread.tacv2",
  personal: "a:1personal-alice",
});

export interface TeamsCall {
  /** token, send_to_conversation, reply_to_activity, update_activity, create_conversation, openid, keys. */
  route: string;
  method: string;
  path: string;
  body: unknown;
  at: number;
}

/** A message a person wrote in a conversation. */
export interface TeamsPersonMessage {
  id: string;
  conversationId: string;
  /** The root message's id when it is a reply in a channel thread. */
  replyTo: string | undefined;
  from: { id: string; name: string; aadObjectId?: string | undefined };
  text: string;
  at: number;
}

export type TeamsFault =
  | { kind: "http"; status: number; code?: string; retryAfterSeconds?: number }
  /** Never answered (until close()): nothing is carried out. */
  | { kind: "hang" }
  /**
   * Held until `releaseHeld()`, then carried out and answered as usual: a connector that took the
   * call but answered past the bot's deadline (the message lands late). The test, not a timer, says when.
   */
  | { kind: "hold" };

export interface TeamsEmulator {
  /** The emulator's origin, http://127.0.0.1:port: a test's TEAMS_SERVICE_URL_ALLOW. */
  origin: string;
  /** Its serviceUrl, as Teams puts it in activities (a trailing slash). */
  serviceUrl: string;
  openIdUrl: string;
  tokenUrl: string;
  /** The token endpoint as Microsoft names it, with a tenant in its path (a tenant not the seed's is refused, as Entra ID refuses one). */
  tenantTokenUrl(tenantId?: string): string;
  pair: TeamsKeyPair;
  calls: TeamsCall[];
  /** What the bot sent to conversations: each a recorded activity with its conversation (the bare id), the thread root it landed under (`replyTo`), and the id given it. */
  activities: { id: string; conversationId: string; replyTo: string | undefined; activity: Record<string, unknown>; updated: boolean; at: number }[];
  /**
   * What people wrote, in order (the sandbox's CLI writes them): a channel message that does not
   * mention the bot never reaches it, but a message extension's command acts on it.
   */
  messages: TeamsPersonMessage[];
  /** Records a message `from` writes in a conversation, with an id as the bot's get (digits); returns it. */
  postUserMessage(message: { conversationId: string; from: TeamsPersonMessage["from"]; text: string; replyTo?: string | undefined }): TeamsPersonMessage;
  /** An Authorization header for an activity from `serviceUrl` (the emulator's by default), as the Bot Connector signs it. */
  authorization(options?: { serviceUrl?: string; claims?: Record<string, unknown>; pair?: Pick<TeamsKeyPair, "kid" | "privateKey">; header?: Record<string, unknown> }): string;
  /** The next `times` calls to `route` ("*": any connector route) meet `fault`. */
  fail(route: string, fault: TeamsFault, times?: number): void;
  /** Drops the faults not met yet (what is held stays held until released). */
  clearFaults(): void;
  /** Carries out the calls a `hold` fault holds (the bot may have given up on them); resolves with how many, once each is answered. */
  releaseHeld(): Promise<number>;
  /** Publishes another key in the JWKS (a rotation). */
  publish(pair: TeamsKeyPair): void;
  close(): Promise<void>;
}

export interface TeamsEmulatorOptions {
  now?: () => number;
  port?: number;
}

/** Starts the emulator on loopback. */
export async function startTeamsEmulator(options: TeamsEmulatorOptions = {}): Promise<TeamsEmulator> {
  const now = options.now ?? Date.now;
  const pair = teamsKeyPair("emulator-key-1");
  const published: TeamsKeyPair[] = [pair];
  const calls: TeamsCall[] = [];
  const activities: TeamsEmulator["activities"] = [];
  const messages: TeamsPersonMessage[] = [];
  const issued = new Set<string>();
  const faults = createFaultQueue<TeamsFault>({ notForAnyRoute: ["openid", "keys", "token"] });
  const hanging = new Set<ServerResponse>();
  const held = createHeldCalls();
  let minted = 0;
  let origin = "";
  // A message's id as Teams shows them: digits (a channel message's is its time in ms), unique here.
  const nextId = () => `1${String(now()).slice(-9)}${String(++minted).padStart(3, "0")}`;


  const send = (response: ServerResponse, status: number, json: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { "content-type": "application/json", ...headers });
    response.end(JSON.stringify(json));
  };

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", origin);
    const text = await readBody(request);
    const method = request.method ?? "GET";
    const path = url.pathname;
    const route = routeOf(method, path);
    let body: unknown = text;
    try {
      body = request.headers["content-type"]?.includes("json") && text !== "" ? JSON.parse(text) : text;
    } catch {
      // Recorded as text.
    }
    calls.push({ route, method, path, body, at: now() });
    const fault = faults.take(route);
    if (fault?.kind === "hang") return void hanging.add(response);
    if (fault?.kind === "hold") await held.hold(response);
    if (fault?.kind === "http") return send(response, fault.status, { error: { code: fault.code ?? "ServiceError", message: "scripted fault" } }, fault.retryAfterSeconds === undefined ? {} : { "retry-after": String(fault.retryAfterSeconds) });
    switch (route) {
      case "openid":
        return send(response, 200, { issuer: "https://api.botframework.com", authorization_endpoint: "https://invalid.botframework.com", jwks_uri: `${origin}/keys`, id_token_signing_alg_values_supported: ["RS256"], token_endpoint_auth_methods_supported: ["private_key_jwt"] });
      case "keys":
        return send(response, 200, { keys: published.map((key) => key.jwk) });
      case "token": {
        const form = new URLSearchParams(text);
        if (form.get("grant_type") !== "client_credentials" || form.get("scope") !== "https://api.botframework.com/.default") return send(response, 400, { error: "invalid_request" });
        // The tenant in the path (Microsoft's /{tenant}/oauth2/v2.0/token), refused with Entra ID's own codes and words.
        const tenant = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path)?.[1];
        if (tenant !== undefined && tenant !== TEAMS_SEED.tenantId) {
          return send(response, 400, { error: "invalid_request", error_codes: [90002], error_description: `AADSTS90002: Tenant '${decodeURIComponent(tenant)}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.` });
        }
        if (form.get("client_id") !== TEAMS_SEED.appId) {
          return send(response, 400, { error: "unauthorized_client", error_codes: [700016], error_description: `AADSTS700016: Application with identifier '${form.get("client_id") ?? ""}' was not found in the directory '${TEAMS_SEED.tenantId}'.` });
        }
        if (form.get("client_secret") !== TEAMS_SEED.appPassword) return send(response, 401, { error: "invalid_client", error_codes: [7000215], error_description: "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID." });
        const token = `emulated-connector-token-${++minted}`;
        issued.add(token);
        return send(response, 200, { token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: token });
      }
      case "unknown":
        return send(response, 404, { error: { code: "NotFound", message: "no such route" } });
    }
    // The connector: only a token the emulator issued.
    const token = request.headers.authorization?.replace(/^Bearer /, "");
    if (token === undefined || !issued.has(token)) return send(response, 401, { message: "Authorization has been denied for this request." });
    // Teams counts a message in UTF-16 and refuses one past 100 KB ("Format your bot messages").
    if (["send_to_conversation", "reply_to_activity", "update_activity"].includes(route) && text.length * 2 > 100 * 1024) return send(response, 413, { error: { code: "MessageSizeTooBig", message: "Message size too big." } });
    const record = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
    const segments = path.split("/").filter(Boolean).map(decodeURIComponent);
    if (route === "create_conversation") {
      const members = Array.isArray(record.members) ? (record.members as { id?: unknown }[]) : [];
      const user = members[0]?.id;
      if (typeof user !== "string") return send(response, 400, { error: { code: "BadArgument", message: "members required" } });
      return send(response, 201, { id: `a:1personal-${user.replace(/^29:1/, "")}` });
    }
    // Teams threads a channel message by the conversation id (`<channel>;messageid=<root>`), not by the
    // path's activity id: a POST to …/activities/{id} under the bare channel id lands as a new post.
    const [conversationId = "", threadRoot] = (segments[2] ?? "").split(";messageid=");
    const activityId = segments[4];
    if (route === "update_activity") {
      const found = activities.find((entry) => entry.id === activityId && entry.conversationId === conversationId);
      if (found === undefined) return send(response, 404, { error: { code: "ActivityNotFoundInConversation", message: "not found" } });
      found.activity = record;
      found.updated = true;
      return send(response, 200, { id: found.id });
    }
    const id = nextId();
    activities.push({ id, conversationId, replyTo: threadRoot, activity: record, updated: false, at: now() });
    return send(response, 201, { id });
  }

  const server: Server = createServer((request, response) => void serve(request, response));
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  const serviceUrl = `${origin}/`;
  return {
    origin,
    serviceUrl,
    openIdUrl: `${origin}/openid`,
    tokenUrl: `${origin}/token`,
    tenantTokenUrl: (tenantId = TEAMS_SEED.tenantId) => `${origin}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`,
    pair,
    calls,
    activities,
    messages,
    postUserMessage(message) {
      const written: TeamsPersonMessage = { id: nextId(), conversationId: message.conversationId, replyTo: message.replyTo, from: message.from, text: message.text, at: now() };
      messages.push(written);
      return written;
    },
    authorization(signOptions = {}) {
      const claims = { ...connectorClaims(TEAMS_SEED.appId, signOptions.serviceUrl ?? serviceUrl, now()), ...signOptions.claims };
      return `Bearer ${signJwt(claims, signOptions.pair ?? pair, signOptions.header)}`;
    },
    fail(route, fault, times = 1) {
      faults.add(route, fault, times);
    },
    clearFaults: () => faults.clear(),
    releaseHeld: () => held.releaseAll(),
    publish(extra) {
      published.push(extra);
    },
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function routeOf(method: string, path: string): string {
  if (method === "GET" && path === "/openid") return "openid";
  if (method === "GET" && path === "/keys") return "keys";
  if (method === "POST" && (path === "/token" || /^\/[^/]+\/oauth2\/v2\.0\/token$/.test(path))) return "token";
  if (method === "POST" && path === "/v3/conversations") return "create_conversation";
  if (/^\/v3\/conversations\/[^/]+\/activities$/.test(path) && method === "POST") return "send_to_conversation";
  if (/^\/v3\/conversations\/[^/]+\/activities\/[^/]+$/.test(path)) return method === "PUT" ? "update_activity" : method === "POST" ? "reply_to_activity" : "unknown";
  return "unknown";
}
