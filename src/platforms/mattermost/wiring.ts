/**
 * Mattermost's parts for a runtime (runtime.ts), when Mattermost's variables are set: the REST client,
 * the port's ChatApi, and what the handlers verify and sign with. A function passes this to
 * createRuntime only when it may answer or post on Mattermost (its three endpoints, the schedules,
 * Notion's webhooks), so the Slack and Discord functions' modules carry none of it.
 */
import { createMattermostChatApi, type MattermostChatApi } from "./chat-api.js";
import { createMattermostRest, type MattermostRest } from "./rest.js";
import { signingKeyOf } from "./signed.js";

/** Mattermost's variables, as env.ts read them. */
export interface MattermostVariables {
  MATTERMOST_URL: string;
  MATTERMOST_BOT_TOKEN: string;
  MATTERMOST_COMMAND_TOKEN: string;
  /** Netlify's URL: where the buttons of a post made without a request (a schedule, a webhook) post back. */
  URL?: string | undefined;
}

/** Mattermost's parts, when Mattermost is on. */
export interface MattermostLoaded {
  rest: MattermostRest;
  chat: MattermostChatApi;
  /** MATTERMOST_URL: the one origin every call, permalink and response_url must be on. */
  serverUrl: string;
  /** MATTERMOST_COMMAND_TOKEN, compared in constant time (verify-command.ts). */
  commandToken: string;
  /** The HMAC key the bot signs a dialog's state and a button's context with (signed.ts). */
  signingKey: Buffer;
  /** Netlify's URL, when set: where buttons and dialogs post back when no request says. */
  siteUrl: string | undefined;
  /** Usernames by user id and the bot's own id, learnt once per warm instance and shared by every ChatApi. */
  usernames: Map<string, string>;
  me: { id?: string };
}

/** Builds Mattermost's parts over the runtime's fetch and clock; `timeoutMs` per call (MATTERMOST_TIMEOUT_MS by default). */
export function wireMattermost(env: MattermostVariables, io: { now: () => number; fetch?: typeof fetch | undefined; timeoutMs?: number | undefined }): MattermostLoaded {
  const rest = createMattermostRest({ serverUrl: env.MATTERMOST_URL, token: env.MATTERMOST_BOT_TOKEN, ...(io.fetch ? { fetch: io.fetch } : {}), ...(io.timeoutMs ? { timeoutMs: io.timeoutMs } : {}) });
  const signingKey = signingKeyOf(env.MATTERMOST_BOT_TOKEN, env.MATTERMOST_COMMAND_TOKEN);
  const siteUrl = env.URL?.replace(/\/+$/, "");
  const usernames = new Map<string, string>();
  const me: { id?: string } = {};
  return {
    rest,
    chat: createMattermostChatApi(rest, { signingKey, siteUrl, serverUrl: env.MATTERMOST_URL, now: io.now, usernames, me }),
    serverUrl: env.MATTERMOST_URL,
    commandToken: env.MATTERMOST_COMMAND_TOKEN,
    signingKey,
    siteUrl,
    usernames,
    me,
  };
}

/** What a function that serves Mattermost passes to createRuntime. */
export const MATTERMOST_WIRING = { mattermost: wireMattermost } as const;
