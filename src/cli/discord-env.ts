/**
 * The Discord variables as the CLIs read them (discord:register, doctor), through env.ts like every
 * other variable: each problem with where to find the value, never the value. Discord counts as
 * configured when any of its three required variables is set; then all three are needed.
 */
import type { EnvName, EnvSource } from "../env.js";
import { readEnvLeniently, type EnvProblem } from "./env-source.js";

/** Discord's ids are snowflakes: 64-bit integers written in decimal (17 to 20 digits today). */
export const SNOWFLAKE = /^\d{17,20}$/;

/** What discord-interactions requires besides Notion's (runtime.ts: REQUIRED_VARIABLES.discord). */
export const DISCORD_REQUIRED = ["DISCORD_APPLICATION_ID", "DISCORD_PUBLIC_KEY", "DISCORD_BOT_TOKEN"] as const satisfies readonly EnvName[];

export interface DiscordSettings {
  applicationId: string | undefined;
  publicKey: string | undefined;
  botToken: string | undefined;
  apiUrl: string | undefined;
  reviewChannelId: string | undefined;
  tasksChannelId: string | undefined;
  allowedGuildIds: readonly string[];
}

/** Whether any of Discord's three required variables is set: then Discord is meant to be on. */
export function isDiscordConfigured(source: EnvSource): boolean {
  return DISCORD_REQUIRED.some((name) => source[name]?.trim());
}

/** Reads the Discord variables; a missing required one or a malformed one is a problem, and left undefined. */
export function readDiscordSettings(source: EnvSource, required: readonly EnvName[] = DISCORD_REQUIRED): { settings: DiscordSettings; problems: EnvProblem[] } {
  const { env, problems } = readEnvLeniently(required, source);
  return {
    settings: {
      applicationId: env.DISCORD_APPLICATION_ID,
      publicKey: env.DISCORD_PUBLIC_KEY,
      botToken: env.DISCORD_BOT_TOKEN,
      apiUrl: env.DISCORD_API_URL,
      reviewChannelId: env.DISCORD_REVIEW_CHANNEL_ID,
      tasksChannelId: env.DISCORD_TASKS_CHANNEL_ID,
      allowedGuildIds: env.DISCORD_ALLOWED_GUILD_IDS ?? [],
    },
    problems: problems.filter((problem) => problem.name.startsWith("DISCORD_")),
  };
}
