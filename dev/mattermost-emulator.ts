/**
 * A loopback emulator of the Mattermost REST routes the bot uses (API v4), for tests, the CLI and a
 * sandbox: posts (create, with `root_id` for a thread; read, where a post in a channel the bot is
 * not in answers 403; patch, the bot's own only; ephemeral), the direct channel with a person (one
 * who refuses direct messages answers 403, as RestrictDirectMessage does), users (`me` is the bot),
 * channels (a private one without the bot answers 403; the bot's membership), the system ping (no session needed),
 * the dialog's open (a trigger_id the emulator issued, within 3 s, once; the dialog's limits), and
 * a slash command's response_url (`/hooks/commands/<id>`). It answers with Mattermost's error JSON
 * (an AppError: `{ id, message, detailed_error, request_id, status_code }`), enforces a post's
 * 16,383 runes, scripts faults per route ("*" for any) and records every call. It also builds what
 * Mattermost sends the bot: a command's form body, a dialog's submission, a button's action.
 */
import { randomBytes } from "node:crypto";
import { createServer, STATUS_CODES } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { MATTERMOST_LIMITS, mattermostLength } from "../src/platforms/mattermost/limits.js";
import { isRecord } from "./is-record.js";
import { createHeldCalls } from "./held-calls.js";
import { createFaultQueue } from "./fault-queue.js";
import { readBody } from "./serve-handler.js";

export interface MattermostCall {
  /** The route's name, as MattermostApiError names it: create_post, patch_post, create_ephemeral_post, get_post, create_direct_channel, get_me, get_user, get_channel, get_channel_member, ping, open_dialog, response_url. */
  route: string;
  method: string;
  path: string;
  body: unknown;
  /** The Authorization header's bearer token. */
  token: string | undefined;
  at: number;
}

export type MattermostFault =
  /** An AppError as Mattermost sends one: `status` (400 unless told) with `{ id, message }`. */
  | { kind: "error"; id: string; status?: number; message?: string }
  /** 429 with X-Ratelimit-* (Mattermost's rate limiter) and Retry-After, in seconds. */
  | { kind: "rate_limited"; retryAfterSeconds: number }
  | { kind: "http"; status: number }
  | { kind: "delay"; ms: number }
  /** Never answered (until close()): nothing is carried out. */
  | { kind: "hang" }
  /**
   * Held until `releaseHeld()`, then carried out and answered as usual: a server that took the call
   * but answered past the bot's deadline (the post lands late). The test, not a timer, says when.
   */
  | { kind: "hold" }
  | { kind: "drop" };

/** Ids as Mattermost makes them: 26 lowercase letters and digits. */
const idOf = (seed: string) => seed.padEnd(26, "0").slice(0, 26);

export const MATTERMOST_SEED = Object.freeze({
  botToken: idOf("bottoken"),
  commandToken: idOf("commandtoken"),
  teamId: idOf("teamalpha"),
  teamName: "alpha",
  botUserId: idOf("chatopsbot"),
  alice: idOf("alice"),
  bob: idOf("bob"),
  /** Accepts no direct messages (the server's RestrictDirectMessage): the direct channel answers 403. */
  carol: idOf("carol"),
  /** The bot is a member here. */
  townSquare: idOf("townsquare"),
  /** A channel the bot is not in: its posts answer 403. */
  secret: idOf("secret"),
  tasks: idOf("tasks"),
  review: idOf("review"),
  /** A public channel the bot is not in: readable, but its membership answers 404. */
  lobby: idOf("lobby"),
} as const);

const USERS: Readonly<Record<string, { username: string; first_name: string; last_name: string; nickname: string; is_bot?: boolean }>> = {
  [MATTERMOST_SEED.botUserId]: { username: "chatops", first_name: "", last_name: "", nickname: "", is_bot: true },
  [MATTERMOST_SEED.alice]: { username: "alice", first_name: "Alice", last_name: "Martin", nickname: "" },
  [MATTERMOST_SEED.bob]: { username: "bob", first_name: "", last_name: "", nickname: "" },
  [MATTERMOST_SEED.carol]: { username: "carol", first_name: "Carol", last_name: "", nickname: "" },
};

/** The channels GET /channels/{id} knows: `secret` is private and without the bot. */
const CHANNELS: Readonly<Record<string, { name: string; display_name: string; type: "O" | "P" }>> = {
  [MATTERMOST_SEED.townSquare]: { name: "town-square", display_name: "Town Square", type: "O" },
  [MATTERMOST_SEED.secret]: { name: "secret", display_name: "Secret", type: "P" },
  [MATTERMOST_SEED.tasks]: { name: "tasks", display_name: "Tasks", type: "O" },
  [MATTERMOST_SEED.review]: { name: "review", display_name: "Review", type: "O" },
  [MATTERMOST_SEED.lobby]: { name: "lobby", display_name: "Lobby", type: "O" },
};

/** A trigger_id opens a dialog within 3 s (model.InteractiveDialogTriggerTimeoutMilliseconds), once. */
export const TRIGGER_LIFETIME_MS = 3_000;

export interface EmulatedPost {
  id: string;
  channel_id: string;
  user_id: string;
  root_id: string;
  message: string;
  type: string;
  props: Record<string, unknown>;
  /** Only `ephemeralFor` sees it (POST /posts/ephemeral); never stored by Mattermost, kept here to assert. */
  ephemeralFor?: string | undefined;
  edited: boolean;
  /** When it was made, and last changed: ms since the epoch, on the emulator's clock. */
  create_at: number;
  update_at: number;
}

export interface EmulatedDialog {
  triggerId: string;
  url: string;
  dialog: Record<string, unknown>;
  userId: string;
}

export interface MattermostEmulatorOptions {
  port?: number;
  /** The emulator's clock (ms since the epoch): the trigger_id's 3 s follow it. */
  now?: () => number;
  botToken?: string;
  /** How long a trigger_id opens a dialog (TRIGGER_LIFETIME_MS unless told): netlify dev's cold start needs longer, as a Slack trigger_id does there. */
  triggerLifetimeMs?: number;
  /** Whose token `botToken` is: the bot's unless told (a person's personal access token, for doctor's check). */
  tokenUserId?: string;
}

export interface MattermostEmulator {
  /** `http://127.0.0.1:<port>`: MATTERMOST_URL, the site URL, without a trailing slash. */
  readonly url: string;
  readonly calls: MattermostCall[];
  callsTo(route: string): MattermostCall[];
  readonly posts: EmulatedPost[];
  readonly dialogs: EmulatedDialog[];
  /** What each response_url received, by its id. */
  readonly responses: { id: string; body: unknown }[];
  /** A post a person wrote (what `/task remind <permalink>` names). */
  postUserMessage(input: { channelId?: string; userId: string; message: string; rootId?: string; props?: Record<string, unknown> }): EmulatedPost;
  /** A post's permalink as the web app's Copy Link gives it. */
  permalinkOf(post: { id: string }): string;
  /** A trigger_id as Mattermost issues one with a command or an action. */
  issueTrigger(userId: string): string;
  /** A response_url on this server, as a command carries one. */
  issueResponseUrl(): string;
  /** The command's form body as Mattermost posts it. */
  commandBody(input: { text: string; userId?: string; userName?: string; channelId?: string; token?: string; triggerId?: string; responseUrl?: string }): string;
  /** A dialog's submission as Mattermost posts it to the dialog's url, with the values typed. */
  dialogSubmission(dialog: EmulatedDialog, values: Record<string, string | null>, input?: { channelId?: string; userId?: string }): Record<string, unknown>;
  /** A button's action as Mattermost posts it to its integration URL; undefined when the post has no such button. */
  actionRequest(post: EmulatedPost, buttonName: string, input?: { userId?: string }): { url: string; body: Record<string, unknown> } | undefined;
  /**
   * What the bot answered a button's action with, as Mattermost takes it: an `update` redraws the post
   * the button is on (its message and props), an `ephemeral_text` is shown to the person who pressed.
   */
  receiveActionResponse(post: EmulatedPost, userId: string, json: unknown): void;
  /**
   * What a slash command answered (its HTTP response, or a body POSTed to its response_url), as
   * Mattermost shows it in the channel the command came from: `response_type: "in_channel"` a post
   * by the bot, anything else an ephemeral post for the person who typed it; `text` as the message,
   * `props` (attachments, buttons) kept; nothing for a body with neither. Returns the post made.
   */
  receiveCommandResponse(input: { channelId: string; userId: string; body: unknown }): EmulatedPost | undefined;
  /** The direct channel id of a person with the bot, once the bot opened it. */
  directChannelOf(userId: string): string | undefined;
  fail(route: string, fault: MattermostFault, options?: { times?: number }): void;
  /** Drops the faults not met yet (what is held stays held until released). */
  clearFaults(): void;
  /** Carries out the calls a `hold` fault holds (the bot may have given up on them); resolves with how many, once each is answered. */
  releaseHeld(): Promise<number>;
  reset(): void;
  close(): Promise<void>;
}

type Answer = { status: number; body: unknown; headers?: Record<string, string> };

class AppError extends Error {
  constructor(
    readonly status: number,
    readonly id: string,
    message: string,
  ) {
    super(message);
  }
}

/** Starts the emulator on a loopback port (a random one unless `port` is given). */
export async function startMattermostEmulator(options: MattermostEmulatorOptions = {}): Promise<MattermostEmulator> {
  const now = options.now ?? Date.now;
  const botToken = options.botToken ?? MATTERMOST_SEED.botToken;
  const triggerLifetimeMs = options.triggerLifetimeMs ?? TRIGGER_LIFETIME_MS;
  const calls: MattermostCall[] = [];
  const posts: EmulatedPost[] = [];
  const dialogs: EmulatedDialog[] = [];
  const responses: { id: string; body: unknown }[] = [];
  const triggers = new Map<string, { userId: string; issuedAt: number; used: boolean }>();
  const responseUrls = new Set<string>();
  const directs = new Map<string, string>();
  const faults = createFaultQueue<MattermostFault>();
  const held = createHeldCalls();
  const newId = () => randomBytes(16).toString("hex").replace(/[^a-z0-9]/g, "").slice(0, 26).padEnd(26, "x");
  let url = "";


  const memberOf = (channelId: string) => channelId !== MATTERMOST_SEED.secret && ([MATTERMOST_SEED.townSquare, MATTERMOST_SEED.tasks, MATTERMOST_SEED.review] as string[]).concat([...directs.values()]).includes(channelId);

  function checkPostBody(body: unknown): asserts body is Record<string, unknown> {
    if (!isRecord(body)) throw new AppError(400, "api.context.invalid_body_param.app_error", "Invalid or missing post in request body.");
    const message = body["message"];
    if (typeof message === "string" && mattermostLength(message) > MATTERMOST_LIMITS.postMessage) throw new AppError(400, "model.post.is_valid.message_length.app_error", "Message property length is greater than the maximum allowed length.");
    // The server sends a post's @channel, @all and @here to everyone in it: a bot that echoes them is a bug the tests must see.
    if (typeof message === "string" && /(^|[^\w.-])@(channel|all|here)\b/.test(message)) throw new AppError(400, "emulator.broadcast_sent", "The emulator refuses a broadcast mention: the bot must never send one.");
  }

  function newPost(fields: Record<string, unknown>, userId: string, ephemeralFor?: string): EmulatedPost {
    const post: EmulatedPost = {
      id: newId(),
      channel_id: String(fields["channel_id"] ?? ""),
      user_id: userId,
      root_id: typeof fields["root_id"] === "string" ? fields["root_id"] : "",
      message: typeof fields["message"] === "string" ? fields["message"] : "",
      type: "",
      props: isRecord(fields["props"]) ? fields["props"] : {},
      ephemeralFor,
      edited: false,
      create_at: now(),
      update_at: now(),
    };
    posts.push(post);
    return post;
  }

  function handle(route: string, path: string[], body: unknown): Answer {
    switch (route) {
      case "get_me":
        return { status: 200, body: userJson(options.tokenUserId ?? MATTERMOST_SEED.botUserId) };
      case "ping":
        return { status: 200, body: { ActiveSearchBackend: "database", AndroidLatestVersion: "", status: "OK" } };
      case "get_channel": {
        const id = path[1] ?? "";
        const channel = CHANNELS[id];
        if (channel === undefined) throw new AppError(404, "app.channel.get.existing.app_error", "Unable to find the existing channel.");
        // A private channel the bot is not in is not even readable (read_channel needs membership there).
        if (channel.type === "P" && !memberOf(id)) throw new AppError(403, "api.context.permissions.app_error", "You do not have the appropriate permissions.");
        return { status: 200, body: { id, team_id: MATTERMOST_SEED.teamId, ...channel } };
      }
      case "get_channel_member": {
        const id = path[1] ?? "";
        if (CHANNELS[id] === undefined) throw new AppError(404, "app.channel.get.existing.app_error", "Unable to find the existing channel.");
        if (!memberOf(id)) throw new AppError(404, "app.channel.get_member.missing.app_error", "No channel member found for that user ID and channel ID.");
        return { status: 200, body: { channel_id: id, user_id: MATTERMOST_SEED.botUserId, roles: "channel_user" } };
      }
      case "get_user": {
        const id = path[1] ?? "";
        if (!Object.hasOwn(USERS, id)) throw new AppError(404, "app.user.missing_account.const", "Unable to find the user.");
        return { status: 200, body: userJson(id) };
      }
      case "get_post": {
        const post = posts.find((candidate) => candidate.id === path[1] && candidate.ephemeralFor === undefined);
        if (post === undefined) throw new AppError(404, "app.post.get.app_error", "Unable to get the post.");
        if (!memberOf(post.channel_id)) throw new AppError(403, "api.context.permissions.app_error", "You do not have the appropriate permissions.");
        return { status: 200, body: postJson(post) };
      }
      case "create_post": {
        checkPostBody(body);
        const channel = String(body["channel_id"] ?? "");
        if (!memberOf(channel)) throw new AppError(403, "api.context.permissions.app_error", "You do not have the appropriate permissions.");
        const root = body["root_id"];
        if (typeof root === "string" && root !== "" && !posts.some((post) => post.id === root && post.channel_id === channel && post.root_id === "")) throw new AppError(400, "api.post.create_post.root_id.app_error", "Invalid RootId parameter.");
        return { status: 201, body: postJson(newPost(body, MATTERMOST_SEED.botUserId)) };
      }
      case "patch_post": {
        checkPostBody(body);
        const post = posts.find((candidate) => candidate.id === path[1] && candidate.ephemeralFor === undefined);
        if (post === undefined) throw new AppError(404, "app.post.get.app_error", "Unable to get the post.");
        if (post.user_id !== MATTERMOST_SEED.botUserId) throw new AppError(403, "api.context.permissions.app_error", "You do not have the appropriate permissions.");
        if (typeof body["message"] === "string") post.message = body["message"];
        if (isRecord(body["props"])) post.props = body["props"];
        post.edited = true;
        post.update_at = now();
        return { status: 200, body: postJson(post) };
      }
      case "create_ephemeral_post": {
        if (!isRecord(body) || typeof body["user_id"] !== "string") throw new AppError(400, "api.context.invalid_body_param.app_error", "Invalid or missing user_id in request body.");
        checkPostBody(body["post"]);
        return { status: 201, body: postJson(newPost(body["post"], MATTERMOST_SEED.botUserId, body["user_id"])) };
      }
      case "create_direct_channel": {
        if (!Array.isArray(body) || body.length !== 2 || !body.every((id) => typeof id === "string")) throw new AppError(400, "api.context.invalid_body_param.app_error", "Invalid or missing user_ids in request body.");
        const other = (body as string[]).find((id) => id !== MATTERMOST_SEED.botUserId);
        if (!(body as string[]).includes(MATTERMOST_SEED.botUserId) || other === undefined || !Object.hasOwn(USERS, other)) throw new AppError(400, "api.channel.create_direct_channel.invalid_user.app_error", "Invalid user ID for direct channel creation.");
        if (other === MATTERMOST_SEED.carol) throw new AppError(403, "api.context.permissions.app_error", "You do not have the appropriate permissions.");
        const id = directs.get(other) ?? newId();
        directs.set(other, id);
        return { status: 201, body: { id, type: "D", name: `${MATTERMOST_SEED.botUserId}__${other}` } };
      }
      case "open_dialog": {
        if (!isRecord(body)) throw new AppError(400, "api.context.invalid_body_param.app_error", "Invalid or missing dialog in request body.");
        const triggerId = String(body["trigger_id"] ?? "");
        const trigger = triggers.get(triggerId);
        if (trigger === undefined) throw new AppError(400, "interactive_message.decode_trigger_id.signature_decode_failed", "Failed to decode trigger ID.");
        if (now() - trigger.issuedAt > triggerLifetimeMs || trigger.used) throw new AppError(400, "interactive_message.decode_trigger_id.expired", "Trigger ID for interactive dialog is expired.");
        const dialog = body["dialog"];
        if (typeof body["url"] !== "string" || !isRecord(dialog)) throw new AppError(400, "api.context.invalid_body_param.app_error", "Invalid or missing url or dialog in request body.");
        checkDialog(dialog);
        trigger.used = true;
        dialogs.push({ triggerId, url: body["url"], dialog, userId: trigger.userId });
        return { status: 200, body: { status: "OK" } };
      }
      case "response_url": {
        const id = path[2] ?? "";
        if (!responseUrls.has(id)) throw new AppError(404, "web.command_webhook.invalid.app_error", "Invalid webhook.");
        responses.push({ id, body });
        return { status: 200, body: undefined };
      }
      default:
        throw new AppError(404, "api.context.404.app_error", "Sorry, we could not find the page.");
    }
  }

  const server: Server = createServer((request, response) => void serve(request, response));
  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestUrl = new URL(request.url ?? "/", "http://127.0.0.1");
    const text = await readBody(request);
    const method = request.method ?? "GET";
    const isHook = requestUrl.pathname.startsWith("/hooks/");
    const path = requestUrl.pathname.replace(/^\/api\/v4/, "").split("/").filter(Boolean).map(decodeURIComponent);
    const route = routeOf(method, path);
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    const token = request.headers.authorization?.replace(/^Bearer /i, "");
    calls.push({ route, method, path: requestUrl.pathname, body, token, at: now() });
    const fault = faults.take(route);
    if (fault?.kind === "drop") return void request.socket.destroy();
    if (fault?.kind === "hang") return;
    if (fault?.kind === "delay") await new Promise((resolve) => setTimeout(resolve, fault.ms));
    if (fault?.kind === "hold") await held.hold(response);
    let answer: Answer;
    if (fault?.kind === "error") answer = { status: fault.status ?? 400, body: appError(fault.status ?? 400, fault.id, fault.message ?? "Error") };
    else if (fault?.kind === "http") answer = { status: fault.status, body: STATUS_CODES[fault.status] ?? "Error" };
    else if (fault?.kind === "rate_limited") answer = { status: 429, body: appError(429, "api.context.rate_limit.app_error", "Too many requests."), headers: { "retry-after": String(fault.retryAfterSeconds), "x-ratelimit-limit": "10", "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(fault.retryAfterSeconds) } };
    // A response_url is its own authority, and the ping needs no session; every other API route needs the bot's token.
    else if (!isHook && route !== "ping" && token !== botToken) answer = { status: 401, body: appError(401, "api.context.session_expired.app_error", "Invalid or expired session, please login again.") };
    else {
      try {
        answer = handle(route, path, body);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        answer = { status: error.status, body: appError(error.status, error.id, error.message) };
      }
    }
    const isJson = typeof answer.body === "object" && answer.body !== undefined;
    response.writeHead(answer.status, { ...(isJson ? { "content-type": "application/json" } : {}), ...answer.headers });
    response.end(answer.body === undefined ? undefined : isJson ? JSON.stringify(answer.body) : String(answer.body));
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  url = `http://127.0.0.1:${port}`;

  function issueTrigger(userId: string): string {
    // Mattermost's is base64 of "<id>:<user>:<ms>:<signature>"; the bot never reads inside it.
    const id = Buffer.from(`${newId()}:${userId}:${now()}:${randomBytes(12).toString("base64")}`).toString("base64");
    triggers.set(id, { userId, issuedAt: now(), used: false });
    return id;
  }
  function issueResponseUrl(): string {
    const id = newId();
    responseUrls.add(id);
    return `${url}/hooks/commands/${id}`;
  }

  return {
    url,
    calls,
    callsTo: (route) => calls.filter((call) => call.route === route),
    posts,
    dialogs,
    responses,
    postUserMessage(input) {
      const post = newPost({ channel_id: input.channelId ?? MATTERMOST_SEED.townSquare, message: input.message, root_id: input.rootId, props: input.props }, input.userId);
      return post;
    },
    permalinkOf: (post) => `${url}/${MATTERMOST_SEED.teamName}/pl/${post.id}`,
    issueTrigger,
    issueResponseUrl,
    commandBody(input) {
      const userId = input.userId ?? MATTERMOST_SEED.alice;
      return new URLSearchParams({
        channel_id: input.channelId ?? MATTERMOST_SEED.townSquare,
        channel_name: "town-square",
        command: "/task",
        response_url: input.responseUrl ?? issueResponseUrl(),
        team_domain: MATTERMOST_SEED.teamName,
        team_id: MATTERMOST_SEED.teamId,
        text: input.text,
        token: input.token ?? MATTERMOST_SEED.commandToken,
        trigger_id: input.triggerId ?? issueTrigger(userId),
        user_id: userId,
        user_name: input.userName ?? USERS[userId]?.username ?? "someone",
      }).toString();
    },
    dialogSubmission(dialog, values, input = {}) {
      return {
        type: "dialog_submission",
        callback_id: dialog.dialog["callback_id"],
        state: dialog.dialog["state"],
        user_id: input.userId ?? dialog.userId,
        channel_id: input.channelId ?? MATTERMOST_SEED.townSquare,
        team_id: MATTERMOST_SEED.teamId,
        submission: values,
        cancelled: false,
      };
    },
    actionRequest(post, buttonName, input = {}) {
      const attachments = Array.isArray(post.props["attachments"]) ? post.props["attachments"] : [];
      for (const attachment of attachments) {
        const actions = isRecord(attachment) && Array.isArray(attachment["actions"]) ? attachment["actions"] : [];
        const action = actions.find((candidate) => isRecord(candidate) && candidate["name"] === buttonName);
        if (!isRecord(action) || !isRecord(action["integration"])) continue;
        const userId = input.userId ?? MATTERMOST_SEED.alice;
        return {
          url: String(action["integration"]["url"]),
          body: {
            user_id: userId,
            user_name: USERS[userId]?.username ?? "someone",
            channel_id: post.channel_id,
            channel_name: "town-square",
            team_id: MATTERMOST_SEED.teamId,
            team_domain: MATTERMOST_SEED.teamName,
            post_id: post.id,
            trigger_id: issueTrigger(userId),
            type: "",
            data_source: "",
            context: action["integration"]["context"] ?? {},
          },
        };
      }
      return undefined;
    },
    receiveActionResponse(post, userId, json) {
      calls.push({ route: "action_response", method: "POST", path: `/posts/${post.id}/actions`, body: json, token: undefined, at: now() });
      if (!isRecord(json)) return;
      const update = json["update"];
      if (isRecord(update)) {
        if (typeof update["message"] === "string") post.message = update["message"];
        if (isRecord(update["props"])) post.props = update["props"];
        post.edited = true;
        post.update_at = now();
      }
      if (typeof json["ephemeral_text"] === "string") newPost({ channel_id: post.channel_id, message: json["ephemeral_text"] }, MATTERMOST_SEED.botUserId, userId);
    },
    receiveCommandResponse({ channelId, userId, body }) {
      calls.push({ route: "command_response", method: "POST", path: `/commands/response`, body, token: undefined, at: now() });
      if (!isRecord(body)) return undefined;
      const text = typeof body["text"] === "string" ? body["text"] : "";
      const props = isRecord(body["props"]) ? body["props"] : {};
      const attachments = Array.isArray(props["attachments"]) ? props["attachments"] : [];
      if (text === "" && attachments.length === 0) return undefined;
      return newPost({ channel_id: channelId, message: text, props }, MATTERMOST_SEED.botUserId, body["response_type"] === "in_channel" ? undefined : userId);
    },
    directChannelOf: (userId) => directs.get(userId),
    fail(route, fault, { times = 1 } = {}) {
      faults.add(route, fault, times);
    },
    clearFaults: () => faults.clear(),
    releaseHeld: () => held.releaseAll(),
    reset() {
      calls.length = 0;
      posts.length = 0;
      dialogs.length = 0;
      responses.length = 0;
      triggers.clear();
      directs.clear();
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
  if (first === "hooks" && path[1] === "commands" && path.length === 3 && method === "POST") return "response_url";
  if (first === "posts" && path.length === 1 && method === "POST") return "create_post";
  if (first === "posts" && path.length === 2 && path[1] === "ephemeral" && method === "POST") return "create_ephemeral_post";
  if (first === "posts" && path.length === 2 && method === "GET") return "get_post";
  if (first === "posts" && path.length === 3 && path[2] === "patch" && method === "PUT") return "patch_post";
  if (first === "channels" && path[1] === "direct" && path.length === 2 && method === "POST") return "create_direct_channel";
  if (first === "users" && path[1] === "me" && path.length === 2 && method === "GET") return "get_me";
  if (first === "channels" && path.length === 2 && method === "GET") return "get_channel";
  if (first === "channels" && path.length === 4 && path[2] === "members" && path[3] === "me" && method === "GET") return "get_channel_member";
  if (first === "system" && path[1] === "ping" && path.length === 2 && method === "GET") return "ping";
  if (first === "users" && path.length === 2 && method === "GET") return "get_user";
  if (first === "actions" && path[1] === "dialogs" && path[2] === "open" && method === "POST") return "open_dialog";
  return "unknown";
}

/** A dialog's limits as the server and the web app hold them: title 24, display_name 24, a text's max_length 150 and a textarea's 3,000, placeholder and help_text 150. */
function checkDialog(dialog: Record<string, unknown>): void {
  const bad = (field: string) => new AppError(400, "model.interactive_dialog.is_valid.app_error", `Invalid dialog: ${field}.`);
  const title = dialog["title"];
  if (typeof title !== "string" || mattermostLength(title) < 1 || mattermostLength(title) > MATTERMOST_LIMITS.dialogTitle) throw bad("title");
  const elements = dialog["elements"];
  if (!Array.isArray(elements)) throw bad("elements");
  for (const element of elements) {
    if (!isRecord(element) || typeof element["name"] !== "string") throw bad("element name");
    const displayName = element["display_name"];
    if (typeof displayName !== "string" || mattermostLength(displayName) > MATTERMOST_LIMITS.elementDisplayName) throw bad("display_name");
    for (const field of ["placeholder", "help_text"]) {
      const value = element[field];
      if (typeof value === "string" && mattermostLength(value) > MATTERMOST_LIMITS.elementHelpText) throw bad(field);
    }
    const max = element["type"] === "textarea" ? MATTERMOST_LIMITS.textareaMaxLength : MATTERMOST_LIMITS.textMaxLength;
    if (typeof element["max_length"] === "number" && element["max_length"] > max) throw bad("max_length");
    if (typeof element["default"] === "string" && mattermostLength(element["default"]) > (typeof element["max_length"] === "number" ? element["max_length"] : max)) throw bad("default");
  }
}

function appError(status: number, id: string, message: string): Record<string, unknown> {
  return { id, message, detailed_error: "", request_id: randomBytes(13).toString("hex").slice(0, 26), status_code: status };
}

function userJson(id: string): Record<string, unknown> {
  const user = USERS[id]!;
  return { id, username: user.username, first_name: user.first_name, last_name: user.last_name, nickname: user.nickname, ...(user.is_bot ? { is_bot: true } : {}) };
}

function postJson(post: EmulatedPost): Record<string, unknown> {
  return { id: post.id, channel_id: post.channel_id, user_id: post.user_id, root_id: post.root_id, message: post.message, type: post.type, props: post.props, create_at: post.create_at, update_at: post.update_at };
}
