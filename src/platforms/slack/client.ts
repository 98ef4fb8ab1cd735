/**
 * The Slack Web API as the bot uses it: a handful of methods over @slack/web-api (views.open over
 * fetch: see openViewOverFetch), with bounds that fit a function answering in seconds, and one error
 * type with a narrow code.
 */
import type { HomeView, KnownBlock, View } from "@slack/types";
import type { WebClient } from "@slack/web-api";
import { isAllowedResponseUrl } from "./outbound.js";

/** Per call. Every call inside the acknowledgement window must leave room for the rest. */
export const SLACK_TIMEOUT_MS = 2_500;
/** Slack's Web API, as WebClient's slackApiUrl defaults to. */
const SLACK_API_URL = "https://slack.com/api/";

export type SlackErrorCode =
  | "rate_limited"
  | "timeout"
  | "http_error"
  | "network_error"
  /** Anything Slack answered with `ok: false`: the code is Slack's own, such as `not_in_channel`. */
  | (string & {});

/** A failed Slack call: `code` is Slack's error string or one of ours for transport failures. */
export class SlackApiError extends Error {
  override readonly name = "SlackApiError";
  constructor(
    readonly code: SlackErrorCode,
    readonly method: string,
    options: { cause?: unknown; retryAfterSeconds?: number } = {},
  ) {
    super(`Slack ${method} failed: ${code}`, { cause: options.cause });
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
  readonly retryAfterSeconds: number | undefined;
}

export interface SlackUser {
  id: string;
  name: string;
  email: string | undefined;
  isBot: boolean;
}

export interface PostedMessage {
  channel: string;
  ts: string;
}

export interface MessageContent {
  text: string;
  blocks?: KnownBlock[];
}

/** A call on the acknowledgement path stops at the request's deadline as well as at its own timeout. */
export interface CallOptions {
  deadline?: { remainingMs(): number } | undefined;
}

export interface SlackApi {
  /** views.open: a trigger_id lasts 3 s, so this is the first call on its path, bounded by the deadline. */
  openView(triggerId: string, view: View, options?: CallOptions): Promise<{ id: string; hash: string | undefined }>;
  updateView(viewId: string, view: View): Promise<void>;
  /** views.publish: replaces the person's Home tab with `view` (no scope needed; the tab must be enabled). */
  publishView(userId: string, view: HomeView): Promise<void>;
  postMessage(channel: string, message: MessageContent & { threadTs?: string }): Promise<PostedMessage>;
  postEphemeral(channel: string, user: string, message: MessageContent): Promise<void>;
  /**
   * Answers through an interaction's response_url: ephemeral, or with `replaceOriginal` in place of
   * the message the interaction came from, keeping that message's visibility. Only Slack's
   * hooks host (or SLACK_API_URL's origin) is ever called: any other URL rejects with `url_not_allowed`.
   */
  respond(responseUrl: string, message: MessageContent & { replaceOriginal?: boolean }): Promise<void>;
  getPermalink(channel: string, messageTs: string): Promise<string>;
  getUser(userId: string): Promise<SlackUser>;
}

export interface SlackApiOptions {
  token: string;
  /** Base URL ending in /api/, for an emulator or a proxy. */
  apiUrl?: string | undefined;
  fetch?: typeof fetch;
  timeoutMs?: number;
  now?: () => number;
}

/** What the port uses of @slack/web-api: its client, and its log levels. */
interface WebApi {
  WebClient: typeof import("@slack/web-api").WebClient;
  LogLevel: typeof import("@slack/web-api").LogLevel;
}

/**
 * @slack/web-api's two modules the port uses, not its index: the index (CommonJS, which a bundler
 * cannot shake) re-exports every error class, the file-upload and streaming helpers' names and two
 * folders of empty type modules, 2.5 kB in each function that calls Slack. The package has no
 * `exports` map, so Node resolves these paths as the index itself requires them; typecheck fails
 * if a release moves them.
 */
async function loadWebApi(): Promise<WebApi> {
  const [{ WebClient }, { LogLevel }] = await Promise.all([import("@slack/web-api/dist/WebClient.js"), import("@slack/web-api/dist/logger.js")]);
  return { WebClient, LogLevel };
}

/** Builds the Slack port. @slack/web-api is loaded on first use, keeping it off paths that never call Slack. */
export function createSlackApi(options: SlackApiOptions): SlackApi {
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? SLACK_TIMEOUT_MS;
  let module: Promise<WebApi> | undefined;
  let shared: WebClient | undefined;

  /**
   * A client whose requests are aborted after the call's own timeout or what is left of its
   * deadline, whichever comes first: the shared one, or (~40 µs) one for a shorter deadline. The
   * time is taken after the SDK is loaded, since loading it on a cold start spends the deadline too.
   */
  async function clientFor(method: string, callOptions: CallOptions): Promise<WebClient> {
    const loaded = await (module ??= loadWebApi());
    const ms = Math.ceil(Math.min(timeoutMs, callOptions.deadline?.remainingMs() ?? timeoutMs));
    if (ms <= 0) throw new SlackApiError("timeout", method);
    if (ms === timeoutMs) return (shared ??= buildWebClient(loaded, options, ms));
    return buildWebClient(loaded, options, ms);
  }

  async function call<T>(method: string, run: (client: WebClient) => Promise<T>, callOptions: CallOptions = {}): Promise<T> {
    try {
      return await run(await clientFor(method, callOptions));
    } catch (error) {
      throw toSlackApiError(method, error);
    }
  }

  /**
   * views.open over `fetch`, as WebClient sends it (JSON, the bot token as a bearer) and with its
   * errors mapped the same way (test/platforms/slack/client.test.ts holds the two equal): `/task` calls it
   * before answering, and loading @slack/web-api there (its WebClient pulls in node:zlib,
   * querystring, os, fs and stream) cost a cold start about 11 ms of compiling Node's own modules.
   * Every other method, after the answer, goes through the SDK.
   */
  async function openViewOverFetch(triggerId: string, view: View, callOptions: CallOptions = {}): Promise<{ id: string; hash: string | undefined }> {
    const method = "views.open";
    const ms = Math.ceil(Math.min(timeoutMs, callOptions.deadline?.remainingMs() ?? timeoutMs));
    if (ms <= 0) throw new SlackApiError("timeout", method);
    let response: Response;
    let body: string;
    try {
      response = await fetchImpl(`${options.apiUrl ?? SLACK_API_URL}${method}`, {
        method: "POST",
        headers: { authorization: `Bearer ${options.token}`, "content-type": "application/json; charset=utf-8" },
        body: JSON.stringify({ trigger_id: triggerId, view }),
        redirect: "manual",
        signal: AbortSignal.timeout(ms),
      });
      body = await response.text();
    } catch (error) {
      throw toSlackApiError(method, error);
    }
    const retryAfterSeconds = retryAfterSecondsOf(response.headers.get("retry-after"));
    if (response.status === 429) throw new SlackApiError("rate_limited", method, retryAfterSeconds === undefined ? {} : { retryAfterSeconds });
    if (response.status !== 200) throw new SlackApiError("http_error", method);
    let answer: { ok?: unknown; error?: unknown; view?: { id?: unknown; hash?: unknown } };
    try {
      answer = JSON.parse(body) as typeof answer;
    } catch (error) {
      throw new SlackApiError("http_error", method, { cause: error });
    }
    if (answer.ok !== true) {
      const code = typeof answer.error === "string" ? answer.error : "unknown_error";
      throw new SlackApiError(code === "ratelimited" ? "rate_limited" : code, method, retryAfterSeconds === undefined ? {} : { retryAfterSeconds });
    }
    return { id: typeof answer.view?.id === "string" ? answer.view.id : "", hash: typeof answer.view?.hash === "string" ? answer.view.hash : undefined };
  }

  return {
    openView: openViewOverFetch,
    updateView: (viewId, view) => call("views.update", async (c) => void (await c.views.update({ view_id: viewId, view }))),
    publishView: (userId, view) => call("views.publish", async (c) => void (await c.views.publish({ user_id: userId, view }))),
    postMessage: (channel, message) =>
      call("chat.postMessage", async (c) => {
        const result = await c.chat.postMessage({
          channel,
          text: message.text,
          ...(message.blocks ? { blocks: message.blocks } : {}),
          ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
          unfurl_links: false,
          unfurl_media: false,
        });
        return { channel: result.channel ?? channel, ts: result.ts ?? "" };
      }),
    postEphemeral: (channel, user, message) =>
      call("chat.postEphemeral", async (c) => {
        await c.chat.postEphemeral({ channel, user, text: message.text, ...(message.blocks ? { blocks: message.blocks } : {}) });
      }),
    async respond(responseUrl, message) {
      if (!isAllowedResponseUrl(responseUrl, options.apiUrl)) throw new SlackApiError("url_not_allowed", "response_url");
      let response: Response;
      try {
        response = await fetchImpl(responseUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            // A replacement keeps the original's visibility: a channel message stays in the channel.
            ...(message.replaceOriginal ? {} : { response_type: "ephemeral" }),
            replace_original: message.replaceOriginal ?? false,
            text: message.text,
            ...(message.blocks ? { blocks: message.blocks } : {}),
          }),
          // A redirect could lead anywhere: it is an answer, not something to follow.
          redirect: "manual",
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw toSlackApiError("response_url", error);
      }
      // The answer's body is "ok" or an error word; read it so the connection is released.
      await response.text().catch(() => undefined);
      if (response.status === 429) throw new SlackApiError("rate_limited", "response_url", { retryAfterSeconds: retryAfterSecondsOf(response.headers.get("retry-after")) });
      if (!response.ok) throw new SlackApiError("http_error", "response_url");
    },
    getPermalink: (channel, messageTs) =>
      call("chat.getPermalink", async (c) => (await c.chat.getPermalink({ channel, message_ts: messageTs })).permalink ?? ""),
    getUser: (userId) =>
      call("users.info", async (c) => {
        const { user } = await c.users.info({ user: userId });
        return {
          id: userId,
          name: user?.profile?.display_name || user?.real_name || user?.name || userId,
          email: user?.profile?.email || undefined,
          isBot: user?.is_bot ?? false,
        };
      }),
  };
}

function buildWebClient({ WebClient, LogLevel }: WebApi, options: SlackApiOptions, timeoutMs: number): WebClient {
  return new WebClient(options.token, {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    timeout: timeoutMs,
    // The default policy retries for about 30 minutes; a function has seconds. Callers that can
    // afford a retry do it themselves, knowing their own deadline.
    retryConfig: { retries: 0 },
    // The default queues every later call behind a 429; fail fast and let the caller decide.
    rejectRateLimitedCalls: true,
    // Every call goes to slackApiUrl: a method name is never taken as a URL of its own.
    allowAbsoluteUrls: false,
    logLevel: LogLevel.ERROR,
  });
}

/**
 * Maps @slack/web-api v8's error classes onto one narrow code. It compares their `code` strings
 * (v8's ErrorCode values) rather than importing the classes, which would load the SDK eagerly.
 */
export function toSlackApiError(method: string, error: unknown): SlackApiError {
  if (error instanceof SlackApiError) return error;
  const code = error instanceof Error && "code" in error ? error.code : undefined;
  switch (code) {
    case "slack_webapi_platform_error": {
      const data = (error as { data?: { error?: unknown; response_metadata?: { retryAfter?: unknown } } }).data;
      const answered = typeof data?.error === "string" ? data.error : "unknown_error";
      // `ratelimited` is chat.postMessage's documented error word for a 429; whatever status it came with, it is one.
      if (answered === "ratelimited" || answered === "rate_limited") {
        const retryAfter = data?.response_metadata?.retryAfter;
        return new SlackApiError("rate_limited", method, { cause: error, ...(typeof retryAfter === "number" ? { retryAfterSeconds: retryAfter } : {}) });
      }
      return new SlackApiError(answered, method, { cause: error });
    }
    case "slack_webapi_rate_limited_error":
      return new SlackApiError("rate_limited", method, { cause: error, retryAfterSeconds: (error as { retryAfter?: number }).retryAfter });
    case "slack_webapi_http_error":
      return new SlackApiError("http_error", method, { cause: error });
    case "slack_webapi_request_error": {
      const original = (error as { original?: unknown }).original;
      const timedOut = original instanceof Error && (original.name === "TimeoutError" || original.name === "AbortError");
      return new SlackApiError(timedOut ? "timeout" : "network_error", method, { cause: error });
    }
  }
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return new SlackApiError("timeout", method, { cause: error });
  }
  // v8 answers a 429 whose Retry-After is missing or not whole seconds with a plain Error saying so
  // (WebClient.makeRequest). It is still a refusal that posted nothing, not a transport failure that
  // may have posted: taken for one, it made the weekly review count a week as maybe posted.
  if (error instanceof Error && error.message.startsWith("Retry header did not contain a valid timeout")) {
    return new SlackApiError("rate_limited", method, { cause: error });
  }
  return new SlackApiError("network_error", method, { cause: error });
}

/** A Retry-After header in whole seconds (Slack sends seconds; an HTTP date is read too), or undefined. */
export function retryAfterSecondsOf(header: string | null): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  const seconds = Number(header.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
