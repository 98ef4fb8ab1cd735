/**
 * A loopback emulator of the Discord REST routes the bot uses (API v10), for tests, the sandbox and
 * the CLI: the interaction callback (first response, 3 s, once), the interaction webhook (edit
 * @original, follow-ups, 15 minutes), channel messages (create with message_reference and
 * allowed_mentions, edit the bot's own), DMs (a user who refuses them answers 50007 on the send,
 * as Discord does), the commands' bulk overwrite and list, GET /users/@me, /applications/@me and
 * /channels/{id} (what discord:register and doctor read). It answers with Discord's error
 * JSON (`{ code, message, errors }`) and enforces Discord's limits in code points; faults are
 * scripted per route ("*" for any); every call is recorded. Shapes follow Discord's docs, trimmed.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createServer, STATUS_CODES } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { DISCORD_LIMITS, discordLength } from "../src/platforms/discord/limits.js";
import { isRecord } from "./is-record.js";
import { createFaultQueue } from "./fault-queue.js";
import { readBody } from "./serve-handler.js";

export interface DiscordCall {
  /** The route's name, as DiscordApiError names it: interaction_callback, edit_original, follow_up, create_message, edit_message, create_dm, overwrite_commands, list_commands, get_current_user, get_current_application, get_user, get_channel; http_response for what the bot answered the interaction's POST with (receiveHttpResponse). */
  route: string;
  method: string;
  path: string;
  body: unknown;
  /** The Authorization header's token, without "Bot ". */
  token: string | undefined;
  at: number;
}

export type DiscordFault =
  /** A JSON error as Discord sends one: `status` (400 unless told) with `{ code, message }`. */
  | { kind: "error"; code: number; message?: string; status?: number }
  /** 429 with retry_after (seconds, decimals allowed), the Retry-After header (whole seconds, rounded up) and X-RateLimit-*. */
  | { kind: "rate_limited"; retryAfterSeconds: number; global?: boolean; scope?: "user" | "global" | "shared" }
  | { kind: "http"; status: number }
  | { kind: "delay"; ms: number }
  | { kind: "hang" }
  | { kind: "drop" };

/** A message in the emulated guild, the bot's or a person's. */
export interface EmulatedMessage {
  id: string;
  channel_id: string;
  author_id: string;
  content: string;
  components: unknown[];
  flags: number;
  message_reference?: { message_id: string; channel_id?: string } | undefined;
  allowed_mentions?: unknown;
  /** Set for an interaction's response and follow-ups: the token they were sent with. */
  interaction_token?: string | undefined;
  edited: boolean;
}

/** An interaction the emulator issued: its id and token, and what the bot answered. */
export interface EmulatedInteraction {
  id: string;
  token: string;
  /** InteractionType: 2 command, 3 component, 5 modal submit. */
  type: 2 | 3 | 5;
  channelId: string;
  userId: string;
  issuedAt: number;
  /** The first response's body, once there is one. */
  response: Record<string, unknown> | undefined;
  /**
   * What PATCH @original edits: the message the response made (types 4 and 5), or for a component's
   * interaction answered with 6 or 7, the message the component is on (`messageId`).
   */
  original: EmulatedMessage | undefined;
  /** A component's interaction: the message the component is on. */
  messageId?: string | undefined;
}

export const DISCORD_SEED = Object.freeze({
  applicationId: "1100000000000000001",
  botUserId: "1100000000000000001",
  botToken: "test-discord-bot-token",
  guildId: "1200000000000000001",
  /** The bot may post here. */
  general: "1300000000000000001",
  /** The bot may read but not send here (50013). */
  readOnly: "1300000000000000002",
  alice: "1400000000000000001",
  bob: "1400000000000000002",
  /** Has DMs from server members turned off: a DM to them answers 50007. */
  carol: "1400000000000000003",
} as const);

/** The people of the emulated guild as GET /users/{id} shows them (Bob has no display name: his username stands in). */
const USERS: Readonly<Record<string, { username: string; global_name: string | null }>> = {
  [DISCORD_SEED.alice]: { username: "alice", global_name: "Alice" },
  [DISCORD_SEED.bob]: { username: "bob", global_name: null },
  [DISCORD_SEED.carol]: { username: "carol", global_name: "Carol" },
  [DISCORD_SEED.botUserId]: { username: "chatops", global_name: null },
};

/** Discord's windows: the first response within 3 s; the token (edits, follow-ups) for 15 minutes. */
export const INITIAL_RESPONSE_MS = 3_000;
export const TOKEN_LIFETIME_MS = 15 * 60_000;

export interface DiscordEmulatorOptions {
  port?: number;
  /** The emulator's clock (ms since the epoch): interaction windows follow it. */
  now?: () => number;
  /**
   * The bot user's id (GET /users/@me); the application's id by default, as for every application
   * made since 2020. An older application's bot user has an id of its own.
   */
  botUserId?: string;
  /** Bot token the API accepts; any other answers 401 as Discord does. */
  botToken?: string;
  /** Channels the bot may send in besides DISCORD_SEED.general (a sandbox's #tasks); any other answers 10003. */
  channels?: readonly string[];
  /**
   * How long an interaction waits for its first response, instead of Discord's 3 s: behind netlify
   * dev, which starts a worker per request, as NETLIFY_DEV_TRIGGER_LIFETIME_MS is for Slack's trigger_id.
   */
  initialResponseMs?: number;
  /**
   * Keeps the guild's messages, DMs and commands in this file across restarts (an offline sandbox).
   * Interactions are not kept: their tokens die with the run, and an ephemeral message with them, as
   * Discord's client forgets one on reload.
   */
  statePath?: string;
}

export interface DiscordEmulator {
  /** `http://127.0.0.1:<port>/api/v10`: DISCORD_API_URL, without a trailing slash. */
  readonly apiUrl: string;
  readonly calls: DiscordCall[];
  callsTo(route: string): DiscordCall[];
  readonly messages: EmulatedMessage[];
  readonly interactions: EmulatedInteraction[];
  /** Commands as last overwritten: globally, or per guild id. */
  commands(guildId?: string): unknown[];
  /** An interaction as Discord would deliver it now: the id and token the bot answers with. */
  issueInteraction(input: { type: 2 | 3 | 5; channelId?: string; userId?: string; messageId?: string }): EmulatedInteraction;
  /**
   * What the bot answered an interaction's POST with, as Discord takes it: the same checks and
   * windows as the callback route (3 s, once, a modal never for a modal's submission), recorded as
   * route `http_response`. Resolves with Discord's JSON error when it refuses it, else undefined.
   */
  receiveHttpResponse(interaction: { id: string; token: string }, body: unknown): { code: number; message: string } | undefined;
  /** Each person's DM channel with the bot, once the bot opened it (POST /users/@me/channels). */
  directMessages(): ReadonlyMap<string, string>;
  /** A message a person wrote (the one a message command is used on). */
  postUserMessage(input: { channelId?: string; authorId: string; content: string }): EmulatedMessage;
  /** Queue a fault for `route` ("*" for any); FIFO per route. */
  fail(route: string, fault: DiscordFault, options?: { times?: number }): void;
  clearFaults(): void;
  reset(): void;
  close(): Promise<void>;
}

type Answer = { status: number; body: unknown; headers?: Record<string, string> };

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** Discord's "Invalid Form Body" for one field: the nested `errors` it sends, with one `_errors` entry. */
function invalidField(path: string, code: string, message: string): Refusal {
  const errors: Record<string, unknown> = {};
  let node = errors;
  const keys = path.split(".");
  for (const [index, key] of keys.entries()) {
    if (index === keys.length - 1) node[key] = { _errors: [{ code, message }] };
    else node = (node[key] = {}) as Record<string, unknown>;
  }
  return new Refusal(400, 50035, "Invalid Form Body", errors);
}

/** Starts the emulator on a loopback port (a random one unless `port` is given). */
export async function startDiscordEmulator(options: DiscordEmulatorOptions = {}): Promise<DiscordEmulator> {
  const now = options.now ?? Date.now;
  const botUserId = options.botUserId ?? DISCORD_SEED.botUserId;
  const botToken = options.botToken ?? DISCORD_SEED.botToken;
  const initialResponseMs = options.initialResponseMs ?? INITIAL_RESPONSE_MS;
  const calls: DiscordCall[] = [];
  const messages: EmulatedMessage[] = [];
  const interactions: EmulatedInteraction[] = [];
  const commands = new Map<string, unknown[]>();
  const dms = new Map<string, string>();
  const faults = createFaultQueue<DiscordFault>();
  if (options.statePath !== undefined && existsSync(options.statePath)) {
    const state: unknown = JSON.parse(readFileSync(options.statePath, "utf8"));
    if (!isRecord(state) || !Array.isArray(state["messages"]) || !Array.isArray(state["dms"]) || !Array.isArray(state["commands"])) throw new Error(`Discord emulator state file ${options.statePath} is not valid`);
    messages.push(...(state["messages"] as EmulatedMessage[]).filter((message) => (message.flags & 64) === 0));
    for (const [user, channel] of state["dms"] as [string, string][]) dms.set(user, channel);
    for (const [key, stored] of state["commands"] as [string, unknown[]][]) commands.set(key, stored);
  }
  /** Call after every change, so an offline sandbox can pick up where it left off. */
  const changed = () => {
    if (options.statePath === undefined) return;
    // Write then rename, so a reader never sees half a file.
    writeFileSync(`${options.statePath}.tmp`, `${JSON.stringify({ messages, dms: [...dms], commands: [...commands] }, null, 2)}\n`);
    renameSync(`${options.statePath}.tmp`, options.statePath);
  };
  let minted = 0;
  const snowflake = () => `${(BigInt(now()) - 1420070400000n) << 22n | BigInt(++minted % 4096)}`;


  const findInteraction = (token: string, window: number): EmulatedInteraction => {
    const interaction = interactions.find((candidate) => candidate.token === token);
    if (interaction === undefined || now() - interaction.issuedAt > window) throw new Refusal(404, 10062, "Unknown interaction");
    return interaction;
  };

  /** A guild route for a guild the bot is not in: Discord answers Missing Access. */
  const guildOk = (guildId: string | undefined): void => {
    if (guildId !== undefined && guildId !== DISCORD_SEED.guildId) throw new Refusal(403, 50001, "Missing Access");
  };

  const channelOk = (channelId: string): void => {
    if (channelId === DISCORD_SEED.readOnly) throw new Refusal(403, 50013, "Missing Permissions");
    const isDm = [...dms.values()].includes(channelId);
    if (channelId !== DISCORD_SEED.general && !options.channels?.includes(channelId) && !isDm) throw new Refusal(404, 10003, "Unknown Channel");
    if (isDm && [...dms.entries()].some(([user, dm]) => dm === channelId && user === DISCORD_SEED.carol)) throw new Refusal(403, 50007, "Cannot send messages to this user");
  };

  function handle(route: string, method: string, path: string[], body: unknown): Answer {
    switch (route) {
      case "interaction_callback": {
        const [, id, token] = path;
        const interaction = interactions.find((candidate) => candidate.id === id && candidate.token === token);
        if (interaction === undefined || now() - interaction.issuedAt > initialResponseMs) throw new Refusal(404, 10062, "Unknown interaction");
        if (interaction.response !== undefined) throw new Refusal(400, 40060, "Interaction has already been acknowledged.");
        if (!isRecord(body) || typeof body["type"] !== "number") throw invalidField("type", "BASE_TYPE_REQUIRED", "This field is required");
        const type = body["type"];
        const data = isRecord(body["data"]) ? body["data"] : {};
        if (type === 9) {
          // A modal answers a command or a component, never a modal's own submission.
          if (interaction.type === 5) throw new Refusal(400, 50035, "Invalid Form Body", { type: { _errors: [{ code: "INTERACTION_RESPONSE_TYPE_INVALID", message: "Interaction response type is invalid" }] } });
          checkModal(data);
        } else if (type === 4 || type === 7) {
          checkMessage(data, "data");
        } else if (![5, 6].includes(type)) {
          throw invalidField("type", "BASE_TYPE_CHOICES", "Value must be one of {1, 4, 5, 6, 7, 8, 9, 10, 12}.");
        }
        interaction.response = body;
        if ((type === 6 || type === 7) && interaction.type === 3) {
          // A component's deferred update or update: @original is the message the component is on.
          interaction.original = messages.find((message) => message.id === interaction.messageId);
          if (type === 7 && interaction.original !== undefined) applyEdit(interaction.original, data);
        }
        if (type === 4 || type === 5) {
          interaction.original = {
            id: snowflake(),
            channel_id: interaction.channelId,
            author_id: DISCORD_SEED.botUserId,
            content: typeof data["content"] === "string" ? data["content"] : "",
            components: Array.isArray(data["components"]) ? data["components"] : [],
            flags: typeof data["flags"] === "number" ? data["flags"] : 0,
            interaction_token: interaction.token,
            edited: false,
          };
          messages.push(interaction.original);
        }
        return { status: 204, body: undefined };
      }
      case "edit_original":
      case "follow_up": {
        const [, application, token] = path;
        if (application !== DISCORD_SEED.applicationId) throw new Refusal(404, 10015, "Unknown Webhook");
        const interaction = findInteraction(token ?? "", TOKEN_LIFETIME_MS);
        if (interaction.response === undefined) throw new Refusal(404, 10015, "Unknown Webhook");
        checkMessage(body, "");
        const fields = body as Record<string, unknown>;
        if (route === "edit_original") {
          const original = interaction.original;
          if (original === undefined) throw new Refusal(404, 10008, "Unknown Message");
          applyEdit(original, fields);
          return { status: 200, body: messageJson(original) };
        }
        const message = newMessage(interaction.channelId, fields, token);
        return { status: 200, body: messageJson(message) };
      }
      case "create_message": {
        const channelId = path[1] ?? "";
        channelOk(channelId);
        checkMessage(body, "");
        const fields = body as Record<string, unknown>;
        const reference = isRecord(fields["message_reference"]) ? fields["message_reference"] : undefined;
        if (reference !== undefined) {
          const target = messages.find((message) => message.id === reference["message_id"]);
          if (target === undefined && reference["fail_if_not_exists"] !== false) {
            throw invalidField("message_reference", "REPLIES_UNKNOWN_MESSAGE", "Unknown message");
          }
        }
        const message = newMessage(channelId, fields, undefined);
        return { status: 200, body: messageJson(message) };
      }
      case "edit_message": {
        const [, channelId, , messageId] = path;
        const message = messages.find((candidate) => candidate.id === messageId && candidate.channel_id === channelId);
        if (message === undefined) throw new Refusal(404, 10008, "Unknown Message");
        if (message.author_id !== DISCORD_SEED.botUserId) throw new Refusal(403, 50005, "Cannot edit a message authored by another user");
        checkMessage(body, "");
        applyEdit(message, body as Record<string, unknown>);
        return { status: 200, body: messageJson(message) };
      }
      case "create_dm": {
        const recipient = isRecord(body) ? body["recipient_id"] : undefined;
        if (typeof recipient !== "string" || !/^\d{1,20}$/.test(recipient)) throw invalidField("recipient_id", "NUMBER_TYPE_COERCE", "Value is not snowflake.");
        if (!dms.has(recipient)) dms.set(recipient, snowflake());
        return { status: 200, body: { id: dms.get(recipient), type: 1, recipients: [{ id: recipient }] } };
      }
      case "overwrite_commands": {
        if (!Array.isArray(body)) throw invalidField("_", "BASE_TYPE_ARRAY", "Must be an array");
        for (const [index, command] of body.entries()) {
          const name = isRecord(command) ? command["name"] : undefined;
          const type = isRecord(command) ? (command["type"] ?? 1) : 1;
          // CHAT_INPUT names are lowercase words; MESSAGE command names may hold spaces and capitals (1-32 either way).
          const valid = typeof name === "string" && (type === 1 ? /^[-_\p{Ll}\p{N}]{1,32}$/u.test(name) : discordLength(name) >= 1 && discordLength(name) <= 32);
          if (!valid) throw invalidField(`${index}.name`, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid");
          if (type === 1 && !(isRecord(command) && typeof command["description"] === "string" && discordLength(command["description"]) >= 1 && discordLength(command["description"]) <= 100)) {
            throw invalidField(`${index}.description`, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.");
          }
        }
        if (path[1] !== DISCORD_SEED.applicationId) throw new Refusal(404, 10002, "Unknown Application");
        // /applications/{id}/guilds/{guild}/commands, or /applications/{id}/commands ("" for global).
        const guildId = path[2] === "guilds" ? path[3] : undefined;
        guildOk(guildId);
        const stored = body.map((command) => ({ id: snowflake(), application_id: DISCORD_SEED.applicationId, ...(guildId === undefined ? {} : { guild_id: guildId }), ...(command as object) }));
        commands.set(guildId ?? "", stored);
        return { status: 200, body: stored };
      }
      case "list_commands": {
        if (path[1] !== DISCORD_SEED.applicationId) throw new Refusal(404, 10002, "Unknown Application");
        const guildId = path[2] === "guilds" ? path[3] : undefined;
        guildOk(guildId);
        return { status: 200, body: commands.get(guildId ?? "") ?? [] };
      }
      case "get_current_user":
        return { status: 200, body: { id: botUserId, username: "chatops", bot: true, global_name: null } };
      case "get_current_application":
        return { status: 200, body: { id: DISCORD_SEED.applicationId, name: "chatops", bot_public: false, bot: { id: botUserId, username: "chatops", bot: true } } };
      case "get_channel": {
        const channelId = path[1] ?? "";
        if (channelId === DISCORD_SEED.general || channelId === DISCORD_SEED.readOnly || options.channels?.includes(channelId)) {
          // The bot sees them all; it may not send in readOnly (what GET /channels cannot say).
          return { status: 200, body: { id: channelId, type: 0, guild_id: DISCORD_SEED.guildId, name: channelId === DISCORD_SEED.general ? "general" : "read-only" } };
        }
        if ([...dms.values()].includes(channelId)) return { status: 200, body: { id: channelId, type: 1 } };
        throw new Refusal(404, 10003, "Unknown Channel");
      }
      case "get_user": {
        const user = USERS[path[1] ?? ""];
        if (user === undefined) throw new Refusal(404, 10013, "Unknown User");
        return { status: 200, body: { id: path[1], discriminator: "0", avatar: null, ...user } };
      }
      default:
        throw new Refusal(404, 0, "404: Not Found");
    }
  }

  function newMessage(channelId: string, fields: Record<string, unknown>, token: string | undefined): EmulatedMessage {
    const message: EmulatedMessage = {
      id: snowflake(),
      channel_id: channelId,
      author_id: DISCORD_SEED.botUserId,
      content: typeof fields["content"] === "string" ? fields["content"] : "",
      components: Array.isArray(fields["components"]) ? fields["components"] : [],
      flags: typeof fields["flags"] === "number" ? fields["flags"] : 0,
      message_reference: isRecord(fields["message_reference"]) ? (fields["message_reference"] as EmulatedMessage["message_reference"]) : undefined,
      allowed_mentions: fields["allowed_mentions"],
      interaction_token: token,
      edited: false,
    };
    messages.push(message);
    return message;
  }

  const server: Server = createServer((request, response) => void serve(request, response));
  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const text = await readBody(request);
    const method = request.method ?? "GET";
    const path = url.pathname.replace(/^\/api\/v10/, "").split("/").filter(Boolean).map(decodeURIComponent);
    const route = routeOf(method, path);
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    const token = request.headers.authorization?.replace(/^Bot /, "");
    calls.push({ route, method, path: url.pathname, body, token, at: now() });
    const fault = faults.take(route);
    if (fault?.kind === "drop") return void request.socket.destroy();
    if (fault?.kind === "hang") return;
    if (fault?.kind === "delay") await new Promise((resolve) => setTimeout(resolve, fault.ms));
    let answer: Answer;
    if (fault?.kind === "error") answer = { status: fault.status ?? 400, body: { message: fault.message ?? "Error", code: fault.code } };
    else if (fault?.kind === "http") answer = { status: fault.status, body: STATUS_CODES[fault.status] ?? "Error" };
    else if (fault?.kind === "rate_limited") answer = rateLimited(fault);
    // Interaction routes are authorised by their token; every other route needs the bot's.
    else if (!["interaction_callback", "edit_original", "follow_up"].includes(route) && token !== botToken) answer = { status: 401, body: { message: "401: Unauthorized", code: 0 } };
    else {
      try {
        answer = handle(route, method, path, body);
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        answer = { status: error.status, body: { message: error.message, code: error.code, ...(error.errors ? { errors: error.errors } : {}) } };
      }
    }
    if (answer.status < 300) changed();
    const isJson = typeof answer.body === "object" && answer.body !== undefined;
    response.writeHead(answer.status, { ...(isJson ? { "content-type": "application/json" } : {}), ...answer.headers });
    response.end(answer.body === undefined ? undefined : isJson ? JSON.stringify(answer.body) : String(answer.body));
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;

  return {
    apiUrl: `http://127.0.0.1:${port}/api/v10`,
    calls,
    callsTo: (route) => calls.filter((call) => call.route === route),
    messages,
    interactions,
    commands: (guildId) => commands.get(guildId ?? "") ?? [],
    issueInteraction(input) {
      const interaction: EmulatedInteraction = {
        id: snowflake(),
        token: `aW50ZXJhY3Rpb24${randomBytes(24).toString("base64url")}`,
        type: input.type,
        channelId: input.channelId ?? DISCORD_SEED.general,
        userId: input.userId ?? DISCORD_SEED.alice,
        issuedAt: now(),
        response: undefined,
        original: undefined,
        messageId: input.messageId,
      };
      interactions.push(interaction);
      return interaction;
    },
    receiveHttpResponse(interaction, body) {
      calls.push({ route: "http_response", method: "POST", path: `/interactions/${interaction.id}/callback`, body, token: undefined, at: now() });
      try {
        handle("interaction_callback", "POST", ["interactions", interaction.id, interaction.token, "callback"], body);
        changed();
        return undefined;
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        return { code: error.code, message: error.message };
      }
    },
    directMessages: () => new Map(dms),
    postUserMessage(input) {
      const message: EmulatedMessage = { id: snowflake(), channel_id: input.channelId ?? DISCORD_SEED.general, author_id: input.authorId, content: input.content, components: [], flags: 0, edited: false };
      messages.push(message);
      changed();
      return message;
    },
    fail(route, fault, { times = 1 } = {}) {
      faults.add(route, fault, times);
    },
    clearFaults: () => faults.clear(),
    reset() {
      calls.length = 0;
      messages.length = 0;
      interactions.length = 0;
      commands.clear();
      dms.clear();
      faults.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The route a request is, named as the REST client names it. */
function routeOf(method: string, path: string[]): string {
  const [first] = path;
  if (first === "interactions" && path[3] === "callback" && method === "POST") return "interaction_callback";
  if (first === "webhooks" && path.length === 5 && path[3] === "messages" && path[4] === "@original" && method === "PATCH") return "edit_original";
  if (first === "webhooks" && path.length === 3 && method === "POST") return "follow_up";
  if (first === "channels" && path.length === 3 && path[2] === "messages" && method === "POST") return "create_message";
  if (first === "channels" && path.length === 4 && path[2] === "messages" && method === "PATCH") return "edit_message";
  if (first === "users" && path[1] === "@me" && path[2] === "channels" && method === "POST") return "create_dm";
  if (first === "users" && path[1] === "@me" && path.length === 2 && method === "GET") return "get_current_user";
  if (first === "applications" && path[1] === "@me" && path.length === 2 && method === "GET") return "get_current_application";
  if (first === "channels" && path.length === 2 && method === "GET") return "get_channel";
  if (first === "users" && path.length === 2 && method === "GET") return "get_user";
  const global = path.length === 3 && path[2] === "commands";
  const guild = path.length === 5 && path[2] === "guilds" && path[4] === "commands";
  if (first === "applications" && method === "PUT" && (global || guild)) return "overwrite_commands";
  if (first === "applications" && method === "GET" && (global || guild)) return "list_commands";
  return "unknown";
}

function rateLimited(fault: Extract<DiscordFault, { kind: "rate_limited" }>): Answer {
  const scope = fault.scope ?? (fault.global ? "global" : "user");
  return {
    status: 429,
    body: { message: "You are being rate limited.", retry_after: fault.retryAfterSeconds, global: fault.global ?? false },
    headers: {
      "retry-after": String(Math.ceil(fault.retryAfterSeconds)),
      "x-ratelimit-limit": "5",
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset-after": String(fault.retryAfterSeconds),
      "x-ratelimit-bucket": "emulated-bucket",
      "x-ratelimit-scope": scope,
      ...(fault.global ? { "x-ratelimit-global": "true" } : {}),
    },
  };
}

/** A message body's limits as Discord checks them: content 2,000 characters, 5 rows of 5, custom_id 100, a row's type. */
function checkMessage(body: unknown, prefix: string): void {
  const at = (field: string) => (prefix ? `${prefix}.${field}` : field);
  if (!isRecord(body)) throw invalidField(prefix || "_", "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType");
  const content = body["content"];
  if (typeof content === "string" && discordLength(content) > DISCORD_LIMITS.content) {
    throw invalidField(at("content"), "BASE_TYPE_MAX_LENGTH", `Must be ${DISCORD_LIMITS.content} or fewer in length.`);
  }
  const rows = body["components"];
  if (rows === undefined) return;
  if (!Array.isArray(rows) || rows.length > DISCORD_LIMITS.actionRows) throw invalidField(at("components"), "BASE_TYPE_BAD_LENGTH", `Must be between 0 and ${DISCORD_LIMITS.actionRows} in length.`);
  for (const [r, row] of rows.entries()) {
    const items = isRecord(row) && row["type"] === 1 ? row["components"] : undefined;
    if (!Array.isArray(items) || items.length === 0 || items.length > DISCORD_LIMITS.rowButtons) throw invalidField(at(`components.${r}.components`), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.");
    for (const [c, item] of items.entries()) {
      if (!isRecord(item)) continue;
      const customId = item["custom_id"];
      if (typeof customId === "string" && discordLength(customId) > DISCORD_LIMITS.customId) throw invalidField(at(`components.${r}.components.${c}.custom_id`), "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.");
      const label = item["label"];
      if (typeof label === "string" && discordLength(label) > DISCORD_LIMITS.buttonLabel) throw invalidField(at(`components.${r}.components.${c}.label`), "BASE_TYPE_MAX_LENGTH", "Must be 80 or fewer in length.");
    }
  }
}

/** A modal's limits: title 45, custom_id 100, 1-5 components, a Label's label 45, a text input's value and max_length 4,000. */
function checkModal(data: Record<string, unknown>): void {
  const title = data["title"];
  if (typeof title !== "string" || discordLength(title) < 1 || discordLength(title) > DISCORD_LIMITS.modalTitle) throw invalidField("data.title", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 45 in length.");
  const customId = data["custom_id"];
  if (typeof customId !== "string" || discordLength(customId) > DISCORD_LIMITS.customId) throw invalidField("data.custom_id", "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.");
  const components = data["components"];
  if (!Array.isArray(components) || components.length < 1 || components.length > DISCORD_LIMITS.modalComponents) throw invalidField("data.components", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.");
  for (const [index, component] of components.entries()) {
    if (!isRecord(component) || component["type"] !== 18) continue;
    const label = component["label"];
    if (typeof label !== "string" || discordLength(label) > DISCORD_LIMITS.label) throw invalidField(`data.components.${index}.label`, "BASE_TYPE_MAX_LENGTH", "Must be 45 or fewer in length.");
    const input = component["component"];
    if (!isRecord(input)) throw invalidField(`data.components.${index}.component`, "BASE_TYPE_REQUIRED", "This field is required");
    // A text input inside a Label takes its label from the Label.
    if (input["type"] === 4 && input["label"] !== undefined) throw invalidField(`data.components.${index}.component.label`, "COMPONENT_LABEL_INVALID", "Text input label is not allowed inside a Label.");
    for (const field of ["value", "max_length"] as const) {
      const value = input[field];
      const size = typeof value === "string" ? discordLength(value) : typeof value === "number" ? value : 0;
      if (size > DISCORD_LIMITS.textInputValue) throw invalidField(`data.components.${index}.component.${field}`, "BASE_TYPE_MAX_LENGTH", "Must be 4000 or fewer in length.");
    }
  }
}

function applyEdit(message: EmulatedMessage, fields: Record<string, unknown>): void {
  if (typeof fields["content"] === "string") message.content = fields["content"];
  if (Array.isArray(fields["components"])) message.components = fields["components"];
  message.edited = true;
}

function messageJson(message: EmulatedMessage): Record<string, unknown> {
  return { id: message.id, channel_id: message.channel_id, content: message.content, components: message.components, flags: message.flags, author: { id: message.author_id } };
}
