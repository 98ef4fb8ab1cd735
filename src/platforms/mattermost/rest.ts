/**
 * Mattermost's REST API (v4) as the bot uses it, on MATTERMOST_URL and nowhere else: posts (create,
 * read, patch, ephemeral), the direct channel with a person, users, and the interactive dialog's
 * open. A slash command's response_url is called only when it is on MATTERMOST_URL's origin. One
 * fetch per call, aborted at its timeout or deadline; Mattermost's error JSON (an AppError: `id`,
 * `message`, `status_code`) read into one error type; nothing retries here (features/send-patiently.ts decides).
 */
import type { MattermostDialog, MattermostPostBody } from "./render.js";

/** Per call, as for Slack and Discord: a call inside the acknowledgement window must leave room for the rest. */
export const MATTERMOST_TIMEOUT_MS = 2_500;

/** A failed call: `id` is Mattermost's error id when it sent one (`api.post.get.app_error`), else what the transport did. */
export class MattermostApiError extends Error {
  override readonly name = "MattermostApiError";
  constructor(
    readonly route: string,
    readonly status: number | "timeout" | "network_error" | "off_server",
    options: { cause?: unknown; id?: string | undefined; retryAfterMs?: number | undefined } = {},
  ) {
    super(`Mattermost ${route} failed: ${options.id ?? status}`, { cause: options.cause });
    this.id = options.id;
    this.retryAfterMs = options.retryAfterMs;
  }
  readonly id: string | undefined;
  readonly retryAfterMs: number | undefined;
}

/** A post as Mattermost returns it, trimmed to what the bot reads. */
export interface MattermostPost {
  id: string;
  channel_id: string;
  user_id: string;
  /** The thread's root, "" for a root post. */
  root_id: string;
  message: string;
  /** "" for a person's post; `system_…` for a system message. */
  type: string;
  props?: Record<string, unknown> | null;
}

export interface MattermostUser {
  id: string;
  username: string;
  first_name?: string;
  last_name?: string;
  nickname?: string;
  is_bot?: boolean;
}

/** A channel as Mattermost returns it, trimmed to what doctor reads; `type` is O (public), P (private), D or G. */
export interface MattermostChannel {
  id: string;
  name: string;
  display_name: string;
  type: string;
}

export interface CallOptions {
  deadline?: { remainingMs(): number } | undefined;
}

export interface MattermostRestOptions {
  /** MATTERMOST_URL: the site URL, a subpath kept, no trailing slash. */
  serverUrl: string;
  token: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export interface MattermostRest {
  /** POST /api/v4/posts: a post, in a thread when `root_id` is set. */
  createPost(body: MattermostPostBody & { channel_id: string; root_id?: string }, options?: CallOptions): Promise<MattermostPost>;
  /** PUT /api/v4/posts/{id}/patch: the bot's own post redrawn. */
  patchPost(postId: string, body: MattermostPostBody, options?: CallOptions): Promise<MattermostPost>;
  /** POST /api/v4/posts/ephemeral: only `userId` sees it, in the channel, until they reload. */
  createEphemeralPost(userId: string, post: MattermostPostBody & { channel_id: string; root_id?: string }, options?: CallOptions): Promise<MattermostPost>;
  /** GET /api/v4/posts/{id}: a post the bot can read (a 403 or 404 otherwise). */
  getPost(postId: string, options?: CallOptions): Promise<MattermostPost>;
  /** POST /api/v4/channels/direct: the direct channel between the two users (the same one each time). */
  createDirectChannel(userIds: readonly [string, string], options?: CallOptions): Promise<{ id: string }>;
  /** GET /api/v4/users/me: the bot's own user (its id is half of every direct channel; doctor: the token is a bot's). */
  getMe(options?: CallOptions): Promise<MattermostUser>;
  /** GET /api/v4/users/{id}. */
  getUser(userId: string, options?: CallOptions): Promise<MattermostUser>;
  /** GET /api/v4/channels/{id}: a channel the bot may read (403 when it may not, 404 when there is none); doctor's check. */
  getChannel(channelId: string, options?: CallOptions): Promise<MattermostChannel>;
  /** GET /api/v4/channels/{id}/members/me: the bot's membership (404 when it is not in the channel, where it cannot post); doctor's check. */
  getMyChannelMember(channelId: string, options?: CallOptions): Promise<{ channel_id: string; user_id: string }>;
  /** GET /api/v4/system/ping: `{ status: "OK" }` from any Mattermost server, the token unread; doctor's first check. */
  ping(options?: CallOptions): Promise<{ status?: string }>;
  /** POST /api/v4/actions/dialogs/open: within the trigger_id's 3 s. */
  openDialog(body: { trigger_id: string; url: string; dialog: MattermostDialog }, options?: CallOptions): Promise<void>;
  /** POST to a slash command's response_url; rejects `off_server` without a call when it is not on MATTERMOST_URL's origin. */
  respond(responseUrl: string, body: Record<string, unknown>, options?: CallOptions): Promise<void>;
  /** Whether `url` is on MATTERMOST_URL's origin (a response_url, a permalink). */
  isOnServer(url: string): boolean;
}

/** Builds the REST port; every call is one fetch with `Authorization: Bearer <bot token>`. */
export function createMattermostRest(options: MattermostRestOptions): MattermostRest {
  const fetchImpl = options.fetch ?? fetch;
  const server = options.serverUrl.replace(/\/+$/, "");
  const origin = new URL(server).origin;
  const timeoutMs = options.timeoutMs ?? MATTERMOST_TIMEOUT_MS;
  const isOnServer = (url: string) => URL.canParse(url) && new URL(url).origin === origin;

  async function call<T>(method: string, url: string, route: string, body: unknown, callOptions: CallOptions = {}): Promise<T> {
    const ms = Math.ceil(Math.min(timeoutMs, callOptions.deadline?.remainingMs() ?? timeoutMs));
    if (ms <= 0) throw new MattermostApiError(route, "timeout");
    let response: Response;
    try {
      response = await fetchImpl(url, {
        method,
        headers: { authorization: `Bearer ${options.token}`, ...(body === undefined ? {} : { "content-type": "application/json" }), "x-requested-with": "XMLHttpRequest" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        // A redirect could lead the token off the server.
        redirect: "manual",
        signal: AbortSignal.timeout(ms),
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
      throw new MattermostApiError(route, timedOut ? "timeout" : "network_error", { cause: error });
    }
    const text = await response.text().catch(() => "");
    const json = parseJson(text);
    if (!response.ok) {
      const id = stringField(json, "id");
      throw new MattermostApiError(route, response.status, { id, ...(response.status === 429 ? { retryAfterMs: retryAfterOf(response.headers) } : {}) });
    }
    return json as T;
  }

  const api = (path: string) => `${server}/api/v4${path}`;
  const id = (value: string) => encodeURIComponent(value);
  return {
    createPost: (body, callOptions) => call("POST", api("/posts"), "create_post", body, callOptions),
    patchPost: (postId, body, callOptions) => call("PUT", api(`/posts/${id(postId)}/patch`), "patch_post", body, callOptions),
    createEphemeralPost: (userId, post, callOptions) => call("POST", api("/posts/ephemeral"), "create_ephemeral_post", { user_id: userId, post }, callOptions),
    getPost: (postId, callOptions) => call("GET", api(`/posts/${id(postId)}`), "get_post", undefined, callOptions),
    createDirectChannel: (userIds, callOptions) => call("POST", api("/channels/direct"), "create_direct_channel", userIds, callOptions),
    getMe: (callOptions) => call("GET", api("/users/me"), "get_me", undefined, callOptions),
    getUser: (userId, callOptions) => call("GET", api(`/users/${id(userId)}`), "get_user", undefined, callOptions),
    getChannel: (channelId, callOptions) => call("GET", api(`/channels/${id(channelId)}`), "get_channel", undefined, callOptions),
    getMyChannelMember: (channelId, callOptions) => call("GET", api(`/channels/${id(channelId)}/members/me`), "get_channel_member", undefined, callOptions),
    ping: (callOptions) => call("GET", api("/system/ping"), "ping", undefined, callOptions),
    openDialog: async (body, callOptions) => void (await call("POST", api("/actions/dialogs/open"), "open_dialog", body, callOptions)),
    async respond(responseUrl, body, callOptions) {
      // A response_url comes in the request: one on another origin would take the answer (and what it quotes) elsewhere.
      if (!isOnServer(responseUrl)) throw new MattermostApiError("response_url", "off_server");
      await call("POST", responseUrl, "response_url", body, callOptions);
    },
    isOnServer,
  };
}

/** A 429's wait: Retry-After, else X-Ratelimit-Reset (seconds until the window resets), else none. */
function retryAfterOf(headers: Headers): number {
  const seconds = [headers.get("retry-after"), headers.get("x-ratelimit-reset")].map((value) => Number(value ?? Number.NaN)).find((value) => Number.isFinite(value) && value >= 0);
  return seconds === undefined ? 0 : Math.ceil(seconds * 1000);
}

function parseJson(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

function stringField(json: unknown, key: string): string | undefined {
  const value = typeof json === "object" && json !== null ? (json as Record<string, unknown>)[key] : undefined;
  return typeof value === "string" ? value.slice(0, 200) : undefined;
}
