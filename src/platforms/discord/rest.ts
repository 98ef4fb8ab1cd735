/**
 * Discord's REST API as the bot uses it (API v10, docs.discord.com/developers/resources/*): answer an
 * interaction, edit its @original, follow up, create and edit messages, open a DM, overwrite the
 * commands. One fetch per call, aborted at its deadline; Discord's error JSON read into one error
 * type; a 429 reports Discord's retry_after as given (no retry here: the caller knows its deadline).
 */
import type { DiscordMessageBody, DiscordModal } from "./render.js";

/** API v10; DISCORD_API_URL overrides it (an emulator), without a trailing slash. */
export const DISCORD_API_URL = "https://discord.com/api/v10";
/** Per call, as for Slack: every call inside the 3 s acknowledgement window must leave room for the rest. */
export const DISCORD_TIMEOUT_MS = 2_500;

/** Interaction callback types (receiving-and-responding, "Interaction Callback Type"). */
export const CallbackType = /* @__PURE__ */ Object.freeze({
  Pong: 1,
  ChannelMessageWithSource: 4,
  DeferredChannelMessageWithSource: 5,
  DeferredUpdateMessage: 6,
  UpdateMessage: 7,
  Modal: 9,
} as const);
/** Message flags the bot sets: EPHEMERAL (only the person who acted sees it). */
export const MessageFlags = /* @__PURE__ */ Object.freeze({ Ephemeral: 64, SuppressEmbeds: 4 } as const);

/** Discord's JSON error codes the bot acts on (topics/opcodes-and-status-codes, "JSON Error Codes"). */
export const DiscordErrorCode = /* @__PURE__ */ Object.freeze({
  UnknownApplication: 10002,
  UnknownChannel: 10003,
  UnknownMessage: 10008,
  UnknownUser: 10013,
  /** An interaction token that is not (or no longer) a webhook: the 15 minutes are over. */
  UnknownWebhook: 10015,
  UnknownInteraction: 10062,
  MissingAccess: 50001,
  CannotSendMessagesToThisUser: 50007,
  /** The same refusal for a user the bot shares no server with (discord-api-types groups both). */
  CannotSendMessagesToThisUserNoMutualGuilds: 50278,
  MissingPermissions: 50013,
  InvalidWebhookToken: 50027,
  InvalidFormBody: 50035,
  InteractionAlreadyAcknowledged: 40060,
} as const);

/** A failed call: `code` is Discord's JSON error code when it sent one, else what the transport did. */
export class DiscordApiError extends Error {
  override readonly name = "DiscordApiError";
  constructor(
    readonly route: string,
    readonly status: number | "timeout" | "network_error",
    options: { cause?: unknown; code?: number | undefined; discordMessage?: string | undefined; rateLimit?: RateLimit | undefined } = {},
  ) {
    super(`Discord ${route} failed: ${options.code ?? status}`, { cause: options.cause });
    this.code = options.code;
    this.discordMessage = options.discordMessage;
    this.rateLimit = options.rateLimit;
  }
  readonly code: number | undefined;
  /** Discord's own words (no user text: Discord does not echo fields' values in its messages). */
  readonly discordMessage: string | undefined;
  readonly rateLimit: RateLimit | undefined;
}

/** A 429, as Discord gave it: the body's retry_after (seconds, with decimals), global, and the scope header. */
export interface RateLimit {
  retryAfterMs: number;
  global: boolean;
  /** X-RateLimit-Scope: user, global or shared. */
  scope: string | undefined;
  /** X-RateLimit-Bucket, to group limits shared between routes. */
  bucket: string | undefined;
}

export interface DiscordRestOptions {
  token: string;
  applicationId: string;
  apiUrl?: string | undefined;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export interface CallOptions {
  deadline?: { remainingMs(): number } | undefined;
}

/** A message as Discord returns it, trimmed to what the bot keeps. */
export interface DiscordPosted {
  id: string;
  channel_id: string;
}

export type InteractionResponse =
  | { type: typeof CallbackType.Pong }
  | { type: typeof CallbackType.Modal; data: DiscordModal }
  | { type: typeof CallbackType.ChannelMessageWithSource | typeof CallbackType.UpdateMessage; data: Partial<DiscordMessageBody> & { flags?: number } }
  | { type: typeof CallbackType.DeferredChannelMessageWithSource; data?: { flags?: number } }
  | { type: typeof CallbackType.DeferredUpdateMessage };

/** A command as the bulk overwrite takes it (interactions/application-commands). */
export interface CommandDefinition {
  name: string;
  type: 1 | 3;
  description: string;
  options?: { type: 3; name: string; description: string; required: boolean; max_length?: number }[];
  /** 0 guild, 1 bot DM, 2 private channel; HTTP interactions reach the bot in guilds and its DMs. */
  contexts?: number[];
  integration_types?: number[];
}

export interface DiscordRest {
  /** POST /interactions/{id}/{token}/callback: the first response, within 3 s (a modal only as this one). */
  respond(interactionId: string, token: string, response: InteractionResponse, options?: CallOptions): Promise<void>;
  /** PATCH /webhooks/{application}/{token}/messages/@original: for 15 minutes after the interaction. */
  editOriginal(token: string, body: Partial<DiscordMessageBody>): Promise<DiscordPosted>;
  /** POST /webhooks/{application}/{token}: a follow-up; `flags: 64` makes it ephemeral. */
  followUp(token: string, body: Partial<DiscordMessageBody> & { flags?: number }): Promise<DiscordPosted>;
  /** POST /channels/{channel}/messages, with a message_reference for a reply. */
  createMessage(channelId: string, body: Partial<DiscordMessageBody> & { message_reference?: { message_id: string; channel_id?: string; fail_if_not_exists?: boolean } }): Promise<DiscordPosted>;
  /** PATCH /channels/{channel}/messages/{message}: only the bot's own messages. */
  editMessage(channelId: string, messageId: string, body: Partial<DiscordMessageBody>): Promise<DiscordPosted>;
  /** POST /users/@me/channels: the DM channel with a user (the same one each time). */
  createDm(userId: string): Promise<{ id: string }>;
  /** PUT /applications/{application}/commands, or a guild's (applies at once): replaces every command. */
  overwriteCommands(commands: readonly CommandDefinition[], guildId?: string): Promise<RegisteredCommand[]>;
  /** GET /users/@me: the bot's own user (doctor: the token works). */
  getCurrentUser(): Promise<{ id: string; username: string; bot?: boolean }>;
  /** GET /applications/@me: the application the token's bot belongs to (doctor: DISCORD_APPLICATION_ID is its id). */
  getCurrentApplication(): Promise<{ id: string; name: string }>;
  /** GET /applications/{application}/commands, or a guild's: what is registered (discord:register confirms, doctor checks). */
  listCommands(guildId?: string): Promise<RegisteredCommand[]>;
  /** GET /channels/{channel}: answers only when the bot can see the channel (VIEW_CHANNEL); else 50001, or 10003 for no such channel. */
  getChannel(channelId: string): Promise<{ id: string; type: number; name?: string; guild_id?: string }>;
  /** GET /users/{user}: any user's public profile; `global_name` is their display name, null when unset. */
  getUser(userId: string): Promise<{ id: string; username: string; global_name?: string | null }>;
}

/** A command as Discord lists it: the definition with the ids Discord gave it. */
export type RegisteredCommand = CommandDefinition & { id: string; application_id: string; guild_id?: string };

/** Builds the REST port; every call is one fetch with `Authorization: Bot <token>` (interaction webhooks need none, but it does no harm: Discord ignores it there). */
export function createDiscordRest(options: DiscordRestOptions): DiscordRest {
  const fetchImpl = options.fetch ?? fetch;
  const base = (options.apiUrl ?? DISCORD_API_URL).replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? DISCORD_TIMEOUT_MS;
  const app = encodeURIComponent(options.applicationId);

  async function call<T>(method: string, path: string, route: string, body: unknown, callOptions: CallOptions = {}): Promise<T> {
    const ms = Math.ceil(Math.min(timeoutMs, callOptions.deadline?.remainingMs() ?? timeoutMs));
    if (ms <= 0) throw new DiscordApiError(route, "timeout");
    let response: Response;
    try {
      response = await fetchImpl(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bot ${options.token}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          "user-agent": "DiscordBot (https://github.com/chatops, 0.1.0)",
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        redirect: "manual",
        signal: AbortSignal.timeout(ms),
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
      throw new DiscordApiError(route, timedOut ? "timeout" : "network_error", { cause: error });
    }
    const text = await response.text().catch(() => "");
    const json = parseJson(text);
    if (response.status === 429) throw new DiscordApiError(route, 429, { code: numberField(json, "code"), discordMessage: stringField(json, "message"), rateLimit: rateLimitOf(response.headers, json) });
    if (!response.ok) throw new DiscordApiError(route, response.status, { code: numberField(json, "code"), discordMessage: stringField(json, "message") });
    return (response.status === 204 ? undefined : json) as T;
  }

  const id = (value: string) => encodeURIComponent(value);
  return {
    respond: (interactionId, token, response, callOptions) =>
      call("POST", `/interactions/${id(interactionId)}/${id(token)}/callback`, "interaction_callback", response, callOptions),
    editOriginal: (token, body) => call("PATCH", `/webhooks/${app}/${id(token)}/messages/@original`, "edit_original", body),
    followUp: (token, body) => call("POST", `/webhooks/${app}/${id(token)}`, "follow_up", body),
    createMessage: (channelId, body) => call("POST", `/channels/${id(channelId)}/messages`, "create_message", body),
    editMessage: (channelId, messageId, body) => call("PATCH", `/channels/${id(channelId)}/messages/${id(messageId)}`, "edit_message", body),
    createDm: (userId) => call("POST", "/users/@me/channels", "create_dm", { recipient_id: userId }),
    overwriteCommands: (commands, guildId) =>
      call("PUT", guildId === undefined ? `/applications/${app}/commands` : `/applications/${app}/guilds/${id(guildId)}/commands`, "overwrite_commands", commands),
    getCurrentUser: () => call("GET", "/users/@me", "get_current_user", undefined),
    getCurrentApplication: () => call("GET", "/applications/@me", "get_current_application", undefined),
    listCommands: (guildId) => call("GET", guildId === undefined ? `/applications/${app}/commands` : `/applications/${app}/guilds/${id(guildId)}/commands`, "list_commands", undefined),
    getChannel: (channelId) => call("GET", `/channels/${id(channelId)}`, "get_channel", undefined),
    getUser: (userId) => call("GET", `/users/${id(userId)}`, "get_user", undefined),
  };
}

/**
 * A 429's wait, as Discord gives it: the body's retry_after (seconds, decimals allowed), else the
 * Retry-After header (whole seconds), else X-RateLimit-Reset-After; never guessed.
 */
export function rateLimitOf(headers: Headers, json: unknown): RateLimit {
  const seconds = [numberField(json, "retry_after"), Number(headers.get("retry-after") ?? Number.NaN), Number(headers.get("x-ratelimit-reset-after") ?? Number.NaN)].find(
    (value) => value !== undefined && Number.isFinite(value) && value >= 0,
  );
  return {
    retryAfterMs: seconds === undefined ? 0 : Math.ceil(seconds * 1000),
    global: (json as { global?: unknown } | undefined)?.global === true || headers.get("x-ratelimit-global") === "true",
    scope: headers.get("x-ratelimit-scope") ?? undefined,
    bucket: headers.get("x-ratelimit-bucket") ?? undefined,
  };
}

function parseJson(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

function numberField(json: unknown, key: string): number | undefined {
  const value = typeof json === "object" && json !== null ? (json as Record<string, unknown>)[key] : undefined;
  return typeof value === "number" ? value : undefined;
}

function stringField(json: unknown, key: string): string | undefined {
  const value = typeof json === "object" && json !== null ? (json as Record<string, unknown>)[key] : undefined;
  return typeof value === "string" ? value.slice(0, 200) : undefined;
}
