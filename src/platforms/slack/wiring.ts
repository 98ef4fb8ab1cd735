/**
 * Slack's parts for a runtime (runtime.ts), when Slack's variables are set: the Web API client, the
 * port's ChatApi and what the handlers verify and admit requests with. A function passes this to
 * createRuntime only when it may answer or post on Slack (Slack's three endpoints, the schedules,
 * Notion's webhooks), so no other function's module carries @slack/web-api (about 70 kB with what it
 * brings). The Discord function is not one: a task asked for on Discord is announced on Discord, its
 * buttons are pressed there and `/task list` there lists it, so nothing it does posts on Slack.
 */
import type { ChatApi } from "../../chat/chat-api.js";
import type { AccessPolicy } from "./access.js";
import { createSlackChatApi } from "./chat-api.js";
import { createSlackApi, type SlackApi } from "./client.js";

/** Slack's variables, as env.ts read them. */
export interface SlackVariables {
  SLACK_BOT_TOKEN: string;
  SLACK_API_URL?: string | undefined;
  SLACK_SIGNING_SECRET?: string | undefined;
  SLACK_ALLOWED_TEAM_IDS?: readonly string[] | undefined;
  SLACK_APP_ID?: string | undefined;
  TASK_ALLOWED_CHANNEL_IDS?: readonly string[] | undefined;
}

/** Slack's parts, when Slack is on. */
export interface SlackLoaded {
  /** The Web API (client.ts): what Slack's own code calls (the Reply, the Home tab, a mention's answer). */
  api: SlackApi;
  chat: ChatApi;
  /** SLACK_SIGNING_SECRET: always set for Slack's endpoints, which require it. */
  signingSecret: string | undefined;
  /** Which workspaces, app and channels the bot answers (SLACK_ALLOWED_TEAM_IDS, SLACK_APP_ID, TASK_ALLOWED_CHANNEL_IDS). */
  access: AccessPolicy;
}

/** Builds Slack's parts over the runtime's fetch and clock; `timeoutMs` per call (SLACK_TIMEOUT_MS by default). */
export function wireSlack(env: SlackVariables, io: { now: () => number; fetch?: typeof fetch | undefined; timeoutMs?: number | undefined }): SlackLoaded {
  const api = createSlackApi({
    token: env.SLACK_BOT_TOKEN,
    apiUrl: env.SLACK_API_URL,
    ...(io.fetch ? { fetch: io.fetch } : {}),
    ...(io.timeoutMs ? { timeoutMs: io.timeoutMs } : {}),
    now: io.now,
  });
  return {
    api,
    chat: createSlackChatApi(api),
    signingSecret: env.SLACK_SIGNING_SECRET,
    access: { allowedTeamIds: env.SLACK_ALLOWED_TEAM_IDS, appId: env.SLACK_APP_ID, allowedChannelIds: env.TASK_ALLOWED_CHANNEL_IDS },
  };
}

/** What a function that serves Slack passes to createRuntime. */
export const SLACK_WIRING = { slack: wireSlack } as const;
