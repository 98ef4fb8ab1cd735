/**
 * Discord's parts for a runtime (runtime.ts), when Discord's variables are set: the REST client, the
 * port's ChatApi and what the handler verifies and validates with. A function passes this to
 * createRuntime only when it may answer or post on Discord (its own endpoint, the schedules, Notion's
 * webhooks), so the Slack functions' modules carry none of it (about 9 kB, which slack-interactions'
 * 300 kB budget does not have to spare).
 */
import type { ChatApi } from "../../chat/chat-api.js";
import type { Store } from "../../store/store.js";
import { createDiscordChatApi } from "./chat-api.js";
import { createDiscordRest, type DiscordRest } from "./rest.js";

/** Discord's variables, as env.ts read them. */
export interface DiscordVariables {
  DISCORD_BOT_TOKEN: string;
  DISCORD_APPLICATION_ID: string;
  DISCORD_API_URL?: string | undefined;
  DISCORD_PUBLIC_KEY?: string | undefined;
  DISCORD_ALLOWED_GUILD_IDS?: readonly string[] | undefined;
}

/** Discord's parts, when Discord is on. */
export interface DiscordLoaded {
  rest: DiscordRest;
  chat: ChatApi;
  /**
   * DISCORD_PUBLIC_KEY (64 hex; always set for the Discord function, which requires it): the handler
   * imports it as a key once, so no other function's module carries the import.
   */
  publicKeyHex: string | undefined;
  /** DISCORD_ALLOWED_GUILD_IDS: undefined when every server may use the bot. */
  allowedGuildIds: readonly string[] | undefined;
}

/** Builds Discord's parts over the runtime's fetch, store and clock; `timeoutMs` per call (DISCORD_TIMEOUT_MS by default). */
export function wireDiscord(env: DiscordVariables, io: { store: Store; now: () => number; fetch?: typeof fetch | undefined; timeoutMs?: number | undefined }): DiscordLoaded {
  const rest = createDiscordRest({
    token: env.DISCORD_BOT_TOKEN,
    applicationId: env.DISCORD_APPLICATION_ID,
    apiUrl: env.DISCORD_API_URL,
    ...(io.fetch ? { fetch: io.fetch } : {}),
    ...(io.timeoutMs ? { timeoutMs: io.timeoutMs } : {}),
  });
  return { rest, chat: createDiscordChatApi(rest, { store: io.store, now: io.now }), publicKeyHex: env.DISCORD_PUBLIC_KEY, allowedGuildIds: env.DISCORD_ALLOWED_GUILD_IDS };
}

/** What a function that serves Discord passes to createRuntime. */
export const DISCORD_WIRING = { discord: wireDiscord } as const;
