/**
 * The Bot Connector's REST API as the bot uses it (learn.microsoft.com, "API reference for the Bot
 * Framework Connector service"), over fetch with a client-credentials token: send to a conversation,
 * reply to an activity, update an activity, create a 1:1 conversation. Every call goes only to a
 * serviceUrl the outbound rule allows (never to one that merely arrived in an activity), and is
 * aborted at its deadline.
 */

/** The token's scope for the Bot Connector (client credentials, Microsoft identity platform v2). */
export const BOT_FRAMEWORK_SCOPE = "https://api.botframework.com/.default";
/** Per call, as for Slack and Discord: a call inside an invoke's answer must leave room for the rest. */
export const TEAMS_TIMEOUT_MS = 2_500;
/** A token is fetched again this long before it expires (Microsoft's are good for an hour or so). */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * The hosts Microsoft documents for Teams' serviceUrl in the public cloud (smba.trafficmanager.net,
 * with /amer/, /emea/, /apac/ or /teams/ paths) and the Bot Framework's own (*.botframework.com);
 * sovereign clouds and emulators are added by TEAMS_SERVICE_URL_ALLOW.
 */
export function isAllowedServiceUrl(url: string, extraOrigins: readonly string[] = []): boolean {
  if (!URL.canParse(url)) return false;
  const parsed = new URL(url);
  // Credentials in a URL would be sent along: never.
  if (parsed.username !== "" || parsed.password !== "") return false;
  if (extraOrigins.includes(parsed.origin)) return true;
  if (parsed.protocol !== "https:" || parsed.port !== "") return false;
  return parsed.hostname === "smba.trafficmanager.net" || parsed.hostname === "botframework.com" || parsed.hostname.endsWith(".botframework.com");
}

/** A failed call; `status` is the HTTP status, or what the transport did, or `not_allowed` when the rule stopped it before any fetch. */
export class TeamsApiError extends Error {
  override readonly name = "TeamsApiError";
  constructor(
    readonly route: string,
    readonly status: number | "timeout" | "network_error" | "not_allowed",
    options: { cause?: unknown; code?: string | undefined; retryAfterMs?: number | undefined } = {},
  ) {
    super(`Teams ${route} failed: ${options.code ?? status}`, { cause: options.cause });
    this.code = options.code;
    this.retryAfterMs = options.retryAfterMs;
  }
  /** The connector's error code (`{ error: { code } }`), when it sent one. */
  readonly code: string | undefined;
  readonly retryAfterMs: number | undefined;
}

export interface CallOptions {
  deadline?: { remainingMs(): number } | undefined;
}

/** Runs one fetch, aborted at the sooner of `timeoutMs` and the deadline; a transport failure as TeamsApiError. */
async function fetchWithin(fetchImpl: typeof fetch, route: string, url: string, init: RequestInit, timeoutMs: number, options: CallOptions): Promise<Response> {
  const ms = Math.ceil(Math.min(timeoutMs, options.deadline?.remainingMs() ?? timeoutMs));
  if (ms <= 0) throw new TeamsApiError(route, "timeout");
  try {
    return await fetchImpl(url, { ...init, redirect: "manual", signal: AbortSignal.timeout(ms) });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    throw new TeamsApiError(route, timedOut ? "timeout" : "network_error", { cause: error });
  }
}

/** A failed response as TeamsApiError: the connector's `{ error: { code } }`, a 429's Retry-After. */
async function failure(route: string, response: Response): Promise<TeamsApiError> {
  const json: unknown = await response.json().catch(() => undefined);
  const error = typeof json === "object" && json !== null && "error" in json ? (json as { error: unknown }).error : undefined;
  const code = typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" ? error.code : typeof error === "string" ? error : undefined;
  const retryAfter = Number(response.headers.get("retry-after"));
  return new TeamsApiError(route, response.status, { code, retryAfterMs: response.status === 429 && Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined });
}

export interface TokenClientOptions {
  /** TEAMS_TOKEN_URL: https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token by default. */
  tokenUrl: string;
  appId: string;
  password: string;
  fetch?: typeof fetch;
  /** Milliseconds since the epoch. */
  now: () => number;
  timeoutMs?: number;
}

/** The connector's bearer token, cached until TOKEN_REFRESH_MARGIN_MS before it expires; concurrent asks share one fetch. */
export interface TokenClient {
  token(options?: CallOptions): Promise<string>;
}

/** The Microsoft identity platform's client-credentials grant, for the Bot Connector's scope. Rejects with TeamsApiError (route `token`). */
export function createTokenClient(options: TokenClientOptions): TokenClient {
  const fetchImpl = options.fetch ?? fetch;
  let cached: { token: string; until: number } | undefined;
  let pending: Promise<string> | undefined;

  async function fetchToken(callOptions: CallOptions): Promise<string> {
    const body = new URLSearchParams({ grant_type: "client_credentials", client_id: options.appId, client_secret: options.password, scope: BOT_FRAMEWORK_SCOPE });
    const response = await fetchWithin(fetchImpl, "token", options.tokenUrl, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body }, options.timeoutMs ?? TEAMS_TIMEOUT_MS, callOptions);
    if (!response.ok) throw await failure("token", response);
    const json = (await response.json().catch(() => undefined)) as { access_token?: unknown; expires_in?: unknown } | undefined;
    if (typeof json?.access_token !== "string" || typeof json.expires_in !== "number") throw new TeamsApiError("token", response.status, { code: "malformed_token_response" });
    cached = { token: json.access_token, until: options.now() + json.expires_in * 1000 - TOKEN_REFRESH_MARGIN_MS };
    return json.access_token;
  }

  return {
    async token(callOptions = {}) {
      if (cached && options.now() < cached.until) return cached.token;
      pending ??= fetchToken(callOptions).finally(() => (pending = undefined));
      return pending;
    },
  };
}

/** An activity the bot sends (Bot Framework Activity schema, trimmed to what the bot writes). */
export interface OutgoingActivity {
  type: "message";
  text?: string;
  textFormat?: "markdown" | "plain" | "xml";
  attachments?: { contentType: string; content: unknown }[];
  entities?: Record<string, unknown>[];
  replyToId?: string;
  /** Replaces the activity's id on an update. */
  id?: string;
}

/** Where a conversation is: its serviceUrl and id (a conversation reference's two parts the connector needs). */
export interface ConversationAddress {
  serviceUrl: string;
  conversationId: string;
}

export interface TeamsConnector {
  /** POST {serviceUrl}/v3/conversations/{conversationId}/activities: a new message (in a channel, a new thread). */
  sendToConversation(to: ConversationAddress, activity: OutgoingActivity, options?: CallOptions): Promise<{ id: string }>;
  /** POST …/activities/{activityId}: a reply in that activity's thread. */
  replyToActivity(to: ConversationAddress, activityId: string, activity: OutgoingActivity, options?: CallOptions): Promise<{ id: string }>;
  /** PUT …/activities/{activityId}: redraws a message the bot sent. */
  updateActivity(to: ConversationAddress, activityId: string, activity: OutgoingActivity, options?: CallOptions): Promise<void>;
  /** POST {serviceUrl}/v3/conversations: the 1:1 chat with a user in a tenant (the same one each time). */
  createConversation(serviceUrl: string, params: { botId: string; userId: string; tenantId: string }, options?: CallOptions): Promise<{ id: string }>;
}

export interface TeamsConnectorOptions {
  tokens: TokenClient;
  /** TEAMS_SERVICE_URL_ALLOW: origins allowed besides Microsoft's documented hosts. */
  allowOrigins?: readonly string[];
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** Builds the connector client; every call checks the outbound rule before anything, then fetches a token and calls. */
export function createTeamsConnector(options: TeamsConnectorOptions): TeamsConnector {
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? TEAMS_TIMEOUT_MS;

  async function call<T>(method: string, serviceUrl: string, path: string, route: string, body: unknown, callOptions: CallOptions = {}): Promise<T> {
    // The outbound rule first: a serviceUrl that is not Microsoft's (or allowed) never sees the token.
    if (!isAllowedServiceUrl(serviceUrl, options.allowOrigins)) throw new TeamsApiError(route, "not_allowed");
    const token = await options.tokens.token(callOptions);
    const url = `${serviceUrl.replace(/\/+$/, "")}${path}`;
    const response = await fetchWithin(fetchImpl, route, url, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) }, timeoutMs, callOptions);
    if (!response.ok) throw await failure(route, response);
    // The connector answers a send with `{ id }`; an update may answer with nothing, or with what is not JSON.
    const json: unknown = await response.json().catch(() => ({}));
    return (typeof json === "object" && json !== null ? json : {}) as T;
  }

  const activities = (conversationId: string) => `/v3/conversations/${encodeURIComponent(conversationId)}/activities`;
  return {
    sendToConversation: (to, activity, callOptions) => call("POST", to.serviceUrl, activities(to.conversationId), "send_to_conversation", activity, callOptions),
    replyToActivity: (to, activityId, activity, callOptions) => call("POST", to.serviceUrl, `${activities(to.conversationId)}/${encodeURIComponent(activityId)}`, "reply_to_activity", { ...activity, replyToId: activityId }, callOptions),
    async updateActivity(to, activityId, activity, callOptions) {
      await call("PUT", to.serviceUrl, `${activities(to.conversationId)}/${encodeURIComponent(activityId)}`, "update_activity", { ...activity, id: activityId }, callOptions);
    },
    createConversation: (serviceUrl, params, callOptions) =>
      call("POST", serviceUrl, "/v3/conversations", "create_conversation", {
        bot: { id: params.botId },
        members: [{ id: params.userId }],
        channelData: { tenant: { id: params.tenantId } },
        isGroup: false,
        tenantId: params.tenantId,
      }, callOptions),
  };
}
